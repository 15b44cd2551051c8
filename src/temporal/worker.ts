import { temporalSecurity } from './client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { cachedBundlePath } from './bundle-cache';
import { concurrencyFor, taskQueueFor, type Config, type QueueTier } from '../config';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * The bundle `npm run build` writes beside the compiled code (dist/workflow-bundle.js). Only a compiled build has
 * one; ts-node runs (src/, the dev run) use the bundle cached under the sources' hash (bundle-cache.ts).
 */
export const PREBUILT_BUNDLE_PATH = join(__dirname, '..', 'workflow-bundle.js');

/** How long a stopping worker lets its in-flight activities finish; compose's stop_grace_period must exceed it. */
export const WORKER_SHUTDOWN_GRACE_SECONDS = 10;

/**
 * Heartbeats reach the server at least this often (the SDK's default holds them back for 80 % of the heartbeat
 * timeout, which with a short timeout leaves a live activity a fraction of a second of slack). A 1 s flush lets a
 * 3 s heartbeat timeout find a dead worker quickly without mistaking a live one for dead. Every worker that runs
 * heartbeating activities uses it (runWorkers, the crash-test and bench workers).
 */
export const HEARTBEAT_FLUSH_OPTIONS = { maxHeartbeatThrottleInterval: '1 second' } as const;

/** Bundles the workflow code once; every tier's worker shares the bundle. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface RunningWorkers {
  workers: Map<QueueTier, Worker>;
  /** Resolves when every worker has stopped; rejects if one failed. */
  done: Promise<void>;
  /** Graceful: in-flight activities get `shutdownGraceTime` to finish, then the connection closes. */
  shutdown(): Promise<void>;
}

/** One worker per priority tier (its own task queue and concurrency), all on one connection. */
export async function runWorkers(options: {
  config: Config;
  address: string;
  logger: Logger;
  activities: object;
  tiers?: readonly QueueTier[];
  bundle?: WorkflowBundleOption;
  identity?: string;
}): Promise<RunningWorkers> {
  const { config, logger } = options;
  const tiers = options.tiers ?? config.WORKER_TIERS;
  const bundleStarted = Date.now();
  // Connecting and finding (or making) the bundle do not wait for each other.
  const connecting = NativeConnection.connect({
    address: options.address,
    ...temporalSecurity(config),
  });
  const prebuilt = !options.bundle && existsSync(PREBUILT_BUNDLE_PATH);
  let bundleSource = options.bundle ? 'given' : prebuilt ? 'prebuilt' : 'cached';
  let bundle = options.bundle ?? (prebuilt ? { codePath: PREBUILT_BUNDLE_PATH } : undefined);
  if (!bundle) {
    const cached = await cachedBundlePath(bundleWorkflows, logger).catch(async (err: unknown) => {
      await connecting.then((c) => c.close()).catch(() => undefined);
      throw err;
    });
    if (!cached.cached) bundleSource = 'bundled at start';
    bundle = { codePath: cached.codePath };
  }
  const connection = await connecting;
  // The tiers' workers are created together: each reads and loads the bundle into its own workflow thread and
  // registers with the server, and one after another that was 350-580 ms a tier (most of a start).
  const created = await Promise.all(
    tiers.map((tier) => {
      const concurrency = concurrencyFor(config, tier);
      return Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: taskQueueFor(config, tier),
        workflowBundle: bundle,
        activities: options.activities,
        ...(options.identity ? { identity: `${options.identity}@${tier}` } : {}),
        maxConcurrentActivityTaskExecutions: concurrency,
        maxConcurrentWorkflowTaskExecutions: Math.max(2, Math.ceil(concurrency / 2)),
        shutdownGraceTime: `${WORKER_SHUTDOWN_GRACE_SECONDS} seconds`,
        ...HEARTBEAT_FLUSH_OPTIONS,
      });
    }),
  );
  const workers = new Map<QueueTier, Worker>(tiers.map((tier, i) => [tier, created[i]]));
  logger.info(
    {
      tiers: [...workers.keys()].map((t) => taskQueueFor(config, t)),
      workflowBundle: bundleSource,
      startMs: Date.now() - bundleStarted,
    },
    'workers polling',
  );
  const done = Promise.all([...workers.values()].map((w) => w.run())).then(async () => {
    await connection.close();
  });
  return {
    workers,
    done,
    async shutdown() {
      for (const worker of workers.values()) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
