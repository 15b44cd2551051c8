import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import {
  ApplicationFailure,
  WithStartWorkflowOperation,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { QueueTier } from '../../src/config';
import type { MatchInfo } from '../../src/analysis/model/types';
import {
  analysisProgressQuery,
  CANCEL_REFUSED,
  cancelAnalysisSignal,
  cancelAnalysisUpdate,
  joinAnalysisSignal,
  joinAnalysisUpdate,
  type AnalysisRequester,
  type AnalysisWorkflowInput,
  type ComputeInput,
  type DeliverInput,
  type FetchMatchResult,
  type FetchPlayerInput,
  type FetchPlayerResult,
  type RecordOutcomeInput,
} from '../../src/analysis/workflow-types';
import { LINGER_MS, lobbyAnalysisWorkflow } from '../../src/analysis/workflows';
import { eventually, useMockedWorkflows, type MockedWorkflows } from '../harness/time-skipping';

/**
 * The lobby-analysis workflow on the time-skipping test server with mocked activities: joins, cancellations,
 * retries, refusals, queue tiers and lingering, in seconds and without PostgreSQL, Redis or the emulators.
 * (The end-to-end behaviour with the real activities is in workflow.test.ts and its neighbours.)
 */

const QUEUE = `analysis-mocked-${randomUUID().slice(0, 8)}`;
const QUEUES: Record<QueueTier, string> = {
  critical: `${QUEUE}-critical`,
  high: `${QUEUE}-high`,
  default: QUEUE,
  low: `${QUEUE}-low`,
};

/** What one match's mocked FACEIT does, and what the workflow asked of the activities. */
interface Script {
  match?: FetchMatchResult;
  /** Answers one player fetch (attempt counts from 1); default: data at once. */
  player?: (input: FetchPlayerInput, attempt: number) => Promise<FetchPlayerResult>;
  matchFetches: number;
  playerFetches: Array<FetchPlayerInput & { queue: string; attempt: number }>;
  computed: ComputeInput[];
  outcomes: RecordOutcomeInput[];
  deliveries: DeliverInput[];
  /** Player fetches that ended by cancellation. */
  cancelledFetches: number;
  /** Holds the outcome's recording (the run's end) until it resolves. */
  recordGate?: Promise<void>;
}

const scripts = new Map<string, Script>();

function script(matchId: string, s: Partial<Script> = {}): Script {
  const full: Script = {
    matchFetches: 0,
    playerFetches: [],
    computed: [],
    outcomes: [],
    deliveries: [],
    cancelledFetches: 0,
    ...s,
  };
  scripts.set(matchId, full);
  return full;
}

const roster = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ playerId: `p${i}`, nickname: `player${i}` }));
function okMatch(players = roster(10)): FetchMatchResult {
  const half = Math.ceil(players.length / 2);
  const faction = (name: string, list: typeof players) => ({
    name,
    roster: list.map((p) => ({ ...p, skillLevel: 10 })),
  });
  const match: MatchInfo = {
    matchId: 'm',
    status: 'READY',
    pickedMap: 'de_mirage',
    factions: {
      faction1: faction('team_a', players.slice(0, half)),
      faction2: faction('team_b', players.slice(half)),
    },
  };
  return { kind: 'ok', match, players, calls: 1, hits: 0 };
}
const playerData = (playerId: string): FetchPlayerResult => ({
  input: { playerId } as unknown as FetchPlayerResult['input'],
  calls: 3,
  hits: 0,
});

/** A player fetch that heartbeats until cancelled, as the real FACEIT activities do. */
async function untilCancelled(input: FetchPlayerInput): Promise<never> {
  try {
    for (;;) {
      Context.current().heartbeat();
      await Context.current().sleep(100);
    }
  } finally {
    scripts.get(input.matchId)!.cancelledFetches++;
  }
}

/** The cancelled activities have stopped (the test server does not skip time while an activity runs). */
async function fetchesCancelled(s: Script): Promise<void> {
  await eventually(
    () => Promise.resolve(s.cancelledFetches),
    (n) => n === s.playerFetches.length,
  );
}

