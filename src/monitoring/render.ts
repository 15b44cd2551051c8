/**
 * Match notifications and command replies as Telegram HTML, in the chat's language (locales/{ru,en}/monitoring.ftl).
 * Every untrusted string (nicknames, map names) is escaped here, before it reaches Fluent.
 */
import type { TranslationVariables } from '@grammyjs/i18n';
import { i18n, type Locale } from '../i18n';
import { type PlayerLine, roomUrl } from './matches';

export interface NotificationLine extends PlayerLine {
  /** ELO seen after the match, and its change when the bot's snapshots bracket the match. */
  elo?: number;
  eloDelta?: number;
}

export interface MatchNotification {
  matchId: string;
  map?: string;
  /** From the first line's team's point of view. */
  ownScore?: number;
  oppScore?: number;
  /** The tracked players of the chat who played the match; the one whose check found it first. */
  lines: NotificationLine[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "de_mirage" → "Mirage", "de_dust2" → "Dust2". */
export function mapName(map: string | undefined): string {
  if (!map) return '?';
  const bare = map.trim().replace(/^(de|cs)_/i, '');
  return bare
    .split('_')
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join(' ');
}

const NA = '—';
/** Decimals as the reader writes them: ru "0,87", en "0.87" (like /profile). */
const fixed = (locale: Locale, x: number | undefined, digits: number) =>
  x === undefined || !Number.isFinite(x)
    ? NA
    : x.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: false,
      });
const int = (x: number | undefined) => (x === undefined ? NA : String(Math.round(x)));
export const signed = (x: number) => (x > 0 ? `+${x}` : x < 0 ? `−${-x}` : '±0');

type Tr = (key: string, vars?: TranslationVariables) => string;
export const translator =
  (locale: Locale): Tr =>
  (key, vars) =>
    i18n.t(locale, key, vars);

function multiKills(tr: Tr, line: PlayerLine): string | undefined {
  const parts = (
    [
      ['5K', line.multiKills.k5],
      ['4K', line.multiKills.k4],
      ['3K', line.multiKills.k3],
      ['2K', line.multiKills.k2],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label}×${n}`);
  return parts.length ? tr('monitoring-multikills', { list: parts.join(' · ') }) : undefined;
}

function eloLine(tr: Tr, line: NotificationLine): string | undefined {
  if (line.elo === undefined) return undefined;
  if (line.eloDelta === undefined) return tr('monitoring-elo', { elo: String(line.elo) });
  const key =
    line.eloDelta > 0
      ? 'monitoring-elo-up'
      : line.eloDelta < 0
        ? 'monitoring-elo-down'
        : 'monitoring-elo-same';
  return tr(key, { elo: String(line.elo), delta: signed(line.eloDelta) });
}

function resultKey(win: boolean | undefined): string {
  return win === undefined
    ? 'monitoring-result-unknown'
    : win
      ? 'monitoring-result-win'
      : 'monitoring-result-loss';
}

export function renderNotification(locale: Locale, n: MatchNotification): string {
  const tr = translator(locale);
  const first = n.lines[0];
  const score = n.ownScore !== undefined && n.oppScore !== undefined ? `${n.ownScore}:${n.oppScore}` : NA;
  const out = [
    tr('monitoring-head', { result: tr(resultKey(first?.win)), map: escapeHtml(mapName(n.map)), score }),
  ];
  for (const line of n.lines) {
    const sameTeam = line.win === first?.win;
    out.push(
      tr('monitoring-line', {
        nick: escapeHtml(line.nickname),
        mark: sameTeam ? '' : ` ${tr(resultKey(line.win))}`,
        kills: int(line.kills),
        deaths: int(line.deaths),
        assists: int(line.assists),
        kd: fixed(locale, line.kd, 2),
        adr: fixed(locale, line.adr, 1),
        hs: int(line.hsPercent),
      }),
    );
    for (const extra of [multiKills(tr, line), eloLine(tr, line)]) if (extra) out.push(extra);
  }
  out.push(tr('monitoring-room', { url: escapeHtml(roomUrl(n.matchId, locale)) }));
  return out.join('\n');
}
