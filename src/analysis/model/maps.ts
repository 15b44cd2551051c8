/**
 * Map picks and bans.
 *
 * For each map of the pool and each team, the players' per-map records (lifetime segment or recent window, see
 * player-stats.ts) are pooled:
 *
 *   winRate = Σ w·wr / Σ w,  kd = Σ w·kd / Σ w,  w = min(matches, MAP_PLAYER_WEIGHT_CAP)
 *     (the cap stops one 3000-match veteran from standing for the whole team)
 *   raw   = 0.6·winRate + 0.4·min(1, kd / 2)       (K/D 1.0 → 0.5)
 *   score = 0.5 + c·(raw − 0.5),  c = min(1, m / 10),  m = the team's player-matches on the map per player
 *
 * advantage = score(faction1) − score(faction2). A team is favoured on a map when its advantage is ≥ MAP_THRESHOLD
 * (0.08): that map is a pick for it and a ban for the other. Confidence from the smaller of the two teams' matches
 * per player: < 5 low, < 15 medium, else high.
 *
 * Why no ELO term: the team's ELO win probability is the same on every map, so it shifted every map's advantage
 * by the same amount (0.07 in a lobby at 74 %, nearly the threshold) instead of ranking maps against each other.
 * Who is stronger overall is the ELO/model probability's job; this table only says where each team is stronger.
 * Why per player: counting player-matches over five players made two matches each "full confidence".
 */
import { ACTIVE_DUTY_POOL, normaliseMap } from '../../faceit/maps';
import type { Confidence, FactionId, MapAnalysis, MapTeamScore, TeamAnalysis } from './types';

export const MAP_THRESHOLD = 0.08;
export const MAP_FULL_WEIGHT_MATCHES = 10;
export const MAP_PLAYER_WEIGHT_CAP = 50;
export const MAP_WEIGHTS = { winRate: 0.6, kd: 0.4 } as const;
/** Matches per player on the map. */
export const CONFIDENCE_MEDIUM = 5;
export const CONFIDENCE_HIGH = 15;

export type MapRecommendation = 'pick' | 'ban' | 'neutral';

/** `matchesPerPlayer`: the team's player-matches on the map divided by its players. */
export function confidenceFor(matchesPerPlayer: number): Confidence {
  const matches = matchesPerPlayer;
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

/** Team score on one map from its players' records there. */
export function teamMapScore(team: TeamAnalysis, map: string): MapTeamScore {
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
    MAP_WEIGHTS.kd * (kd !== null ? Math.min(1, Math.max(0, kd / 2)) : 0.5);
  const matchesPerPlayer = n / Math.max(1, team.players.length);
  const c = Math.min(1, matchesPerPlayer / MAP_FULL_WEIGHT_MATCHES);
  return { score: 0.5 + c * (raw - 0.5), matches: n, matchesPerPlayer, wins, winRate, kd };
}

export function analyseMaps(
  teams: Record<FactionId, TeamAnalysis>,
  pool: readonly string[],
  pickedMap: string | null,
): MapAnalysis[] {
  const picked = pickedMap ? normaliseMap(pickedMap) : null;
  const rows = pool.map((map, index) => {
    const f1 = teamMapScore(teams.faction1, map);
    const f2 = teamMapScore(teams.faction2, map);
    const advantage = Math.round((f1.score - f2.score) * 1e4) / 1e4;
    const favoured: FactionId | null =
      advantage >= MAP_THRESHOLD ? 'faction1' : advantage <= -MAP_THRESHOLD ? 'faction2' : null;
    const analysis: MapAnalysis = {
      map,
      picked: map === picked,
      teams: { faction1: f1, faction2: f2 },
      advantage,
      favoured,
      confidence: confidenceFor(Math.min(f1.matchesPerPlayer ?? 0, f2.matchesPerPlayer ?? 0)),
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
