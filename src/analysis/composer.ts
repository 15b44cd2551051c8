/**
 * /analyze <room URL | match id>, or a pasted room link: quota, progress message with a Cancel button, the lobby
 * workflow (shared by everyone asking about the same match), and live progress until the workflow delivers.
 */
import { Composer } from 'grammy';
import { isTemporalUnavailable, withDeadline } from '../temporal/deadline';
import { createAnalysisRepository } from './repository';
import { replyFirstProgress } from './first-reply';
import { createLostCopyComposer } from './lost-copy';
import { type ProgressTracker, progressText } from './progress';
import { dailyQuota, quotaDay } from '../billing';
import type { BotContext } from '../bot-kit/context';
import type { AnalysisComposerDeps } from './port';
import { menuLabels } from '../bot-kit/keyboards';
import { BUSY_CHOICE, CANCEL_ANALYSIS, busyKeyboard, cancelKeyboard } from './keyboards';
import { queueDepthNow, waitOfDefaultTier } from './busy';
import { ANALYZE_DEEP_LINK, containsRoomLink } from '../bot-kit/parse';
import { HTML, replyHtml } from '../bot-kit/reply';
import { PLAN_NAMES, upgradeKeyboard, type Plan } from '../billing';

/** Ten players; the bar starts empty until the workflow reports the real roster size. */
const LOBBY_SIZE = 10;
/** How long the bot waits to learn whether an analysis whose join went unanswered is running. */
const CONFIRM_DEADLINE_MS = 3_000;

