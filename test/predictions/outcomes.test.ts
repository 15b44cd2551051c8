/**
 * Outcomes of analysed matches: the watch started when an analysis is stored records FINISHED (winner, score)
 * and CANCELLED from GET /matches/{id}, once per match; a monitoring sighting records it for free; a match FACEIT
 * never settles is "unknown" after the last check. Real Temporal, PostgreSQL, Redis; the FACEIT emulator.
 */
import { join } from 'node:path';
import { sql } from 'slonik';
import { exportHistory } from '../../src/temporal/replay';
import { z } from 'zod';
import {
  createPredictionsRepository,
  outcomeWorkflowId,
  signalOutcomeSeen,
  startOutcomeWatch,
  type OutcomeWorkflowResult,
} from '../../src/predictions';
import {
  ask,
  createUser,
  freshLobby,
  startAnalysisStack,
  waitFor,
  waitForProgress,
  type AnalysisStack,
} from '../analysis/workflow-helpers';

jest.setTimeout(120_000);

const outcomeRow = z.object({
  outcome: z.string().nullable(),
  actual_winner: z.string().nullable(),
  predicted_winner: z.string().nullable(),
  final_score: z.string().nullable(),
  outcome_source: z.string().nullable(),
  elo: z.number().nullable(),
  model: z.number().nullable(),
});

