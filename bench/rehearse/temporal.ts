/**
 * The real Temporal server for the rehearsal: the `temporal-server` binary and its SQL tool built from the Go module
 * proxy at the version in deploy/versions.json (once; cached under ~/.cache/faceit-bot/temporal/<version>/), on a
 * PostgreSQL of its own whose schema the SQL tool creates, rendered from the same config template
 * (deploy/temporal/docker.yaml) and dynamic-config file (deploy/temporal/dynamicconfig/docker.yaml) as compose, with
 * the same command line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { Logger } from 'pino';
import { isPortFree, waitUntil } from '../../dev/services/ports';
import { spawnManaged, type ManagedProcess } from '../../dev/services/processes';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';

const ROOT = resolve(__dirname, '../..');
/** The one place the version is pinned: deploy/versions.json (compose's image tags are tested against it). */
const VERSIONS = JSON.parse(readFileSync(join(ROOT, 'deploy/versions.json'), 'utf8')) as {
  temporal: { server: string; adminTools: string };
};
export const TEMPORAL_VERSION = VERSIONS.temporal.server;
export const DYNAMIC_CONFIG = join(ROOT, 'deploy/temporal/dynamicconfig/docker.yaml');

export interface TemporalBinaries {
  server: string;
  sql: string;
  /** schema/postgresql of the same module version (v12/temporal/versioned, v12/visibility/versioned). */
  schema: string;
  /** Seconds the build took; 0 when the cache served. */
  builtInS: number;
}

/** The binaries, from the cache or built now with `go install` (minutes, once per version and machine). */
export function ensureTemporalBinaries(say: (line: string) => void): TemporalBinaries {
  const dir = join(
    process.env.FACEIT_BOT_CACHE ?? join(homedir(), '.cache/faceit-bot'),
    'temporal',
    TEMPORAL_VERSION,
  );
  const bins = { server: join(dir, 'server'), sql: join(dir, 'sql'), schema: join(dir, 'schema-postgresql') };
  const cached = () =>
    existsSync(bins.server) && existsSync(bins.sql) && existsSync(join(bins.schema, 'v12'));
  if (cached()) return { ...bins, builtInS: 0 };
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0)
    throw new Error(
      `the Temporal server ${TEMPORAL_VERSION} is not cached in ${dir} and there is no Go toolchain to build it ` +
        '(install Go ≥ 1.24 from https://go.dev/dl, then run again)',
    );
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  for (const pkg of ['cmd/server', 'cmd/tools/sql']) {
    say(`building go.temporal.io/server/${pkg}@v${TEMPORAL_VERSION} (once; cached in ${dir})`);
    execFileSync('go', ['install', `go.temporal.io/server/${pkg}@v${TEMPORAL_VERSION}`], {
      env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  cpSync(join(modCache, `go.temporal.io/server@v${TEMPORAL_VERSION}`, 'schema/postgresql'), bins.schema, {
    recursive: true,
  });
  // The module cache is read-only; the copy must not be.
  execFileSync('chmod', ['-R', 'u+w', bins.schema]);
  if (!cached()) throw new Error(`built the Temporal server, yet ${dir} lacks server, sql or the schema`);
  return { ...bins, builtInS: Math.round((Date.now() - started) / 1000) };
}

export interface PgTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** As compose's temporal-schema job: create both databases, set up version 0.0, update to the module's latest. */
export function setupTemporalSchema(bins: TemporalBinaries, pg: PgTarget): void {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: pg.host,
    SQL_PORT: String(pg.port),
    SQL_USER: pg.user,
    SQL_PASSWORD: pg.password,
  };
  const sql = (args: string[], allowFail = false) => {
    const r = spawnSync(bins.sql, args, { env, encoding: 'utf8' });
    if (r.status !== 0 && !allowFail)
      throw new Error(`temporal-sql-tool ${args.join(' ')} failed: ${(r.stderr || r.stdout).slice(-800)}`);
  };
  for (const [db, dir] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ]) {
    sql(['--db', db, 'create-database'], true); // exists already on a second set-up
    sql(['--db', db, 'setup-schema', '-v', '0.0']);
    sql(['--db', db, 'update-schema', '-d', join(bins.schema, 'v12', dir, 'versioned')]);
  }
}

export interface TemporalServer {
  address: string;
  httpPort: number;
  /** The server's own Prometheus endpoint (PROMETHEUS_ENDPOINT). */
  metricsUrl: string;
  pid(): number;
  /** SIGTERM (graceful) or SIGKILL, then the same binary on the same ports and database. */
  restart(signal?: NodeJS.Signals): Promise<number>;
  stop(): Promise<void>;
}

