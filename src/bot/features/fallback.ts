/** Last in the chain: a private message nothing else understood gets a pointer to /help, never silence. */
import { Composer } from 'grammy';
import type { BotContext } from '../../bot-kit/context';
import { replyHtml } from '../../bot-kit/reply';

export function fallbackFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const inPrivate = c.chatType('private');
  inPrivate.on('message:text', async (ctx) => {
    const key = ctx.message.text.startsWith('/') ? 'bot-unknown-command' : 'bot-unknown-text';
    await replyHtml(ctx, ctx.t(key));
  });
  inPrivate.on('message', (ctx) => replyHtml(ctx, ctx.t('bot-unknown-text')));
  c.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('bot-button-outdated') }));
  return c;
}
