import { createActivities } from './activities';
import { createActivityDeps } from './activities/deps';
import { exitOnStartupRefusals, loadConfigOrExit } from './config';
import { sql } from 'slonik';
import { logger } from './logger';
import { register } from 'prom-client';
import { registerProbes } from './ops/probes';
import { initUncertainDeliveries } from './telegram/send-claims';
import { startOpsServer } from './ops/server';
import { ensureStarsReconcileSchedule } from './billing/worker';
import { ensureMonitoringSchedule } from './monitoring/worker';
import { ensureRetentionSchedule } from './retention';
import { onShutdown } from './shutdown';
import { createTemporalClient } from './temporal/client';
import { installTemporalRuntime } from './temporal/runtime';
import { runWorkers } from './temporal/worker';

/**
 * Production worker process: serves the tiers in WORKER_TIERS against the Temporal cluster at TEMPORAL_ADDRESS.
 * Scale out by running more of these (e.g. `docker compose up --scale worker-high=3`).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // The invoice secret and the servers it cannot run without: one rule set, as the bot's (src/config.ts).
  exitOnStartupRefusals(config, 'a production worker', (problem) => logger.fatal(problem));
  installTemporalRuntime(logger, { metricsPort: config.TEMPORAL_METRICS_PORT || undefined });
  // PostgreSQL, Redis and Temporal are reached at once (a failure of either still stops the start).
  const [activityDeps, client] = await Promise.all([
    createActivityDeps(config, logger, { databaseUrl: config.DATABASE_URL! }),
    // Activities that start or join workflows (pre-match briefs join the shared analysis) use this client.
    createTemporalClient({
      ...config,
      address: config.TEMPORAL_ADDRESS!,
      namespace: config.TEMPORAL_NAMESPACE,
    }),
  ]);
  activityDeps.deps.temporal = client;
  const workers = await runWorkers({
    config,
    address: config.TEMPORAL_ADDRESS!,
    logger,
    activities: createActivities(activityDeps.deps),
  });
  if (config.WORKER_TIERS.includes('low')) {
    // The workers of the low tier own the monitoring and retention schedules: create them (idempotently) at start.
    await ensureMonitoringSchedule(client, config, { logger });
    await ensureRetentionSchedule(client, config, { logger });
  }
  if (config.WORKER_TIERS.includes('critical')) {
    // Billing runs on the critical tier: its workers own the Stars reconciliation schedule.
    await ensureStarsReconcileSchedule(client, config, { logger });
  }
  const { pool, redis } = activityDeps.deps;
  initUncertainDeliveries();
  // Measured on each scrape, for deploy/prometheus/alerts.yml (src/ops/probes.ts).
  registerProbes({
    registry: register,
    dependencies: {
      postgres: () => pool.query(sql.unsafe`SELECT 1`),
      redis: () => redis.ping(),
      temporal: () => client.workflowService.getSystemInfo({}),
    },
    taskQueues: { client, config },
  });
  const ops = await startOpsServer({
    port: config.WORKER_HTTP_PORT,
    host: config.OPS_HOST,
    logger,
    checks: {
      database: () => pool.query(sql.unsafe`SELECT 1`),
      redis: () => redis.ping(),
      workers: async () => {
        const stopped = [...workers.workers]
          .filter(([, w]) => w.getState() !== 'RUNNING')
          .map(([tier]) => tier);
        if (stopped.length) throw new Error(`workers not running: ${stopped.join(', ')}`);
      },
    },
  });
  onShutdown(logger, async () => {
    await ops.close();
    await workers.shutdown();
    await activityDeps.close();
    await client.connection.close();
  });
  await workers.done;
}

main().catch((err) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
