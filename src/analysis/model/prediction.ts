/**
 * Two win probabilities per analysis: the ELO baseline and the bot's own model.
 *
 * Baseline: the Elo expected score on the team averages (team.ts), what FACEIT's matchmaking itself assumes.
 *
 * Model: a logistic combination that starts from the baseline and adds what the players' statistics say beyond it,
 * all four terms seen from faction1 (faction2 is 1 − p):
 *
 *   logit p = logit p_ELO + W.rating·Δrating + W.form·Δform + W.map·edge
 *
 *   Δrating  difference of the team means of the threat model's shrunk rating (threat.ts: the recent window shrunk
 *            toward the player's lifetime figure); a player without data counts as the population average 1.00
 *   Δform    difference of the team means of the last-10 win share, shrunk toward 0.5 with k = 10 pseudo-matches
 *   edge     the map table's advantage on the picked map (maps.ts, stats only, no ELO in it); 0 while unpicked
 *
 * Weights: no dataset of real outcomes was available when this was written, so they are conservative guesses (a
 * team rated 0.10 higher moves the probability ≈ 2.5 points at 50 %, a form gap of 0.10 or a full-confidence map
 * edge of 0.10 ≈ 1.25 points) and every term is 0 when its data is missing, so the model falls back to the ELO
 * baseline. They are NOT validated: on the emulator's history matches (outcomes unrelated to team statistics) they
 * score slightly worse than ELO alone, as any weight must there (BENCHMARKS.md). `npm run
 * bench:quality` scores both on a dataset and fits the weights on its older part: replace MODEL_WEIGHTS with
 * fitted ones once a real dataset (docs/model.md: "Backtest") shows they beat the baseline out of sample.
 * With no ELO at all, the stats terms alone give the model (around 0.5); the baseline is then unknown.
 */
import type { FactionId, LobbyAnalysis, PlayerAnalysis } from './types';

export const MODEL_WEIGHTS = { rating: 1.0, form: 0.5, map: 0.5 } as const;
export type ModelWeights = { rating: number; form: number; map: number };

/** Pseudo-matches at 50 % added to a player's last-10 form. */
export const FORM_SHRINK_K = 10;
/** Probabilities are kept inside [P_MIN, 1 − P_MIN]: a log-loss of a confident miss stays finite. */
export const P_MIN = 0.02;

export interface PredictionTerms {
  /** logit of the ELO baseline for faction1 (0 when ELO is unknown). */
  elo: number;
  rating: number;
  form: number;
  map: number;
}

export interface Prediction {
  /** faction1's win probability from ELO alone; null when no ELO is known. */
  elo: number | null;
  /** faction1's win probability from the model; null when neither ELO nor any statistic is known. */
  model: number | null;
  /** The model's inputs (faction1 minus faction2), so a report or an operator can see why. */
  terms: PredictionTerms;
}

const clampP = (p: number): number => Math.min(1 - P_MIN, Math.max(P_MIN, p));
export const logit = (p: number): number => Math.log(p / (1 - p));
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function teamMean(players: readonly PlayerAnalysis[], pick: (p: PlayerAnalysis) => number): number | null {
  if (players.length === 0) return null;
  return players.reduce((s, p) => s + pick(p), 0) / players.length;
}

const ratingOf = (p: PlayerAnalysis): number => p.threat?.scored.rating ?? 1;
export function shrunkForm(form: readonly ('W' | 'L')[]): number {
  const wins = form.filter((r) => r === 'W').length;
  return (wins + FORM_SHRINK_K * 0.5) / (form.length + FORM_SHRINK_K);
}

/** Model features of an analysis, faction1 minus faction2; `hasStats` says whether any player had data. */
export function featuresOf(a: Pick<LobbyAnalysis, 'teams' | 'maps' | 'pickedMap'>): {
  rating: number;
  form: number;
  map: number;
  hasStats: boolean;
} {
  const diff = (pick: (p: PlayerAnalysis) => number): number => {
    const m1 = teamMean(a.teams.faction1.players, pick);
    const m2 = teamMean(a.teams.faction2.players, pick);
    return m1 === null || m2 === null ? 0 : m1 - m2;
  };
  const picked = a.pickedMap ? a.maps.find((m) => m.map === a.pickedMap) : undefined;
  const hasStats = [...a.teams.faction1.players, ...a.teams.faction2.players].some((p) => !p.flags.noData);
  return {
    rating: diff(ratingOf),
    form: diff((p) => shrunkForm(p.form)),
    map: picked?.advantage ?? 0,
    hasStats,
  };
}

/** Both probabilities for faction1 from the ELO baseline and the features. */
export function predict(
  eloP1: number | null,
  features: ReturnType<typeof featuresOf>,
  weights: ModelWeights = MODEL_WEIGHTS,
): Prediction {
  const terms: PredictionTerms = {
    elo: eloP1 === null ? 0 : logit(clampP(eloP1)),
    rating: weights.rating * features.rating,
    form: weights.form * features.form,
    map: weights.map * features.map,
  };
  const known = eloP1 !== null || features.hasStats;
  const model = known ? clampP(sigmoid(terms.elo + terms.rating + terms.form + terms.map)) : null;
  return { elo: eloP1, model, terms };
}

/** The favourite, or null when the probability is exactly even (or unknown): a coin flip has no favourite. */
export function predictedWinner(p1: number | null): FactionId | null {
  if (p1 === null || p1 === 0.5) return null;
  return p1 > 0.5 ? 'faction1' : 'faction2';
}
