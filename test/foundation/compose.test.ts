import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { QUEUE_TIERS } from '../../src/config';
import { configSchema } from '../../src/config';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { WORKER_SHUTDOWN_GRACE_SECONDS } from '../../src/temporal/worker';

const seconds = (duration: string | undefined) => {
  const m = /^(\d+)(s|m)$/.exec(duration ?? '');
  return m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : 0;
};

// No Docker engine runs here: the compose file is checked for what would break a deployment.
const root = join(__dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      environment?: Record<string, unknown>;
      command?: string[];
      ports?: string[];
      healthcheck?: { test: string[] };
      stop_grace_period?: string;
      restart?: string;
      volumes?: string[];
      entrypoint?: string[];
    }
  >;
};
const appServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

describe('docker-compose.yml', () => {
  it("Grafana has no default admin password and refuses Grafana's default 'admin' (issue 22, item 11)", () => {
    const grafana = compose.services.grafana;
    const password = String(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD);
    expect(password).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/);
    // The entrypoint's check, run as the container would ($$ is compose's escape for a literal $).
    const [shell, flag, script] = grafana.entrypoint ?? [];
    expect([shell, flag]).toEqual(['sh', '-c']);
    const run = (value: string) =>
      spawnSync('sh', ['-c', script.replace(/\$\$/g, '$')], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, GF_SECURITY_ADMIN_PASSWORD: value },
      });
    for (const refused of ['admin', '']) {
      const result = run(refused);
      expect({ refused, status: result.status }).toEqual({ refused, status: 78 });
      expect(result.stderr).toContain('GRAFANA_ADMIN_PASSWORD must be set');
    }
    // A real password goes on to Grafana's own entrypoint (absent here: sh's "not found", 127).
    const accepted = run('a-long-random-password');
    expect(accepted.status).not.toBe(78);
    expect(accepted.stderr).toMatch(/run\.sh/);
  });

  it('has the whole production stack: Temporal with its database and Web UI, PostgreSQL, Redis, migrate, bot, workers', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining([
        'temporal',
        'temporal-postgres',
        'temporal-ui',
        'postgres',
        'redis',
        'migrate',
        'bot',
      ]),
    );
    for (const tier of QUEUE_TIERS)
      expect(compose.services[`worker-${tier}`]?.environment?.WORKER_TIERS).toBe(tier);
  });

  it('publishes the Temporal frontend and Web UI on localhost only (they have no auth of their own)', () => {
    for (const name of ['temporal', 'temporal-ui']) {
      const ports = compose.services[name]?.ports ?? [];
      expect(ports.length).toBeGreaterThan(0);
      for (const port of ports)
        expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
  });

  it('pins every image to an explicit version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect({ name, image: service.image }).toEqual({
        name,
        image: expect.stringMatching(/^[\w./-]+:v?\d[\w.-]*$/),
      });
    }
  });

  it('gives the app only environment variables the configuration schema knows', () => {
    const known = new Set(Object.keys(configSchema.shape));
    for (const [name, service] of appServices) {
      for (const variable of Object.keys(service.environment ?? {})) {
        expect({ service: name, variable, known: known.has(variable) }).toEqual({
          service: name,
          variable,
          known: true,
        });
      }
    }
  });

  it('runs entry points that the build produces', () => {
    for (const [, service] of appServices) {
      const script = service.command?.find((part) => part.startsWith('dist/'));
      expect(script).toBeDefined();
      expect(existsSync(join(root, script!.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  it('builds with a multi-stage Dockerfile on a pinned Node image', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const froms = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:\d+\.\d+\.\d+-[\w-]+( AS \w+)?$/);
  });

  it('publishes ports on localhost only, except the bot (its webhook faces the reverse proxy)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) {
        expect({ name, port, localhost: port.startsWith('127.0.0.1:') || name === 'bot' }).toEqual({
          name,
          port,
          localhost: true,
        });
      }
    }
  });

  it('health-checks every long-running service; the app through its cheap /livez on the ops port', () => {
    const longRunning = Object.entries(compose.services).filter(
      ([name, s]) => s.restart !== 'no' && !['temporal-ui'].includes(name),
    );
    for (const [name, service] of longRunning)
      expect({ name, test: service.healthcheck?.test }).toEqual({
        name,
        test: expect.any(Array),
      });
    for (const [name, service] of appServices.filter(([n]) => n !== 'migrate'))
      expect({ name, check: service.healthcheck?.test.join(' ') }).toEqual({
        name,
        check: expect.stringMatching(/fetch\('http:\/\/127\.0\.0\.1:9464\/livez'\)/),
      });
    // The bot's ops endpoints are on their own port, which is not published (only the webhook port is).
    const bot = compose.services.bot;
    expect(bot.environment?.BOT_OPS_PORT).toBe(9464);
    expect(bot.ports).toEqual(['8080:8080']);
  });

  it('gives every app process longer to stop than the workers give their activities', () => {
    for (const [name, service] of appServices.filter(([n]) => n !== 'migrate')) {
      expect({ name, grace: seconds(service.stop_grace_period) }).toEqual({
        name,
        grace: expect.any(Number),
      });
      expect(seconds(service.stop_grace_period)).toBeGreaterThanOrEqual(WORKER_SHUTDOWN_GRACE_SECONDS + 10);
    }
  });

  it('runs Prometheus and Grafana with the provisioned datasource and dashboard on metrics that exist', () => {
    expect(compose.services.prometheus.image).toMatch(/^prom\/prometheus:v\d/);
    expect(compose.services.grafana.image).toMatch(/^grafana\/grafana:\d/);
    const prometheus = parse(readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((c) =>
      c.dns_sd_configs.flatMap((d) => d.names.map((n) => `${n}:${d.port}`)),
    );
    expect(targets).toEqual(
      expect.arrayContaining([
        'bot:9464',
        // Temporal's own server metrics (PROMETHEUS_ENDPOINT of the temporal service).
        'temporal:9090',
        ...QUEUE_TIERS.map((t) => `worker-${t}:9464`),
        ...QUEUE_TIERS.map((t) => `worker-${t}:9465`),
      ]),
    );
    for (const mount of [
      ...(compose.services.grafana.volumes ?? []),
      ...(compose.services.prometheus.volumes ?? []),
    ]) {
      const host = mount.split(':')[0];
      if (host.startsWith('./'))
        expect({ mount, exists: existsSync(join(root, host)) }).toEqual({ mount, exists: true });
    }
    const dashboard = JSON.parse(
      readFileSync(join(root, 'deploy/grafana/dashboards/faceit-bot.json'), 'utf8'),
    ) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const topic of [
      'Analysis latency per tier',
      'FACEIT budget',
      '429',
      'cache hit rate',
      'backlog',
      'Notifications',
      'migration progress',
    ])
      expect(titles.toLowerCase()).toContain(topic.toLowerCase());
    // Every app metric the dashboard reads is one the code defines (SDK metrics start with temporal_).
    const sources = ['src/faceit/metrics.ts', 'src/bot/metrics.ts', 'src/ops/metrics.ts']
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    const used = dashboard.panels
      .flatMap((p) => p.targets.map((t) => t.expr))
      .flatMap((e) => e.match(/[a-z_]+(?=[{[])/g) ?? [])
      .filter(
        (m) => !m.startsWith('temporal_') && !['rate', 'sum', 'max', 'by', 'histogram_quantile'].includes(m),
      )
      .map((m) => m.replace(/_bucket$/, ''));
    expect(used.length).toBeGreaterThan(5);
    for (const metric of used)
      expect({ metric, defined: sources.includes(`'${metric}'`) }).toEqual({ metric, defined: true });
  });

  it('keeps the emulators and dev-only packages out of the image and ships the prebuilt workflow bundle', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/RUN npm run build && test -s dist\/workflow-bundle\.js/);
    expect(dockerfile).not.toMatch(/COPY (emulators|dev|test|bench)\b/);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.build).toContain('dist/temporal/bundle-cli.js');
    for (const devOnly of ['ts-node', 'puppeteer-core', '@temporalio/testing', 'jest'])
      expect(Object.keys(pkg.dependencies)).not.toContain(devOnly);
  });

  it('registers every search attribute the code sets, one create each (so a new one is added to an older cluster)', () => {
    const setup = (compose.services['temporal-setup']?.command ?? []).join(' ');
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) expect(setup).toContain(`${name}:${type}`);
    expect(setup).toMatch(/for attr in .*; do/);
  });

  describe('Temporal: what `npm run rehearse` ran', () => {
    const versions = JSON.parse(readFileSync(join(root, 'deploy/versions.json'), 'utf8')) as {
      temporal: { server: string; adminTools: string };
    };

    it('runs the server and the admin tools at the versions pinned in deploy/versions.json (the rehearsed ones)', () => {
      expect(compose.services.temporal.image).toBe(`temporalio/server:${versions.temporal.server}`);
      expect(versions.temporal.adminTools.startsWith(`${versions.temporal.server}-`)).toBe(true);
      const images = Object.entries(compose.services).map(([name, s]) => ({ name, image: s.image ?? '' }));
      const adminTools = images.filter((i) => i.image.startsWith('temporalio/admin-tools:'));
      expect(adminTools.map((i) => i.name).sort()).toEqual(['temporal-schema', 'temporal-setup']);
      for (const i of adminTools)
        expect(i).toEqual({ name: i.name, image: `temporalio/admin-tools:${versions.temporal.adminTools}` });
      // The deprecated auto-setup image has no dynamic config and predates Update-with-Start.
      expect(images.filter((i) => i.image.startsWith('temporalio/auto-setup'))).toEqual([]);
      // The rehearsal reads the same file (one place for the version).
      expect(readFileSync(join(root, 'bench/rehearse/temporal.ts'), 'utf8')).toContain(
        'deploy/versions.json',
      );
    });

    it('creates the schema with the server’s SQL tool, then serves on the rehearsed config and dynamic config', () => {
      const schema = (compose.services['temporal-schema'].command ?? []).join(' ');
      expect(schema).toContain('setup-schema -v 0.0');
      expect(schema).toContain('update-schema -d "/etc/temporal/schema/postgresql/v12/');
      const temporal = compose.services.temporal;
      expect(temporal.environment?.DB).toBe('postgres12');
      const mounts = temporal.volumes ?? [];
      const dynamic = String(temporal.environment?.DYNAMIC_CONFIG_FILE_PATH);
      expect(mounts).toContain(`./deploy/temporal/dynamicconfig/docker.yaml:${dynamic}:ro`);
      expect(mounts).toContain('./deploy/temporal/docker.yaml:/etc/temporal/config/docker.yaml:ro');
      const dynamicConfig = parse(
        readFileSync(join(root, 'deploy/temporal/dynamicconfig/docker.yaml'), 'utf8'),
      ) as Record<string, { value: unknown }[]>;
      for (const key of ['frontend.enableUpdateWorkflowExecution', 'frontend.enableExecuteMultiOperation'])
        expect({ key, value: dynamicConfig[key]?.[0]?.value }).toEqual({ key, value: true });
      expect(readFileSync(join(root, 'deploy/temporal/docker.yaml'), 'utf8')).toMatch(/^# enable-template\n/);
      expect((temporal.command ?? []).join(' ')).toContain(
        'temporal-server --root /etc/temporal --config config --env docker --allow-no-auth start',
      );
      expect((compose.services['temporal-setup'].command ?? []).join(' ')).toMatch(
        /namespace create --namespace default --retention \d+d/,
      );
    });

    it('passes `docker compose config` where the compose plugin is installed', () => {
      const env = { ...process.env, BOT_TOKEN: 'x', GRAFANA_ADMIN_PASSWORD: 'x' };
      const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', env });
      if (probe.status !== 0) {
        // No plugin here (the docker client alone): the image tags above are still checked.
        console.warn(
          `docker compose is not available (${(probe.stderr || String(probe.error)).trim().split('\n')[0]}): ` +
            '`docker compose config` not run; the pinned versions are checked from the YAML',
        );
        expect(compose.services.temporal.image).toMatch(/^temporalio\/server:/);
        return;
      }
      // In a copy with `.env` from `.env.example` (compose refuses a missing env_file).
      const dir = mkdtempSync(join(tmpdir(), 'compose-config-'));
      let result: ReturnType<typeof spawnSync>;
      try {
        for (const f of ['docker-compose.yml', 'Dockerfile', 'deploy'])
          symlinkSync(join(root, f), join(dir, f));
        copyFileSync(join(root, '.env.example'), join(dir, '.env'));
        result = spawnSync('docker', ['compose', 'config', '-q'], { encoding: 'utf8', env, cwd: dir });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    });
  });
});
