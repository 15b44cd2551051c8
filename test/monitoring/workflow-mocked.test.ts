import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { CheckPlayersInput, CheckPlayersResult, CyclePlanResult } from '../../src/monitoring/activities';
import { monitoringCycleWorkflow, monitoringMatchWorkflow } from '../../src/monitoring/workflows';
import { useMockedWorkflows } from '../harness/time-skipping';

/**
 * The monitoring workflows on the time-skipping test server with mocked activities: a cycle's cap, lanes, failed
 * batches and continue-as-new; the webhook's settle time and rechecks (20 s each, skipped). No PostgreSQL, Redis or
 * emulators; the end-to-end behaviour is in notifications.test.ts, webhook.test.ts and crash.test.ts.
 */

const QUEUE = `monitoring-mocked-${randomUUID().slice(0, 8)}`;

/** One workflow's due players and what its activities were asked. */
interface World {
  due: string[];
  plan: Partial<CyclePlanResult>;
  /** Answers a check; default: every player checked, one FACEIT call each. */
  check?: (input: CheckPlayersInput, attempt: number) => Promise<CheckPlayersResult>;
  checks: Array<{ playerIds: string[]; at: number; runId: string }>;
  readyNoted: string[][];
}
const worlds = new Map<string, World>();

function world(workflowId: string, w: Partial<World> = {}): World {
  const full: World = { due: [], plan: {}, checks: [], readyNoted: [], ...w };
  worlds.set(workflowId, full);
  return full;
}
const current = (): World => worlds.get(Context.current().info.workflowExecution!.workflowId)!;
const players = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function checked(playerIds: string[], extra: Partial<CheckPlayersResult> = {}): CheckPlayersResult {
  return {
    checked: playerIds.length,
    notified: 0,
    calls: playerIds.length,
    briefCalls: 0,
    briefs: 0,
    failed: 0,
    busy: [],
    missing: [],
    saturated: false,
    released: 0,
    ...extra,
  };
}

const activities = {
  async monitoringPlanCycle(): Promise<CyclePlanResult> {
    const w = current();
    return {
      maxPlayers: 1_000,
      batchSize: 2,
      lanes: 2,
      leaseMs: 60_000,
      deadlineMs: 10 * 60_000,
      intervalMs: 15 * 60_000,
      due: w.due.length,
      added: 0,
      removed: 0,
      ...w.plan,
    };
  },
  async monitoringClaimDue(input: { limit: number }): Promise<string[]> {
    return current().due.splice(0, input.limit);
  },
  async monitoringCountDue(): Promise<number> {
    return current().due.length;
  },
  async monitoringCheckPlayers(input: CheckPlayersInput): Promise<CheckPlayersResult> {
    const w = current();
    const { info } = Context.current();
    w.checks.push({
      playerIds: input.playerIds,
      at: info.currentAttemptScheduledTimestampMs,
      runId: info.workflowExecution!.runId,
    });
    return w.check ? w.check(input, info.attempt) : checked(input.playerIds);
  },
  async monitoringNoteMatchReady(input: { playerIds: string[] }): Promise<void> {
    current().readyNoted.push(input.playerIds);
  },
};

const server = useMockedWorkflows(QUEUE, activities);

const start = <T extends typeof monitoringCycleWorkflow | typeof monitoringMatchWorkflow>(
  workflow: T,
  workflowId: string,
  args: Parameters<T>,
) => server.env.client.workflow.start(workflow, { workflowId, taskQueue: QUEUE, args } as never);

