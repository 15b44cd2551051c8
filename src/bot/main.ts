/** Production bot process (`node dist/bot/main.js` in docker-compose): polling or webhook, /healthz, /metrics. */
import { exitOnStartupRefusals, loadConfigOrExit } from '../config';
import { createDatabasePool } from '../db/pool';
import { createRedis } from '../db/redis';
import { logger } from '../logger';
import { onShutdown } from '../shutdown';
import { createTemporalClient } from '../temporal/client';
import { createBotDeps } from './deps';
import { BOT_TOKEN_HELP, startBot } from './run';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.BOT_TOKEN) {
    logger.fatal(BOT_TOKEN_HELP);
    process.exit(78);
  }
  // The invoice secret, the servers and webhook mode's settings: one rule set, as the workers' (src/config.ts).
  exitOnStartupRefusals(config, 'the production bot', (problem) => logger.fatal(problem));
  const pool = await createDatabasePool(config.DATABASE_URL!, { maximumPoolSize: config.DATABASE_POOL_SIZE });
  const redis = createRedis(config, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));
  const client = await createTemporalClient({
    ...config,
    address: config.TEMPORAL_ADDRESS!,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const bot = await startBot(createBotDeps({ config, logger, client, pool, redis }));
  onShutdown(logger, async () => {
    await bot.stop();
    redis.disconnect();
    await pool.end();
    await client.connection.close();
  });
}

main().catch((err) => {
  logger.fatal({ err }, 'bot failed');
  process.exit(1);
});
