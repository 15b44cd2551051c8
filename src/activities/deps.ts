import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createDatabasePool } from '../db/pool';
import { createFaceitClient } from '../faceit';
import { createTelegramApi } from '../telegram/api';
import type { ActivityDeps } from '.';

/** Builds the activity dependencies of one worker process, and a way to close them on shutdown. */
export async function createActivityDeps(
  config: Config,
  logger: Logger,
  urls: { databaseUrl: string; redisUrl: string },
): Promise<{ deps: ActivityDeps; close(): Promise<void> }> {
  const pool = await createDatabasePool(urls.databaseUrl, { maximumPoolSize: config.DATABASE_POOL_SIZE });
  const redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));
  const faceit = createFaceitClient({ config, redis, logger });
  const telegram = config.BOT_TOKEN ? createTelegramApi(config) : undefined;
  return {
    deps: { config, logger, pool, redis, faceit, telegram },
    async close() {
      await faceit.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
