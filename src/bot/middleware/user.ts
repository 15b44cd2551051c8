import type { MiddlewareFn } from 'grammy';
import { toLocale } from '../../i18n';
import type { BotContext } from '../../bot-kit/context';
import type { BotDeps } from '../deps';

/**
 * Registers the sender on first contact (language from their Telegram client, else Russian) and puts their row and
 * language on the context. Updates without a human sender (channel posts, other bots) stop here.
 */
export function userMiddleware(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot) return;
    const { created, ...row } = await deps.repos.users.touch({
      telegramId: from.id,
      username: from.username ?? null,
      firstName: from.first_name,
    });
    let user = row;
    const preferred = toLocale(from.language_code);
    if (created && preferred !== row.language) {
      user = (await deps.repos.users.update(from.id, { language: preferred })) ?? row;
    }
    ctx.user = user;
    ctx.isNewUser = created;
    ctx.locale = user.language;
    ctx.i18n.useLocale(user.language);
    await next();
  };
}
