/**
 * Backtest of the ELO baseline against the bot's model on finished matches (npm run bench:quality). Pure.
 *
 * A dataset record is one finished match as it looked BEFORE it was played: the rosters with each player's skill
 * level from the match room, and each player's /games/cs2/stats items that finished before the match started (the
 * leak-free window; never today's ELO or lifetime figures). FACEIT's Data API has no past ELO, so the baseline of
 * the backtest is the Elo formula on ELOs estimated from the levels (the analysis's own fallback), and the model
 * is that baseline plus the statistics' terms (prediction.ts): the backtest measures what the statistics add.
 */
import {
  analyzeLobby,
  MODEL,
  scoreMatch,
  type LifetimeStats,
  type LobbyInput,
  type ModelCoefficients,
  type RecentMatchStats,
  type TeamAggregates,
} from '../../analysis/model';
import {
  brier,
  compare,
  logLoss,
  pairedDifference,
  scoreForecasts,
  type Comparison,
  type ForecastScore,
  type PairedDifference,
} from './scores';

export interface DatasetPlayer {
  playerId: string;
  nickname: string;
  level: number | null;
  /**
   * ELO at match time, where the dataset knows it (the emulator's skill world does; FACEIT's Data API has no past
   * ELO, so a collected dataset has none and the analysis estimates it from the level).
   */
  elo?: number | null;
  /** Items finished before the match started, newest first. */
  recent: RecentMatchStats[];
  /** Lifetime figures as of the match start, where the dataset knows them (never a collected one: they leak). */
  lifetime?: LifetimeStats | null;
}

export interface DatasetRecord {
  matchId: string;
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number;
  map: string | null;
  winner: 'faction1' | 'faction2';
  factions: Record<'faction1' | 'faction2', { name: string; players: DatasetPlayer[] }>;
}

export interface Forecast {
  matchId: string;
  finishedAt: number;
  y: 0 | 1;
  /** ELO alone (recalibrated), faction1; 0.5 when no ELO could be estimated. */
  elo: number;
  /** The teams' aggregates the model reads (faction1, faction2): what a `model:score` line carries. */
  inputs: [TeamAggregates, TeamAggregates];
}

/** The model's terms fitted beyond ELO alone, in this order. */
export const FITTED_TERMS = ['recentRating', 'mapRating', 'mapWinRate', 'form', 'soloPlayers'] as const;
type FittedTerm = (typeof FITTED_TERMS)[number];
/** Terms scored with unit weights (ELO's slope kept): the features the fit multiplies. */
const UNIT: ModelCoefficients = {
  eloSlope: MODEL.eloSlope,
  recentRating: 1,
  mapRating: 1,
  mapWinRate: 1,
  form: 1,
  soloPlayers: 1,
};

/** The analysis of the match from the pre-match data, and its features. */
export function forecastOf(r: DatasetRecord): Forecast {
  const players: Record<string, NonNullable<LobbyInput['players'][string]>> = {};
  const faction = (f: 'faction1' | 'faction2') => ({
    name: r.factions[f].name,
    roster: r.factions[f].players.map((p) => {
      players[p.playerId] = {
        details: { elo: p.elo ?? null, level: p.level, country: null },
        recent: p.recent,
        lifetime: p.lifetime ?? null,
      };
      return { playerId: p.playerId, nickname: p.nickname, skillLevel: p.level };
    }),
  });
  const analysis = analyzeLobby({
    match: {
      matchId: r.matchId,
      status: 'READY',
      pickedMap: r.map,
      factions: { faction1: faction('faction1'), faction2: faction('faction2') },
    },
    players,
  });
  const inputs = analysis.modelInputs;
  if (!inputs) throw new Error('the analysis has no model inputs');
  return {
    matchId: r.matchId,
    finishedAt: r.finishedAt,
    y: r.winner === 'faction1' ? 1 : 0,
    elo: analysis.winProbability?.faction1 ?? 0.5,
    inputs: [inputs.faction1, inputs.faction2],
  };
}

/** The model's probability for faction1 with the given coefficients (the shipped ones by default). */
export const modelP = (f: Forecast, w: ModelCoefficients = MODEL): number =>
  scoreMatch(f.inputs[0], f.inputs[1], w).model ?? f.elo;

/**
 * Weights fitted by logistic regression with ELO alone's logit as a fixed offset (Newton's method, L2 penalty λ
 * toward 0 = "ELO alone"), so a weight moves only as far as the data carries it. ELO's slope stays the shipped one.
 */
export function fitWeights(train: readonly Forecast[], lambda = 1, iterations = 25): ModelCoefficients {
  const k = FITTED_TERMS.length;
  const rows = train.map((f) => {
    const t = scoreMatch(f.inputs[0], f.inputs[1], UNIT).terms;
    const q = Math.min(0.98, Math.max(0.02, f.elo));
    return { x: FITTED_TERMS.map((name) => t[name]), offset: Math.log(q / (1 - q)), y: f.y };
  });
  let w = new Array<number>(k).fill(0);
  for (let it = 0; it < iterations; it++) {
    const g = w.map((wi) => lambda * wi);
    const h = w.map((_, i) => w.map((__, j) => (i === j ? lambda : 0)));
    for (const r of rows) {
      const z = r.offset + r.x.reduce((s, xi, i) => s + xi * w[i], 0);
      const p = 1 / (1 + Math.exp(-z));
      for (let a = 0; a < k; a++) {
        g[a] += (p - r.y) * r.x[a];
        for (let b = 0; b < k; b++) h[a][b] += p * (1 - p) * r.x[a] * r.x[b];
      }
    }
    const step = solve(h, g);
    w = w.map((wi, i) => wi - step[i]);
    if (step.every((s) => Math.abs(s) < 1e-9)) break;
  }
  const fitted = Object.fromEntries(FITTED_TERMS.map((name, i) => [name, w[i]])) as Record<
    FittedTerm,
    number
  >;
  return { eloSlope: MODEL.eloSlope, ...fitted };
}

