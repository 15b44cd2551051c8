import { Composer } from 'grammy';
import type { BotContext } from '../bot-kit/context';
import type { AnalysisComposerDeps } from './port';
import { CANCEL_ANALYSIS } from './keyboards';
import { withDeadline } from '../temporal/deadline';
import { createAnalysisRepository } from './repository';

/**
 * The Cancel button on a progress message whose answer Telegram lost (./first-reply.ts): the bot never learnt that
 * copy's id, so nothing updates it, and cancelling "it" would cancel nothing. When its owner presses the button, the
 * copy is turned into a note saying so (its bar and button go) and the request itself is left alone; every other
 * press goes on to the real Cancel. Registered before it.
 */
export function createLostCopyComposer(deps: AnalysisComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const requests = createAnalysisRepository(deps.pool);

  c.callbackQuery(CANCEL_ANALYSIS.filter, async (ctx, next) => {
    const { matchId, requesterId: owner } = CANCEL_ANALYSIS.read(ctx.match);
    const message = ctx.callbackQuery.message;
    if (!message || owner !== ctx.from.id) return next();
    const ref = { chatId: message.chat.id, telegramId: ctx.from.id, matchId, messageId: message.message_id };
    if (!(await requests.isLostCopy(ref))) return next();
    // The workflow's own list decides last (a pre-match brief is a progress message with no request row).
    const listed = await withDeadline(deps.client, deps.config.TEMPORAL_RPC_TIMEOUT_MS, async () => {
      const progress = await deps.analysis.getAnalysisProgress(deps.client, matchId);
      // No running workflow (never started, or finished): nothing can be listening to this message.
      if (!progress) return false;
      return progress.requesters.some(
        (r) => r.chatId === ref.chatId && r.progressMessageId === ref.messageId,
      );
    }).catch(() => undefined);
    if (listed !== false) return next(); // listed, or Temporal could not tell: the real Cancel handles it
    await ctx
      .editMessageText(ctx.t('reliability-progress-copy-void'), { parse_mode: 'HTML' })
      .catch((err) => {
        deps.logger.warn({ err, ...ref }, 'could not mark a lost progress copy');
      });
    deps.logger.info(ref, 'Cancel on a lost progress copy: marked, the request is untouched');
    await ctx.answerCallbackQuery({ text: ctx.t('reliability-progress-copy-void-answer') });
  });

  return c;
}
