import {
  AVERAGE_LINE,
  estimateKast,
  hltvRating,
  RATING_MAX,
  RATING_MIN,
} from '../../src/analysis/model/rating';

describe('HLTV-2.0-style rating estimate', () => {
  it('rates the average FACEIT line 1.00 and its KAST estimate ≈ 70 %', () => {
    expect(hltvRating(AVERAGE_LINE)).toBeCloseTo(1, 6);
    expect(estimateKast(0.72, 0.72, 0.18)).toBeGreaterThan(0.66);
    expect(estimateKast(0.72, 0.72, 0.18)).toBeLessThan(0.74);
  });

  it('keeps realistic average lines near 1.0', () => {
    for (const line of [
      { kpr: 0.68, dpr: 0.68, apr: 0.15, adr: 75 },
      { kpr: 0.75, dpr: 0.75, apr: 0.2, adr: 80 },
      { kpr: 0.7, dpr: 0.7, apr: 0.18, adr: null },
    ]) {
      const r = hltvRating(line);
      expect(r).toBeGreaterThan(0.94);
      expect(r).toBeLessThan(1.06);
    }
  });

  it('separates a star, a good, and a weak line in the expected bands', () => {
    expect(hltvRating({ kpr: 0.92, dpr: 0.58, apr: 0.15, adr: 98 })).toBeGreaterThan(1.3);
    const good = hltvRating({ kpr: 0.82, dpr: 0.64, apr: 0.18, adr: 88 });
    expect(good).toBeGreaterThan(1.1);
    expect(good).toBeLessThan(1.3);
    expect(hltvRating({ kpr: 0.55, dpr: 0.8, apr: 0.15, adr: 62 })).toBeLessThan(0.8);
  });

  it('rises with kills, ADR and assists and falls with deaths', () => {
    const base = { kpr: 0.72, dpr: 0.72, apr: 0.18, adr: 78 };
    expect(hltvRating({ ...base, kpr: 0.8 })).toBeGreaterThan(hltvRating(base));
    expect(hltvRating({ ...base, adr: 90 })).toBeGreaterThan(hltvRating(base));
    expect(hltvRating({ ...base, apr: 0.3 })).toBeGreaterThan(hltvRating(base));
    expect(hltvRating({ ...base, dpr: 0.8 })).toBeLessThan(hltvRating(base));
  });

  it('estimates a missing ADR from KPR close to the real one', () => {
    expect(Math.abs(hltvRating({ ...AVERAGE_LINE, adr: null }) - 1)).toBeLessThan(0.02);
  });

  it('clamps absurd lines', () => {
    expect(hltvRating({ kpr: 4, dpr: 0, apr: 1, adr: 400 })).toBe(RATING_MAX);
    expect(hltvRating({ kpr: 0, dpr: 1, apr: 0, adr: 0 })).toBe(RATING_MIN);
    expect(hltvRating({ kpr: Number.NaN, dpr: 0.7, apr: 0.1, adr: 70 })).toBe(1);
  });
});
