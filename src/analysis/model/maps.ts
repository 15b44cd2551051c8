/**
 * Map picks and bans.
 *
 * What the report shows (issue 23): `mapEdge`, the expected edge in percentage points with its 95 % interval, a
 * "likely edge" (and so a pick for one side, a ban for the other) only where the interval excludes zero, "unclear"
 * otherwise, with the evidence (matches per player on the map). The score table below is still computed (older
 * analyses and the legacy model term read it) but no longer decides picks and bans, and its "confidence" counted
 * data volume, not the size of the edge, so it is not shown any more.
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
import { MODEL } from './weights';
import type { Confidence, FactionId, MapAnalysis, MapEdge, MapTeamScore, TeamAnalysis } from './types';

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

/** Pseudo-matches a player's map figures are shrunk with (toward 50 % won and toward his own overall rating). */
export const MAP_SHRINK_K = 10;
/** Spread of one player's rating from match to match (what one match tells about his rating on a map). */
export const MAP_RATING_SD = 0.35;
/** 95 % interval. */
export const EDGE_Z = 1.96;

/** One team's shrunk means on a map (win rate; rating above the players' own) and their variances (sampling only; the weights' own error is not in it). */
function teamMapMeans(
  team: TeamAnalysis,
  map: string,
): { wr: number; r: number; varWr: number; varR: number } {
  const n = Math.max(1, team.players.length);
  let wr = 0;
  let r = 0;
  let varWr = 0;
  let varR = 0;
  for (const p of team.players) {
    const rec = p.maps.find((x) => x.map === map);
    const m = rec && rec.matches > 0 ? rec.matches : 0;
    const own = p.threat?.scored.rating ?? p.rating ?? 1;
    const pw = (m * (rec?.winRate ?? 0.5) + MAP_SHRINK_K * 0.5) / (m + MAP_SHRINK_K);
    const rm = rec?.rating ?? null;
    const pr = rm === null ? own : (m * rm + MAP_SHRINK_K * own) / (m + MAP_SHRINK_K);
    wr += pw / n;
    // The map's own part: how much better (or worse) he rates there than overall. His overall strength is the win
    // probability's business; here it would shift every map by the same amount instead of ranking them.
    r += (pr - own) / n;
    varWr += (pw * (1 - pw)) / (m + MAP_SHRINK_K) / (n * n);
    // Unknown is uncertain too: without a rating there the deviation keeps its prior spread (m = 0).
    varR += (MAP_RATING_SD * MAP_RATING_SD) / ((rm === null ? 0 : m) + MAP_SHRINK_K) / (n * n);
  }
  return { wr, r, varWr, varR };
}

/**
 * The expected edge on a map from the model's map terms (weights.ts: +2.1 logit per unit of the team-mean map win
 * rate difference, +1.7 per point of the difference of the players' rating there above their own overall rating),
 * in percentage points at an even match (the slope
 * of the win probability there is ¼ per logit), with a 95 % interval from the players' sample sizes. A player's
 * figures on the map are shrunk with MAP_SHRINK_K pseudo-matches (toward 50 % won, toward his own rating), so two
 * matches at 100 % are not an edge. "Likely edge" only when the interval excludes zero.
 */
export function mapEdge(teams: Record<FactionId, TeamAnalysis>, map: string): MapEdge {
  const a = teamMapMeans(teams.faction1, map);
  const b = teamMapMeans(teams.faction2, map);
  const winRateDiff = a.wr - b.wr;
  const ratingDiff = a.r - b.r;
  const logit = MODEL.mapWinRate * winRateDiff + MODEL.mapRating * ratingDiff;
  const se = Math.sqrt(
    MODEL.mapWinRate ** 2 * (a.varWr + b.varWr) + MODEL.mapRating ** 2 * (a.varR + b.varR),
  );
  const points = Math.round(100 * (1 / (1 + Math.exp(-logit)) - 0.5) * 10) / 10;
  const margin = Math.round(25 * EDGE_Z * se * 10) / 10;
  const likely: FactionId | null =
    Math.abs(logit) > EDGE_Z * se ? (logit > 0 ? 'faction1' : 'faction2') : null;
  return { points, margin, likely, winRateDiff, ratingDiff };
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
    const edge = mapEdge(teams, map);
    // A pick or a ban only where the edge is likely (its interval excludes zero).
    const favoured: FactionId | null = edge.likely;
    const analysis: MapAnalysis = {
      map,
      picked: map === picked,
      teams: { faction1: f1, faction2: f2 },
      edge,
      advantage,
      favoured,
      confidence: confidenceFor(Math.min(f1.matchesPerPlayer ?? 0, f2.matchesPerPlayer ?? 0)),
    };
    return { analysis, index };
  });
  rows.sort(
    (a, b) =>
      Number(b.analysis.picked) - Number(a.analysis.picked) ||
      Math.abs(b.analysis.edge?.points ?? 0) - Math.abs(a.analysis.edge?.points ?? 0) ||
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
