import { hltvRating } from '../../src/analysis/model/rating';
import { summarisePlayer } from '../../src/analysis/model/player-stats';
import {
  assessThreat,
  detectFlags,
  eloPoints,
  kdPoints,
  levelFromPoints,
  ratingPoints,
  recentPoints,
  shrink,
  winRatePoints,
} from '../../src/analysis/model/threat';
import type { ThreatAssessment } from '../../src/analysis/model/types';
import { ESTABLISHED_STAR, lifetime, playerInput, type PlayerSpec } from './fixtures';

function assess(spec: PlayerSpec, lobbyAvgElo: number | null = 2000) {
  const summary = summarisePlayer(playerInput(spec, 'p'));
  const flags = detectFlags(summary, spec.level ?? 10);
  const threat = assessThreat(summary, { elo: spec.elo ?? 2000, lobbyAvgElo, flags }) as ThreatAssessment;
  return { summary, flags, threat };
}

/** The old bot's scheme on raw figures (no shrinkage, no ELO). */
function oldLevel(rating: number, winRate: number, kd: number, form: ('W' | 'L')[]): number {
  return levelFromPoints(ratingPoints(rating) + winRatePoints(winRate) + kdPoints(kd) + recentPoints(form));
}

describe('point table (kept from the old bot)', () => {
  it('scores rating, win rate, K/D and recent wins as before', () => {
    expect([0.99, 1.0, 1.1, 1.3].map(ratingPoints)).toEqual([0, 0.5, 1, 2]);
    expect([0.49, 0.5, 0.6, 0.7].map(winRatePoints)).toEqual([0, 0.5, 1, 1.5]);
    expect([1.09, 1.1, 1.3].map(kdPoints)).toEqual([0, 0.5, 1]);
    expect(recentPoints(['W', 'W', 'W', 'W', 'L', 'L'])).toBe(0.5);
    expect(recentPoints(['W', 'L', 'W', 'W', 'L', 'W'])).toBe(0.3);
    expect(recentPoints(['L', 'L', 'W', 'W', 'L', 'W', 'W', 'W'])).toBe(0);
    expect([0, 0.9, 1, 3.99, 4, 6].map(levelFromPoints)).toEqual([1, 1, 2, 4, 5, 5]);
  });

  it('shrinks by n/(n+k)', () => {
    expect(shrink(2, 0, 1, 5)).toBe(1);
    expect(shrink(2, 5, 1, 5)).toBe(1.5);
    expect(shrink(2, 95, 1, 5)).toBeCloseTo(1.95, 10);
  });
});

