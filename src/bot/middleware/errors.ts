import type { BotError } from 'grammy';
import type { Logger } from 'pino';
import { t, toLocale } from '../../i18n';
import type { BotContext } from '../../bot-kit/context';
import type { BotMetrics } from '../metrics';
import { classifyTelegramError } from '../../telegram/errors';

/**
 * The error boundary (bot.catch): whatever failed is logged with its update, and the user gets a friendly message
 * in their language, never a stack trace. Nothing here may throw, or long polling would stop.
 */
export function errorBoundary(logger: Logger, metrics: BotMetrics) {
  return async (err: BotError<BotContext>): Promise<void> => {
    metrics.errors.inc();
    const ctx = err.ctx;
    logger.error({ err: err.error, updateId: ctx.update.update_id, from: ctx.from?.id }, 'update failed');
    const telegram = classifyTelegramError(err.error);
    // A chat that blocked the bot (or is gone) is not worth a second failing message.
    if (telegram?.kind === 'chat-gone') return;
    // No answer from Telegram at all (connection dropped, timed out): the reply may well be on the user's screen
    // (accepted, then the answer lost), where "something went wrong" would be false; and if Telegram is truly
    // unreachable, the notice would fail the same way.
    if (telegram && !telegram.answered) return;
    const text = t(ctx.locale ?? toLocale(ctx.from?.language_code), 'bot-error-generic');
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
      else if (ctx.chat) await ctx.reply(text);
    } catch (replyErr) {
      logger.warn({ err: replyErr }, 'could not tell the user about the error');
    }
  };
}
