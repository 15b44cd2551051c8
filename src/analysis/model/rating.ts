/**
 * HLTV-2.0-style rating estimate.
 *
 * HLTV does not publish Rating 2.0. The widely used public approximation (a linear regression on HLTV match pages):
 *
 *   Impact ≈ 2.13·KPR + 0.42·APR − 0.41
 *   Rating ≈ 0.0073·KAST + 0.3591·KPR − 0.5329·DPR + 0.2372·Impact + 0.0032·ADR + 0.1587
 *
 * with KAST in percent, KPR/DPR/APR per round and ADR in damage per round.
 *
 * FACEIT does not report KAST, so it is estimated: a round counts unless the player died without a kill, an assist
 * or being traded. Survival is 1 − DPR; in the rounds the player died, the chance of having a kill or assist is
 * modelled as 1 − e^(−0.8·(KPR+APR)) and the chance of being traded as 15 %:
 *
 *   KAST ≈ (1 − DPR) + DPR · (1 − 0.85 · e^(−0.8·(KPR + APR)))
 *
 * which gives ≈ 69 % for an average line (KPR = DPR = 0.66, APR = 0.19), in line with real KAST averages.
 *
 * The intercept is shifted by RATING_CALIBRATION so that the reference average FACEIT line rates 1.00, which is
 * what the threat thresholds (1.0 / 1.1 / 1.3) assume. The reference line is calibrated on the real FACEIT bodies
 * recorded in March 2026 (shared/faceit-api):
 *   - match_stats.json, one whole 10-player lobby (every kill is someone's death, so it is a population average
 *     by construction): KPR 0.657, DPR 0.665, APR 0.209, ADR 70.5;
 *   - player_games_cs2_stats.json, one player's last 20 matches: KPR 0.692, DPR 0.661, APR 0.155, ADR 70.7;
 *   - player_stats_cs2.json, the same player's 22,470 lifetime rounds over 10 maps: ADR 75.6, APR 0.209.
 * → KPR = DPR = 0.66 (the lobby's kills = deaths), APR = 0.19, ADR = 71. The earlier guess (0.72 / 0.72 / 0.18 / 78)
 * sat above every one of these and rated an average 2025–26 player ≈ 0.95.
 * test/analysis/rating.test.ts pins that the recorded lobby averages 1.00 ± 0.03.
 * When ADR is missing it is estimated as ADR_PER_KPR · KPR. The result is clamped to [RATING_MIN, RATING_MAX].
 */

export interface RatingLine {
  /** Kills per round */
  kpr: number;
  /** Deaths per round */
  dpr: number;
  /** Assists per round */
  apr: number;
  /** Average damage per round; null → estimated from KPR. */
  adr: number | null;
}

export const RATING_MIN = 0.1;
export const RATING_MAX = 2.5;
/** Typical ADR per unit of KPR on FACEIT (ADR 71 ↔ KPR 0.66, the recorded lobby's 70.5 / 0.657). */
export const ADR_PER_KPR = 108;
/** Typical assists per round, used when assists are unknown. */
export const DEFAULT_APR = 0.19;
/** Reference average FACEIT line (calibrated on the recorded bodies, see above): rates exactly 1.00. */
export const AVERAGE_LINE: RatingLine = { kpr: 0.66, dpr: 0.66, apr: 0.19, adr: 71 };

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** KAST estimate in [0, 1]. */
export function estimateKast(kpr: number, dpr: number, apr: number): number {
  const d = clamp(dpr, 0, 1);
  const involvedWhenDying = 1 - 0.85 * Math.exp(-0.8 * Math.max(0, kpr + apr));
  return clamp(1 - d + d * involvedWhenDying, 0, 1);
}

function publicFormula(line: RatingLine): number {
  const adr = line.adr ?? ADR_PER_KPR * line.kpr;
  const kast = 100 * estimateKast(line.kpr, line.dpr, line.apr);
  const impact = 2.13 * line.kpr + 0.42 * line.apr - 0.41;
  return 0.0073 * kast + 0.3591 * line.kpr - 0.5329 * line.dpr + 0.2372 * impact + 0.0032 * adr + 0.1587;
}

/** Shift applied to the public intercept (≈ −0.08): AVERAGE_LINE → 1.00. */
export const RATING_CALIBRATION = 1 - publicFormula(AVERAGE_LINE);

/** HLTV-2.0-style rating of a per-round line, calibrated so an average FACEIT player is 1.00. */
export function hltvRating(line: RatingLine): number {
  if (![line.kpr, line.dpr, line.apr].every(Number.isFinite)) return 1;
  return clamp(publicFormula(line) + RATING_CALIBRATION, RATING_MIN, RATING_MAX);
}
