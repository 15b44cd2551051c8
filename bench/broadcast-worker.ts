import { NativeConnection, Worker } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createBroadcastActivities } from '../src/broadcast';
import { loadConfig } from '../src/config';
import { createDatabasePool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { HEARTBEAT_FLUSH_OPTIONS } from '../src/temporal/worker';

/**
 * A broadcast activity worker in its own process (LOW queue, no workflows), forked by bench/broadcast.ts so the
 * benchmark can SIGKILL it mid-send. Everything comes from the environment.
 */
async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig(env);
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn', pretty: false });
  installTemporalRuntime(logger);
  const pool = await createDatabasePool(env.DATABASE_URL!, { maximumPoolSize: 10 });
  const redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 2 });
  const activities = createBroadcastActivities(
    { config, logger, pool, redis },
    { pacerKey: env.BROADCAST_PACER_KEY, metricsRegistry: null },
  );
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE_LOW,
    activities,
    ...HEARTBEAT_FLUSH_OPTIONS,
  });
  process.send?.({ type: 'ready' });
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