const activities = {
  async analysisFetchMatch(input: { matchId: string }): Promise<FetchMatchResult> {
    const s = scripts.get(input.matchId)!;
    s.matchFetches++;
    return s.match ?? okMatch();
  },
  async analysisFetchPlayer(input: FetchPlayerInput): Promise<FetchPlayerResult> {
    const s = scripts.get(input.matchId)!;
    const { taskQueue, attempt } = Context.current().info;
    s.playerFetches.push({ ...input, queue: taskQueue, attempt });
    return s.player ? s.player(input, attempt) : playerData(input.playerId);
  },
  async analysisCompute(input: ComputeInput) {
    scripts.get(input.matchId)!.computed.push(input);
    return {
      pickedMap: null,
      winProbability: 0.5,
      playersWithData: Object.values(input.players).filter(Boolean).length,
    };
  },
  async analysisRecordOutcome(input: RecordOutcomeInput): Promise<void> {
    scripts.get(input.matchId)!.outcomes.push(input);
    await scripts.get(input.matchId)!.recordGate;
  },
  async analysisDeliver(input: DeliverInput) {
    scripts.get(input.matchId)!.deliveries.push(input);
    return { status: 'sent' as const, messages: 1 };
  },
  async analysisRenderText(input: { matchId: string }): Promise<string | null> {
    return `report of ${input.matchId}`;
  },
};

let server: MockedWorkflows;

jest.setTimeout(20_000);

/** A time-skipping server and workers (default queue with the workflows, high queue) for the enclosing describe. */
function useTestServer(): void {
  const own = useMockedWorkflows(QUEUES.default, activities, { activityQueues: [QUEUES.high] });
  beforeAll(() => {
    server = own;
  });
}

let nextUser = 1;
function requester(plan: AnalysisRequester['tier'] = 'free'): AnalysisRequester {
  const id = nextUser++;
  return {
    telegramId: id,
    chatId: id,
    progressMessageId: 100 + id,
    locale: 'en',
    tier: plan,
    usageDay: '2026-11-30',
  };
}
const ref = (r: AnalysisRequester) => ({
  telegramId: r.telegramId,
  chatId: r.chatId,
  progressMessageId: r.progressMessageId,
});

function input(matchId: string, overrides: Partial<AnalysisWorkflowInput> = {}): AnalysisWorkflowInput {
  return { matchId, tier: 'default', queues: QUEUES, concurrency: 2, matchesPerPlayer: 20, ...overrides };
}