/** Gaussian elimination with partial pivoting; zeros when the system is singular. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    if (Math.abs(m[c][c]) < 1e-12) return new Array<number>(n).fill(0);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / m[i][i]);
}

export interface Scores {
  n: number;
  brier: number;
  logLoss: number;
  /** Share of matches with a favourite that it won; null when no match had one (a coin flip). */
  accuracy: number | null;
}

export function scoresOf(items: ReadonlyArray<{ p: number; y: 0 | 1 }>): Scores {
  const n = items.length;
  const decided = items.filter((i) => i.p !== 0.5);
  return {
    n,
    brier: items.reduce((s, i) => s + brier(i.p, i.y), 0) / Math.max(1, n),
    logLoss: items.reduce((s, i) => s + logLoss(i.p, i.y), 0) / Math.max(1, n),
    accuracy: decided.length
      ? decided.filter((i) => (i.p > 0.5 ? i.y === 1 : i.y === 0)).length / decided.length
      : null,
  };
}

/** Deterministic PRNG (mulberry32) for the bootstrap. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 95 % bootstrap interval of mean(a − b) over paired per-match losses. */
export function bootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  resamples = 2000,
  seed = 13,
): { mean: number; low: number; high: number } {
  const n = a.length;
  const d = a.map((x, i) => x - b[i]);
  const mean = d.reduce((s, x) => s + x, 0) / Math.max(1, n);
  if (n === 0) return { mean: 0, low: 0, high: 0 };
  const next = rng(seed);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(next() * n)];
    means.push(s / n);
  }
  means.sort((x, y) => x - y);
  return { mean, low: means[Math.floor(0.025 * resamples)], high: means[Math.floor(0.975 * resamples)] };
}

/** FACEIT's ELO formula's logit, Δ·ln10/400 on the teams' mean ELO (0 when either is unknown). */
export function eloFormulaLogit(f: Forecast): number {
  const a = f.inputs[0].mean_elo;
  const b = f.inputs[1].mean_elo;
  return typeof a === 'number' && typeof b === 'number' ? ((a - b) * Math.LN10) / 400 : 0;
}

/** The slope on the ELO formula's logit that fits the matches best (one-parameter logistic regression, Newton). */
export function fitEloSlope(fit: readonly Forecast[], iterations = 50): number {
  const rows = fit.map((f) => ({ x: eloFormulaLogit(f), y: f.y }));
  let w = 1;
  for (let it = 0; it < iterations; it++) {
    let g = 0;
    let h = 1e-9;
    for (const r of rows) {
      const p = 1 / (1 + Math.exp(-w * r.x));
      g += (p - r.y) * r.x;
      h += p * (1 - p) * r.x * r.x;
    }
    const step = g / h;
    w -= step;
    if (Math.abs(step) < 1e-10) break;
  }
  return w;
}

export interface ForecasterResult {
  name: string;
  score: ForecastScore;
  /** Against ELO alone (recalibrated), paired per match: below 0 = better (Brier, log-loss), above 0 = better (accuracy). */
  vsEloAlone: Comparison & { accuracy: PairedDifference };
}

export interface BacktestResult {
  fitMatches: number;
  scoredMatches: number;
  /** ELO alone's slope on the ELO formula's logit, fitted on the fitting half. */
  eloSlope: number;
  forecasters: ForecasterResult[];
}

/** 1 when the favourite won, 0 when it lost, ½ without a favourite (a coin flip's expected accuracy). */
const hit = (p: number, y: 0 | 1): number => (p === 0.5 ? 0.5 : p > 0.5 === (y === 1) ? 1 : 0);

/**
 * The backtest: ELO alone's slope fitted on `fit`, then every forecaster scored on `test` (Brier, log-loss, the
 * favourite's win rate) with the paired 95 % intervals /accuracy uses (scores.ts) against ELO alone. Forecasters:
 * a coin flip, FACEIT's raw ELO formula, ELO alone, the shipped model, and `oracle` when the generating
 * probabilities are known (a world whose process is known: the ceiling no forecaster can beat on average).
 */
export function backtest(
  fit: readonly Forecast[],
  test: readonly Forecast[],
  oracle?: readonly number[],
): BacktestResult {
  const eloSlope = fitEloSlope(fit);
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const alone = test.map((f) => sigmoid(eloSlope * eloFormulaLogit(f)));
  const rows: Array<[string, number[]]> = [
    ['coin flip', test.map(() => 0.5)],
    ['ELO formula (raw)', test.map((f) => sigmoid(eloFormulaLogit(f)))],
    ['ELO alone (recalibrated)', alone],
    ['shipped model', test.map((f) => modelP(f))],
  ];
  if (oracle) rows.push(['oracle (hidden skill)', [...oracle]]);
  const y = test.map((f) => f.y);
  return {
    fitMatches: fit.length,
    scoredMatches: test.length,
    eloSlope,
    forecasters: rows.map(([name, ps]) => ({
      name,
      score: scoreForecasts(ps.map((p, i) => ({ p, y: y[i] }))),
      vsEloAlone: {
        ...compare(ps.map((p, i) => ({ ours: p, base: alone[i], y: y[i] }))),
        accuracy: pairedDifference(ps.map((p, i) => hit(p, y[i]) - hit(alone[i], y[i]))),
      },
    })),
  };
}
