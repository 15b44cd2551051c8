/** The settings' keyboards, apart from the handlers that send them. Callback data stays well under 64 bytes. */
import { InlineKeyboard } from 'grammy';
import { SUPPORTED_LOCALES, t, type Locale } from '../i18n';
import { LANGUAGE_NAMES } from '../bot-kit/keyboards';
import { callbackData, field } from '../bot-kit/callback-data';

/** /start's language buttons: `lang:<ru|en>`. */
export const START_LANGUAGE = callbackData('lang', { locale: field.oneOf(SUPPORTED_LOCALES) });
/** /settings: `set:lang:<ru|en>`, `set:tz` (the zone list), `set:tz:<index in TIME_ZONES>`, `set:notif`, `set:back`. */
export const SETTINGS_LANGUAGE = callbackData('set:lang', { locale: field.oneOf(SUPPORTED_LOCALES) });
export const SETTINGS_ZONES = callbackData('set:tz');
export const SETTINGS_ZONE = callbackData('set:tz', { index: field.integer() });
export const SETTINGS_NOTIFICATIONS = callbackData('set:notif');
export const SETTINGS_BACK = callbackData('set:back');

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
    kb.text(`${l === locale ? '✅ ' : ''}${LANGUAGE_NAMES[l]}`, SETTINGS_LANGUAGE.pack({ locale: l }));
  return kb
    .row()
    .text(t(locale, 'bot-settings-timezone-button', { zone: user.timezone }), SETTINGS_ZONES.pack())
    .row()
    .text(
      t(
        locale,
        user.notifications_enabled ? 'bot-settings-notifications-on' : 'bot-settings-notifications-off',
      ),
      SETTINGS_NOTIFICATIONS.pack(),
    );
}

export function timezoneKeyboard(locale: Locale, current: string): InlineKeyboard {
  const kb = new InlineKeyboard();
  TIME_ZONES.forEach((zone, i) => {
    kb.text(
      `${zone === current ? '✅ ' : ''}${zone.replace(/^.*\//, '').replace(/_/g, ' ')}`,
      SETTINGS_ZONE.pack({ index: i }),
    );
    if (i % 3 === 2) kb.row();
  });
  return kb.row().text(t(locale, 'bot-settings-back'), SETTINGS_BACK.pack());
}
