/**
 * The backtest harness: a dataset collected from the FACEIT emulator (leak-free windows), forecasts from it, the
 * weight fit and the bootstrap interval; and the emulator's outcomes come from hidden strength, not ELO.
 */
import { randomUUID } from 'node:crypto';
import { startFaceitEmulator, type FaceitEmulator } from '../../emulators/faceit';
import { hiddenStrength } from '../../emulators/faceit/lobbies';
import { generatePlayer } from '../../emulators/faceit/players';
import { createFaceitClient } from '../../src/faceit';
import { AGGREGATE_KEYS, type TeamAggregates } from '../../src/analysis/model';
import {
  bootstrapDifference,
  fitWeights,
  forecastOf,
  modelP,
  scoresOf,
  type Forecast,
} from '../../src/predictions/model/backtest';
import { collect } from '../../scripts/quality-collect';
import { testConfig, testLogger } from '../harness';

jest.setTimeout(120_000);

describe('backtest harness on the emulator', () => {
  let emulator: FaceitEmulator;
  beforeAll(async () => {
    emulator = await startFaceitEmulator({
      port: 0,
      seed: randomUUID(),
      players: 600,
      latencyMs: 1,
      rateLimit: { limit: 200 },
    });
  });
  afterAll(() => emulator?.stop());

  it('collects finished matches with windows that end before each match started', async () => {
    const config = testConfig({
      FACEIT_API_BASE_URL: emulator.baseUrl,
      FACEIT_API_KEY: emulator.apiKey,
      FACEIT_RATE_LIMIT_PER_SECOND: '200',
    });
    const faceit = createFaceitClient({ config, redis: null, logger: testLogger, metricsRegistry: null });
    const [seed] = emulator.control.findPlayers({ minMatches: 200, hasCs2: true, limit: 1 });
    try {
      const records = await collect(faceit, seed.nickname, 12, 15);
      expect(records).toHaveLength(12);
      expect(new Set(records.map((r) => r.matchId)).size).toBe(12);
      for (const r of records) {
        expect(['faction1', 'faction2']).toContain(r.winner);
        const players = [...r.factions.faction1.players, ...r.factions.faction2.players];
        expect(players).toHaveLength(10);
        for (const p of players) {
          expect(p.recent.length).toBeLessThanOrEqual(15);
          // Leak-free: nothing that finished after the match started, and never the match itself.
          expect(
            p.recent.every((m) => (m.finishedAt ?? Infinity) < r.startedAt && m.matchId !== r.matchId),
          ).toBe(true);
        }
        expect(players.some((p) => p.recent.length > 0)).toBe(true);
      }
      const forecasts = records.map(forecastOf);
      for (const f of forecasts) {
        expect(f.elo).toBeGreaterThan(0);
        expect(f.elo).toBeLessThan(1);
        expect(modelP(f)).toBeGreaterThan(0);
      }
      expect(scoresOf(forecasts.map((f) => ({ p: 0.5, y: f.y }))).brier).toBeCloseTo(0.25, 12);
    } finally {
      await faceit.close();
    }
  });
});

describe('weights from data', () => {
  /** Synthetic forecasts whose outcomes follow known weights on top of the baseline (as aggregate differences). */
  function synthetic(
    n: number,
    truth: { recentRating: number; mapWinRate: number; form: number },
  ): Forecast[] {
    let s = 42;
    const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const team = (x: Partial<TeamAggregates>): TeamAggregates =>
      ({
        ...Object.fromEntries(AGGREGATE_KEYS.map((k) => [k, null])),
        ...x,
      }) as TeamAggregates;
    return Array.from({ length: n }, (_, i) => {
      const d = { recentRating: next() - 0.5, mapWinRate: (next() - 0.5) / 2, form: (next() - 0.5) / 2 };
      const elo = 0.3 + 0.4 * next();
      const x =
        Math.log(elo / (1 - elo)) +
        truth.recentRating * d.recentRating +
        truth.mapWinRate * d.mapWinRate +
        truth.form * d.form;
      const a = team({
        recent_rating: 1 + d.recentRating,
        map_win_rate: 0.5 + d.mapWinRate,
        recent_win_rate: 0.5 + d.form,
      });
      const b = team({ recent_rating: 1, map_win_rate: 0.5, recent_win_rate: 0.5 });
      return {
        matchId: String(i),
        finishedAt: i,
        y: next() < 1 / (1 + Math.exp(-x)) ? 1 : 0,
        elo,
        inputs: [a, b],
      };
    });
  }

  it('recovers the weights that generated the outcomes, and shrinks to ELO alone without signal', () => {
    const fitted = fitWeights(synthetic(20_000, { recentRating: 2, mapWinRate: 1, form: 0 }), 1);
    expect(fitted.recentRating).toBeGreaterThan(1.7);
    expect(fitted.recentRating).toBeLessThan(2.3);
    expect(fitted.mapWinRate).toBeGreaterThan(0.5);
    expect(Math.abs(fitted.form)).toBeLessThan(0.4);
    // Terms without data (null on both sides) stay at 0.
    expect(fitted.mapRating).toBe(0);
    expect(fitted.soloPlayers).toBe(0);
    const none = fitWeights(synthetic(20_000, { recentRating: 0, mapWinRate: 0, form: 0 }), 1);
    expect(Math.abs(none.recentRating)).toBeLessThan(0.25);
  });

  it('puts a bootstrap interval around the mean difference', () => {
    const a = Array.from({ length: 400 }, (_, i) => 0.2 + (i % 7) / 100);
    const b = a.map((x, i) => x + 0.01 + ((i % 3) - 1) / 100);
    const d = bootstrapDifference(a, b);
    expect(d.mean).toBeCloseTo(-0.01, 3);
    expect(d.low).toBeLessThan(d.mean);
    expect(d.high).toBeGreaterThan(d.mean);
    expect(d.high).toBeLessThan(0);
    expect(bootstrapDifference(a, b)).toEqual(d); // deterministic
  });
});

describe('emulator outcomes come from hidden strength that ELO only estimates', () => {
  it('is deterministic per seed and player, and differs from ELO by the statistics and a hidden part', () => {
    const players = Array.from({ length: 200 }, (_, i) =>
      generatePlayer('hidden', i, Date.UTC(2026, 0, 1)),
    ).filter((p) => !p.noCs2);
    const gaps = players.map((p) => hiddenStrength('hidden', p, p.baseElo, 'de_mirage') - p.baseElo);
    expect(players.map((p) => hiddenStrength('hidden', p, p.baseElo, 'de_mirage') - p.baseElo)).toEqual(gaps);
    const sd = Math.sqrt(gaps.reduce((s, g) => s + g * g, 0) / gaps.length);
    expect(sd).toBeGreaterThan(60);
    expect(sd).toBeLessThan(300);
    // Players whose K/D beats what their ELO implies are stronger than their ELO, on average.
    const z = (p: (typeof players)[number]) => Math.log(p.baseElo / 1100) / 0.42;
    const above = players.filter((p) => p.skill.kd > 0.92 + 0.14 * z(p) + 0.05);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(
      mean(above.map((p) => hiddenStrength('hidden', p, p.baseElo, 'de_mirage') - p.baseElo)),
    ).toBeGreaterThan(0);
  });
});
