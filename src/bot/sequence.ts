/**
 * Which updates are handled one at a time, in order: one lane per user (or per chat, for updates without a sender).
 * Long polling keeps it with grammY runner's `sequentialize` (src/bot/create-bot.ts), webhook mode with the durable
 * queue's lanes (src/bot/update-queue.ts): both read this one function.
 * Inline queries are exempt: one per keystroke, each is answered (or dropped as superseded) on its own.
 */
import type { Context } from 'grammy';

export function sequenceKey(ctx: Context): string | undefined {
  if (ctx.inlineQuery) return undefined;
  return ctx.from?.id.toString() ?? ctx.chat?.id.toString();
}
