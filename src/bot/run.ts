/**
 * Starting the bot in either mode — long polling through grammY runner, or a webhook with Telegram's
 * `secret_token` checked whose updates go through the durable queue (src/bot/update-queue.ts) — with its HTTP
 * server (webhooks) on BOT_HTTP_PORT and the ops endpoints (/livez, /healthz, /metrics) there or on BOT_OPS_PORT.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import { createFaceitWebhookHandler } from '../monitoring';
import { createRequestReconciler } from '../analysis';
import { createTimerReconciler } from '../billing';
import { publishCommands } from './commands';
import { createBot, type BotApp } from './create-bot';
import type { BotDeps } from './deps';
import { createHealthCheck } from './health';
import { startBotHttpServer, startBotOpsServer, type BotHttpServer } from './http';
import { webhookRefusals } from '../config';
import { createUpdateQueue, type UpdateQueue } from './update-queue';
import { createQueuedWebhookHandler } from './webhook';
import { registerProbes } from '../ops/probes';
import { initUncertainDeliveries } from '../telegram/send-claims';
import { sql } from 'slonik';

export const BOT_TOKEN_HELP =
  'BOT_TOKEN is not set, so the Telegram bot is off (everything else runs). To get a token: open ' +
  'https://t.me/BotFather in Telegram, send /newbot, pick a name and a username ending in "bot", and copy the ' +
  'token it answers with into .env as BOT_TOKEN=123456:ABC...; then restart.';

export interface RunningBot {
  app: BotApp;
  username: string;
  /** The public port: the webhooks (and the ops endpoints when they have no port of their own). */
  httpPort: number;
  /** The port /livez, /healthz and /metrics listen on (BOT_OPS_PORT, or httpPort). */
  opsPort: number;
  /** Webhook mode's durable update queue. */
  updates?: UpdateQueue;
  stop(): Promise<void>;
}

function webhookSettings(deps: BotDeps): { url: string; path: string; secret: string } | undefined {
  const { config } = deps;
  if (config.BOT_MODE !== 'webhook') return undefined;
  const refusals = webhookRefusals(config);
  if (refusals.length || !config.BOT_WEBHOOK_URL || !config.BOT_WEBHOOK_SECRET)
    throw new Error(refusals.join('; '));
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
  const ops = { registry: app.metrics.registry, health: createHealthCheck(deps) };
  const updates =
    webhook &&
    createUpdateQueue({
      bot,
      pool: deps.pool,
      logger,
      registry: app.metrics.registry,
      leaseMs: config.BOT_UPDATE_LEASE_MS,
      sweepMs: config.BOT_UPDATE_SWEEP_MS,
      concurrency: config.BOT_UPDATE_CONCURRENCY,
      retentionHours: config.BOT_UPDATE_RETENTION_HOURS,
    });
  const separateOps = config.BOT_OPS_PORT !== undefined;
  const http = await startBotHttpServer({
    port: config.BOT_HTTP_PORT,
    host: config.BOT_HTTP_HOST,
    logger,
    ops: separateOps ? undefined : ops,
    webhook: updates && {
      path: webhook.path,
      handle: createQueuedWebhookHandler(updates, { secret: webhook.secret }),
    },
    // FACEIT's match webhooks (monitoring) arrive on the same public port.
    routes: [createFaceitWebhookHandler({ config, logger, pool: deps.pool, temporal: deps.client })],
  });
  let opsServer: BotHttpServer | undefined;
  if (separateOps) {
    opsServer = await startBotOpsServer({
      port: config.BOT_OPS_PORT!,
      host: config.OPS_HOST,
      logger,
      ops,
    }).catch(async (err: unknown) => {
      await http.close();
      throw err;
    });
  }

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
    // What an earlier replica accepted and did not finish is taken over from the first sweep on.
    updates?.start();
    await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret });
  } else {
    await bot.api.deleteWebhook();
    runner = run(bot);
  }
  const username = bot.botInfo.username;
  const opsPort = opsServer?.port ?? http.port;
  logger.info(
    { username, mode: config.BOT_MODE, httpPort: http.port, opsPort },
    `bot @${username} is running`,
  );

  return {
    app,
    username,
    httpPort: http.port,
    opsPort,
    updates: updates || undefined,
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      // No new update is accepted, then the running ones finish (or are released to another replica).
      await http.close();
      await updates?.stop();
      await reconciler?.stop();
      await timerReconciler?.stop();
      await app.tracker.stop();
      await opsServer?.close();
    },
  };
}