/** As the bot does: the first requester starts (or joins) the workflow by update-with-start, and is in its input. */
async function request(
  matchId: string,
  r: AnalysisRequester,
  overrides: Partial<AnalysisWorkflowInput> = {},
): Promise<WorkflowHandle<typeof lobbyAnalysisWorkflow>> {
  const startWorkflowOperation = new WithStartWorkflowOperation(lobbyAnalysisWorkflow, {
    workflowId: `analysis-${matchId}`,
    taskQueue: QUEUES.default,
    args: [input(matchId, { carried: [r], ...overrides })],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const outcome = await server.env.client.workflow.executeUpdateWithStart(joinAnalysisUpdate, {
    args: [r],
    startWorkflowOperation,
  });
  expect(outcome).toBe('started');
  return startWorkflowOperation.workflowHandle();
}

type Handle = WorkflowHandle<typeof lobbyAnalysisWorkflow>;
const join = (handle: Handle, r: AnalysisRequester) =>
  handle.executeUpdate(joinAnalysisUpdate, { args: [r] });
const cancel = (handle: Handle, r: AnalysisRequester, telegramId = r.telegramId) =>
  handle.executeUpdate(cancelAnalysisUpdate, { args: [{ ...ref(r), telegramId }] });

/** The reason a cancel was refused with (the validator's failure), or the answer if it was not refused. */
async function refusalOf(attempt: Promise<unknown>): Promise<unknown> {
  try {
    return await attempt;
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) throw err;
    expect(err.cause.type).toBe(CANCEL_REFUSED);
    return err.cause.details?.[0];
  }
}

const outcomesOf = (s: Script) => s.deliveries.map((d) => [d.requester.telegramId, d.outcome]);

describe('lobby analysis workflow (time-skipping, mocked activities)', () => {
  useTestServer();

  it('answers every requester once: a joiner shares the run, a canceller hears at once, a late one gets the stored report', async () => {
    const matchId = randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = script(matchId, { player: async (i) => (await gate, playerData(i.playerId)) });
    const [alice, bob, carol, dave] = [requester(), requester(), requester(), requester()];

    const handle = await request(matchId, alice);
    expect(await join(handle, bob)).toBe('joined');
    expect(await join(handle, carol)).toBe('joined');
    expect(await join(handle, bob)).toBe('already-in'); // a retried join adds nobody
    expect(await cancel(handle, carol)).toEqual({ outcome: 'cancelled', analysisStopped: false });
    // A repeat (double press) is refused as already done: nothing is refunded twice.
    expect(await refusalOf(cancel(handle, carol))).toBe('already-cancelled');
    await eventually(
      () => Promise.resolve(s.deliveries.length),
      (n) => n === 1,
    );
    expect(outcomesOf(s)).toEqual([[carol.telegramId, 'cancelled']]);

    release();
    const done = await eventually(
      () => handle.query(analysisProgressQuery),
      (p) => p.stage === 'done',
    );
    expect(done).toMatchObject({ done: 10, total: 10, noDataPlayers: 0, faceitCalls: 1 + 10 * 3 });
    expect(done.lobby?.teams.map((t) => t.players.length)).toEqual([5, 5]);

    // Lingering: a late requester gets the stored report at once, at no FACEIT cost.
    expect(await join(handle, dave)).toBe('ready');
    const result = await handle.result(); // the 5-minute linger passes instantly
    expect(result).toMatchObject({ stage: 'done', delivered: 3, faceitCalls: 31 });
    expect(outcomesOf(s).sort()).toEqual(
      [
        [alice.telegramId, 'report'],
        [bob.telegramId, 'report'],
        [carol.telegramId, 'cancelled'],
        [dave.telegramId, 'report'],
      ].sort(),
    );
    expect(s.matchFetches).toBe(1);
    expect(s.playerFetches).toHaveLength(10);
    expect(s.computed).toHaveLength(1);
    // Open for five minutes after the report (workflow time; skipped by the test server).
    const closedAt = (await handle.describe()).closeTime!.getTime();
    expect(closedAt - result.finishedAt!).toBeGreaterThanOrEqual(LINGER_MS);
    expect(closedAt - result.finishedAt!).toBeLessThan(LINGER_MS + 10_000);
  });

  it('keeps the linger a run was started with before it became fixed (legacy lingerMs)', async () => {
    const matchId = randomUUID();
    script(matchId, { match: { kind: 'refused', reason: 'finished', calls: 1, hits: 0 } });
    const handle = await request(matchId, requester(), { lingerMs: 0 });
    const result = await handle.result();
    const closedAt = (await handle.describe()).closeTime!.getTime();
    expect(result.stage).toBe('refused');
    expect(closedAt - result.finishedAt!).toBeLessThan(10_000);
  });

  it("refuses a cancel that is not the requester's, names an unknown request, or comes after the answer: no trace in the history", async () => {
    const matchId = randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = script(matchId, { player: async (i) => (await gate, playerData(i.playerId)) });
    const [alice, stranger] = [requester(), requester()];
    const handle = await request(matchId, alice);
    await eventually(
      () => Promise.resolve(s.playerFetches.length),
      (n) => n > 0,
    );
    // Updates the workflow accepted (the join that started it so far); a refused one is never recorded.
    const accepted = async () =>
      (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
        .length ?? 0;
    expect(await accepted()).toBe(1);

    expect(await refusalOf(cancel(handle, alice, stranger.telegramId))).toBe('not-yours');
    expect(await refusalOf(cancel(handle, stranger))).toBe('unknown');
    await expect(join(handle, { ...alice, progressMessageId: 0 })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    expect(await accepted()).toBe(1); // rejected by the validators: none recorded

    release();
    await eventually(
      () => handle.query(analysisProgressQuery),
      (p) => p.stage === 'done',
    );
    expect(await refusalOf(cancel(handle, alice))).toBe('too-late');
    const result = await handle.result();
    expect(result.stage).toBe('done');
    expect(outcomesOf(s)).toEqual([[alice.telegramId, 'report']]);
  });

  it('still takes the signals of older clients: signal-with-start, join and cancel', async () => {
    const matchId = randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = script(matchId, { player: async (i) => (await gate, playerData(i.playerId)) });
    const [alice, bob] = [requester(), requester()];
    const handle = await server.env.client.workflow.signalWithStart(lobbyAnalysisWorkflow, {
      workflowId: `analysis-${matchId}`,
      taskQueue: QUEUES.default,
      args: [input(matchId)],
      signal: joinAnalysisSignal,
      signalArgs: [alice],
    });
    await handle.signal(joinAnalysisSignal, bob);
    await handle.signal(cancelAnalysisSignal, { ...ref(alice), telegramId: bob.telegramId }); // foreign: dropped
    await handle.signal(cancelAnalysisSignal, ref(bob));
    await eventually(
      () => Promise.resolve(s.deliveries.length),
      (n) => n === 1,
    );
    release();
    const result = await handle.result();
    expect(result.stage).toBe('done');
    expect(outcomesOf(s).sort()).toEqual(
      [
        [alice.telegramId, 'report'],
        [bob.telegramId, 'cancelled'],
      ].sort(),
    );
  });

  it('retries a flaky player fetch and reports a player FACEIT never answers for as "no data"', async () => {
    const matchId = randomUUID();
    const s = script(matchId, {
      match: okMatch(roster(3)),
      player: async (i, attempt) => {
        if (i.playerId === 'p0' && attempt < 3) throw new Error('FACEIT 503');
        if (i.playerId === 'p1')
          throw ApplicationFailure.nonRetryable('no such player', 'FaceitNotFoundError');
        return playerData(i.playerId);
      },
    });
    const alice = requester();
    const result = await (await request(matchId, alice)).result();

    expect(result.stage).toBe('done');
    expect(s.playerFetches.filter((f) => f.playerId === 'p0').map((f) => f.attempt)).toEqual([1, 2, 3]);
    expect(s.playerFetches.filter((f) => f.playerId === 'p1')).toHaveLength(1);
    expect(s.computed[0].players).toEqual({ p0: { playerId: 'p0' }, p1: null, p2: { playerId: 'p2' } });
    expect(outcomesOf(s)).toEqual([[alice.telegramId, 'report']]);
  });

  it('refuses a finished match: the requester is told why, no player is fetched, the refusal is recorded', async () => {
    const matchId = randomUUID();
    const s = script(matchId, { match: { kind: 'refused', reason: 'finished', calls: 1, hits: 0 } });
    const alice = requester();
    const result = await (await request(matchId, alice)).result();

    expect(result).toMatchObject({ stage: 'refused', refusal: 'finished' });
    expect(s.deliveries).toEqual([expect.objectContaining({ outcome: 'refused', refusal: 'finished' })]);
    expect(s.outcomes).toEqual([expect.objectContaining({ status: 'refused', refusal: 'finished' })]);
    expect(s.playerFetches).toEqual([]);
  });

  it('moves the rest of the fan-out to the high queue when a PRO requester joins', async () => {
    const matchId = randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = script(matchId, {
      match: okMatch(roster(4)),
      player: async (i) => {
        if (i.playerId === 'p0') await gate;
        return playerData(i.playerId);
      },
    });
    const handle = await request(matchId, requester('free'), { concurrency: 1 });
    await eventually(
      () => Promise.resolve(s.playerFetches.length),
      (n) => n === 1,
    );
    expect(await join(handle, requester('pro'))).toBe('joined');
    await eventually(
      () => handle.query(analysisProgressQuery),
      (p) => p.requesters.length === 2,
    );
    release();
    const result = await handle.result();

    expect(result.delivered).toBe(2);
    expect(s.playerFetches.map((f) => [f.playerId, f.queue, f.priority])).toEqual([
      ['p0', QUEUES.default, 'default'],
      ['p1', QUEUES.high, 'high'],
      ['p2', QUEUES.high, 'high'],
      ['p3', QUEUES.high, 'high'],
    ]);
  });

  it('ends quietly, without a FACEIT call, when nobody joins within a minute', async () => {
    const matchId = randomUUID();
    const s = script(matchId);
    const handle = await server.env.client.workflow.start(lobbyAnalysisWorkflow, {
      workflowId: `analysis-${matchId}`,
      taskQueue: QUEUES.default,
      args: [input(matchId)],
    });
    const result = await handle.result();
    expect(result).toMatchObject({ stage: 'queued', delivered: 0, faceitCalls: 0 });
    expect(s.matchFetches).toBe(0);
  });

  it('runs an operator analysis without requesters and returns the plain-text report without lingering', async () => {
    const matchId = randomUUID();
    const s = script(matchId);
    const handle = await server.env.client.workflow.start(lobbyAnalysisWorkflow, {
      workflowId: `analysis-${matchId}`,
      taskQueue: QUEUES.default,
      args: [input(matchId, { operator: { locale: 'en' } })],
    });
    const result = await handle.result();
    expect(result).toMatchObject({ stage: 'done', reportText: `report of ${matchId}`, delivered: 0 });
    expect(s.deliveries).toEqual([]);
    expect((await handle.describe()).closeTime!.getTime() - result.finishedAt!).toBeLessThan(10_000);
  });
});

// A cancelled activity learns of it from its next heartbeat, after the workflow has ended; the test server then never
// sees it finish and stops skipping time. These tests get a server of their own.
describe('lobby analysis workflow cancellation (time-skipping, mocked activities)', () => {
  useTestServer();

  /** Alice asks and Bob joins a match whose player fetches hang until cancelled; once both lanes are in flight. */
  async function twoWaitingOnFetches() {
    const matchId = randomUUID();
    const s = script(matchId, { player: untilCancelled });
    const [alice, bob] = [requester(), requester()];
    const handle = await request(matchId, alice);
    await join(handle, bob);
    await eventually(
      () => Promise.resolve(s.playerFetches.length),
      (n) => n === 2,
    );
    return { s, alice, bob, handle };
  }

  it('stops the fan-out when the last requester cancels, tells each of them, records it and does not linger', async () => {
    const { s, alice, bob, handle } = await twoWaitingOnFetches();

    expect(await cancel(handle, alice)).toEqual({ outcome: 'cancelled', analysisStopped: false });
    expect(await cancel(handle, bob)).toEqual({ outcome: 'cancelled', analysisStopped: true });
    const result = await handle.result();

    expect(result.stage).toBe('cancelled');
    expect(outcomesOf(s).sort()).toEqual(
      [
        [alice.telegramId, 'cancelled'],
        [bob.telegramId, 'cancelled'],
      ].sort(),
    );
    expect(s.outcomes.map((o) => o.status)).toEqual(['cancelled']);
    expect(s.playerFetches).toHaveLength(2); // the two lanes in flight; nothing started after the cancel
    expect(s.computed).toEqual([]);
    await fetchesCancelled(s);
  });

  it.each([
    ['is carried to a fresh run and gets the report there', false],
    ['can still cancel, and then no fresh run starts', true],
  ])('a requester joining while a cancelled run ends %s', async (_, cancelsToo) => {
    const matchId = randomUUID();
    let firstRun = true;
    let release!: () => void;
    const s = script(matchId, {
      player: (i) => (firstRun ? untilCancelled(i) : Promise.resolve(playerData(i.playerId))),
      recordGate: new Promise<void>((r) => (release = r)),
    });
    const [alice, dave] = [requester(), requester()];
    const handle = await request(matchId, alice);
    await eventually(
      () => Promise.resolve(s.playerFetches.length),
      (n) => n === 2,
    );
    expect(await cancel(handle, alice)).toEqual({ outcome: 'cancelled', analysisStopped: true });
    // The run is ending (recording "cancelled"): a newcomer is told they go to the next run.
    await eventually(
      () => Promise.resolve(s.outcomes.length),
      (n) => n === 1,
    );
    expect(await join(handle, dave)).toBe('next-run');
    if (cancelsToo)
      expect(await cancel(handle, dave)).toEqual({ outcome: 'cancelled', analysisStopped: true });
    firstRun = false;
    release();
    await eventually(
      () => Promise.resolve(s.cancelledFetches),
      (n) => n === 2, // the first run's two lanes
    );

    if (cancelsToo) expect((await handle.result()).stage).toBe('cancelled');
    else {
      // The fresh run (continue-as-new, same workflow id) analyses for dave. It then lingers: the test server
      // does not skip that time after cancelled activities, so the test ends it.
      await eventually(
        () => handle.query(analysisProgressQuery),
        (p) => p.stage === 'done' && p.requesters.length === 1,
      );
      await handle.terminate('test over');
    }
    expect(outcomesOf(s).sort()).toEqual(
      [
        [alice.telegramId, 'cancelled'],
        [dave.telegramId, cancelsToo ? 'cancelled' : 'report'],
      ].sort(),
    );
    expect(s.matchFetches).toBe(cancelsToo ? 1 : 2);
  });

  it('tells every requester when an operator cancels the workflow itself, and ends cancelled', async () => {
    const { s, alice, bob, handle } = await twoWaitingOnFetches();

    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(outcomesOf(s).sort()).toEqual(
      [
        [alice.telegramId, 'cancelled'],
        [bob.telegramId, 'cancelled'],
      ].sort(),
    );
    expect(s.outcomes.map((o) => o.status)).toEqual(['cancelled']);
    await fetchesCancelled(s);
  });
});
