/**
 * Map picks and bans.
 *
 * For each map of the pool and each team, the players' per-map records (lifetime segment or recent window, see
 * stats.ts) are pooled:
 *
 *   winRate = Σ w·wr / Σ w,  kd = Σ w·kd / Σ w,  w = min(matches, MAP_PLAYER_WEIGHT_CAP)
 *     (the cap stops one 3000-match veteran from standing for the whole team)
 *   raw   = 0.5·winRate + 0.35·min(1, kd / 2) + 0.15·p_ELO      (K/D 1.0 → 0.5; p_ELO = team's ELO win probability)
 *   score = 0.5 + c·(raw − 0.5),  c = min(1, n / 10),  n = the team's player-matches on the map
 *
 * advantage = score(faction1) − score(faction2). A team is favoured on a map when its advantage is ≥ MAP_THRESHOLD
 * (0.08): that map is a pick for it and a ban for the other. Confidence from the smaller of the two samples:
 * < 10 player-matches low, < 30 medium, else high.
 */
import { ACTIVE_DUTY_POOL, normaliseMap } from '../../faceit/maps';
import type { Confidence, FactionId, MapAnalysis, MapTeamScore, TeamAnalysis } from './types';

export const MAP_THRESHOLD = 0.08;
export const MAP_FULL_WEIGHT_MATCHES = 10;
export const MAP_PLAYER_WEIGHT_CAP = 50;
export const MAP_WEIGHTS = { winRate: 0.5, kd: 0.35, elo: 0.15 } as const;
export const CONFIDENCE_MEDIUM = 10;
export const CONFIDENCE_HIGH = 30;

export type MapRecommendation = 'pick' | 'ban' | 'neutral';

export function confidenceFor(matches: number): Confidence {
  if (matches >= CONFIDENCE_HIGH) return 'high';
  if (matches >= CONFIDENCE_MEDIUM) return 'medium';
  return 'low';
}

/** The maps to analyse: the match's pool (else active duty) plus the picked map, normalised and de-duplicated. */
export function mapPool(matchPool: readonly string[] | undefined, picked: string | null): string[] {
  const base = matchPool && matchPool.length > 0 ? matchPool : ACTIVE_DUTY_POOL;
  const out: string[] = [];
  for (const m of [...base, ...(picked ? [picked] : [])]) {
    const id = normaliseMap(m);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Team score on one map; `eloP` is the team's ELO win probability (null → 0.5). */
export function teamMapScore(team: TeamAnalysis, map: string, eloP: number | null): MapTeamScore {
  let n = 0;
  let wins = 0;
  let wSum = 0;
  let wrSum = 0;
  let kdW = 0;
  let kdSum = 0;
  for (const p of team.players) {
    const r = p.maps.find((x) => x.map === map);
    if (!r || r.matches <= 0) continue;
    n += r.matches;
    wins += r.wins;
    const w = Math.min(r.matches, MAP_PLAYER_WEIGHT_CAP);
    wSum += w;
    wrSum += w * r.winRate;
    if (r.kd !== null) {
      kdW += w;
      kdSum += w * r.kd;
    }
  }
  const winRate = wSum > 0 ? wrSum / wSum : null;
  const kd = kdW > 0 ? kdSum / kdW : null;
  const raw =
    MAP_WEIGHTS.winRate * (winRate ?? 0.5) +
    MAP_WEIGHTS.kd * (kd !== null ? Math.min(1, Math.max(0, kd / 2)) : 0.5) +
    MAP_WEIGHTS.elo * (eloP ?? 0.5);
  const c = Math.min(1, n / MAP_FULL_WEIGHT_MATCHES);
  return { score: 0.5 + c * (raw - 0.5), matches: n, wins, winRate, kd };
}

export function analyseMaps(
  teams: Record<FactionId, TeamAnalysis>,
  pool: readonly string[],
  pickedMap: string | null,
  winProbability: Record<FactionId, number> | null,
): MapAnalysis[] {
  const picked = pickedMap ? normaliseMap(pickedMap) : null;
  const rows = pool.map((map, index) => {
    const f1 = teamMapScore(teams.faction1, map, winProbability?.faction1 ?? null);
    const f2 = teamMapScore(teams.faction2, map, winProbability?.faction2 ?? null);
    const advantage = Math.round((f1.score - f2.score) * 1e4) / 1e4;
    const favoured: FactionId | null =
      advantage >= MAP_THRESHOLD ? 'faction1' : advantage <= -MAP_THRESHOLD ? 'faction2' : null;
    const analysis: MapAnalysis = {
      map,
      picked: map === picked,
      teams: { faction1: f1, faction2: f2 },
      advantage,
      favoured,
      confidence: confidenceFor(Math.min(f1.matches, f2.matches)),
    };
    return { analysis, index };
  });
  rows.sort(
    (a, b) =>
      Number(b.analysis.picked) - Number(a.analysis.picked) ||
      Math.abs(b.analysis.advantage) - Math.abs(a.analysis.advantage) ||
      a.index - b.index,
  );
  return rows.map((r) => r.analysis);
}

/** Pick / ban / neutral for one side. */
export function recommendationFor(map: MapAnalysis, side: FactionId): MapRecommendation {
  if (map.favoured === null) return 'neutral';
  return map.favoured === side ? 'pick' : 'ban';
}

/** Advantage seen from one side (positive = good for that side). */
export function advantageFor(map: MapAnalysis, side: FactionId): number {
  return side === 'faction1' ? map.advantage : -map.advantage;
}
