import { type ChildProcess, fork } from 'node:child_process';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createActivities } from '../../src/activities';
import { createActivityDeps } from '../../src/activities/deps';
import { loadConfig, taskQueueFor, type Config, type QueueTier } from '../../src/config';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { HEARTBEAT_FLUSH_OPTIONS, runWorkers } from '../../src/temporal/worker';

/**
 * Activity workers in their own processes, so that a test or a benchmark can lose one to a real SIGKILL: either
 * from outside, or from inside at the worst moment (a hook calling `crash()`). Two halves:
 * - in the forked process, `runActivityWorker` builds the worker from the environment (the parent's services and
 *   task queues) and tells the parent when it polls;
 * - in the parent, `forkActivityWorker` starts such a process and follows it (ready, crashing, exit).
 * The workflows run in the parent, so only the activities die.
 */

/** What a forked worker's activities are built from. */
export interface CrashWorkerDeps {
  env: NodeJS.ProcessEnv;
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  /** A Redis connection to the parent's Redis, made on the first call. */
  redis(): Redis;
  /** Tells the parent (`{ type: 'crashing', ...details }`), then SIGKILLs this process; never resolves. */
  crash(details?: Record<string, unknown>): Promise<never>;
}

/** In the forked process: serves `activities` on the tier's task queue (no workflows) until killed. */
export function runActivityWorker(options: {
  tier: QueueTier;
  activities: (deps: CrashWorkerDeps) => object;
  poolSize?: number;
  worker?: Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions'>;
}): void {
  const main = async () => {
    const env = process.env;
    const config = loadConfig(env);
    const logger = createLogger({ level: env.TEST_LOG_LEVEL ?? 'silent', pretty: false });
    installTemporalRuntime(logger);
    const pool = await createDatabasePool(env.DATABASE_URL!, { maximumPoolSize: options.poolSize ?? 4 });
    let connected: Redis | undefined;
    const redis = () => (connected ??= new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 2 }));
    const crash = (details: Record<string, unknown> = {}): Promise<never> => {
      process.send?.({ type: 'crashing', ...details });
      process.kill(process.pid, 'SIGKILL');
      return new Promise<never>(() => undefined);
    };
    const activities = options.activities({ env, config, logger, pool, redis, crash });
    const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: taskQueueFor(config, options.tier),
      activities,
      ...HEARTBEAT_FLUSH_OPTIONS,
      ...options.worker,
    });
    process.send?.({ type: 'ready' });
    await worker.run();
  };
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

/**
 * In the forked process: a whole worker as src/worker.ts runs one (every tier, the test run's workflow bundle and the
 * real activities), configured by the environment, until killed; for a test that loses workflows and activities at
 * once.
 */
export function runFullWorker(): void {
  const main = async () => {
    const config = loadConfig(process.env);
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });
    installTemporalRuntime(logger);
    const deps = await createActivityDeps(config, logger, {
      databaseUrl: config.DATABASE_URL ?? '',
      redisUrl: config.REDIS_URL ?? '',
    });
    await runWorkers({
      config,
      address: config.TEMPORAL_ADDRESS ?? '',
      logger,
      activities: createActivities(deps.deps),
      bundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' },
      identity: `crash-test-${process.pid}`,
    });
    process.send?.({ type: 'ready' });
  };
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

/** A message from a forked worker: `ready`, or `crashing` with what its hook told. */
export interface CrashWorkerMessage {
  type: string;
  [detail: string]: unknown;
}

export interface ForkedWorker {
  child: ChildProcess;
  /** Resolves once the worker polls; rejects if the process ends before. */
  ready: Promise<void>;
  /** The signal (e.g. 'SIGKILL') or exit code the process ended with. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** Every `crashing` message so far (normally one). */
  crashes: CrashWorkerMessage[];
}

/** In the parent: forks `file` (a module calling runActivityWorker or runFullWorker) with this process's environment plus `env`. */
export function forkActivityWorker(file: string, env: Record<string, string | undefined> = {}): ForkedWorker {
  const child = fork(file, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const crashes: CrashWorkerMessage[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: CrashWorkerMessage) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'crashing') crashes.push(m);
    });
    void exited.then((how) => reject(new Error(`worker exited (${how}) before it was ready`)));
  });
  return { child, ready, exited, crashes };
}

/** Workers in this (the parent) process on one connection: the workflows' worker, and healthy activity workers. */
export interface LocalWorkers {
  /** Starts one on the tier's queue: with the workflow bundle of the test run, with these activities, or both. */
  start(options: { workflows?: boolean; activities?: object }): Promise<Worker>;
  /** Shuts one down and waits until it has stopped. */
  stop(worker: Worker): Promise<void>;
  /** Shuts every one down and closes the connection. */
  close(): Promise<void>;
}

export async function startLocalWorkers(
  config: Config,
  tier: QueueTier,
  logger: Logger,
): Promise<LocalWorkers> {
  installTemporalRuntime(logger);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const runs = new Map<Worker, Promise<void>>();
  return {
    async start(options) {
      const worker = await Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: taskQueueFor(config, tier),
        ...(options.workflows ? { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } } : {}),
        ...(options.activities ? { activities: options.activities } : {}),
        ...HEARTBEAT_FLUSH_OPTIONS,
      });
      runs.set(worker, worker.run());
      return worker;
    },
    async stop(worker) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await runs.get(worker);
    },
    async close() {
      for (const worker of runs.keys()) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.allSettled(runs.values());
      await connection.close();
    },
  };
}
