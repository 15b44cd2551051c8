import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../src/config';
import { describeError } from '../../src/logger';
import { startEmbeddedPostgres } from './postgres';
import { provision } from './provision';
import { stopAllManaged } from './processes';
import { startRedisServer } from './redis';
import { startTemporalDevServer } from './temporal';

/**
 * The one module every entry point (dev run, tests, benchmarks) uses to get Temporal, PostgreSQL and Redis:
 * a URL from the configuration is used as given; otherwise a real local server is started and stopped with us.
 */

export interface Services {
  temporalAddress: string;
  temporalUiUrl?: string;
  /** The embedded Temporal server's Prometheus metrics (undefined for a server given by the configuration). */
  temporalMetricsUrl?: string;
  databaseUrl: string;
  redisUrl: string;
  /** Which of the three were started here (as opposed to given by the configuration). */
  started: { temporal: boolean; postgres: boolean; redis: boolean };
  stop(): Promise<void>;
}

type Stoppable = { stop?: () => Promise<void> };
type TemporalEndpoint = { address: string; uiUrl?: string; metricsUrl?: string } & Stoppable;
/** A service given by the configuration: used as it is, never stopped by us. */
const given = <T extends object>(value: T): Promise<T & Stoppable> => Promise.resolve(value);

export interface StartServicesOptions {
  logger: Logger;
  /**
   * `persistent`: state under DATA_DIR survives restarts (the dev run).
   * `ephemeral`: everything in a temporary folder removed on stop (tests, benchmarks).
   */
  mode: 'persistent' | 'ephemeral';
  /** Database to create on an embedded server (default `faceit_bot`). */
  databaseName?: string;
  /** Start the Temporal Web UI (on TEMPORAL_UI_PORT) when Temporal is embedded. */
  webUi?: boolean;
  /**
   * Install a missing redis-server / Temporal CLI (the dev run); otherwise a missing one stops the start with the
   * command that installs it (tests: `.ci/run` provisions first).
   */
  install?: boolean;
  /** Called once the Temporal dev server's process is spawned (or at once when TEMPORAL_ADDRESS is given). */
  onTemporalSpawned?: () => void;
}

export async function startServices(config: Config, options: StartServicesOptions): Promise<Services> {
  const { logger, mode } = options;
  const root = mode === 'persistent' ? resolve(config.DATA_DIR) : mkdtempSync(join(tmpdir(), 'faceit-bot-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its cluster folder.
  if (mode === 'ephemeral') chmodSync(root, 0o755);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err) => logger.warn({ err }, 'stopping a service failed'));
    await stopAllManaged();
    if (mode === 'ephemeral') rmSync(root, { recursive: true, force: true });
  };

  try {
    const found = await provision({
      logger,
      install: options.install ?? false,
      need: { redis: !config.REDIS_URL, temporal: !config.TEMPORAL_ADDRESS },
      env: { ...process.env, TEMPORAL_CLI_PATH: config.TEMPORAL_CLI_PATH },
    });
    const track = async <T extends Stoppable>(service: Promise<T>): Promise<T> => {
      const started = await service;
      if (started.stop) stops.push(started.stop);
      return started;
    };
    const startPostgres = async () => {
      const server = await startEmbeddedPostgres({
        dir: join(root, 'postgres'),
        logger,
        persistent: mode === 'persistent',
      });
      const name = options.databaseName ?? 'faceit_bot';
      await server.createDatabase(name).catch((err: unknown) => {
        if (!String(err).includes('already exists')) throw err;
      });
      return { url: server.databaseUrl(name), stop: server.stop };
    };
    if (config.TEMPORAL_ADDRESS) options.onTemporalSpawned?.();
    // allSettled, not all: a service that did start must be registered for stopping even if another failed.
    const [temporal, postgres, redis] = await Promise.allSettled([
      track(
        config.TEMPORAL_ADDRESS
          ? given<TemporalEndpoint>({ address: config.TEMPORAL_ADDRESS })
          : startTemporalDevServer({
              onSpawned: options.onTemporalSpawned,
              logger,
              cliPath: found.temporalCli,
              namespace: config.TEMPORAL_NAMESPACE,
              dbFile: mode === 'persistent' ? join(root, 'temporal', 'dev.db') : undefined,
              uiPort: options.webUi ? config.TEMPORAL_UI_PORT : undefined,
              preferredPort: mode === 'persistent' ? 7233 : undefined,
              retentionDays: config.TEMPORAL_NAMESPACE_RETENTION_DAYS,
            }),
      ),
      track(config.DATABASE_URL ? given({ url: config.DATABASE_URL }) : startPostgres()),
      track(
        config.REDIS_URL
          ? given({ url: config.REDIS_URL })
          : startRedisServer({
              logger,
              bin: found.redisServer,
              dir: mode === 'persistent' ? join(root, 'redis') : undefined,
            }),
      ),
    ]);
    const failed = (
      [
        ['Temporal', temporal, 'set TEMPORAL_ADDRESS to use a running server'],
        ['PostgreSQL', postgres, 'set DATABASE_URL to use a running server'],
        ['Redis', redis, 'set REDIS_URL to use a running server'],
      ] as const
    ).filter(([, outcome]) => outcome.status === 'rejected');
    if (failed.length > 0) {
      const reasons = failed.map(
        ([name, outcome, hint]) =>
          `${name} could not start: ${describeError((outcome as PromiseRejectedResult).reason)} (or ${hint})`,
      );
      throw new Error(reasons.join('; '), { cause: (failed[0][1] as PromiseRejectedResult).reason });
    }
    if (temporal.status === 'rejected' || postgres.status === 'rejected' || redis.status === 'rejected')
      throw new Error('a service failed to start'); // reported above; narrows the types
    return {
      temporalAddress: temporal.value.address,
      temporalUiUrl: temporal.value.uiUrl,
      temporalMetricsUrl: temporal.value.metricsUrl,
      databaseUrl: postgres.value.url,
      redisUrl: redis.value.url,
      started: {
        temporal: !config.TEMPORAL_ADDRESS,
        postgres: !config.DATABASE_URL,
        redis: !config.REDIS_URL,
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
