/** Keyboards, apart from the handlers that send them. Callback data stays well under Telegram's 64 bytes. */
import { InlineKeyboard, Keyboard } from 'grammy';
import { SUPPORTED_LOCALES, t, type Locale } from '../i18n';

/** The main reply keyboard's buttons, by the id of their label. */
export const MENU = {
  profile: 'bot-menu-profile',
  matches: 'bot-menu-matches',
  last: 'bot-menu-last',
  form: 'bot-menu-form',
  analyze: 'bot-menu-analyze',
  settings: 'bot-menu-settings',
  help: 'bot-menu-help',
} as const;
export type MenuItem = keyof typeof MENU;

export function mainKeyboard(locale: Locale): Keyboard {
  const label = (item: MenuItem) => t(locale, MENU[item]);
  return new Keyboard()
    .text(label('profile'))
    .text(label('matches'))
    .row()
    .text(label('last'))
    .text(label('form'))
    .row()
    .text(label('analyze'))
    .row()
    .text(label('settings'))
    .text(label('help'))
    .resized()
    .persistent();
}

/** A button's label in every language: a user may still have the keyboard of the language they left. */
export function menuLabels(item: MenuItem): string[] {
  return SUPPORTED_LOCALES.map((l) => t(l, MENU[item]));
}

export const LANGUAGE_NAMES: Record<Locale, string> = { ru: '🇷🇺 Русский', en: '🇬🇧 English' };

/** `prefix:ru` / `prefix:en`. */
export function languageKeyboard(prefix: string): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const l of SUPPORTED_LOCALES) kb.text(LANGUAGE_NAMES[l], `${prefix}:${l}`);
  return kb;
}

/** `an:x:<match id>:<requester's Telegram id>` — at most 5 + 38 + 1 + 16 bytes. */
export const CANCEL_ANALYSIS = /^an:x:([\w-]{1,40}):(\d{1,16})$/;

/** The requester is in the data so that only they can cancel, even before the workflow answers queries. */
export function cancelKeyboard(locale: Locale, matchId: string, requesterId: number): InlineKeyboard {
  return new InlineKeyboard().text(t(locale, 'bot-analyze-cancel-button'), `an:x:${matchId}:${requesterId}`);
}

/** Offered in /settings; any other IANA zone works through `/timezone Area/City`. */
export const TIME_ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Vladivostok',
  'Europe/Kyiv',
  'Europe/Minsk',
  'Asia/Almaty',
  'Asia/Tashkent',
  'Asia/Tbilisi',
  'Europe/Berlin',
  'Europe/London',
  'UTC',
] as const;

export function settingsKeyboard(
  locale: Locale,
  user: { timezone: string; notifications_enabled: boolean },
): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const l of SUPPORTED_LOCALES)
    kb.text(`${l === locale ? '✅ ' : ''}${LANGUAGE_NAMES[l]}`, `set:lang:${l}`);
  return kb
    .row()
    .text(t(locale, 'bot-settings-timezone-button', { zone: user.timezone }), 'set:tz')
    .row()
    .text(
      t(
        locale,
        user.notifications_enabled ? 'bot-settings-notifications-on' : 'bot-settings-notifications-off',
      ),
      'set:notif',
    );
}

export function timezoneKeyboard(locale: Locale, current: string): InlineKeyboard {
  const kb = new InlineKeyboard();
  TIME_ZONES.forEach((zone, i) => {
    kb.text(`${zone === current ? '✅ ' : ''}${zone.replace(/^.*\//, '').replace(/_/g, ' ')}`, `set:tz:${i}`);
    if (i % 3 === 2) kb.row();
  });
  return kb.row().text(t(locale, 'bot-settings-back'), 'set:back');
}
