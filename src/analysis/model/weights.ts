/**
 * The shipped model's numbers, all in one place, with their source. docs/model.md prints the same table and
 * test/analysis/model-weights.test.ts checks that the documented numbers are these.
 *
 * Source: issue 23, measured on 2,001 real FACEIT matches with match-time ELO and leak-free pre-match features
 * (CS:GO, 2021, median 2,000 ELO), fitted on half of them:
 *   - FACEIT's ELO formula 1/(1+10^(−Δ/400)) on team means is overconfident: the fitted slope on its logit is 0.70;
 *   - a joint logistic beyond the recalibrated ELO, on team-mean differences: previous-10-match rating +1.9 logit per
 *     rating point, per-map lifetime rating +1.7 per point, per-map win rate +2.1 per unit (0–1), previous-10 win
 *     rate (form) −0.1 (nothing beyond ELO: recent results are already in it), solo players −0.08 per player
 *     (premades win more).
 * Nothing else is a term: no fact supports one (K/D, lifetime win rate, ELO spread, new accounts, parties beyond the
 * solo count are read by `model:score` but weigh 0).
 */
export const MODEL_SOURCE =
  'issue 23: 2,001 real FACEIT matches (CS:GO, 2021, median 2,000 ELO), match-time ELO, leak-free features, fitted on half';

export const MODEL = {
  /** Multiplies the ELO formula's logit, Δ·ln(10)/400 (Δ = team-mean ELO difference). */
  eloSlope: 0.7,
  /** Logit per rating point of the team-mean difference of the previous-10-match rating. */
  recentRating: 1.9,
  /** Logit per rating point of the team-mean difference of the players' rating on the map. */
  mapRating: 1.7,
  /** Logit per unit (0–1) of the team-mean difference of the players' win rate on the map. */
  mapWinRate: 2.1,
  /** Logit per unit (0–1) of the team-mean difference of the previous-10 win rate. */
  form: -0.1,
  /** Logit per solo player (difference of the teams' solo-player counts). */
  soloPlayers: -0.08,
} as const;

export type ModelCoefficients = { -readonly [K in keyof typeof MODEL]: number };
