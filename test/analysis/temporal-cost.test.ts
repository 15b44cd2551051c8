import { temporal } from '@temporalio/proto';
import * as analysisService from '../../src/analysis/client';
import { analysisWorkflowId } from '../../src/analysis/client';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

/**
 * What an analysis costs on Temporal Cloud, where stored history and every query are billed: the players' data
 * stays in PostgreSQL (the history carries ids and progress lines, not 20 matches per player), and the progress
 * message fills in from what the activities push into Redis, without querying the workflow once a second.
 */

jest.setTimeout(120_000);

describe('Temporal cost of a lobby analysis', () => {
  let w: BotWorld;
  const queries: string[] = [];
  beforeAll(async () => {
    // Slow FACEIT answers: the fan-out takes seconds, so the progress loop polls many times meanwhile.
    w = await startBotWorld({
      faceit: { latencyMs: 400 },
      botDeps: {
        analysis: {
          ...analysisService,
          getAnalysisProgress: (client, matchId) => {
            queries.push(matchId);
            return analysisService.getAnalysisProgress(client, matchId);
          },
        },
      },
    });
  });
  afterAll(() => w?.stop());

  it('keeps player data out of the history and shows progress without querying the workflow', async () => {
    const lobby = await w.faceit.control.createLobby({ status: 'READY', map: 'de_mirage' });
    const user = w.user('en');
    const progress = await w.send(user, lobby.roomUrl);
    const players = [...lobby.teams.faction1.players, ...lobby.teams.faction2.players];
    const versions = new Set<string>();
    // Rosters first, then figures as each player's stats arrive, then the report.
    await w.tg.waitFor(
      () => {
        const text = textOf(w.tg.message(progress.chatId, progress.messageId));
        versions.add(text);
        return text.includes('Lobby analysis') ? true : undefined;
      },
      { timeoutMs: 60_000, describe: () => w.tg.transcript(progress.chatId) },
    );
    const shown = [...versions];
    expect(shown.some((t) => players.every((p) => t.includes(p.nickname)) && /— …/.test(t))).toBe(true);
    expect(shown.some((t) => /ELO · K\/D \d\.\d\d/.test(t) && /— …/.test(t))).toBe(true);
    expect(queries.filter((m) => m === lobby.matchId)).toEqual([]);

    const history = await w.client.workflow.getHandle(analysisWorkflowId(lobby.matchId)).fetchHistory();
    const bytes = temporal.api.history.v1.History.encode(history).finish().length;
    expect(bytes).toBeLessThan(40_000);
    // Every player's result is a line and a reference; their recent matches are not in the history.
    const results = (history.events ?? []).flatMap((e) =>
      (e.activityTaskCompletedEventAttributes?.result?.payloads ?? []).map((p) =>
        Buffer.from(p.data ?? new Uint8Array()).toString('utf8'),
      ),
    );
    const playerResults = results.filter((r) => r.includes('"line"'));
    expect(playerResults).toHaveLength(players.length);
    for (const r of playerResults) expect(JSON.parse(r)).toMatchObject({ stored: true });
    expect(results.join('\n')).not.toMatch(/"recent"|"kills"/);
  });
});
