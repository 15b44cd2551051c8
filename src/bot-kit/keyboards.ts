/** Keyboards, apart from the handlers that send them. Callback data is packed by ./callback-data.ts (≤ 64 bytes). */
import { InlineKeyboard, Keyboard } from 'grammy';
import { SUPPORTED_LOCALES, t, type Locale } from '../i18n';
import type { CallbackData, CallbackField } from './callback-data';

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

/** One button per language, its data packed by `data` (e.g. `lang:ru` / `lang:en`). */
export function languageKeyboard(
  data: CallbackData<{ locale: CallbackField<Locale, false> }>,
): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const l of SUPPORTED_LOCALES) kb.text(LANGUAGE_NAMES[l], data.pack({ locale: l }));
  return kb;
}
