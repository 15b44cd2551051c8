/**
 * How good the predictions were, on matches whose result is known. Pure functions.
 *
 * Every match is scored from faction1's side: p = predicted probability that faction1 wins, y = 1 when it did.
 *   Brier    = mean (p − y)²                       (0 perfect, 0.25 a coin flip, lower is better)
 *   log-loss = mean −[y·ln p + (1−y)·ln(1−p)]       (ln 2 ≈ 0.693 a coin flip, lower is better; p kept in
 *                                                    [0.001, 0.999] so one confident miss is costly, not infinite)
 *   favourite win rate = share of matches with a favourite (p ≠ 0.5) that the favourite won
 * The coin flip (p = 0.5 always) is the floor any model must beat; the ELO baseline is what ours must beat.
 */

export interface ScoredMatch {
  /** ELO baseline, faction1. Null when the analysis had no ELO. */
  elo: number | null;
  /** The bot's model, faction1 (falls back to the baseline for analyses stored before the model existed). */
  model: number | null;
  /** FACEIT's own probability for faction1, where the match room carried one (a third baseline). */
  faceit?: number | null;
  /** 1 when faction1 won. */
  y: 0 | 1;
}

export interface ForecastScore {
  /** Matches scored (those where this forecaster had a probability). */
  n: number;
  brier: number | null;
  logLoss: number | null;
  /** Matches with a favourite, and how many of them the favourite won. */
  decided: number;
  favouriteWins: number;
  favouriteWinRate: number | null;
}

/** Mean of the paired per-match differences (ours − a baseline) with its 95 % normal-approximation interval. */
export interface PairedDifference {
  mean: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The model against one baseline on the matches both forecast: Brier and log-loss differences (below 0 = ours is
 * better) and what can be said of them:
 *   too-few           fewer than SMALL_SAMPLE matches: nothing, whatever the interval says
 *   indistinguishable either interval includes zero
 *   better / worse    both intervals exclude zero, on the same side
 */
export interface Comparison {
  n: number;
  brier: PairedDifference;
  logLoss: PairedDifference;
  verdict: 'too-few' | 'indistinguishable' | 'better' | 'worse';
}

/** Calls of CONFIDENT or more for the favourite, and how many of them came true. */
export interface ConfidentCalls {
  calls: number;
  wins: number;
  rate: number | null;
}

export interface AccuracySummary {
  matches: number;
  model: ForecastScore;
  elo: ForecastScore;
  /** FACEIT's own probability, on the matches that carried one (`n` says how many). */
  faceit: ForecastScore;
  coin: ForecastScore;
  /** Ours against ELO alone (recalibrated), and against FACEIT's own probability where the room carried it. */
  vsElo: Comparison;
  vsFaceit: Comparison | null;
  /** Hit rate of the calls of 60 % or more. */
  confident: { model: ConfidentCalls; elo: ConfidentCalls; faceit: ConfidentCalls };
  /** Fewer matches than this: the figures are mostly noise, and the report says so. */
  small: boolean;
}

/** Below this many scored matches the difference between forecasters is not worth reading. */
export const SMALL_SAMPLE = 100;
/** A "confident call": the favourite's probability at least this. */
export const CONFIDENT = 0.6;
const Z95 = 1.959964;
const EPS = 0.001;

export function brier(p: number, y: 0 | 1): number {
  return (p - y) ** 2;
}

export function logLoss(p: number, y: 0 | 1): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
}

export function scoreForecasts(items: ReadonlyArray<{ p: number | null; y: 0 | 1 }>): ForecastScore {
  const known = items.filter((i): i is { p: number; y: 0 | 1 } => i.p !== null && Number.isFinite(i.p));
  const n = known.length;
  const decided = known.filter((i) => i.p !== 0.5);
  const favouriteWins = decided.filter((i) => (i.p > 0.5 ? i.y === 1 : i.y === 0)).length;
  return {
    n,
    brier: n ? known.reduce((s, i) => s + brier(i.p, i.y), 0) / n : null,
    logLoss: n ? known.reduce((s, i) => s + logLoss(i.p, i.y), 0) / n : null,
    decided: decided.length,
    favouriteWins,
    favouriteWinRate: decided.length ? favouriteWins / decided.length : null,
  };
}

/** Mean and 95 % normal-approximation interval of paired differences (one per match). */
export function pairedDifference(d: readonly number[]): PairedDifference {
  const n = d.length;
  if (n === 0) return { mean: null, low: null, high: null };
  const mean = d.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { mean, low: null, high: null };
  const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  const half = Z95 * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}

