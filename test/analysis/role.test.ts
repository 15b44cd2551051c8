import { detectRole } from '../../src/analysis/model/role';
import { summarisePlayer, type ExtendedFigures } from '../../src/analysis/model/player-stats';
import { matchStatsRows, toMatchInfo, loadSample } from './samples';

const none: ExtendedFigures = {
  entryRate: null,
  sniperKillRate: null,
  utilityDamagePerRound: null,
  enemiesFlashedPerRound: null,
  flashSuccessRate: null,
};

describe('role detection', () => {
  it('applies the documented thresholds in priority order', () => {
    expect(detectRole(none)).toBeNull();
    expect(detectRole({ ...none, sniperKillRate: 0.15 })).toBe('awper');
    expect(detectRole({ ...none, sniperKillRate: 0.14, entryRate: 0.2 })).toBe('rifler');
    // An AWPer who also takes many opening duels is still the AWPer.
    expect(detectRole({ ...none, sniperKillRate: 0.3, entryRate: 0.3 })).toBe('awper');
    expect(detectRole({ ...none, sniperKillRate: 0.02, entryRate: 0.24 })).toBe('entry');
    expect(detectRole({ ...none, entryRate: 0.23 })).toBe('rifler');
    expect(detectRole({ ...none, entryRate: 0.18, utilityDamagePerRound: 6 })).toBe('support');
    expect(detectRole({ ...none, entryRate: 0.18, enemiesFlashedPerRound: 0.45 })).toBe('support');
    expect(detectRole({ ...none, utilityDamagePerRound: 5.9, enemiesFlashedPerRound: 0.44 })).toBe('rifler');
  });

  it('finds the AWPers, entries and supports of the real match from its extended per-match keys', () => {
    const match = toMatchInfo(loadSample('match.json'));
    const nickOf = new Map(
      [...match.factions.faction1.roster, ...match.factions.faction2.roster].map((r) => [
        r.playerId,
        r.nickname,
      ]),
    );
    const rows = matchStatsRows();
    const roles: Record<string, string | null> = {};
    for (const [id, row] of Object.entries(rows)) {
      const s = summarisePlayer({ details: null, recent: [row], lifetime: null });
      roles[nickOf.get(id) ?? id] = detectRole(s.extended);
    }
    // Tomassenz 5 of 15 kills with a sniper, xqsp4m 6 of 10.
    expect(roles['Tomassenz']).toBe('awper');
    expect(roles['xqsp4m']).toBe('awper');
    // bilby took 8 opening duels in 23 rounds.
    expect(roles['bilby']).toBe('entry');
    // DARTS 240 utility damage in 23 rounds (10.4 per round).
    expect(roles['DARTS']).toBe('support');
    // LA_SALSA666: 5 entries, 56 utility damage, 4 flashed in 23 rounds → nothing stands out.
    expect(roles['LA_SALSA666']).toBe('rifler');
  });

  it('uses lifetime figures when recent matches have no extended keys', () => {
    const s = summarisePlayer({
      details: null,
      recent: [],
      lifetime: { matches: 500, winRate: 52, kd: 1.1, hsPercent: 30, adr: 80, sniperKillRate: 0.35 },
    });
    expect(detectRole(s.extended)).toBe('awper');
  });
});