export function createAnalysisComposer(
  deps: AnalysisComposerDeps,
  tracker: ProgressTracker,
): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const requests = createAnalysisRepository(deps.pool);
  c.use(createLostCopyComposer(deps)); // before Cancel: a press on a lost copy of a progress message

  /**
   * Busy, not charged: a FREE request that would wait more than ANALYSIS_BUSY_WAIT_S behind the FACEIT queue is told
   * so with the estimate, before its daily unit is taken, and chooses (buttons). True when the user was asked.
   */
  async function offeredToWait(
    ctx: BotContext,
    a: { matchId: string; telegramId: number; day: string; limit: number },
  ): Promise<boolean> {
    const threshold = deps.config.ANALYSIS_BUSY_WAIT_S;
    if (threshold <= 0) return false;
    const depth = await queueDepthNow(deps.redis, deps.faceitKeyPrefix);
    if (!depth) return false;
    const wait = waitOfDefaultTier(depth, deps.config.FACEIT_RATE_LIMIT_PER_SECOND);
    if (wait.seconds <= threshold) return false;
    // Over quota: the quota message says more than "busy" would.
    if ((await deps.repos.usage.used(a.telegramId, a.day)) >= a.limit) return false;
    deps.logger.info(
      { matchId: a.matchId, telegramId: a.telegramId, ahead: wait.ahead, waitS: wait.seconds },
      'FACEIT busy: FREE request asked before its unit is taken',
    );
    await replyHtml(
      ctx,
      ctx.t('analysis-busy', { minutes: String(Math.ceil(wait.seconds / 60)), ahead: String(wait.ahead) }),
      { reply_markup: busyKeyboard(ctx.locale, a.matchId, a.telegramId) },
    );
    return true;
  }

  async function analyze(
    ctx: BotContext,
    text: string,
    options: { waitChosen?: boolean } = {},
  ): Promise<void> {
    const matchId = deps.analysis.parseMatchReference(text);
    if (!matchId) return void (await replyHtml(ctx, ctx.t('bot-analyze-bad-reference')));
    const chatId = ctx.chat!.id;
    const telegramId = ctx.user.telegram_id;
    const { tier } = await deps.repos.subscriptions.effective(telegramId);
    const limit = dailyQuota(deps.config, tier);
    const day = quotaDay(deps.config);
    if (
      tier === 'free' &&
      !options.waitChosen &&
      (await offeredToWait(ctx, { matchId, telegramId, day, limit }))
    )
      return;
    // Accepted durably before anything starts (unit + `pending` row in one transaction): whatever dies later, the
    // reconciler (./reconcile.ts) finds the row. A joined analysis costs the requester a unit too.
    const accepted = await requests.acceptRequest({
      matchId,
      telegramId,
      chatId,
      tier,
      usageDay: day,
      limit,
    });
    if (!accepted.allowed) {
      const vars = { used: accepted.used, limit, tier: PLAN_NAMES[tier] };
      return void (await replyHtml(ctx, ctx.t('bot-quota-exceeded', vars), {
        reply_markup: upgradeKeyboard(ctx.locale),
      }));
    }
    const quotaLine = ctx.t('bot-quota-line', { used: accepted.used, limit, tier: PLAN_NAMES[tier] });
    // A resent progress message says it is the live one: the first copy may be on screen, frozen (./first-reply.ts).
    const footerOf = (resent: boolean) =>
      resent ? `${quotaLine}\n${ctx.t('reliability-progress-resent')}` : quotaLine;
    const reply = await replyFirstProgress(
      (resent) =>
        replyHtml(ctx, progressText(0, LOBBY_SIZE, ctx.locale, footerOf(resent)), {
          reply_markup: cancelKeyboard(ctx.locale, matchId, telegramId),
        }),
      deps.logger.child({ matchId, telegramId }),
    );
    if (reply.status !== 'sent') {
      await requests.failPending(accepted.requestId);
      if (reply.status === 'refused') throw reply.error;
      // Nothing started and the unit is back: say so (best effort, Telegram has just lost two answers).
      await replyHtml(ctx, ctx.t('reliability-progress-unconfirmed')).catch((err: unknown) => {
        deps.logger.warn({ err, matchId, telegramId }, 'could not tell the user the request was refused');
      });
      return;
    }
    const messageId = reply.message.message_id;
    const footer = footerOf(reply.resent);
    const text0 = progressText(0, LOBBY_SIZE, ctx.locale, footer);
    await requests.attachProgressMessage(accepted.requestId, messageId);
    const account = await deps.repos.faceitAccounts.get(telegramId);
    try {
      const { joined } = await withDeadline(deps.client, deps.config.TEMPORAL_RPC_TIMEOUT_MS, () =>
        deps.analysis.requestAnalysis(deps.client, deps.config, matchId, {
          telegramId,
          chatId,
          progressMessageId: messageId,
          locale: ctx.locale,
          tier,
          faceitPlayerId: account?.faceit_player_id ?? null,
          usageDay: day,
        }),
      );
      deps.logger.info({ matchId, telegramId, joined, tier }, 'analysis requested');
    } catch (err) {
      if (isTemporalUnavailable(err)) {
        await unanswered(ctx, { matchId, telegramId, chatId, messageId, footer, plan: tier });
        return;
      }
      deps.logger.error({ err, matchId, telegramId }, 'analysis could not be started');
      await requests.failPending(accepted.requestId);
      await ctx.api.editMessageText(chatId, messageId, ctx.t('bot-analyze-failed'), { parse_mode: 'HTML' });
      return;
    }
    tracker.follow({
      matchId,
      requesterId: telegramId,
      chatId,
      messageId,
      locale: ctx.locale,
      footer,
      text: text0,
      plan: tier,
    });
  }

  /**
   * The join update went unanswered before the deadline (no worker, or no server). Nothing is charged twice and
   * nothing is lost: the `pending` row and its unit wait for the workflow or the reconciler. If the match's workflow
   * is running, the start is confirmed (the request is in its start input, or an update the server hands the next
   * worker): the message says "queued" and is followed like any other. Otherwise it says the request is saved.
   */
  async function unanswered(
    ctx: BotContext,
    a: { matchId: string; telegramId: number; chatId: number; messageId: number; footer: string; plan: Plan },
  ): Promise<void> {
    const running = await withDeadline(deps.client, CONFIRM_DEADLINE_MS, () =>
      deps.analysis.isAnalysisRunning(deps.client, a.matchId),
    ).catch(() => false);
    deps.logger.warn(
      { matchId: a.matchId, telegramId: a.telegramId, running },
      running
        ? 'analysis queued: no worker answered yet'
        : 'analysis start unconfirmed; left to reconciliation',
    );
    if (!running) {
      await ctx.api
        .editMessageText(a.chatId, a.messageId, ctx.t('reliability-analysis-start-unconfirmed'), {
          parse_mode: 'HTML',
        })
        .catch(() => undefined);
      return;
    }
    const text = `${progressText(0, LOBBY_SIZE, ctx.locale, a.footer)}\n${ctx.t('analysis-queued-line')}`;
    await ctx.api
      .editMessageText(a.chatId, a.messageId, text, {
        parse_mode: 'HTML',
        reply_markup: cancelKeyboard(ctx.locale, a.matchId, a.telegramId),
      })
      .catch(() => undefined);
    tracker.follow({
      matchId: a.matchId,
      requesterId: a.telegramId,
      chatId: a.chatId,
      messageId: a.messageId,
      locale: ctx.locale,
      footer: a.footer,
      text,
      plan: a.plan,
    });
  }

  // `/start an_<matchId>` from inline mode's button: the same as sending the room link.
  c.command('start', async (ctx, next) => {
    const payload = ctx.match.trim();
    if (!payload.startsWith(ANALYZE_DEEP_LINK)) return next();
    await analyze(ctx, payload.slice(ANALYZE_DEEP_LINK.length));
  });

  c.command('analyze', async (ctx) => {
    if (!ctx.match.trim()) return void (await replyHtml(ctx, ctx.t('bot-analyze-usage')));
    await analyze(ctx, ctx.match);
  });

  const inPrivate = c.chatType('private');
  inPrivate.hears(menuLabels('analyze'), (ctx) => replyHtml(ctx, ctx.t('bot-analyze-usage')));
  inPrivate
    .on('message:text')
    .filter((ctx) => !ctx.message.text.startsWith('/') && containsRoomLink(ctx.message.text))
    .use((ctx) => analyze(ctx, ctx.message.text));

  // The answer to "FACEIT is busy": wait in line (the request goes ahead and takes its unit now) or not now (nothing).
  c.callbackQuery(BUSY_CHOICE.filter, async (ctx) => {
    const { choice, matchId, requesterId: owner } = BUSY_CHOICE.read(ctx.match);
    const message = ctx.callbackQuery.message;
    if (!message) return void (await ctx.answerCallbackQuery());
    if (owner !== ctx.from.id) {
      return void (await ctx.answerCallbackQuery({
        text: ctx.t('analysis-busy-not-yours'),
        show_alert: true,
      }));
    }
    await ctx.answerCallbackQuery();
    // The buttons go first (the edit drops the keyboard), so a second press finds nothing to choose.
    const edited = await ctx
      .editMessageText(ctx.t(choice === 'w' ? 'analysis-busy-waiting' : 'analysis-busy-declined'), HTML)
      .then(
        () => true,
        (err: unknown) => {
          deps.logger.info({ err, matchId }, 'busy notice already answered');
          return false;
        },
      );
    deps.logger.info(
      { matchId, telegramId: ctx.from.id, wait: choice === 'w' },
      'FACEIT busy: FREE user chose',
    );
    if (edited && choice === 'w') await analyze(ctx, matchId, { waitChosen: true });
  });

  c.callbackQuery(CANCEL_ANALYSIS.filter, async (ctx) => {
    const { matchId, requesterId: owner } = CANCEL_ANALYSIS.read(ctx.match);
    const message = ctx.callbackQuery.message;
    if (!message) return void (await ctx.answerCallbackQuery());
    if (owner !== ctx.from.id) {
      return void (await ctx.answerCallbackQuery({
        text: ctx.t('bot-analyze-cancel-not-yours'),
        show_alert: true,
      }));
    }
    const ref = { telegramId: ctx.from.id, chatId: message.chat.id, progressMessageId: message.message_id };
    try {
      // The workflow's own record decides (the button's data can be forged): one update, answered truthfully.
      const answer = await withDeadline(deps.client, deps.config.TEMPORAL_RPC_TIMEOUT_MS, () =>
        deps.analysis.cancelAnalysis(deps.client, matchId, ref),
      );
      if (answer.status === 'cancelled' || answer.reason === 'already-cancelled') {
        tracker.forget(ref.chatId, ref.progressMessageId);
        deps.logger.info(
          {
            matchId,
            telegramId: ctx.from.id,
            stopped: answer.status === 'cancelled' && answer.analysisStopped,
          },
          'analysis cancelled by the requester',
        );
        return void (await ctx.answerCallbackQuery({ text: ctx.t('bot-analyze-cancelled') }));
      }
      deps.logger.info(
        { matchId, telegramId: ctx.from.id, reason: answer.reason },
        'analysis cancel refused',
      );
      // Someone else's progress message keeps updating.
      if (answer.reason === 'not-yours') {
        return void (await ctx.answerCallbackQuery({
          text: ctx.t('bot-analyze-cancel-not-yours'),
          show_alert: true,
        }));
      }
      const text = ctx.t(
        answer.reason === 'too-late' ? 'bot-analyze-cancel-too-late' : 'analysis-cancel-unknown',
      );
      await ctx.answerCallbackQuery({ text });
    } catch (err) {
      if (!isTemporalUnavailable(err)) throw err;
      deps.logger.warn({ err, matchId }, 'Temporal did not answer a cancel');
      await ctx.answerCallbackQuery({ text: ctx.t('analysis-cancel-unconfirmed'), show_alert: true });
    }
  });

  return c;
}