describe('monitoring cycle (time-skipping, mocked activities)', () => {
  it('checks every due player in batches and stops when nobody is due', async () => {
    const id = `cycle-${randomUUID()}`;
    const w = world(id, { due: players(5) });
    const result = await (await start(monitoringCycleWorkflow, id, [{}])).result();

    expect(result).toMatchObject({
      stoppedBy: 'done',
      taken: 5,
      checked: 5,
      batches: 3,
      deferred: 0,
      runs: 1,
    });
    expect(w.checks.flatMap((c) => c.playerIds).sort()).toEqual(players(5).sort());
  });

  it('stops at the cycle cap and leaves the rest, most overdue first, for the next cycle', async () => {
    const id = `cycle-${randomUUID()}`;
    const w = world(id, { due: players(20), plan: { maxPlayers: 7, batchSize: 3, lanes: 2 } });
    const result = await (await start(monitoringCycleWorkflow, id, [{}])).result();

    expect(result).toMatchObject({ stoppedBy: 'cap', taken: 7, checked: 7, deferred: 13 });
    expect(w.due).toEqual(players(20).slice(7));
  });

  it('counts a batch that still fails after its retries and goes on with the others', async () => {
    const id = `cycle-${randomUUID()}`;
    const w = world(id, {
      due: players(4),
      plan: { batchSize: 1, lanes: 1 },
      check: async (input) => {
        if (input.playerIds[0] === 'p1') throw new Error('FACEIT down');
        return checked(input.playerIds);
      },
    });
    const result = await (await start(monitoringCycleWorkflow, id, [{}])).result(); // retry back-off skipped

    expect(result).toMatchObject({ stoppedBy: 'done', batches: 4, failedBatches: 1, checked: 3 });
    expect(w.checks.filter((c) => c.playerIds[0] === 'p1')).toHaveLength(5); // the batch's five attempts
  });

  it('stops early when user traffic holds the FACEIT budget', async () => {
    const id = `cycle-${randomUUID()}`;
    world(id, {
      due: players(10),
      plan: { batchSize: 2, lanes: 1 },
      check: async (input) => checked(input.playerIds, { saturated: true }),
    });
    const result = await (await start(monitoringCycleWorkflow, id, [{}])).result();
    expect(result).toMatchObject({ stoppedBy: 'saturated', batches: 1, deferred: 8 });
  });

  it('continues as new when its history grows long, carrying its totals to the end', async () => {
    const id = `cycle-${randomUUID()}`;
    const w = world(id, { due: players(30), plan: { batchSize: 1, lanes: 2 } });
    const result = await (await start(monitoringCycleWorkflow, id, [{ historyLimit: 40 }])).result();

    const runs = new Set(w.checks.map((c) => c.runId)).size;
    expect(runs).toBeGreaterThan(1);
    expect(result).toMatchObject({ stoppedBy: 'done', runs, taken: 30, checked: 30, batches: 30, due: 30 });
  });
});

describe('monitoring webhook workflow (time-skipping, mocked activities)', () => {
  it('waits for FACEIT to catch up, rechecks missing players every 20 s, and leaves the never-seen to the cycle', async () => {
    const id = `match-${randomUUID()}`;
    let round = 0;
    const w = world(id, {
      check: async (input) => {
        round++;
        // p0 is there at once, p1 from the third check; p2 never.
        const missing = input.playerIds.filter((p) => p === 'p2' || (p === 'p1' && round < 3));
        return checked(
          input.playerIds.filter((p) => !missing.includes(p)),
          { missing },
        );
      },
    });
    const handle = await start(monitoringMatchWorkflow, id, [
      { event: 'match_status_finished', matchId: 'm1', playerIds: ['p0', 'p1', 'p2'] },
    ]);
    const result = await handle.result();
    const startedAt = (await handle.describe()).startTime.getTime();

    expect(result).toMatchObject({ checked: 2, missing: ['p2'] });
    expect(w.checks.map((c) => c.playerIds)).toEqual([
      ['p0', 'p1', 'p2'],
      ['p1', 'p2'],
      ['p1', 'p2'],
      ['p2'],
      ['p2'],
      ['p2'],
    ]);
    const times = w.checks.map((c) => Math.round((c.at - startedAt) / 1000));
    expect(times).toEqual([20, 40, 60, 80, 100, 120]);
  });

  it('records the pre-match ELO of a ready match without checking anybody', async () => {
    const id = `match-${randomUUID()}`;
    const w = world(id);
    const result = await (
      await start(monitoringMatchWorkflow, id, [
        { event: 'match_status_ready', matchId: 'm2', playerIds: ['p0'] },
      ])
    ).result();
    expect(result).toEqual({ checked: 0, notified: 0, calls: 0, missing: [] });
    expect(w.readyNoted).toEqual([['p0']]);
    expect(w.checks).toEqual([]);
  });
});
