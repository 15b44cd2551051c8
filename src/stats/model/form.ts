/** /form: trend, sessions, per-map results, role and play style over the last N matches. Pure. */
import { detectRole, type Role } from '../../analysis/model';
import { totalsOf, type MatchTotals } from './summary';
import type { FormInput, MatchLine, RoleFigures } from './types';

/** Two matches further apart than this belong to different sessions (a night's play vs the next day's). */
export const SESSION_GAP_MS = 12 * 3_600_000;
/** Fewer matches than this cannot show a trend: the halves would be noise. */
export const MIN_TREND_MATCHES = 6;

export interface Session {
  /** Epoch ms of the first and last match of the session. */
  start: number | null;
  end: number | null;
  totals: MatchTotals;
}

export type TrendDirection = 'up' | 'down' | 'flat';

export interface Trend {
  direction: TrendDirection;
  /** Newer half minus older half. */
  kdDelta: number | null;
  adrDelta: number | null;
  winRateDelta: number | null;
}

export interface MapResult {
  map: string;
  totals: MatchTotals;
}

export type PlayStyle = 'sharpshooter' | 'impact' | 'teamplayer' | 'survivor' | 'struggling';

export interface FormSummary {
  totals: MatchTotals;
  trend: Trend | null;
  /** Newest first. */
  sessions: Session[];
  maps: MapResult[];
  role: Role | null;
  style: PlayStyle[];
}

/** Splits matches (newest first) into sessions (newest first) wherever two matches are more than 12 h apart. */
export function splitSessions(matches: MatchLine[], gapMs = SESSION_GAP_MS): Session[] {
  const groups: MatchLine[][] = [];
  let previous: number | null = null;
  for (const m of matches) {
    const t = m.finishedAt;
    const startsNew = !groups.length || (t !== null && previous !== null && previous - t > gapMs);
    if (startsNew) groups.push([]);
    groups[groups.length - 1].push(m);
    if (t !== null) previous = t;
  }
  return groups.map((g) => {
    const times = g.map((m) => m.finishedAt).filter((t): t is number => t !== null);
    return {
      start: times.length ? Math.min(...times) : null,
      end: times.length ? Math.max(...times) : null,
      totals: totalsOf(g),
    };
  });
}

const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/**
 * Newer half vs older half. Each figure's change is scaled by what counts as a real difference (0.1 K/D, 8 ADR,
 * 15 points of win rate) and summed; ±1 or more is a trend, anything smaller is noise.
 */
export function trendOf(matches: MatchLine[]): Trend | null {
  if (matches.length < MIN_TREND_MATCHES) return null;
  const half = Math.floor(matches.length / 2);
  const newer = totalsOf(matches.slice(0, half));
  const older = totalsOf(matches.slice(matches.length - half));
  const kdDelta = delta(newer.kd, older.kd);
  const adrDelta = delta(newer.adr, older.adr);
  const winRateDelta = delta(newer.winRate, older.winRate);
  const score = (kdDelta ?? 0) / 0.1 + (adrDelta ?? 0) / 8 + (winRateDelta ?? 0) / 0.15;
  const direction: TrendDirection = score >= 1 ? 'up' : score <= -1 ? 'down' : 'flat';
  return { direction, kdDelta, adrDelta, winRateDelta };
}

/** Per-map results, most played first. */
export function perMapResults(matches: MatchLine[]): MapResult[] {
  const byMap = new Map<string, MatchLine[]>();
  for (const m of matches) {
    const key = m.map ?? '?';
    byMap.set(key, [...(byMap.get(key) ?? []), m]);
  }
  return [...byMap.entries()]
    .map(([map, list]) => ({ map, totals: totalsOf(list) }))
    .sort((a, b) => b.totals.matches - a.totals.matches || a.map.localeCompare(b.map));
}

/** Descriptive tags from the window's figures; thresholds sit about one standard deviation above the average. */
export function styleOf(t: MatchTotals): PlayStyle[] {
  const style: PlayStyle[] = [];
  if (t.hsPercent !== null && t.hsPercent >= 55) style.push('sharpshooter');
  if (t.adr !== null && t.adr >= 85) style.push('impact');
  if (t.avgAssists !== null && t.avgAssists >= 5) style.push('teamplayer');
  if (t.kd !== null && t.kd >= 1.2) style.push('survivor');
  if (t.kd !== null && t.kd < 0.8 && (t.adr ?? 0) < 65) style.push('struggling');
  return style;
}

export function roleOf(figures: RoleFigures | null | undefined): Role | null {
  return figures ? detectRole(figures) : null;
}

export function summariseForm(input: FormInput): FormSummary {
  const totals = totalsOf(input.matches);
  return {
    totals,
    trend: trendOf(input.matches),
    sessions: splitSessions(input.matches),
    maps: perMapResults(input.matches),
    role: roleOf(input.lifetime?.role),
    style: styleOf(totals),
  };
}
