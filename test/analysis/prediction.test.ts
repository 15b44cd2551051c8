/** The two probabilities of an analysis: the ELO baseline and the model, on the real recorded lobby. */
import { analyzeLobby } from '../../src/analysis/model/analyze';
import { featuresOf, predict, predictedWinner, sigmoid, logit } from '../../src/analysis/model/prediction';
import { renderReport } from '../../src/analysis/render';
import { sampleLobby } from './samples';

describe('prediction', () => {
  it('has no favourite at exactly 50 % (nor without a probability)', () => {
    expect(predictedWinner(0.5)).toBeNull();
    expect(predictedWinner(null)).toBeNull();
    expect(predictedWinner(0.5001)).toBe('faction1');
    expect(predictedWinner(0.4999)).toBe('faction2');
  });

  it('falls back to the ELO baseline when no statistic says anything', () => {
    const none = { rating: 0, form: 0, map: 0, hasStats: false };
    expect(predict(0.62, none).model).toBeCloseTo(0.62, 12);
    expect(predict(null, none).model).toBeNull();
    // Stats alone (no ELO): around 0.5, moved by the terms.
    expect(predict(null, { rating: 0.1, form: 0, map: 0, hasStats: true }).model).toBeGreaterThan(0.5);
  });

  it('adds the documented terms on the logit scale', () => {
    const p = predict(0.6, { rating: 0.1, form: -0.05, map: 0.08, hasStats: true });
    const expected = sigmoid(logit(0.6) + 1.0 * 0.1 + 0.5 * -0.05 + 0.5 * 0.08);
    expect(p.model).toBeCloseTo(expected, 12);
    expect(p.elo).toBe(0.6);
  });

  it('stores both on the real lobby and the report shows ours, with ELO alone beside it', () => {
    const a = analyzeLobby(sampleLobby());
    const f = featuresOf(a);
    expect(f.hasStats).toBe(true);
    expect(a.winProbability).not.toBeNull();
    expect(a.modelWinProbability?.faction1).toBeCloseTo(
      predict(a.winProbability?.faction1 ?? null, f).model ?? NaN,
      12,
    );
    expect((a.modelWinProbability?.faction1 ?? 0) + (a.modelWinProbability?.faction2 ?? 0)).toBeCloseTo(
      1,
      12,
    );
    // The recorded lobby: ELO (levels and Darwin's 2014) 46 % for faction1, the model 47 % (faction1's form).
    expect(Math.round((a.winProbability?.faction1 ?? 0) * 100)).toBe(46);
    expect(Math.round((a.modelWinProbability?.faction1 ?? 0) * 100)).toBe(47);
    const text = renderReport(a, { locale: 'en' }).join('\n');
    expect(text).toContain('<b>47%</b> — <b>53%</b>');
    expect(text).toContain('ELO alone: 46% — 54%');
  });
});
