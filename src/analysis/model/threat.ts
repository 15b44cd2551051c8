/**
 * Threat level 1–5 and the small-sample / smurf flags.
 *
 * Scoring keeps the old bot's point table (so its levels stay familiar):
 *   rating   ≥ 1.3: +2, ≥ 1.1: +1, ≥ 1.0: +0.5
 *   win rate ≥ 70 %: +1.5, ≥ 60 %: +1, ≥ 50 %: +0.5
 *   K/D      ≥ 1.3: +1, ≥ 1.1: +0.5
 *   recent   ≥ 4 wins of the last 5: +0.5, ≥ 3: +0.3
 *   level = clamp(floor(points) + 1, 1, 5)
 *
 * Changes, each pinned by a test in test/analysis/threat.test.ts:
 *
 * 1. Shrinkage. Rating, win rate and K/D are scored after shrinking the observed value toward a prior by its sample
 *    size: v̂ = (n·v + k·prior) / (n + k), i.e. weight n/(n+k) on the player's own figure. k is the ratio of
 *    match-to-match noise to the real spread between players: rating and K/D vary ≈ 0.3–0.45 per match against a
 *    ≈ 0.15–0.2 spread between players → k = 5; a single result is a coin flip (variance 0.25) against a ≈ 0.1
 *    spread of true win rates under ELO matchmaking → k = 20. A 3-match 2.0 K/D no longer scores like a proven star.
 * 2. The prior is the player's own lifetime figure when the lifetime endpoint was fetched (itself shrunk toward the
 *    population average 1.0 / 50 % / 1.0 by its match count), else the population average. An established player
 *    whose last 30 matches confirm a long career keeps his level; a lucky newcomer regresses to the mean.
 * 3. ELO relative to the lobby average: ≥ +300: +1, ≥ +150: +0.5, ≤ −300: −0.5. ELO summarises hundreds of matches
 *    against opponents of known strength and is the one figure that is not noisy; within one lobby it tells who is
 *    clearly above or below the others.
 * 4. A possible smurf is scored on his raw figures: shrinkage assumes the player is drawn from the normal
 *    population, which is exactly what the flag doubts. The flag needs at least 5 matches of evidence, so a
 *    3-match lucky streak is shrunk, not flagged.
 * 5. K/D is shrunk as counts, not as a ratio: K̂/D̂ = (K + k·d̄·prior) / (D + k·d̄), i.e. k matches of d̄ deaths at
 *    the prior K/D are added to the player's own kills and deaths. Shrinking the ratio itself let a death-less
 *    window score its kill count (one 25–0 match: K/D 25, still 5.0 after shrinking; now 1.33).
 */
import type { PlayerStatsSummary } from './player-stats';
import type { PlayerFlags, ThreatAssessment, ThreatBreakdown, ThreatLevel } from './types';

export const POPULATION = { rating: 1, winRate: 0.5, kd: 1 } as const;
export const SHRINK_K = { rating: 5, kd: 5, winRate: 20 } as const;
/** Deaths in a typical match (≈ 0.66 deaths per round × 22 rounds): the size of one pseudo-match of K/D. */
export const DEATHS_PER_MATCH = 15;

/** K/D from kills and deaths plus k pseudo-matches at the prior: never infinite, never the kill count. */
export function shrinkKd(kills: number, deaths: number, prior: number, k: number = SHRINK_K.kd): number {
  const pseudoDeaths = k * DEATHS_PER_MATCH;
  return (kills + pseudoDeaths * prior) / (deaths + pseudoDeaths);
}

/** Fewer matches than this → small-sample flag. */
export const SMALL_SAMPLE = 10;
/** A smurf flag needs at least this many matches of evidence. */
export const SMURF_MIN_MATCHES = 5;
/** "New account": fewer lifetime matches than this. */
export const SMURF_NEW_ACCOUNT_MATCHES = 30;
/** Few matches + high stats: rating ≥ this and K/D ≥ SMURF_KD (or K/D ≥ SMURF_KD_ALONE when rating is unknown). */
export const SMURF_RATING = 1.25;
export const SMURF_KD = 1.4;
export const SMURF_KD_ALONE = 1.6;
/** Low level + high rating: level ≤ this and rating ≥ SMURF_LOW_LEVEL_RATING. New accounts start at level 4. */
export const SMURF_LOW_LEVEL = 4;
export const SMURF_LOW_LEVEL_RATING = 1.3;

export const ELO_EDGE_STRONG = 300;
export const ELO_EDGE = 150;

/** (n·value + k·prior) / (n + k); n ≤ 0 → prior. */
export function shrink(value: number, n: number, prior: number, k: number): number {
  if (!(n > 0)) return prior;
  return (n * value + k * prior) / (n + k);
}

export interface Priors {
  rating: number;
  winRate: number;
  kd: number;
}

