import type { Api } from 'grammy';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, t } from '../i18n';

/** The commands shown in Telegram's menu; each has `bot-cmd-<name>` in a .ftl file (bot.ftl, predictions.ftl). */
export const COMMANDS = [
  'analyze',
  'profile',
  'matches',
  'last',
  'form',
  'compare',
  'duos',
  'elo',
  'accuracy',
  'track',
  'brief',
  'link',
  'subscribe',
  'subscription',
  'referral',
  'paysupport',
  'terms',
  'settings',
  'help',
] as const;

/** Per language, plus the default list (Russian) for clients in any other language. */
export async function publishCommands(api: Api): Promise<void> {
  const list = (locale: (typeof SUPPORTED_LOCALES)[number]) =>
    COMMANDS.map((command) => ({ command, description: t(locale, `bot-cmd-${command}`) }));
  await api.setMyCommands(list(DEFAULT_LOCALE));
  for (const locale of SUPPORTED_LOCALES) await api.setMyCommands(list(locale), { language_code: locale });
}
