import { t, type Locale } from '../../i18n';
import type { MatchLine } from '../model/types';
import { dateTime, html, int, link, mapName, num, pct, roomUrl, signed } from '../../bot-kit/format';

const mark = (m: MatchLine) => (m.win === null ? '▫️' : m.win ? '🟩' : '🟥');
const score = (m: MatchLine) => (m.ownScore === null ? '—' : `${m.ownScore}:${m.opponentScore ?? '—'}`);

/** One match from the player's side: result, map, score, K-D-A, K/D, ADR, HS%, local time, room link. */
export function renderMatchLine(locale: Locale, timeZone: string, m: MatchLine): string {
  return t(locale, 'bot-matches-line', {
    mark: mark(m),
    map: mapName(m.map),
    score: score(m),
    k: int(locale, m.kills),
    d: int(locale, m.deaths),
    a: int(locale, m.assists),
    kd: num(locale, m.kd),
    adr: num(locale, m.adr, 1),
    hs: pct(locale, m.hsPercent),
    time: dateTime(locale, timeZone, m.finishedAt),
    room: link(roomUrl(m.matchId, locale), t(locale, 'bot-matches-room')),
  });
}

export function renderMatches(
  locale: Locale,
  timeZone: string,
  nickname: string,
  matches: MatchLine[],
  clampedTo: number | null,
  /** Appended to a match's line, e.g. its ELO change when known. */
  suffix: (m: MatchLine) => string = () => '',
): string {
  const head = t(locale, 'bot-matches-title', { nickname: html(nickname), n: matches.length });
  const lines = matches.map((m) => renderMatchLine(locale, timeZone, m) + suffix(m));
  const notes = clampedTo === null ? [] : [t(locale, 'bot-matches-clamped', { max: clampedTo })];
  return [head, ...notes, '', ...lines].join('\n');
}

/** " · ELO +22" after a /matches line, when the snapshots know the match's change. */
export function eloChangeSuffix(locale: Locale, delta: number | undefined): string {
  return delta === undefined ? '' : t(locale, 'predictions-elo-change', { delta: signed(locale, delta, 0) });
}
