/**
 * The bot: grammY with one Composer per feature, built from its dependencies so tests drive the real thing against
 * the Telegram emulator. Middleware order matters: metrics → i18n → user (DB, language) → flood limit → features
 * (commands and buttons before the free-text handlers) → fallback; `bot.catch` is the error boundary.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type MiddlewareFn } from 'grammy';
import { i18n } from '../i18n';
import { createMonitoringComposer } from '../monitoring/composer';
import { createAdminComposer, type AdminBilling } from '../admin';
import { createBroadcastComposer } from '../broadcast';
import { ProgressTracker } from '../analysis/progress';
import type { BotContext } from './context';
import type { BotDeps } from './deps';
import { analyzeFeature } from '../analysis/composer';
import { fallbackFeature } from './features/fallback';
import { helpFeature } from './features/help';
import { linkFeature, nicknameAfterStart } from '../account/link';
import { settingsFeature } from '../account/settings';
import { startFeature } from '../account/start';
import { statsFeature } from '../stats/composer';
import { createBotMetrics, type BotMetrics } from './metrics';
import { errorBoundary } from './middleware/errors';
import { floodLimit } from './middleware/flood';
import { userMiddleware } from './middleware/user';

export interface BotApp {
  bot: Bot<BotContext>;
  metrics: BotMetrics;
  /** Live progress of running analyses; stopped with the bot. */
  tracker: ProgressTracker;
}

function measure(metrics: BotMetrics): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const type = Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
    metrics.updates.inc({ type });
    const end = metrics.updateSeconds.startTimer({ type });
    try {
      await next();
    } finally {
      end();
    }
  };
}

export function createBot(deps: BotDeps): BotApp {
  const { config } = deps;
  if (!config.BOT_TOKEN) throw new Error('BOT_TOKEN is not set');
  const bot = new Bot<BotContext>(config.BOT_TOKEN, { client: { apiRoot: config.TELEGRAM_API_ROOT } });
  // Telegram's 429s (and its rare 5xx) are waited out as `retry_after` says instead of failing the reply.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
  const metrics = createBotMetrics();
  const tracker = new ProgressTracker(deps, bot.api);

  // One update at a time per user (the runner is concurrent otherwise): "/start" then a nickname stay in order,
  // while a slow request of one group member never holds up the others.
  bot.use(sequentialize((ctx) => ctx.from?.id.toString() ?? ctx.chat?.id.toString()));
  bot.use(measure(metrics));
  bot.use(i18n.middleware());
  bot.use(userMiddleware(deps));
  bot.use(floodLimit(deps, metrics));
  // Admin tools first: to anyone but an admin they answer like an unknown command (and are audited).
  bot.use(
    createAdminComposer({
      config,
      logger: deps.logger,
      pool: deps.pool,
      redis: deps.redis,
      client: deps.client,
      billing: adminBilling(deps),
      faceitKeyPrefix: deps.faceitKeyPrefix,
    }),
    createBroadcastComposer({ config, logger: deps.logger, pool: deps.pool, client: deps.client }),
  );
  bot.use(
    startFeature(deps),
    linkFeature(deps),
    statsFeature(deps),
    analyzeFeature(deps, tracker),
    settingsFeature(deps),
    helpFeature(deps),
    // /track, /untrack, /tracked and group membership updates (src/monitoring).
    createMonitoringComposer<BotContext>({
      config,
      logger: deps.logger,
      pool: deps.pool,
      temporal: deps.client,
    }),
    nicknameAfterStart(deps),
    fallbackFeature(),
  );
  bot.catch(errorBoundary(deps.logger, metrics));
  return { bot, metrics, tracker };
}

/** Plan changes and refunds for the admin tools, through the billing slice. */
function adminBilling(deps: BotDeps): AdminBilling {
  const unavailable = async (): Promise<never> => {
    throw new Error('the billing slice is not connected yet');
  };
  return {
    grant: unavailable,
    revoke: unavailable,
    refund: unavailable,
    describe: (telegramId) =>
      deps.repos.subscriptions.effective(telegramId).then((s) => ({ plan: s.tier, expiresAt: s.expiresAt })),
  };
}
