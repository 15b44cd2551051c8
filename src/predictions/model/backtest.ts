/**
 * Backtest of the ELO baseline against the bot's model on finished matches (npm run bench:quality). Pure.
 *
 * A dataset record is one finished match as it looked BEFORE it was played: the rosters with each player's skill
 * level from the match room, and each player's /games/cs2/stats items that finished before the match started (the
 * leak-free window; never today's ELO or lifetime figures). FACEIT's Data API has no past ELO, so the baseline of
 * the backtest is the Elo formula on ELOs estimated from the levels (the analysis's own fallback), and the model
 * is that baseline plus the statistics' terms: the backtest measures what the statistics add.
 */
import {
  analyzeLobby,
  featuresOf,
  MODEL_WEIGHTS,
  predict,
  type LobbyInput,
  type ModelWeights,
  type RecentMatchStats,
} from '../../analysis/model';
import { brier, logLoss } from './scores';

export interface DatasetPlayer {
  playerId: string;
  nickname: string;
  level: number | null;
  /** Items finished before the match started, newest first. */
  recent: RecentMatchStats[];
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
  elo: number;
  features: { rating: number; form: number; map: number };
}

/** The analysis of the match from the pre-match data, and its features. */
export function forecastOf(r: DatasetRecord): Forecast {
  const players: Record<string, NonNullable<LobbyInput['players'][string]>> = {};
  const faction = (f: 'faction1' | 'faction2') => ({
    name: r.factions[f].name,
    roster: r.factions[f].players.map((p) => {
      players[p.playerId] = {
        details: { elo: null, level: p.level, country: null },
        recent: p.recent,
        lifetime: null,
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
  const f = featuresOf(analysis);
  return {
    matchId: r.matchId,
    finishedAt: r.finishedAt,
    y: r.winner === 'faction1' ? 1 : 0,
    elo: analysis.winProbability?.faction1 ?? 0.5,
    features: { rating: f.rating, form: f.form, map: f.map },
  };
}

export const modelP = (f: Forecast, w: ModelWeights = MODEL_WEIGHTS): number =>
  predict(f.elo, { ...f.features, hasStats: true }, w).model ?? f.elo;

/**
 * Weights fitted by logistic regression with the baseline's logit as a fixed offset (Newton's method, L2 penalty
 * λ toward 0 = "ELO alone"), so a weight moves only as far as the data carries it.
 */
export function fitWeights(train: readonly Forecast[], lambda = 1, iterations = 25): ModelWeights {
  const x = (f: Forecast) => [f.features.rating, f.features.form, f.features.map];
  let w = [0, 0, 0];
  for (let it = 0; it < iterations; it++) {
    const g = w.map((wi) => lambda * wi);
    const h = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? lambda : 0)));
    for (const f of train) {
      const xi = x(f);
      const q = Math.min(0.98, Math.max(0.02, f.elo));
      const p = 1 / (1 + Math.exp(-(Math.log(q / (1 - q)) + xi[0] * w[0] + xi[1] * w[1] + xi[2] * w[2])));
      for (let a = 0; a < 3; a++) {
        g[a] += (p - f.y) * xi[a];
        for (let b = 0; b < 3; b++) h[a][b] += p * (1 - p) * xi[a] * xi[b];
      }
    }
    const step = solve3(h, g);
    w = w.map((wi, i) => wi - step[i]);
    if (step.every((s) => Math.abs(s) < 1e-9)) break;
  }
  return { rating: w[0], form: w[1], map: w[2] };
}

function solve3(a: number[][], b: number[]): number[] {
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < 3; c++) {
    let pivot = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    if (Math.abs(m[c][c]) < 1e-12) return [0, 0, 0];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const k = m[r][c] / m[c][c];
      for (let k2 = c; k2 < 4; k2++) m[r][k2] -= k * m[c][k2];
    }
  }
  return [0, 1, 2].map((i) => m[i][3] / m[i][i]);
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
