import { analyzeLobby, lobbyRejection } from '../../src/analysis/model/analyze';
import { renderReport } from '../../src/analysis/render';
import { loadSample, sampleLobby, toMatchInfo } from './samples';

describe('analysis of the real FACEIT samples', () => {
  const input = sampleLobby();
  const analysis = analyzeLobby(input);
  const all = [...analysis.teams.faction1.players, ...analysis.teams.faction2.players];
  const byNick = (n: string) => all.find((p) => p.nickname === n);

  it('refuses the recorded match as it is (FINISHED) and accepts it once READY', () => {
    expect(lobbyRejection(toMatchInfo(loadSample('match.json')))).toBe('finished');
    expect(lobbyRejection(input.match)).toBeNull();
  });

  it('reads the match: teams, rosters, picked map and pool', () => {
    expect(analysis.matchId).toBe('1-bb13fd78-e183-4d37-8a4b-ceed67da5265');
    expect(analysis.teams.faction1.name).toBe('speciaLz');
    expect(analysis.teams.faction2.name).toBe('FlensburgUnited');
    expect(all).toHaveLength(10);
    expect(analysis.pickedMap).toBe('de_inferno');
    expect(analysis.maps[0]).toMatchObject({ map: 'de_inferno', picked: true });
    expect(analysis.maps.map((m) => m.map).sort()).toEqual(
      ['de_ancient', 'de_anubis', 'de_dust2', 'de_inferno', 'de_mirage', 'de_nuke', 'de_overpass'].sort(),
    );
  });

  it('treats the roster player without stats (a substitute played) as no data, and still renders him', () => {
    const erz = byNick('_ERZ');
    expect(erz?.flags.noData).toBe(true);
    expect(erz?.threat).toBeNull();
    expect(erz?.level).toBe(10);
    expect(analysis.teams.faction2.playersWithData).toBe(4);
    for (const locale of ['ru', 'en'] as const) {
      expect(renderReport(analysis, { locale }).join('\n')).toContain('<b>_ERZ</b>');
    }
  });

  it('gives the player with the real 20-match history a full line', () => {
    const p = byNick('Tomassenz');
    expect(p?.source).toBe('recent');
    expect(p?.matches).toBe(21);
    expect(p?.elo).toBe(2014);
    expect(p?.form).toHaveLength(10);
    expect(p?.rating).toBeGreaterThan(0.8);
    expect(p?.rating).toBeLessThan(1.2);
    expect(p?.flags.smallSample).toBe(false);
    expect(p?.threat?.level).toBeGreaterThanOrEqual(1);
    expect(p?.maps.find((m) => m.map === 'de_mirage')?.matches).toBe(259);
  });

  it('flags the one-match players as small samples without calling them smurfs', () => {
    const oneMatch = all.filter((p) => !p.flags.noData && p.nickname !== 'Tomassenz');
    expect(oneMatch).toHaveLength(8);
    for (const p of oneMatch) {
      expect(p.matches).toBe(1);
      expect(p.flags.smallSample).toBe(true);
      expect(p.flags.possibleSmurf).toBe(false);
      expect(p.threat?.level).toBeLessThanOrEqual(3);
    }
    // Casper35k had 23 kills to 15 deaths in his one match: shrinkage keeps him far from a top threat.
    expect(byNick('Casper35k')?.kd).toBeCloseTo(23 / 15, 10);
    expect(byNick('Casper35k')?.threat?.level).toBeLessThanOrEqual(2);
  });

  it('computes a consistent team view', () => {
    const p = analysis.winProbability;
    expect(p).not.toBeNull();
    expect((p?.faction1 ?? 0) + (p?.faction2 ?? 0)).toBeCloseTo(1, 12);
    expect(analysis.eloAtStake?.faction1.gain).toBe(analysis.eloAtStake?.faction2.loss);
  });

  it('renders within Telegram limits in both languages', () => {
    for (const locale of ['ru', 'en'] as const) {
      for (const perspective of [undefined, byNick('Tomassenz')?.playerId, byNick('Setech')?.playerId]) {
        const chunks = renderReport(analysis, { locale, perspective });
        for (const c of chunks) expect(c.length).toBeLessThanOrEqual(4096);
        expect(chunks.join('\n')).not.toContain('{$');
      }
    }
  });
});
