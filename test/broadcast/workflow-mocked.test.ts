import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { SendBatchResult } from '../../src/broadcast/activities';
import type { BroadcastReport } from '../../src/broadcast/model/progress';
import { broadcastWorkflow } from '../../src/broadcast/workflows';
import { exportHistory } from '../../src/temporal/replay';
import { useMockedWorkflows } from '../harness/time-skipping';

/**
 * The broadcast workflow on the time-skipping test server with mocked activities (issue 22, item 11): while
 * Telegram is unreachable the final sweep gives every recipient back, batch after batch; the sweep continues as new
 * every `sweepsPerRun` sweeps instead of growing one history for the whole outage, and the broadcast completes once
 * Telegram is back, with the counts carried across runs.
 */
const QUEUE = `broadcast-mocked-${randomUUID().slice(0, 8)}`;

interface World {
  total: number;
  /** Sweeps answered "nothing sent, all given back" before Telegram is back. */
  outageSweeps: number;
  ranges: number;
  sweepRuns: Set<string>;
}
const worlds = new Map<number, World>();
const noSends = (remaining: number): SendBatchResult => ({
  sent: 0,
  blocked: 0,
  failed: 0,
  uncertain: 0,
  released: remaining,
  remaining,
});

const activities = {
  async broadcastPrepare(input: { broadcastId: number }) {
    return { total: worlds.get(input.broadcastId)!.total };
  },
  async broadcastNextRange(input: { broadcastId: number; after: number }) {
    const w = worlds.get(input.broadcastId)!;
    // One range of everybody, which Telegram (down) gives back.
    if (input.after > 0) return null;
    w.ranges++;
    return { from: 1, to: w.total };
  },
  async broadcastSendBatch(input: { broadcastId: number; to: number | null }): Promise<SendBatchResult> {
    const w = worlds.get(input.broadcastId)!;
    if (input.to !== null) return noSends(w.total);
    w.sweepRuns.add(Context.current().info.workflowExecution!.runId);
    if (w.outageSweeps > 0) {
      w.outageSweeps--;
      return noSends(w.total);
    }
    return { ...noSends(0), sent: w.total, released: 0 };
  },
  async broadcastShowProgress() {},
  async broadcastFinish(input: { broadcastId: number; status: BroadcastReport['status'] }) {
    const w = worlds.get(input.broadcastId)!;
    return {
      total: w.total,
      sent: w.total,
      blocked: 0,
      failed: 0,
      uncertain: 0,
      status: input.status,
      notSent: 0,
      durationMs: 0,
    } satisfies BroadcastReport;
  },
};

const server = useMockedWorkflows(QUEUE, activities);

describe('broadcast final sweep (time-skipping, mocked activities)', () => {
  it('continues as new every sweepsPerRun sweeps during an outage, then completes', async () => {
    const broadcastId = Math.floor(Math.random() * 1e9);
    const w: World = { total: 7, outageSweeps: 10, ranges: 0, sweepRuns: new Set() };
    worlds.set(broadcastId, w);
    const handle = await server.env.client.workflow.start(broadcastWorkflow, {
      workflowId: `broadcast-mocked-${broadcastId}`,
      taskQueue: QUEUE,
      args: [{ broadcastId, batchSize: 10, sweepsPerRun: 3, progressEveryMs: 0 }],
    });
    const report = await handle.result();
    expect(report.status).toBe('completed');
    expect(report.sent).toBe(7);
    // 10 failed sweeps, 3 a run: the sweep spans 4 runs (the streams' run included), and the ranges were handed
    // out once: a run continued from the sweep goes straight back to sweeping.
    expect(w.sweepRuns.size).toBe(4);
    expect(report.runs).toBe(4);
    expect(w.ranges).toBe(1);
    // Each run's history stays short: no run holds more than sweepsPerRun sweeps.
    const first = await server.env.client.workflow
      .getHandle(handle.workflowId, handle.firstExecutionRunId)
      .fetchHistory();
    const scheduled = (first.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
    expect(scheduled).toBeLessThan(12);
    // RECORD_HISTORIES=1 writes the runs replayed by test/replay (the new path, behind its patch marker).
    if (process.env.RECORD_HISTORIES) {
      const out = join(__dirname, '..', 'histories');
      await exportHistory(
        server.env.client,
        handle.workflowId,
        handle.firstExecutionRunId,
        join(out, 'broadcast-sweep-continued.json'),
      );
      const last = await server.env.client.workflow.getHandle(handle.workflowId).describe();
      await exportHistory(
        server.env.client,
        handle.workflowId,
        last.runId,
        join(out, 'broadcast-sweep-resumed-completed.json'),
      );
    }
  });
});
