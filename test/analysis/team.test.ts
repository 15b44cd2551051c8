import { analyzeLobby, lobbyRejection, perspectiveOf } from '../../src/analysis/model/analyze';
import { eloAtStake, winProbability } from '../../src/analysis/model/team';
import { eloAlone } from '../../src/analysis/model/prediction';
import { avg, five, lobby } from './fixtures';

describe('win probability from ELO', () => {
  it('is symmetric, 0.5 at equal ELO and ≈ 0.91 at a 400 gap', () => {
    for (const [a, b] of [
      [2000, 2000],
      [2100, 1950],
      [1200, 2600],
      [850, 900],
    ]) {
      expect(winProbability(a, b) + winProbability(b, a)).toBeCloseTo(1, 12);
    }
    expect(winProbability(1500, 1500)).toBe(0.5);
    expect(winProbability(2400, 2000)).toBeCloseTo(10 / 11, 12);
    expect(winProbability(2000, 2400)).toBeCloseTo(1 / 11, 12);
    expect(winProbability(2100, 2000)).toBeGreaterThan(0.5);
  });

  it('puts ≈ 25 ELO at stake in an even match, and gain + loss ≈ 50', () => {
    expect(eloAtStake(0.5)).toEqual({ gain: 25, loss: 25 });
    const fav = eloAtStake(winProbability(2400, 2000));
    expect(fav).toEqual({ gain: 5, loss: 45 });
    expect(eloAtStake(0.999)).toEqual({ gain: 1, loss: 49 });
    for (const p of [0.2, 0.37, 0.64, 0.8]) {
      const s = eloAtStake(p);
      expect(s.gain + s.loss).toBeGreaterThanOrEqual(49);
      expect(s.gain + s.loss).toBeLessThanOrEqual(51);
    }
  });
});

describe('team view', () => {
  const input = lobby(five({ elo: 2100 }), [
    avg({ elo: 2000, nickname: 'star', kpr: 0.92, kd: 1.5, adr: 98, wr: 0.7, recentWins5: 4 }),
    avg({ elo: 2000, nickname: 'good', kpr: 0.82, kd: 1.25, adr: 88, wr: 0.6 }),
    avg({ elo: 2000, nickname: 'mid' }),
    avg({ elo: 2000, nickname: 'weak', kpr: 0.55, kd: 0.75, wr: 0.4, adr: 62, recentWins5: 1 }),
    avg({ nickname: 'ghost', noData: true, level: 9 }),
  ]);
  const a = analyzeLobby(input);

  it('averages ELO (estimating an unknown ELO from the level) and level', () => {
    expect(a.teams.faction1.avgElo).toBe(2100);
    expect(a.teams.faction1.avgLevel).toBe(10);
    // 4 × 2000 + level 9 → 1875
    expect(a.teams.faction2.avgElo).toBe(Math.round((4 * 2000 + 1875) / 5));
    expect(a.teams.faction2.eloEstimated).toBe(1);
    expect(a.teams.faction2.playersWithData).toBe(4);
    // ELO alone: the formula recalibrated (slope 0.70) on the team averages.
    expect(a.winProbability?.faction1).toBeCloseTo(eloAlone(2100, 1975), 12);
    expect(a.winProbability?.faction1).toBeLessThan(winProbability(2100, 1975));
    expect((a.winProbability?.faction1 ?? 0) + (a.winProbability?.faction2 ?? 0)).toBeCloseTo(1, 12);
    expect(a.eloAtStake?.faction1.gain).toBe(a.eloAtStake?.faction2.loss);
  });

  it('ranks the most dangerous and the weakest', () => {
    const nick = (id: string) => a.teams.faction2.players.find((p) => p.playerId === id)?.nickname;
    expect(a.dangerous.faction2.map(nick)[0]).toBe('star');
    expect(a.weakest.faction2.map(nick)[0]).toBe('weak');
    expect(a.dangerous.faction2).not.toContain(a.weakest.faction2[0]);
    // The no-data player is neither, and is listed last.
    const ghost = a.teams.faction2.players.find((p) => p.nickname === 'ghost');
    expect(ghost?.flags.noData).toBe(true);
    expect(ghost?.threat).toBeNull();
    expect(a.teams.faction2.players[4].nickname).toBe('ghost');
    expect([...a.dangerous.faction2, ...a.weakest.faction2]).not.toContain(ghost?.playerId);
  });

  it('finds the requester’s side, or none', () => {
    expect(perspectiveOf(a, 'b2')).toEqual({ us: 'faction2', them: 'faction1' });
    expect(perspectiveOf(a, 'a1')).toEqual({ us: 'faction1', them: 'faction2' });
    expect(perspectiveOf(a, 'someone-else')).toBeNull();
    expect(perspectiveOf(a, null)).toBeNull();
  });

  it('refuses finished and cancelled matches and anything that is not two teams', () => {
    expect(lobbyRejection(input.match)).toBeNull();
    expect(lobbyRejection({ ...input.match, status: 'FINISHED' })).toBe('finished');
    expect(lobbyRejection({ ...input.match, status: 'CANCELLED' })).toBe('cancelled');
    expect(
      lobbyRejection({
        ...input.match,
        factions: { ...input.match.factions, faction2: { name: 'bye', roster: [] } },
      }),
    ).toBe('not-two-teams');
  });

  it('still analyses a lobby where nobody has data (no ELO → no win probability)', () => {
    const empty = lobby(
      five({ noData: true }).map((p) => ({ ...p, level: null })),
      five({ noData: true }).map((p) => ({ ...p, level: null })),
    );
    for (const t of Object.values(empty.match.factions)) for (const r of t.roster) r.skillLevel = null;
    const e = analyzeLobby(empty);
    expect(e.winProbability).toBeNull();
    expect(e.eloAtStake).toBeNull();
    expect(e.dangerous).toEqual({ faction1: [], faction2: [] });
    expect(e.maps.every((m) => m.favoured === null && m.confidence === 'low')).toBe(true);
  });

  it('is JSON-serialisable unchanged (it travels through Temporal payloads)', () => {
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});
