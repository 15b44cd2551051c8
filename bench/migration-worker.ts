import { loadConfig } from '../src/config';
import { createDatabasePool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { createMigrationActivities } from '../src/migration/activities';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { runWorkers } from '../src/temporal/worker';

/**
 * The benchmark's worker process: only the low tier, with the migration activities, on the workflow bundle the
 * parent made (so bundling does not count towards this process's memory). Tells the parent when it polls.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, WORKER_TIERS: 'low' });
  const logger = createLogger({ pretty: false, level: process.env.LOG_LEVEL ?? 'warn' });
  installTemporalRuntime(logger);
  const pool = await createDatabasePool(config.DATABASE_URL!, { maximumPoolSize: 4 });
  const workers = await runWorkers({
    config,
    address: config.TEMPORAL_ADDRESS!,
    logger,
    activities: createMigrationActivities({ pool, logger }),
    bundle: { codePath: process.env.BENCH_WORKFLOW_BUNDLE! },
  });
  process.send?.('ready');
  process.on('message', (message) => {
    if (message === 'stop')
      void workers
        .shutdown()
        .then(() => pool.end())
        .then(() => process.exit(0));
  });
  await workers.done;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
