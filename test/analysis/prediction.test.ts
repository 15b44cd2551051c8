/** The win probability: ELO alone (recalibrated) and the model, from the team aggregates, on the real recorded lobby. */
import { analyzeLobby } from '../../src/analysis/model/analyze';
import {
  AGGREGATE_KEYS,
  predictedWinner,
  scoreMatch,
  sigmoid,
  teamAggregates,
  type TeamAggregates,
} from '../../src/analysis/model/prediction';
import { winProbability } from '../../src/analysis/model/team';
import { renderReport } from '../../src/analysis/render';
import { sampleLobby } from './samples';

const team = (x: Partial<TeamAggregates>): TeamAggregates =>
  ({ ...Object.fromEntries(AGGREGATE_KEYS.map((k) => [k, null])), ...x }) as TeamAggregates;

describe('prediction', () => {
  it('has no favourite at exactly 50 % (nor without a probability)', () => {
    expect(predictedWinner(0.5)).toBeNull();
    expect(predictedWinner(null)).toBeNull();
    expect(predictedWinner(0.5001)).toBe('faction1');
    expect(predictedWinner(0.4999)).toBe('faction2');
  });

  it('ELO alone is FACEIT’s formula with its logit times 0.70: less sure than the formula', () => {
    const p = scoreMatch(team({ mean_elo: 2100 }), team({ mean_elo: 2000 }));
    const raw = winProbability(2100, 2000); // 0.640
    expect(p.elo).toBeCloseTo(sigmoid(0.7 * Math.log(raw / (1 - raw))), 12);
    expect(p.elo).toBeLessThan(raw);
    expect(p.elo).toBeGreaterThan(0.5);
    // Nothing but ELO known: the model is ELO alone.
    expect(p.model).toBeCloseTo(p.elo ?? NaN, 12);
  });

  it('adds the documented terms on the logit scale, and a term without data weighs nothing', () => {
    const a = team({
      mean_elo: 2000,
      recent_rating: 1.1,
      map_rating: 1.05,
      map_win_rate: 0.6,
      recent_win_rate: 0.7,
      solo_players: 3,
      recent_kd: 9,
    });
    const b = team({
      mean_elo: 2000,
      recent_rating: 1.0,
      map_rating: 1.0,
      map_win_rate: 0.5,
      recent_win_rate: 0.5,
      solo_players: 1,
    });
    const p = scoreMatch(a, b);
    const expected = sigmoid(1.9 * 0.1 + 1.7 * 0.05 + 2.1 * 0.1 - 0.1 * 0.2 - 0.08 * 2);
    expect(p.model).toBeCloseTo(expected, 12);
    expect(p.elo).toBe(0.5);
    // K/D has no weight; a figure known for one team only weighs nothing.
    expect(scoreMatch({ ...a, recent_kd: 0.5 }, b).model).toBeCloseTo(expected, 12);
    expect(scoreMatch({ ...a, mean_elo: null }, b).elo).toBeNull();
    expect(scoreMatch(team({}), team({})).model).toBeNull();
  });

  it('the real lobby: the stored aggregates re-score to the stored probability, and the report shows both', () => {
    const a = analyzeLobby(sampleLobby());
    expect(a.modelInputs).toBeDefined();
    const inputs = a.modelInputs!;
    expect(inputs.faction1).toEqual(teamAggregates(a.teams.faction1, a.pickedMap));
    const again = scoreMatch(inputs.faction1, inputs.faction2);
    expect(a.modelWinProbability?.faction1).toBe(again.model);
    expect(a.winProbability?.faction1).toBe(again.elo);
    // ELO alone is the recalibrated formula on the team averages.
    const raw = winProbability(a.teams.faction1.avgElo!, a.teams.faction2.avgElo!);
    expect(a.winProbability?.faction1).toBeCloseTo(sigmoid(0.7 * Math.log(raw / (1 - raw))), 12);
    // The recorded lobby has recent figures for every player (its match-stats rows).
    expect(inputs.faction1.recent_rating).not.toBeNull();
    expect(inputs.faction2.recent_rating).not.toBeNull();
    expect(inputs.faction1.mean_elo).toBe(a.teams.faction1.avgElo);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const m = a.modelWinProbability!;
    const text = renderReport(a, { locale: 'en' }).join('\n');
    expect(text).toContain(`<b>${pct(m.faction1)}</b> — <b>${pct(m.faction2)}</b>`);
    if (pct(m.faction1) !== pct(a.winProbability!.faction1))
      expect(text).toContain(
        `ELO alone: ${pct(a.winProbability!.faction1)} — ${pct(a.winProbability!.faction2)}`,
      );
  });
});
