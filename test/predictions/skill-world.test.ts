/**
 * The backtest's world (emulators/faceit/skill-world.ts) decides results from a hidden skill the model never reads,
 * and the benchmark on it (bench:quality) can tell a model that extracts signal beyond ELO from one that cannot:
 *   - same seed, same world; the records hold only what FACEIT would show;
 *   - with parties and smurfs on, a party's team and a smurf's team win more often than ELO alone predicts;
 *   - with the party bonus and smurfs off and ELO = skill, ELO's formula is the generating process itself and the
 *     model cannot beat ELO alone (a model that did would be reading the outcome); with them on, the oracle can.
 */
import { generateSkillWorld, type MatchTruth, type SkillWorld } from '../../emulators/faceit/skill-world';
import { backtest, fitEloSlope, forecastOf, type Forecast } from '../../src/predictions/model/backtest';
import { pairedDifference } from '../../src/predictions/model/scores';

jest.setTimeout(180_000);

const SEED = 'skill-world-test';

describe('skill world', () => {
  it('is the same world for the same seed, another for another, and shows only what FACEIT would', () => {
    const a = generateSkillWorld({ seed: SEED, players: 300, matches: 40 });
    expect(generateSkillWorld({ seed: SEED, players: 300, matches: 40 })).toEqual(a);
    const b = generateSkillWorld({ seed: `${SEED}-other`, players: 300, matches: 40 });
    expect(b.records.map((r) => r.winner)).not.toEqual(a.records.map((r) => r.winner));
    expect(a.records).toHaveLength(40);
    for (const r of a.records) {
      const players = [...r.factions.faction1.players, ...r.factions.faction2.players];
      expect(new Set(players.map((p) => p.playerId)).size).toBe(10);
      for (const p of players) {
        // What a collected record carries (plus match-time ELO and lifetime figures), never the hidden skill.
        expect(Object.keys(p).sort()).toEqual(['elo', 'level', 'lifetime', 'nickname', 'playerId', 'recent']);
        expect(p.recent.length).toBeLessThanOrEqual(20);
        expect(p.recent.every((m) => (m.finishedAt ?? Infinity) < r.startedAt)).toBe(true);
      }
    }
  });

  describe('with parties and smurfs (the defaults)', () => {
    let world: SkillWorld;
    /** The same world with a party bonus large enough to measure on 3,000 matches. */
    let party: SkillWorld;
    let ys: (0 | 1)[];
    let slope: number;
    beforeAll(() => {
      world = generateSkillWorld({ seed: SEED, matches: 2000 });
      party = generateSkillWorld({ seed: SEED, matches: 3000, partyBonus: 0.3 });
      ys = party.records.map((r) => (r.winner === 'faction1' ? 1 : 0));
      slope = fitEloSlope(party.truth.map((t, i) => pseudo(t, ys[i])));
    });
    const pseudo = (t: MatchTruth, y: 0 | 1) =>
      ({
        inputs: [{ mean_elo: t.meanElo.faction1 }, { mean_elo: t.meanElo.faction2 }],
        y,
      }) as unknown as Forecast;
    /** Per match where the teams differ in `count`: did the team with more win, minus ELO alone's chance for it. */
    const surplus = (count: (t: MatchTruth) => [number, number]) =>
      pairedDifference(
        party.truth.flatMap((t, i) => {
          const [c1, c2] = count(t);
          if (c1 === c2) return [];
          const p1 =
            1 / (1 + Math.exp((-slope * (t.meanElo.faction1 - t.meanElo.faction2) * Math.LN10) / 400));
          return c1 > c2 ? [ys[i] - p1] : [1 - ys[i] - (1 - p1)];
        }),
      );

    it("lets a party's team win more often than ELO alone predicts", () => {
      const d = surplus((t) => [t.partied.faction1, t.partied.faction2]);
      expect(d.low).toBeGreaterThan(0);
    });

    it("lets a smurf's team win more often than ELO alone predicts", () => {
      const d = surplus((t) => [t.smurfs.faction1, t.smurfs.faction2]);
      expect(d.low).toBeGreaterThan(0);
    });

    it('puts signal beyond ELO: the oracle beats ELO alone, and the bot finds the parties', () => {
      const forecasts = world.records.map(forecastOf);
      const result = backtest(
        forecasts.slice(0, 1000),
        forecasts.slice(1000),
        world.truth.slice(1000).map((t) => t.p),
      );
      expect(result.scoredMatches).toBe(1000);
      const oracle = result.forecasters.find((f) => f.name.startsWith('oracle'));
      expect(oracle?.vsEloAlone.verdict).toBe('better');
      // The bot's own party finder (no extra data) sees parties where the world made them, and rarely where it made none.
      const solo = forecasts.map((f, i) => ({
        bot: f.inputs[0].solo_players,
        truth: world.truth[i].partied.faction1,
      }));
      const allSolo = solo.filter((s) => s.truth === 0);
      const stacked = solo.filter((s) => s.truth >= 3);
      expect(allSolo.filter((s) => s.bot === 5).length / allSolo.length).toBeGreaterThan(0.8);
      expect(stacked.filter((s) => (s.bot ?? 5) < 5).length / stacked.length).toBeGreaterThan(0.8);
    });
  });

  it('gives the model nothing to beat ELO alone with when ELO is the skill and nothing else counts', () => {
    const world = generateSkillWorld({
      seed: SEED,
      matches: 2000,
      partyBonus: 0,
      smurfShare: 0,
      eloIsSkill: true,
      mapSpread: 0,
    });
    const forecasts = world.records.map(forecastOf);
    const result = backtest(
      forecasts.slice(0, 1000),
      forecasts.slice(1000),
      world.truth.slice(1000).map((t) => t.p),
    );
    const by = (name: string) => result.forecasters.find((f) => f.name.startsWith(name));
    // The raw ELO formula is then the generating probability itself.
    expect(by('ELO formula')?.score.brier).toBeCloseTo(by('oracle')?.score.brier ?? NaN, 3);
    const model = by('shipped model');
    expect(model?.vsEloAlone.verdict).not.toBe('better');
    expect(model?.vsEloAlone.brier.high).toBeGreaterThan(0);
  });
});
