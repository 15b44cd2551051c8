/** Replies shared by the features: HTML mode everywhere, and one wording per kind of bad input. */
import { InlineKeyboard } from 'grammy';
import type { BotContext } from './context';
import { echo } from './format';
import type { AccountInputError } from './parse';

/** Every text is HTML with untrusted parts escaped; link previews would bury the answer under FACEIT's card. */
export const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

export function replyHtml(ctx: BotContext, text: string, other: Parameters<BotContext['reply']>[1] = {}) {
  return ctx.reply(text, { ...HTML, ...other });
}

const INPUT_ERRORS: Record<AccountInputError, string> = {
  empty: 'bot-input-empty',
  'too-long': 'bot-input-too-long',
  'invalid-nickname': 'bot-input-invalid-nickname',
  'malformed-url': 'bot-input-malformed-url',
  'steam-vanity': 'bot-input-steam-vanity',
  'room-url': 'bot-input-room-url',
};

export function replyInputError(ctx: BotContext, error: AccountInputError, input: string) {
  return replyHtml(ctx, ctx.t(INPUT_ERRORS[error], { input: echo(input) }));
}

/** Commands that change the user's own settings belong in the private chat, not in a group. */
export async function privateOnly(ctx: BotContext): Promise<boolean> {
  if (ctx.chat?.type === 'private') return false;
  await replyHtml(ctx, ctx.t('bot-private-only'), {
    reply_markup: new InlineKeyboard().url(ctx.t('bot-open-private'), `https://t.me/${ctx.me.username}`),
  });
  return true;
}
