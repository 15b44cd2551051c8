/**
 * Which updates are handled one at a time, in order: one lane per user (or per chat, for updates without a sender).
 * Long polling keeps it with grammY runner's `sequentialize` (src/bot/create-bot.ts), webhook mode with the durable
 * queue's lanes (src/bot/update-queue.ts): both read this one function.
 * Exempt (no lane, each on its own): inline queries, one per keystroke, each answered (or dropped as superseded) on
 * its own; and payment updates: a pre-checkout query must be answered within Telegram's 10 s even while the same
 * user's /profile or /link is still waiting for FACEIT, and a paid charge is recorded at once.
 */
import type { Context } from 'grammy';

/** Updates that never wait behind the same user's earlier ones. */
export function unqueued(ctx: Context): boolean {
  return !!(ctx.inlineQuery || ctx.preCheckoutQuery || ctx.message?.successful_payment);
}

export function sequenceKey(ctx: Context): string | undefined {
  if (unqueued(ctx)) return undefined;
  return ctx.from?.id.toString() ?? ctx.chat?.id.toString();
}