export async function startTemporalServer(options: {
  bins: TemporalBinaries;
  pg: PgTarget;
  logger: Logger;
  onLine?: (line: string) => void;
}): Promise<TemporalServer> {
  const names = [
    'FRONTEND_GRPC_PORT',
    'FRONTEND_HTTP_PORT',
    'FRONTEND_MEMBERSHIP_PORT',
    'HISTORY_GRPC_PORT',
    'HISTORY_MEMBERSHIP_PORT',
    'MATCHING_GRPC_PORT',
    'MATCHING_MEMBERSHIP_PORT',
    'WORKER_GRPC_PORT',
    'WORKER_MEMBERSHIP_PORT',
    'METRICS',
  ];
  const ports: Record<string, number> = {};
  for (const n of names) ports[n] = await lowFreePort(Object.values(ports));
  // The environment compose gives the temporalio/server container (docker-compose.yml), on loopback ports.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DB: 'postgres12',
    POSTGRES_SEEDS: options.pg.host,
    DB_PORT: String(options.pg.port),
    POSTGRES_PORT: String(options.pg.port),
    POSTGRES_USER: options.pg.user,
    POSTGRES_PWD: options.pg.password,
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG,
    PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.METRICS}`,
    BIND_ON_IP: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(names.filter((n) => n !== 'METRICS').map((n) => [n, String(ports[n])])),
  };
  const args = [
    '--root',
    join(ROOT, 'deploy'),
    '--config',
    'temporal',
    '--env',
    'docker',
    '--allow-no-auth',
    'start',
  ];
  let proc: ManagedProcess;
  const healthUrl = `http://127.0.0.1:${ports.FRONTEND_HTTP_PORT}/api/v1/cluster-info`;
  const lines: string[] = [];
  const start = async () => {
    proc = spawnManaged('temporal-server', options.bins.server, args, {
      logger: options.logger,
      env,
      onLine: (line) => {
        lines.push(line.slice(0, 500));
        if (lines.length > 30) lines.shift();
        options.onLine?.(line);
      },
    });
    const exited = proc.exited.then((code) => {
      throw new Error(`temporal-server exited with ${code} during start-up:\n${lines.slice(-10).join('\n')}`);
    });
    // The probe compose's health check makes (the frontend's HTTP API).
    const ready = waitUntil(
      'Temporal server',
      async () => {
        const r = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
        if (!r.ok) throw new Error(`cluster-info answered ${r.status}`);
      },
      180_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}; its last lines:\n${lines.slice(-10).join('\n')}`);
    });
    await Promise.race([ready, exited]);
    exited.catch(() => undefined);
  };
  await start();
  return {
    address: `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`,
    httpPort: ports.FRONTEND_HTTP_PORT,
    metricsUrl: `http://127.0.0.1:${ports.METRICS}/metrics`,
    pid: () => proc.pid,
    async restart(signal = 'SIGTERM') {
      const t0 = Date.now();
      await proc.stop(signal, 20_000);
      // Membership ports linger a moment after exit.
      await new Promise((r) => setTimeout(r, 1_000));
      await start();
      return Date.now() - t0;
    },
    stop: () => proc.stop('SIGTERM', 20_000),
  };
}

/** As compose's temporal-setup job: the namespace with an explicit retention, then every custom search attribute. */
export async function setupNamespace(
  address: string,
  namespace: string,
  retentionDays: number,
): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const retention = msToTs(retentionDays * 86_400_000);
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: retention,
      });
    } catch (err) {
      if (!/already exists|AlreadyExists/i.test(String(err))) throw err;
      await connection.workflowService.updateNamespace({
        namespace,
        config: { workflowExecutionRetentionTtl: retention },
      });
    }
    const types = temporal.api.enums.v1.IndexedValueType;
    // The new namespace reaches every service's cache within seconds; the first calls may not find it.
    await waitUntil(
      'search attributes',
      () =>
        connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(
            Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [
              name,
              type === 'Int' ? types.INDEXED_VALUE_TYPE_INT : types.INDEXED_VALUE_TYPE_KEYWORD,
            ]),
          ),
        }),
      60_000,
    );
  } finally {
    await connection.close();
  }
}

/**
 * A free port below 32768: the server stores membership ports in a PostgreSQL smallint (cluster_membership), so an
 * ephemeral port from the kernel (32768 and up) stops it at start-up ("out of range for type smallint").
 */
async function lowFreePort(taken: number[]): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.includes(port) && (await isPortFree(port))) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}
