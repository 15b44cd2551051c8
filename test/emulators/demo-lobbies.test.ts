/**
 * The demo lobbies of the playground and the local run (emulators/faceit/demo.ts) show every feature of the report:
 * levels from low to 10, a party found from the players' shared recent matches, a smurf flagged with his numbers,
 * and a room still in the map vote. The party lobby is analysed end to end as a user would paste it.
 */
import { createDemoLobbies, type DemoLobby } from '../../emulators/faceit';
import { createAnalysisRepository } from '../../src/analysis/repository';
import {
  ask,
  createUser,
  startAnalysisStack,
  waitForProgress,
  type AnalysisStack,
} from '../analysis/workflow-helpers';

describe('demo lobbies', () => {
  let stack: AnalysisStack;
  let demos: DemoLobby[];
  beforeAll(async () => {
    // The world the dev run's emulator has (5,000 players).
    stack = await startAnalysisStack({ faceit: { players: 5000 } });
    demos = await createDemoLobbies(stack.faceit.control);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('span the levels, include a map vote in progress, a smurf and a new account', () => {
    const players = demos.flatMap((d) => [
      ...d.lobby.teams.faction1.players,
      ...d.lobby.teams.faction2.players,
    ]);
    const levels = new Set(players.map((p) => p.level));
    expect(levels.has(10)).toBe(true);
    expect(Math.min(...levels)).toBeLessThanOrEqual(4);
    expect(levels.size).toBeGreaterThanOrEqual(5);
    expect(demos.map((d) => d.lobby.status)).toContain('VOTING');
    const control = stack.faceit.control;
    const summaries = players.map((p) =>
      control.findPlayers({ limit: 10_000 }).find((s) => s.playerId === p.playerId),
    );
    expect(summaries.filter((s) => s?.smurf)).toHaveLength(1);
    expect(summaries.filter((s) => s?.newAccount).length).toBeGreaterThanOrEqual(1);
  });

  it('the party lobby reads as a party of three against a smurf', async () => {
    const { lobby } = demos[0];
    const user = await createUser(stack, { locale: 'en', tier: 'pro' });
    await ask(stack, lobby.matchId, user);
    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');
    const analysis = await createAnalysisRepository(stack.pool).loadAnalysis(lobby.matchId);
    const party = lobby.teams.faction1.players.slice(0, 3).map((p) => p.playerId);
    expect(analysis?.teams.faction1.parties).toEqual([{ members: party, sharedMatches: 2, wonMatches: 1 }]);
    expect(analysis?.teams.faction2.parties).toEqual([]);
    const text = stack.tg
      .botMessages(user.chatId)
      .map((m) => m.text ?? '')
      .join('\n');
    expect(text).toContain('👥 party of 3');
    const smurf = lobby.teams.faction2.players[0];
    expect(
      analysis?.teams.faction2.players.find((p) => p.playerId === smurf.playerId)?.signals?.newAccount,
    ).toBe(true);
  });
});
