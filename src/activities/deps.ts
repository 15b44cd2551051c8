import type { Logger } from 'pino';
import type { Config } from '../config';
import { createDatabasePool } from '../db/pool';
import { createRedis } from '../db/redis';
import { createFaceitClient } from '../faceit';
import { createTelegramApi } from '../telegram/api';
import { createSendBudget, spendFrom, type SendClass } from '../telegram/send-budget';
import type { ActivityDeps } from '.';

/** Builds the activity dependencies of one worker process, and a way to close them on shutdown. */
export async function createActivityDeps(
  config: Config,
  logger: Logger,
  urls: {
    databaseUrl: string;
    /** Default: the configuration's (REDIS_URL or REDIS_SENTINELS). */ redisUrl?: string;
  },
): Promise<{ deps: ActivityDeps; close(): Promise<void> }> {
  const pool = await createDatabasePool(urls.databaseUrl, { maximumPoolSize: config.DATABASE_POOL_SIZE });
  const redis = createRedis(config, { maxRetriesPerRequest: 2 }, urls.redisUrl ?? config.REDIS_URL);
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));
  const faceit = createFaceitClient({ config, redis, logger });
  // One Bot API client per send class, all spending the bot's one budget (reports first, broadcasts last).
  const token = config.BOT_TOKEN;
  const budget = token
    ? createSendBudget({ redis, botToken: token, perSecond: config.TELEGRAM_SENDS_PER_SECOND, logger })
    : undefined;
  const api = (cls: SendClass) => (budget ? spendFrom(createTelegramApi(config), budget, cls) : undefined);
  return {
    deps: {
      config,
      logger,
      pool,
      redis,
      faceit,
      telegram: api('reply'),
      telegramNotices: api('notice'),
      // Broadcasts take their budget slot before claiming a recipient (src/broadcast/activities.ts), not in the client.
      telegramBulk: budget ? createTelegramApi(config) : undefined,
      sendBudget: budget,
    },
    async close() {
      await faceit.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
