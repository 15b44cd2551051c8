import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { QUEUE_TIERS } from '../../src/config';
import { configSchema } from '../../src/config';

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
    }
  >;
};
const appServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

describe('docker-compose.yml', () => {
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
        image: expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/),
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
});
