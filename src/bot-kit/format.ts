/** Numbers, dates and names as the user reads them: per language (ru: "1,25", en: "1.25") and time zone. */
import { escapeHtml } from '../telegram/html';
import { mapLabel } from '../faceit/maps';
import type { Locale } from '../i18n';

const TAGS: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };
const NA = '—';

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale, digits: number): Intl.NumberFormat {
  const key = `${locale}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(TAGS[locale], { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f;
}

export function num(locale: Locale, x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NA : numberFormat(locale, digits).format(x);
}

export function int(locale: Locale, x: number | null | undefined): string {
  return num(locale, x === null || x === undefined ? x : Math.round(x), 0);
}

/** `x` is already a percentage (0–100). */
export function pct(locale: Locale, x: number | null | undefined, digits = 0): string {
  const n = num(locale, x, digits);
  return n === NA ? NA : `${n}%`;
}

/** A 0–1 share as a percentage. */
export function share(locale: Locale, x: number | null | undefined): string {
  return pct(locale, x === null || x === undefined ? x : x * 100);
}

export function signed(locale: Locale, x: number | null, digits = 2): string {
  if (x === null) return NA;
  const n = num(locale, Math.abs(x), digits);
  return x > 0 ? `+${n}` : x < 0 ? `−${n}` : `±${n}`;
}

/** Day, month and time in the user's zone, e.g. ru "23.11, 14:05", en "23/11, 14:05". */
export function dateTime(locale: Locale, timeZone: string, epochMs: number | null): string {
  if (epochMs === null) return NA;
  return new Intl.DateTimeFormat(TAGS[locale], {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(epochMs));
}

export function date(locale: Locale, timeZone: string, epochMs: number | null): string {
  if (epochMs === null) return NA;
  return new Intl.DateTimeFormat(TAGS[locale], { timeZone, day: '2-digit', month: '2-digit' }).format(
    new Date(epochMs),
  );
}

export function mapName(map: string | null): string {
  return map ? escapeHtml(mapLabel(map)) : NA;
}

/** Untrusted text (nicknames, team names, user input) for HTML parse mode. */
export const html = escapeHtml;

/** A user's input echoed back: escaped and cut so a wall of garbage stays one line. */
export function echo(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return escapeHtml(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

export function flag(country: string | null): string {
  if (!country || !/^[a-z]{2}$/i.test(country)) return '';
  const base = 0x1f1e6;
  const up = country.toUpperCase();
  return String.fromCodePoint(base + up.charCodeAt(0) - 65, base + up.charCodeAt(1) - 65);
}

/** FACEIT pages in the reader's language (faceit.com serves /ru/ and /en/ alike). */
export const roomUrl = (matchId: string, locale: Locale = 'en') =>
  `https://www.faceit.com/${locale}/cs2/room/${encodeURIComponent(matchId)}`;
export const profileUrl = (nickname: string, locale: Locale = 'en') =>
  `https://www.faceit.com/${locale}/players/${encodeURIComponent(nickname)}`;

/** An HTML link whose text and address are both safe. */
export function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href).replace(/"/g, '&quot;')}">${text}</a>`;
}

/** Results newest first as coloured squares (language-neutral): 🟩 win, 🟥 loss. */
export function results(wins: Array<boolean | null>): string {
  return wins.map((x) => (x === null ? '▫️' : x ? '🟩' : '🟥')).join('') || NA;
}
