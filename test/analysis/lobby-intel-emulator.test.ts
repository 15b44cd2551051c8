/**
 * Lobby intelligence end to end on the FACEIT emulator (real Temporal, PostgreSQL, Redis; Telegram emulator):
 * three players who queued together twice before are shown as a party, nobody else is, a smurf of the emulator's
 * world is said to be one with his numbers, and the cold analysis still costs at most 31 FACEIT calls.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { createAnalysisRepository } from '../../src/analysis/repository';
import { scoreMatch } from '../../src/analysis/model/prediction';
import { ask, createUser, startAnalysisStack, waitForProgress, type AnalysisStack } from './workflow-helpers';

describe('lobby intelligence on the emulator', () => {
  let stack: AnalysisStack;

  beforeAll(async () => {
    stack = await startAnalysisStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('finds the party that played together, flags the smurf with numbers, and spends no extra FACEIT call', async () => {
    const control = stack.faceit.control;
    const established = control
      .findPlayers({ hasCs2: true, smurf: false, newAccount: false, minMatches: 200, limit: 10_000 })
      .map((p) => p.playerId);
    const smurf = control.findPlayers({ smurf: true, maxMatches: 29, limit: 1 })[0];
    expect(smurf).toBeDefined();
    const [a, b, c] = established;
    let next = 3;
    const fresh = (n: number) => established.slice(next, (next += n));

    // Two earlier matches with a, b and c on one side (the first five of a lobby are faction1).
    for (let i = 0; i < 2; i++) {
      const earlier = await control.createLobby({ players: [a, b, c, ...fresh(7)] });
      await control.finishMatch(earlier.matchId, { winner: 'faction1' });
    }
    const others = fresh(6);
    const lobby = await control.createLobby({
      players: [a, b, c, ...others.slice(0, 2), smurf.playerId, ...others.slice(2)],
    });
    const nick = (id: string) => control.player(id)?.nickname ?? id;
    expect(lobby.teams.faction1.players.map((p) => p.playerId).slice(0, 3)).toEqual([a, b, c]);

    control.resetCounters();
    const user = await createUser(stack, { locale: 'en', tier: 'pro' });
    await ask(stack, lobby.matchId, user);
    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');

    // No FACEIT call beyond the usual ones: the parties come from the recent matches already fetched. Counted as
    // distinct requests (an activity retried on this shared, busy machine repeats a request; that is no new call).
    const log = control.requestLog({ limit: 1000 });
    const distinct = new Set(log.map((e) => e.path));
    expect(distinct.size).toBeLessThanOrEqual(31);
    const usual = ['match', 'player', 'playerMatchStats', 'playerStats'];
    expect(log.filter((e) => !usual.includes(e.endpoint ?? ''))).toEqual([]);
    expect([...distinct].filter((p) => p.includes('/games/cs2/stats'))).toHaveLength(10);

    const analysis = await createAnalysisRepository(stack.pool).loadAnalysis(lobby.matchId);
    // Both earlier matches were won by their side (faction1).
    expect(analysis?.teams.faction1.parties).toEqual([
      { members: [a, b, c], sharedMatches: 2, wonMatches: 2 },
    ]);
    expect(analysis?.teams.faction2.parties).toEqual([]);
    // The three probabilities stored for scoring: ELO alone, the model (re-scored from its stored aggregates, as
    // `model:score` would), and FACEIT's own from the room's teams.faction1.stats.winProbability.
    const row = await stack.pool.one(sql.type(
      z.object({ elo: z.number().nullable(), model: z.number().nullable(), faceit: z.number().nullable() }),
    )`SELECT faction1_win_probability::float8 AS elo, faction1_model_win_probability::float8 AS model,
        faction1_faceit_win_probability::float8 AS faceit FROM match_analyses WHERE match_id = ${lobby.matchId}`);
    const room = (await (
      await fetch(`${stack.faceit.baseUrl}/matches/${lobby.matchId}`, {
        headers: { authorization: `Bearer ${stack.faceit.apiKey}` },
      })
    ).json()) as { teams: { faction1: { stats?: { winProbability?: number } } } };
    const faceitP = room.teams.faction1.stats?.winProbability;
    expect(faceitP).toBeGreaterThan(0);
    expect(row.faceit).toBeCloseTo(faceitP ?? NaN, 4);
    expect(analysis?.faceitWinProbability?.faction1).toBeCloseTo(faceitP ?? NaN, 4);
    const rescored = scoreMatch(analysis!.modelInputs!.faction1, analysis!.modelInputs!.faction2);
    expect(row.model).toBeCloseTo(rescored.model ?? NaN, 4);
    expect(row.elo).toBeCloseTo(rescored.elo ?? NaN, 4);
    const smurfLine = analysis?.teams.faction2.players.find((p) => p.playerId === smurf.playerId);
    expect(smurfLine?.signals).toMatchObject({ matches: smurf.matches, newAccount: true });

    const text = stack.tg
      .botMessages(user.chatId)
      .map((m) => m.text ?? '')
      .join('\n');
    expect(text).toContain(
      `👥 party of 3: ${nick(a)}, ${nick(b)}, ${nick(c)} (2 shared recent matches, 2 won)`,
    );
    expect(text.split('👥').length).toBe(2);
    expect(text).toMatch(new RegExp(`new account: (\\d+ days?, )?${smurf.matches} match`));
    expect(stack.tg.botMessages(user.chatId).every((m) => (m.text ?? '').length <= 4096)).toBe(true);
    // Established players (200+ matches, so accounts older than 90 days) carry no new-account signal.
    for (const p of [
      ...(analysis?.teams.faction1.players ?? []),
      ...(analysis?.teams.faction2.players ?? []),
    ]) {
      if (p.playerId !== smurf.playerId) expect(p.signals?.newAccount).toBe(false);
    }
  });
});
