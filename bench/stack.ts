/**
 * The stack the end-to-end benchmarks measure, started as in production: PostgreSQL, Redis and a Temporal dev server
 * (ephemeral), the FACEIT and Telegram emulators, workers on a workflow bundle built in a child process (webpack's
 * memory is not the workers'), and the real bot polling the Telegram emulator. Task queues get a random suffix so a
 * run never picks up another's work. `stop()` takes it all down in reverse order.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { createActivities } from '../src/activities';
import { createActivityDeps } from '../src/activities/deps';
import { createBotDeps } from '../src/bot/deps';
import { startBot } from '../src/bot/run';
import { loadConfig, type Config } from '../src/config';
import { runMigrations } from '../src/db/migrate';
import { createDatabasePool, type DatabasePool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { startServices, type Services } from '../dev/services';
import { createTemporalClient } from '../src/temporal/client';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { runWorkers } from '../src/temporal/worker';
import { startFaceitEmulator, type FaceitEmulator } from '../emulators/faceit';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram';

export const BENCH_BOT_TOKEN = '7100000001:bench-token';

export interface BenchStackOptions {
  /** Names the database, the task queues and the emulator's seed. */
  name: string;
  /** FACEIT emulator: requests per second per key (and the product's budget) and latency per call. */
  rate: number;
  latencyMs: number;
  /** More environment for the product's config (e.g. a webhook secret). */
  env?: Record<string, string>;
  /** Called once the services are up and before the workers start (the analysis bench samples memory there). */
  beforeWorkers?: () => void;
}

export interface BenchStack {
  logger: Logger;
  services: Services;
  config: Config;
  faceit: FaceitEmulator;
  tg: TelegramEmulator;
  client: Client;
  activityDeps: Awaited<ReturnType<typeof createActivityDeps>>['deps'];
  pool: DatabasePool;
  /** Registers something to take down with the stack (before what was started earlier). */
  onStop(stop: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  const logger = createLogger({ pretty: false, level: process.env.BENCH_LOG_LEVEL ?? 'error' });
  const suffix = randomUUID().slice(0, 8);
  const base = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error' });
  const services = await startServices(base, {
    logger,
    mode: 'ephemeral',
    databaseName: `faceit_bench_${opts.name}`,
  });
  const stops: Array<() => Promise<unknown>> = [() => services.stop()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse())
      await s().catch((err: unknown) => log(`stop failed: ${String(err)}`));
  };
  try {
    await runMigrations(services.databaseUrl, { logger });
    const faceit = await startFaceitEmulator({
      port: 0,
      seed: `bench-${opts.name}-${suffix}`,
      players: 5000,
      latencyMs: opts.latencyMs,
      rateLimit: { limit: opts.rate },
    });
    stops.push(() => faceit.stop());
    const tg = await startTelegramEmulator({ tokens: [BENCH_BOT_TOKEN], autoCreateChats: true });
    stops.push(() => tg.stop());
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      TEMPORAL_ADDRESS: services.temporalAddress,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      FACEIT_API_BASE_URL: faceit.baseUrl,
      FACEIT_API_KEY: faceit.apiKey,
      FACEIT_RATE_LIMIT_PER_SECOND: String(opts.rate),
      BOT_TOKEN: BENCH_BOT_TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      BOT_HTTP_PORT: '0',
      // Every bench user makes a handful of requests at most; the quota is not what is measured.
      QUOTA_FREE_PER_DAY: '1000',
      TASK_QUEUE_CRITICAL: `bench-critical-${suffix}`,
      TASK_QUEUE_HIGH: `bench-high-${suffix}`,
      TASK_QUEUE_DEFAULT: `bench-default-${suffix}`,
      TASK_QUEUE_LOW: `bench-low-${suffix}`,
      ...opts.env,
    });
    installTemporalRuntime(logger);
    opts.beforeWorkers?.();
    const bundleDir = mkdtempSync(join(tmpdir(), `bench-${opts.name}-`));
    stops.push(async () => rmSync(bundleDir, { recursive: true, force: true }));
    const bundlePath = join(bundleDir, 'workflows.js');
    execFileSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `require('./src/temporal/worker').bundleWorkflows().then((b) => require('fs').writeFileSync(${JSON.stringify(bundlePath)}, b.code))`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const client = await createTemporalClient({
      address: services.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
    });
    stops.push(() => client.connection.close());
    const deps = await createActivityDeps(config, logger, {
      databaseUrl: services.databaseUrl,
      redisUrl: services.redisUrl,
    });
    // Activities that start workflows (briefs start analyses) need a client, as in the worker process.
    deps.deps.temporal = client;
    stops.push(() => deps.close());
    const workers = await runWorkers({
      config,
      address: services.temporalAddress,
      logger,
      activities: createActivities(deps.deps),
      bundle: { codePath: bundlePath },
    });
    stops.push(() => workers.shutdown());
    const pool = await createDatabasePool(services.databaseUrl, { maximumPoolSize: 10 });
    stops.push(() => pool.end());
    const botRedis = new Redis(services.redisUrl, { maxRetriesPerRequest: 2 });
    stops.push(async () => botRedis.disconnect());
    const bot = await startBot(createBotDeps({ config, logger, client, pool, redis: botRedis }));
    stops.push(() => bot.stop());
    return {
      logger,
      services,
      config,
      faceit,
      tg,
      client,
      activityDeps: deps.deps,
      pool,
      onStop: (s) => stops.push(s),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