describe('outcomes of analysed matches', () => {
  let stack: AnalysisStack;
  beforeAll(async () => {
    stack = await startAnalysisStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const row = (matchId: string) =>
    stack.pool.maybeOne(sql.type(outcomeRow)`
      SELECT outcome, actual_winner, predicted_winner, final_score, outcome_source,
        faction1_win_probability::float8 AS elo, faction1_model_win_probability::float8 AS model
      FROM match_analyses WHERE match_id = ${matchId}`);

  async function analysed() {
    const lobby = await freshLobby(stack);
    const user = await createUser(stack, { locale: 'en' });
    await ask(stack, lobby.matchId, user);
    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');
    return { lobby, user };
  }

  /** The watch's result; with RECORD_HISTORIES=1 its history is stored in test/histories (replayed by the suite). */
  const watchResult = async (matchId: string, record?: string) => {
    const result = (await stack.client.workflow
      .getHandle(outcomeWorkflowId(matchId))
      .result()) as OutcomeWorkflowResult;
    if (record && process.env.RECORD_HISTORIES) {
      await exportHistory(
        stack.client,
        outcomeWorkflowId(matchId),
        undefined,
        join(__dirname, '..', 'histories', `predictions-outcome-${record}.json`),
      );
    }
    return result;
  };

  it('stores both probabilities and starts one outcome watch on the low queue', async () => {
    const { lobby } = await analysed();
    const stored = await row(lobby.matchId);
    expect(stored?.elo).toBeGreaterThan(0);
    expect(stored?.model).toBeGreaterThan(0);
    expect(stored?.predicted_winner).toBe(
      stored?.model === 0.5 ? null : (stored?.model ?? 0) > 0.5 ? 'faction1' : 'faction2',
    );
    expect(stored?.outcome).toBeNull();
    const handle = stack.client.workflow.getHandle(outcomeWorkflowId(lobby.matchId));
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(stack.config.TASK_QUEUE_LOW);
    // Starting it again (another analysis run of the match) keeps the one watch.
    await startOutcomeWatch(stack.client, stack.config.TASK_QUEUE_LOW, lobby.matchId);
    expect((await handle.describe()).runId).toBe(description.runId);
    await handle.terminate('test done');
  });

  it('records a finished match: winner and score, from one FACEIT call', async () => {
    const { lobby } = await analysed();
    const before = stack.faceit.control.counts().byEndpoint.match ?? 0;
    await stack.faceit.control.finishMatch(lobby.matchId, { score: [9, 13] });
    await signalOutcomeSeen(stack.client, lobby.matchId);
    const result = await watchResult(lobby.matchId, 'finished');
    expect(result).toMatchObject({ state: 'finished', checks: 1, calls: 1 });
    expect(await row(lobby.matchId)).toMatchObject({
      outcome: 'finished',
      actual_winner: 'faction2',
      final_score: '9 / 13',
      outcome_source: 'poll',
    });
    expect((stack.faceit.control.counts().byEndpoint.match ?? 0) - before).toBe(1);
    // The same call told FACEIT's start time: the pre-match snapshot was made before it, so it is scored.
    const snap = await stack.pool.one(sql.type(
      z.object({ made_before_start: z.boolean(), started: z.boolean(), room_status: z.string() }),
    )`
      SELECT made_before_start, match_started_at IS NOT NULL AS started, room_status
      FROM match_predictions WHERE match_id = ${lobby.matchId}`);
    expect(snap).toEqual({ made_before_start: true, started: true, room_status: 'READY' });
    // Once ever: a new start after the watch ended is refused quietly, and the outcome stays.
    await startOutcomeWatch(stack.client, stack.config.TASK_QUEUE_LOW, lobby.matchId);
    expect(
      (await stack.client.workflow.getHandle(outcomeWorkflowId(lobby.matchId)).describe()).status.name,
    ).toBe('COMPLETED');
  });

  it('records a cancelled match as cancelled, with no winner', async () => {
    const { lobby } = await analysed();
    await stack.faceit.control.setMatchStatus(lobby.matchId, 'CANCELLED');
    await signalOutcomeSeen(stack.client, lobby.matchId);
    expect(await watchResult(lobby.matchId)).toMatchObject({ state: 'cancelled', calls: 1 });
    expect(await row(lobby.matchId)).toMatchObject({
      outcome: 'cancelled',
      actual_winner: null,
      outcome_source: 'poll',
    });
  });

  it('takes a monitoring sighting for free: the watch then stops without asking FACEIT', async () => {
    const { lobby } = await analysed();
    const repo = createPredictionsRepository(stack.pool);
    const player = lobby.teams.faction1.players[0].playerId;
    // The player's /games/cs2/stats item says his team lost: faction2 won.
    expect(
      await repo.recordSightings([{ matchId: lobby.matchId, playerId: player, win: false }], 'monitoring'),
    ).toEqual([lobby.matchId]);
    // A second sighting (another tracked player of the match) changes nothing.
    expect(
      await repo.recordSightings([{ matchId: lobby.matchId, playerId: player, win: true }], 'monitoring'),
    ).toEqual([]);
    expect(await row(lobby.matchId)).toMatchObject({
      outcome: 'finished',
      actual_winner: 'faction2',
      outcome_source: 'monitoring',
    });
    const before = stack.faceit.control.counts().byEndpoint.match ?? 0;
    await signalOutcomeSeen(stack.client, lobby.matchId);
    expect(await watchResult(lobby.matchId)).toMatchObject({ state: 'recorded', calls: 0 });
    expect(stack.faceit.control.counts().byEndpoint.match ?? 0).toBe(before);
  });

  it('gives up after the last check and records the outcome as unknown', async () => {
    // A stored analysis of a match that stays READY, watched with short timers (the default is 4 h).
    const lobby = await freshLobby(stack);
    await stack.pool.query(sql.unsafe`
      INSERT INTO match_analyses (match_id, workflow_id, status, faction1_win_probability, predicted_winner,
        result, completed_at)
      VALUES (${lobby.matchId}, 'test', 'completed', 0.6, 'faction1', '{}'::jsonb, now())`);
    await startOutcomeWatch(stack.client, stack.config.TASK_QUEUE_LOW, lobby.matchId, {
      checksMs: [100, 300],
    });
    expect(await watchResult(lobby.matchId, 'unknown')).toMatchObject({
      state: 'unknown',
      checks: 2,
      calls: 2,
    });
    await waitFor(async () => (await row(lobby.matchId))?.outcome === 'unknown');
    expect((await row(lobby.matchId))?.actual_winner).toBeNull();
  });
});
