/**
 * Starting the bot in either mode — long polling through grammY runner, or a webhook with Telegram's
 * `secret_token` checked — with its HTTP server (/healthz, /metrics, webhook) on BOT_HTTP_PORT.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import { createFaceitWebhookHandler } from '../monitoring';
import { createRequestReconciler } from '../analysis';
import { createTimerReconciler } from '../billing';
import { publishCommands } from './commands';
import { createBot, type BotApp } from './create-bot';
import type { BotDeps } from './deps';
import { createHealthCheck } from './health';
import { startBotHttpServer } from './http';
import { registerProbes } from '../ops/probes';
import { initUncertainDeliveries } from '../telegram/send-claims';
import { sql } from 'slonik';
import { createDirectWebhookHandler, redisUpdateDedupe } from './webhook';

export const BOT_TOKEN_HELP =
  'BOT_TOKEN is not set, so the Telegram bot is off (everything else runs). To get a token: open ' +
  'https://t.me/BotFather in Telegram, send /newbot, pick a name and a username ending in "bot", and copy the ' +
  'token it answers with into .env as BOT_TOKEN=123456:ABC...; then restart.';

export interface RunningBot {
  app: BotApp;
  username: string;
  /** The port /healthz, /metrics (and the webhook) listen on. */
  httpPort: number;
  stop(): Promise<void>;
}

function webhookSettings(deps: BotDeps): { url: string; path: string; secret: string } | undefined {
  const { config } = deps;
  if (config.BOT_MODE !== 'webhook') return undefined;
  if (!config.BOT_WEBHOOK_URL)
    throw new Error('BOT_MODE=webhook needs BOT_WEBHOOK_URL (the public HTTPS address)');
  if (!config.BOT_WEBHOOK_SECRET) {
    throw new Error(
      'BOT_MODE=webhook needs BOT_WEBHOOK_SECRET: Telegram sends it back so forged updates are refused',
    );
  }
  return {
    url: config.BOT_WEBHOOK_URL,
    path: new URL(config.BOT_WEBHOOK_URL).pathname,
    secret: config.BOT_WEBHOOK_SECRET,
  };
}

export async function startBot(deps: BotDeps): Promise<RunningBot> {
  const { config, logger } = deps;
  const webhook = webhookSettings(deps);
  const app = createBot(deps);
  const { bot } = app;
  await bot.init();
  await publishCommands(bot.api).catch((err: unknown) =>
    logger.warn({ err }, 'could not publish the command list'),
  );

  initUncertainDeliveries();
  // Measured on each scrape, for deploy/prometheus/alerts.yml (src/ops/probes.ts).
  registerProbes({
    registry: app.metrics.registry,
    dependencies: {
      postgres: () => deps.pool.query(sql.unsafe`SELECT 1`),
      redis: () => deps.redis.ping(),
      temporal: () => deps.client.workflowService.getSystemInfo({}),
    },
    taskQueues: { client: deps.client, config },
  });
  const http = await startBotHttpServer({
    port: config.BOT_HTTP_PORT,
    logger,
    registry: app.metrics.registry,
    health: createHealthCheck(deps),
    webhook: webhook && {
      path: webhook.path,
      handle: createDirectWebhookHandler(bot, {
        secret: webhook.secret,
        logger,
        // One handling per update across the replicas behind the proxy.
        dedupe: redisUpdateDedupe(deps.redis, logger, `bot:update:${bot.botInfo.id}:`),
      }),
    },
    // FACEIT's match webhooks (monitoring) arrive on the same public port.
    routes: [createFaceitWebhookHandler({ config, logger, pool: deps.pool, temporal: deps.client })],
  });

  // Accepted analysis requests whose workflow never learnt of them are failed, refunded and explained.
  const reconciler =
    deps.reconcile === false
      ? undefined
      : createRequestReconciler(
          {
            pool: deps.pool,
            client: deps.client,
            api: bot.api,
            logger,
            rpcTimeoutMs: config.TEMPORAL_RPC_TIMEOUT_MS,
          },
          deps.reconcile,
        );
  reconciler?.start();
  // Committed plan changes whose signal to the subscription workflow failed: signalled again.
  const timerReconciler =
    deps.timerReconcile === false
      ? undefined
      : createTimerReconciler(deps, { ...deps.timerReconcile, registry: app.metrics.registry });
  timerReconciler?.start();

  let runner: RunnerHandle | undefined;
  if (webhook) {
    await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret });
  } else {
    await bot.api.deleteWebhook();
    runner = run(bot);
  }
  const username = bot.botInfo.username;
  logger.info({ username, mode: config.BOT_MODE, httpPort: http.port }, `bot @${username} is running`);

  return {
    app,
    username,
    httpPort: http.port,
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      await reconciler?.stop();
      await timerReconciler?.stop();
      await app.tracker.stop();
      await http.close();
    },
  };
}
