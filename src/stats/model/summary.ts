/** Aggregates shared by /profile, /form and /compare. Pure. */
import type { MapRecord, MatchLine } from './types';

export interface MatchTotals {
  matches: number;
  wins: number;
  losses: number;
  /** 0–1, null without results. */
  winRate: number | null;
  /** ΣK / ΣD over the matches, not an average of per-match ratios. */
  kd: number | null;
  /** Round-weighted when rounds are known. */
  adr: number | null;
  /** Kill-weighted. */
  hsPercent: number | null;
  avgKills: number | null;
  avgAssists: number | null;
}

const known = (x: number | null): x is number => x !== null && Number.isFinite(x);

function weightedMean(
  items: MatchLine[],
  pick: (m: MatchLine) => number | null,
  weight: (m: MatchLine) => number | null,
) {
  let num = 0;
  let den = 0;
  for (const m of items) {
    const v = pick(m);
    const w = weight(m) ?? 1;
    if (known(v) && w > 0) {
      num += v * w;
      den += w;
    }
  }
  return den > 0 ? num / den : null;
}

function mean(items: MatchLine[], pick: (m: MatchLine) => number | null): number | null {
  const values = items.map(pick).filter(known);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

export function totalsOf(matches: MatchLine[]): MatchTotals {
  const decided = matches.filter((m) => m.win !== null);
  const wins = decided.filter((m) => m.win).length;
  const withKd = matches.filter((m) => known(m.kills) && known(m.deaths));
  const kills = withKd.reduce((s, m) => s + (m.kills ?? 0), 0);
  const deaths = withKd.reduce((s, m) => s + (m.deaths ?? 0), 0);
  return {
    matches: matches.length,
    wins,
    losses: decided.length - wins,
    winRate: decided.length ? wins / decided.length : null,
    kd: withKd.length ? (deaths > 0 ? kills / deaths : kills) : null,
    adr: weightedMean(
      matches,
      (m) => m.adr,
      (m) => m.rounds,
    ),
    hsPercent: weightedMean(
      matches,
      (m) => m.hsPercent,
      (m) => m.kills,
    ),
    avgKills: mean(matches, (m) => m.kills),
    avgAssists: mean(matches, (m) => m.assists),
  };
}

/**
 * Best and worst map by win rate (K/D breaks ties) among maps with at least `minMatches` matches, so one lucky game
 * does not make a "best map"; when no map has that many, all maps count. Worst is null with a single map.
 */
export function bestAndWorstMaps(
  maps: MapRecord[],
  minMatches = 5,
): { best: MapRecord | null; worst: MapRecord | null } {
  const played = maps.filter((m) => m.matches > 0 && m.winRatePercent !== null);
  const pool = played.some((m) => m.matches >= minMatches)
    ? played.filter((m) => m.matches >= minMatches)
    : played;
  const sorted = [...pool].sort(
    (a, b) =>
      (b.winRatePercent ?? 0) - (a.winRatePercent ?? 0) ||
      (b.kd ?? 0) - (a.kd ?? 0) ||
      b.matches - a.matches ||
      a.map.localeCompare(b.map),
  );
  return { best: sorted[0] ?? null, worst: sorted.length > 1 ? sorted[sorted.length - 1] : null };
}
