/**
 * The win probability: "ELO alone" (the baseline) and the bot's model, both from the two teams' pre-match aggregates
 * (`TeamAggregates`, the schema of `npm run model:score`, docs/model-score.md). The bot and the script go through
 * the same two functions: `teamAggregates` (an analysed team → its aggregates) and `scoreMatch` (two aggregates → the
 * probabilities), so a dataset scored by the script is scored exactly as the bot would.
 *
 * Every number is in weights.ts, with its source (issue 23's facts on 2,001 real matches):
 *
 *   logit p_ELO   = eloSlope · Δmean_elo · ln 10 / 400          (FACEIT's formula is overconfident: slope 0.70)
 *   logit p_model = logit p_ELO
 *                 + recentRating · Δrecent_rating               (previous 10 matches' rating)
 *                 + mapRating    · Δmap_rating                  (the players' rating on the picked map)
 *                 + mapWinRate   · Δmap_win_rate                (their win rate there, 0–1)
 *                 + form         · Δrecent_win_rate             (previous 10 matches' win rate: ≈ nothing beyond ELO)
 *                 + soloPlayers  · Δsolo_players                (players in no party: premades win more)
 *
 * Δ = team A minus team B. A term whose figure is unknown (null) for either team weighs 0, so missing data falls
 * back toward "ELO alone" (and with no ELO either, toward 50 %). The other aggregates (K/D, lifetime figures, ELO
 * spread, parties, matches) are read and stored but weigh nothing: no fact supports a term for them.
 */
import { MAP_SHRINK_K } from './maps';
import { MODEL, type ModelCoefficients } from './weights';
import type {
  FactionId,
  LobbyAnalysis,
  PlayerAnalysis,
  PredictionTerms,
  TeamAggregates,
  TeamAnalysis,
} from './types';

export type { PredictionTerms, TeamAggregates };

/** The aggregate names, in the documented order (docs/model-score.md). */
export const AGGREGATE_KEYS = [
  'mean_elo',
  'elo_stddev',
  'recent_rating',
  'recent_win_rate',
  'recent_kd',
  'map_rating',
  'map_win_rate',
  'map_kd',
  'lifetime_rating',
  'lifetime_win_rate',
  'lifetime_kd',
  'solo_players',
  'parties',
  'mean_matches',
] as const satisfies readonly (keyof TeamAggregates)[];

/** Probabilities are kept inside [P_MIN, 1 − P_MIN]: a log-loss of a confident miss stays finite. */
export const P_MIN = 0.02;

export interface Prediction {
  /** Team A's (faction1's) win probability from ELO alone (recalibrated); null when either mean ELO is unknown. */
  elo: number | null;
  /** Team A's win probability from the model; null when nothing at all is known (then 50 % is all one can say). */
  model: number | null;
  terms: PredictionTerms;
}

const clampP = (p: number): number => Math.min(1 - P_MIN, Math.max(P_MIN, p));
export const logit = (p: number): number => Math.log(p / (1 - p));
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** The ELO formula's logit for a team-mean difference Δ, times the fitted slope. */
export function eloLogit(delta: number, slope: number = MODEL.eloSlope): number {
  return (slope * delta * Math.LN10) / 400;
}

/** ELO alone for team means A and B: FACEIT's formula with its logit times the fitted slope. */
export function eloAlone(eloA: number, eloB: number): number {
  return sigmoid(eloLogit(eloA - eloB));
}

/** The model on two teams' aggregates: team A's win probability (the bot calls it with faction1, faction2). */
export function scoreMatch(
  a: Partial<TeamAggregates>,
  b: Partial<TeamAggregates>,
  w: ModelCoefficients = MODEL,
): Prediction {
  let known = false;
  // weight × (A − B), 0 when either is unknown (never −0: the terms are stored as JSON).
  const term = (weight: number, k: keyof TeamAggregates): number => {
    const x = a[k];
    const y = b[k];
    if (!finite(x) || !finite(y)) return 0;
    known = true;
    return x === y ? 0 : weight * (x - y);
  };
  const terms: PredictionTerms = {
    elo: term((w.eloSlope * Math.LN10) / 400, 'mean_elo'),
    recentRating: term(w.recentRating, 'recent_rating'),
    mapRating: term(w.mapRating, 'map_rating'),
    mapWinRate: term(w.mapWinRate, 'map_win_rate'),
    form: term(w.form, 'recent_win_rate'),
    soloPlayers: term(w.soloPlayers, 'solo_players'),
  };
  const elo = finite(a.mean_elo) && finite(b.mean_elo) ? sigmoid(terms.elo) : null;
  const sum = Object.values(terms).reduce((s, x) => s + x, 0);
  return { elo, model: known ? clampP(sigmoid(sum)) : null, terms };
}

