/**
 * The one shared i18n instance (Fluent, via @grammyjs/i18n).
 *
 * Every `locales/<locale>/*.ftl` file is loaded at import (e.g. `locales/ru/analysis.ftl`, later `locales/ru/bot.ftl`);
 * files of one locale are merged, so message ids must be unique across files: prefix them by area (`analysis-…`).
 *
 * Outside grammY: `i18n.t(locale, key, vars)` (or the `t` helper below). In the bot: `bot.use(i18n.middleware())`.
 * A message missing in the requested locale falls back to the default locale (ru) and is reported via console.warn.
 * Bidi isolation marks (U+2068/U+2069 around placeables) are off: Telegram shows them as stray characters in
 * some clients and they count toward the message length.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultWarningHandler, I18n, type TranslationVariables } from '@grammyjs/i18n';

export const SUPPORTED_LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ru';

/** `locales/` at the repository root, found from both `src/` (ts-node, Jest) and `dist/` (compiled). */
export function localesDir(): string {
  const candidates = [
    process.env.LOCALES_DIR,
    path.resolve(__dirname, '..', 'locales'),
    path.resolve(__dirname, '..', '..', 'locales'),
    path.resolve(process.cwd(), 'locales'),
  ];
  for (const dir of candidates) {
    if (dir && fs.existsSync(dir) && fs.statSync(dir).isDirectory()) return dir;
  }
  throw new Error(`locales directory not found (tried: ${candidates.filter(Boolean).join(', ')})`);
}

export const i18n = new I18n({
  defaultLocale: DEFAULT_LOCALE,
  directory: localesDir(),
  fluentBundleOptions: { useIsolating: false },
  // A missing message or translation is reported through console.warn looked up at call time (the library's default
  // binds console.warn once, at construction, which a test spy or a logger redirect would never see).
  fluentOptions: { warningHandler: defaultWarningHandler((...args: unknown[]) => console.warn(...args)) },
});

/** A supported locale from any language code ("en-US" → "en"); unknown or empty → the default (ru). */
export function toLocale(code: string | null | undefined): Locale {
  const base = (code ?? '').toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(base) ? (base as Locale) : DEFAULT_LOCALE;
}

export function t(locale: Locale, key: string, vars?: TranslationVariables): string {
  return i18n.t(locale, key, vars);
}