/** Ours against a baseline on the matches where both have a probability. */
export function compare(
  items: ReadonlyArray<{ ours: number | null; base: number | null; y: 0 | 1 }>,
): Comparison {
  const both = items.filter(
    (i): i is { ours: number; base: number; y: 0 | 1 } =>
      i.ours !== null && i.base !== null && Number.isFinite(i.ours) && Number.isFinite(i.base),
  );
  const b = pairedDifference(both.map((i) => brier(i.ours, i.y) - brier(i.base, i.y)));
  const l = pairedDifference(both.map((i) => logLoss(i.ours, i.y) - logLoss(i.base, i.y)));
  const side = (d: PairedDifference) =>
    d.low === null || d.high === null ? 0 : d.high < 0 ? -1 : d.low > 0 ? 1 : 0;
  const verdict =
    both.length < SMALL_SAMPLE
      ? 'too-few'
      : side(b) === -1 && side(l) === -1
        ? 'better'
        : side(b) === 1 && side(l) === 1
          ? 'worse'
          : 'indistinguishable';
  return { n: both.length, brier: b, logLoss: l, verdict };
}

export function confidentCalls(items: ReadonlyArray<{ p: number | null; y: 0 | 1 }>): ConfidentCalls {
  const calls = items.filter(
    (i): i is { p: number; y: 0 | 1 } => i.p !== null && Math.max(i.p, 1 - i.p) >= CONFIDENT - 1e-9,
  );
  const wins = calls.filter((i) => (i.p > 0.5 ? i.y === 1 : i.y === 0)).length;
  return { calls: calls.length, wins, rate: calls.length ? wins / calls.length : null };
}

export function summarise(matches: readonly ScoredMatch[]): AccuracySummary {
  const ours = (m: ScoredMatch) => m.model ?? m.elo;
  const withFaceit = matches.filter((m) => m.faceit !== null && m.faceit !== undefined);
  return {
    matches: matches.length,
    model: scoreForecasts(matches.map((m) => ({ p: ours(m), y: m.y }))),
    elo: scoreForecasts(matches.map((m) => ({ p: m.elo, y: m.y }))),
    faceit: scoreForecasts(matches.map((m) => ({ p: m.faceit ?? null, y: m.y }))),
    coin: scoreForecasts(matches.map((m) => ({ p: 0.5, y: m.y }))),
    vsElo: compare(matches.map((m) => ({ ours: ours(m), base: m.elo, y: m.y }))),
    vsFaceit: withFaceit.length
      ? compare(withFaceit.map((m) => ({ ours: ours(m), base: m.faceit ?? null, y: m.y })))
      : null,
    confident: {
      model: confidentCalls(matches.map((m) => ({ p: ours(m), y: m.y }))),
      elo: confidentCalls(matches.map((m) => ({ p: m.elo, y: m.y }))),
      faceit: confidentCalls(withFaceit.map((m) => ({ p: m.faceit ?? null, y: m.y }))),
    },
    small: matches.length < SMALL_SAMPLE,
  };
}

export interface ReliabilityBin {
  /** Bin bounds on the favourite's predicted probability, e.g. 0.5–0.6. */
  from: number;
  to: number;
  n: number;
  /** Mean predicted probability of the favourite in the bin. */
  predicted: number | null;
  /** How often the favourite won in the bin. */
  observed: number | null;
}

/**
 * Reliability (calibration) of a forecaster, folded onto the favourite's side so every match counts once:
 * q = max(p, 1 − p) ∈ [0.5, 1], won = the favourite won. Perfect calibration puts every bin on the diagonal.
 */
export function reliability(
  items: ReadonlyArray<{ p: number | null; y: 0 | 1 }>,
  edges: readonly number[] = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
): ReliabilityBin[] {
  const bins = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1], n: 0, sumP: 0, wins: 0 }));
  for (const { p, y } of items) {
    if (p === null || !Number.isFinite(p)) continue;
    const q = Math.max(p, 1 - p);
    const won = p >= 0.5 ? y === 1 : y === 0;
    const bin = bins.find((b, i) => q >= b.from && (q < b.to || i === bins.length - 1));
    if (!bin) continue;
    bin.n += 1;
    bin.sumP += q;
    bin.wins += won ? 1 : 0;
  }
  return bins.map((b) => ({
    from: b.from,
    to: b.to,
    n: b.n,
    predicted: b.n ? b.sumP / b.n : null,
    observed: b.n ? b.wins / b.n : null,
  }));
}