function meanOf(xs: readonly (number | null | undefined)[]): number | null {
  const known = xs.filter(finite);
  return known.length > 0 ? known.reduce((s, x) => s + x, 0) / known.length : null;
}

function stddevOf(xs: readonly (number | null | undefined)[]): number | null {
  const known = xs.filter(finite);
  const m = meanOf(known);
  if (m === null) return null;
  return Math.sqrt(known.reduce((s, x) => s + (x - m) ** 2, 0) / known.length);
}

/** The player's own overall rating, the prior his rating on a map is shrunk toward. */
const ownRating = (p: PlayerAnalysis): number =>
  p.modelStats?.lifetimeRating ?? p.threat?.scored.rating ?? p.rating ?? 1;

/**
 * One analysed team's aggregates. The map figures are those of the picked map (null while no map is picked), each
 * player's shrunk with MAP_SHRINK_K pseudo-matches (win rate toward 50 %, rating toward his own overall rating) as
 * the map table does, so two matches at 100 % are not a certainty; the other figures are plain team means.
 */
export function teamAggregates(team: TeamAnalysis, pickedMap: string | null): TeamAggregates {
  const ps = team.players;
  const records = pickedMap
    ? ps.flatMap((p) => {
        const rec = p.maps.find((r) => r.map === pickedMap && r.matches > 0);
        return rec ? [{ p, rec }] : [];
      })
    : [];
  const shrink = (m: number, x: number, prior: number) => (m * x + MAP_SHRINK_K * prior) / (m + MAP_SHRINK_K);
  const soloPlayers = team.soloPlayers ?? null;
  return {
    mean_elo: team.avgElo,
    elo_stddev: stddevOf(ps.map((p) => p.elo)),
    recent_rating: meanOf(ps.map((p) => p.modelStats?.recentRating)),
    recent_win_rate: meanOf(ps.map((p) => p.modelStats?.recentWinRate)),
    recent_kd: meanOf(ps.map((p) => p.modelStats?.recentKd)),
    map_rating: meanOf(
      records.map(({ p, rec }) =>
        rec.rating === null || rec.rating === undefined
          ? null
          : shrink(rec.matches, rec.rating, ownRating(p)),
      ),
    ),
    map_win_rate: meanOf(records.map(({ rec }) => shrink(rec.matches, rec.winRate, 0.5))),
    map_kd: meanOf(records.map(({ rec }) => rec.kd)),
    lifetime_rating: meanOf(ps.map((p) => p.modelStats?.lifetimeRating)),
    lifetime_win_rate: meanOf(ps.map((p) => p.modelStats?.lifetimeWinRate)),
    lifetime_kd: meanOf(ps.map((p) => p.modelStats?.lifetimeKd)),
    solo_players: soloPlayers,
    parties: soloPlayers === null ? null : (team.parties?.length ?? 0),
    mean_matches: meanOf(ps.map((p) => p.signals?.matches)),
  };
}

/** The analysis's aggregates and both probabilities for faction1 (what `analyzeLobby` stores). */
export function predictLobby(a: Pick<LobbyAnalysis, 'teams' | 'pickedMap'>): {
  inputs: Record<FactionId, TeamAggregates>;
  prediction: Prediction;
} {
  const inputs = {
    faction1: teamAggregates(a.teams.faction1, a.pickedMap),
    faction2: teamAggregates(a.teams.faction2, a.pickedMap),
  };
  return { inputs, prediction: scoreMatch(inputs.faction1, inputs.faction2) };
}

/** The favourite, or null when the probability is exactly even (or unknown): a coin flip has no favourite. */
export function predictedWinner(p1: number | null): FactionId | null {
  if (p1 === null || p1 === 0.5) return null;
  return p1 > 0.5 ? 'faction1' : 'faction2';
}