/** The player's lifetime figures shrunk toward the population (population average when lifetime is unknown). */
export function priorsFor(summary: PlayerStatsSummary): Priors {
  const l = summary.source === 'recent' ? summary.lifetime : null;
  if (!l) return { ...POPULATION };
  return {
    rating:
      l.rating !== null ? shrink(l.rating, l.matches, POPULATION.rating, SHRINK_K.rating) : POPULATION.rating,
    winRate:
      l.winRate !== null
        ? shrink(l.winRate, l.matches, POPULATION.winRate, SHRINK_K.winRate)
        : POPULATION.winRate,
    kd: l.kd !== null ? shrink(l.kd, l.matches, POPULATION.kd, SHRINK_K.kd) : POPULATION.kd,
  };
}

export function detectFlags(summary: PlayerStatsSummary, level: number | null): PlayerFlags {
  const noData = summary.source === 'none';
  const n = summary.matches;
  const smallSample = !noData && n < SMALL_SAMPLE;
  const lifetimeMatches = summary.lifetime?.matches ?? n;
  const { rating, kd } = summary;
  const highStats =
    kd !== null && (rating !== null ? rating >= SMURF_RATING && kd >= SMURF_KD : kd >= SMURF_KD_ALONE);
  const newAccount = n < SMALL_SAMPLE && lifetimeMatches < SMURF_NEW_ACCOUNT_MATCHES;
  const lowLevelHighRating =
    level !== null && level <= SMURF_LOW_LEVEL && rating !== null && rating >= SMURF_LOW_LEVEL_RATING;
  const possibleSmurf =
    !noData && n >= SMURF_MIN_MATCHES && ((newAccount && highStats) || lowLevelHighRating);
  return { noData, smallSample, possibleSmurf };
}

export function ratingPoints(r: number): number {
  if (r >= 1.3) return 2;
  if (r >= 1.1) return 1;
  if (r >= 1.0) return 0.5;
  return 0;
}

/** win rate as 0–1 */
export function winRatePoints(wr: number): number {
  if (wr >= 0.7) return 1.5;
  if (wr >= 0.6) return 1;
  if (wr >= 0.5) return 0.5;
  return 0;
}

export function kdPoints(kd: number): number {
  if (kd >= 1.3) return 1;
  if (kd >= 1.1) return 0.5;
  return 0;
}

/** Wins among the last (up to) 5 results. */
export function recentPoints(form: readonly ('W' | 'L')[]): number {
  const wins = form.slice(0, 5).filter((r) => r === 'W').length;
  if (wins >= 4) return 0.5;
  if (wins >= 3) return 0.3;
  return 0;
}

export function eloPoints(elo: number | null, lobbyAvgElo: number | null): number {
  if (elo === null || lobbyAvgElo === null) return 0;
  const d = elo - lobbyAvgElo;
  if (d >= ELO_EDGE_STRONG) return 1;
  if (d >= ELO_EDGE) return 0.5;
  if (d <= -ELO_EDGE_STRONG) return -0.5;
  return 0;
}

export function levelFromPoints(points: number): ThreatLevel {
  return Math.min(5, Math.max(1, Math.floor(points + 1e-9) + 1)) as ThreatLevel;
}

export interface ThreatContext {
  elo: number | null;
  lobbyAvgElo: number | null;
  flags: PlayerFlags;
}

/** Null when there is nothing to judge the player by. */
export function assessThreat(summary: PlayerStatsSummary, ctx: ThreatContext): ThreatAssessment | null {
  if (summary.source === 'none') return null;
  const priors = priorsFor(summary);
  const raw = ctx.flags.possibleSmurf;
  const n = summary.matches;
  const pick = (v: number | null, prior: number, k: number): number =>
    v === null ? prior : raw ? v : shrink(v, n, prior, k);
  // Rounded as they are displayed (R 1.00, K/D 1.10, 60 %), so a shown 1.00 never scores as 0.99997.
  const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
  const scored = {
    rating: round(pick(summary.rating, priors.rating, SHRINK_K.rating), 2),
    winRate: round(pick(summary.winRate, priors.winRate, SHRINK_K.winRate), 3),
    kd: round(
      !raw && summary.kills !== null && summary.deaths !== null
        ? shrinkKd(summary.kills, summary.deaths, priors.kd)
        : pick(summary.kd, priors.kd, SHRINK_K.kd),
      2,
    ),
  };
  const breakdown: ThreatBreakdown = {
    rating: ratingPoints(scored.rating),
    winRate: winRatePoints(scored.winRate),
    kd: kdPoints(scored.kd),
    recent: recentPoints(summary.form),
    elo: eloPoints(ctx.elo, ctx.lobbyAvgElo),
  };
  const points = breakdown.rating + breakdown.winRate + breakdown.kd + breakdown.recent + breakdown.elo;
  return {
    level: levelFromPoints(points),
    points: Math.round(points * 100) / 100,
    breakdown,
    scored,
    sampleWeight: raw ? 1 : n / (n + SHRINK_K.rating),
  };
}
