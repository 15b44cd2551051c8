import type { Context } from 'grammy';
import type { Config } from '../config';
import { t, toLocale, type Locale } from '../i18n';
import type { AdminRepository, AuditEntry } from './repository';

/**
 * Who is an admin (ADMIN_TELEGRAM_IDS), and the one gate every admin command and button goes through: the attempt
 * is written to the audit log either way; to anyone else the command does not exist — the same answer as any
 * unknown command (in a private chat), silence in groups, "this button is no longer active" for a button.
 */

export function isAdmin(config: Pick<Config, 'ADMIN_TELEGRAM_IDS'>, telegramId: number | undefined): boolean {
  return telegramId !== undefined && config.ADMIN_TELEGRAM_IDS.includes(String(telegramId));
}

export interface Gate {
  config: Pick<Config, 'ADMIN_TELEGRAM_IDS'>;
  repo: AdminRepository;
}

function localeOf(ctx: Context): Locale {
  const withLocale = ctx as Context & { locale?: Locale };
  return withLocale.locale ?? toLocale(ctx.from?.language_code);
}

/**
 * Lets an admin in a private chat through; otherwise audits the refusal, answers like an unknown command and
 * returns false. Admin tools answer only in private chats: their figures and buttons are not for a group.
 */
export async function admit(
  gate: Gate,
  ctx: Context,
  attempt: Pick<AuditEntry, 'action' | 'targetId' | 'details'>,
): Promise<boolean> {
  const from = ctx.from?.id;
  const privateChat = ctx.chat?.type === 'private';
  if (isAdmin(gate.config, from) && privateChat) return true;
  await gate.repo.audit({
    ...attempt,
    actorId: from ?? 0,
    result: 'refused',
    details: { ...attempt.details, reason: isAdmin(gate.config, from) ? 'not-private' : 'not-admin' },
  });
  const locale = localeOf(ctx);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t(locale, 'bot-button-outdated') });
  else if (privateChat) await ctx.reply(t(locale, 'bot-unknown-command'), { parse_mode: 'HTML' });
  return false;
}
