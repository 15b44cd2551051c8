/**
 * The bot: grammY with one Composer per feature, built from its dependencies so tests drive the real thing against
 * the Telegram emulator. Middleware order matters: metrics → i18n → flood limit → user (DB, language) → features
 * (commands and buttons before the free-text handlers) → fallback; `bot.catch` is the error boundary.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { budgetTransformer, createSendBudget, spendFrom } from '../telegram/send-budget';
import { sequentialize } from '@grammyjs/runner';
import { Api, Bot, type MiddlewareFn } from 'grammy';
import { i18n } from '../i18n';
import { createAccountComposer, createNicknameAfterStartComposer } from '../account';
import { createAnalysisComposer, ProgressTracker } from '../analysis';
import { createMonitoringComposer } from '../monitoring';
import { createPredictionsComposer } from '../predictions';
import { createStatsComposer } from '../stats';
import { createAdminComposer, type AdminBilling } from '../admin';
import { createBroadcastComposer } from '../broadcast';
import { createBriefsComposer } from '../briefs';
import { createInlineComposer } from '../inline';
import type { BotContext } from '../bot-kit/context';
import type { BotDeps } from './deps';
import {
  createBillingComposer,
  createBillingPaymentsComposer,
  describeSubscription,
  grantPlan,
  refundPayment,
  revokePlan,
} from '../billing';
import { fallbackFeature } from './features/fallback';
import { helpFeature } from './features/help';
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

/** Updates that never wait behind the same user's earlier ones (see the sequentialize constraint below). */
function unqueued(ctx: BotContext): boolean {
  return !!(ctx.inlineQuery || ctx.preCheckoutQuery || ctx.message?.successful_payment);
}

export function createBot(deps: BotDeps): BotApp {
  const { config } = deps;
  if (!config.BOT_TOKEN) throw new Error('BOT_TOKEN is not set');
  const bot = new Bot<BotContext>(config.BOT_TOKEN, { client: { apiRoot: config.TELEGRAM_API_ROOT } });
  // Telegram's 429s (and its rare 5xx) are waited out as `retry_after` says instead of failing the reply: an error
  // answer means nothing was sent. A network error is not retried blindly: the message may have arrived.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowHttpErrors: true }));
  // Replies spend the bot's one send budget (shared with the other replicas and the workers) at the top class.
  const budget = createSendBudget({
    redis: deps.redis,
    botToken: config.BOT_TOKEN,
    perSecond: config.TELEGRAM_SENDS_PER_SECOND,
    logger: deps.logger,
  });
  bot.api.config.use(budgetTransformer(budget, 'reply'));
  const metrics = createBotMetrics();
  // Progress edits are best effort and never retried: a frame retried after a 429/5xx could land after the worker's
  // report edit and turn the report back into a progress bar.
  const tracker = new ProgressTracker(
    deps,
    spendFrom(new Api(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT }), budget, 'notice'),
  );

  // One update at a time per user (the runner is concurrent otherwise): "/start" then a nickname stay in order,
  // while a slow request of one group member never holds up the others.
  // Inline queries are exempt: one per keystroke, each is answered (or dropped as superseded) on its own.
  // Payment updates are exempt too: a pre-checkout query must be answered within Telegram's 10 s even while the
  // same user's /profile or /link is still waiting for FACEIT, and a paid charge is recorded at once.
  bot.use(
    sequentialize((ctx) =>
      unqueued(ctx) ? undefined : (ctx.from?.id.toString() ?? ctx.chat?.id.toString()),
    ),
  );
  bot.use(measure(metrics));
  bot.use(i18n.middleware());
  // The flood limit first: a flood never reaches the database.
  // Payments before the flood limit: a pre-checkout query has 10 s to be answered and a paid charge is never dropped.
  bot.use(createBillingPaymentsComposer(deps));
  // Inline mode (src/inline) has its own per-user FACEIT budget and debounce: a keystroke is not a flood.
  bot.use(createInlineComposer(deps));
  bot.use(floodLimit(deps, metrics));
  bot.use(userMiddleware(deps));
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
    // /start, language, /link, /unlink, /settings (src/account).
    createAccountComposer(deps),
    // /profile, /matches, /last, /form, /compare (src/stats).
    createStatsComposer(deps),
    // /analyze, pasted room links, the Cancel button (src/analysis).
    createAnalysisComposer(deps, tracker),
    // /accuracy, /elo and the profile's ELO chart button (src/predictions).
    createPredictionsComposer(deps),
    // /subscribe, /subscription, /referral and the plan buttons (src/billing).
    createBillingComposer(deps),
    helpFeature(deps),
    // /track, /untrack, /tracked and group membership updates (src/monitoring).
    createMonitoringComposer<BotContext>({
      config,
      logger: deps.logger,
      pool: deps.pool,
      temporal: deps.client,
      redis: deps.redis,
    }),
    // /brief on|off and the auto-brief buttons (src/briefs).
    createBriefsComposer<BotContext>({
      pool: deps.pool,
      logger: deps.logger,
      webhooks: Boolean(config.FACEIT_WEBHOOK_SECRET),
    }),
    createNicknameAfterStartComposer(deps),
    fallbackFeature(),
  );
  bot.catch(errorBoundary(deps.logger, metrics));
  return { bot, metrics, tracker };
}

/** Plan changes and refunds for the admin tools go through the billing slice (its timers, ledger and workflows). */
function adminBilling(deps: BotDeps): AdminBilling {
  return {
    async grant(input) {
      const result = await grantPlan(deps, { ...input, source: 'admin' });
      if (!result.ok)
        throw new Error(result.reason === 'unknown-user' ? 'unknown user' : 'invalid number of days');
      return { plan: result.plan, expiresAt: result.expiresAt };
    },
    async revoke(input) {
      await revokePlan(deps, input);
    },
    async refund(input) {
      const outcome = await refundPayment(deps, input);
      if (outcome.status !== 'refunded') throw new Error(outcome.status);
    },
    describe: (telegramId) => describeSubscription(deps, telegramId),
  };
}