describe('threat levels', () => {
  // A hot newcomer: 3 matches, 2.0 K/D, all won.
  const newcomer: PlayerSpec = { n: 3, kpr: 0.95, kd: 2, adr: 100, wr: 1, level: 5, elo: 1100 };

  it('does not make a 3-match 2.0 K/D player threat 5 (the old scheme did)', () => {
    const { summary, flags, threat } = assess(newcomer, 1100);
    expect(summary.kd).toBeCloseTo(2, 1);
    expect(summary.rating).toBeGreaterThan(1.3);
    // Old scheme: +2 rating, +1.5 win rate, +1 K/D, +0.3 recent → 4.8 → 5.
    expect(oldLevel(summary.rating ?? 0, summary.winRate ?? 0, summary.kd ?? 0, summary.form)).toBe(5);
    expect(flags.smallSample).toBe(true);
    expect(flags.possibleSmurf).toBe(false); // 3 matches are not evidence enough
    expect(threat.level).toBeLessThanOrEqual(3);
    expect(threat.sampleWeight).toBeCloseTo(3 / 8, 10);
    expect(threat.scored.rating).toBeLessThan(1.3);
  });

  it('makes the same figures over 6 matches of a new account a flagged smurf at threat 5 (raw figures)', () => {
    const { flags, threat } = assess(
      {
        ...newcomer,
        n: 6,
        wr: 5 / 6,
        recentWins5: 4,
        lifetime: lifetime({ matches: 6, winRate: 83, kd: 2 }),
      },
      1100,
    );
    expect(flags.possibleSmurf).toBe(true);
    expect(flags.smallSample).toBe(true);
    expect(threat.sampleWeight).toBe(1);
    expect(threat.level).toBe(5);
  });

  const star = ESTABLISHED_STAR;

  it('keeps an established 1.35-rated player at threat 5', () => {
    const { summary, flags, threat } = assess(star);
    expect(summary.rating).toBeGreaterThan(1.33);
    expect(summary.rating).toBeLessThan(1.4);
    expect(flags.possibleSmurf).toBe(false);
    expect(flags.smallSample).toBe(false);
    expect(threat.scored.rating).toBeGreaterThanOrEqual(1.3); // the lifetime prior agrees, so little is lost
    expect(threat.level).toBe(5);
  });

  it('without lifetime data shrinks the same player toward the population but keeps him dangerous (≥ 4)', () => {
    const { threat } = assess({ ...star, lifetime: null });
    expect(threat.level).toBeGreaterThanOrEqual(4);
    expect(threat.scored.rating).toBeLessThan(assess(star).threat.scored.rating);
  });

  it('regresses a hot streak toward a mediocre lifetime', () => {
    const streak = { ...star, n: 10, lifetime: lifetime({ matches: 900, winRate: 47, kd: 0.9, adr: 70 }) };
    const { threat } = assess(streak);
    const { threat: noPrior } = assess({ ...streak, lifetime: null });
    expect(threat.scored.rating).toBeLessThan(noPrior.scored.rating);
    expect(threat.level).toBeLessThan(5);
  });

  it('rates an average player 2 and a weak one 1', () => {
    const average = assess({ kpr: 0.66, kd: 1, apr: 0.19, wr: 0.5, adr: 71, recentWins5: 2 }).threat;
    expect(average.scored.rating).toBe(1);
    expect(average.breakdown).toEqual({ rating: 0.5, winRate: 0.5, kd: 0, recent: 0, elo: 0 });
    expect(average.level).toBe(2);
    const weak = assess({ kpr: 0.55, kd: 0.75, wr: 0.4, adr: 62, recentWins5: 1 }).threat;
    expect(weak.level).toBe(1);
  });

  it('adds ELO relative to the lobby: +1 at +300, +0.5 at +150, −0.5 at −300', () => {
    expect(eloPoints(2300, 2000)).toBe(1);
    expect(eloPoints(2150, 2000)).toBe(0.5);
    expect(eloPoints(2100, 2000)).toBe(0);
    expect(eloPoints(1700, 2000)).toBe(-0.5);
    expect(eloPoints(null, 2000)).toBe(0);
    const good: PlayerSpec = { kpr: 0.82, kd: 1.25, wr: 0.6, adr: 88, recentWins5: 3 };
    const even = assess({ ...good, elo: 2000 }).threat;
    const above = assess({ ...good, elo: 2350 }).threat;
    expect(above.points - even.points).toBeCloseTo(1, 10);
    expect(above.level).toBeGreaterThan(even.level);
  });

  it('trusts the sample more as it grows', () => {
    const line: PlayerSpec = { kpr: 0.9, kd: 1.5, wr: 0.7, adr: 95 };
    const weights = [3, 10, 30].map((n) => assess({ ...line, n }).threat);
    expect(weights[0].scored.rating).toBeLessThan(weights[1].scored.rating);
    expect(weights[1].scored.rating).toBeLessThan(weights[2].scored.rating);
    expect(weights[0].level).toBeLessThanOrEqual(weights[2].level);
  });

  it('flags low level + high rating as a possible smurf', () => {
    const r = hltvRating({ kpr: 0.92, dpr: 0.6, apr: 0.15, adr: 98 });
    expect(r).toBeGreaterThan(1.3);
    const { flags } = assess(
      { n: 20, kpr: 0.92, kd: 0.92 / 0.6, apr: 0.15, adr: 98, level: 3, elo: 850 },
      900,
    );
    expect(flags.possibleSmurf).toBe(true);
    expect(
      assess({ n: 20, kpr: 0.92, kd: 0.92 / 0.6, apr: 0.15, adr: 98, level: 8 }).flags.possibleSmurf,
    ).toBe(false);
  });

  it('has no threat for a player without data', () => {
    const summary = summarisePlayer(undefined);
    const flags = detectFlags(summary, 10);
    expect(flags).toEqual({ noData: true, smallSample: false, possibleSmurf: false });
    expect(assessThreat(summary, { elo: null, lobbyAvgElo: 2000, flags })).toBeNull();
  });
});
