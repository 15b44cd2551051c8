import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { SendBatchResult } from '../activities';
import type { BroadcastReport } from '../model/progress';
import type { BroadcastCarry } from '../workflow-types';
import type { broadcastWorkflow } from '../workflows';
import type { ProgressMessage } from './progress';
import type { BroadcastRun } from './state';

/**
 * The broadcast's stages, in order: prepare (freeze the audience), send in streams of batches, sweep, finish. Each
 * keeps the awaits of the one function the workflow used to be, so the commands (and their order) are the same.
 */

/** A fresh broadcast freezes its audience; every run then shows its state. */
export async function prepare(run: BroadcastRun, message: ProgressMessage): Promise<void> {
  if (!run.input.carry) {
    const { total } = await run.acts.quick.broadcastPrepare({ broadcastId: run.broadcastId });
    run.counts.total = total;
  }
  run.state = run.pausedOrRunning();
  await message.show(true);
}

/** One batch; null once it failed for good (the broadcast then fails). */
async function send(
  run: BroadcastRun,
  range: { from: number; to: number | null },
): Promise<SendBatchResult | null> {
  run.inFlight++;
  try {
    const result = await run.acts.sender.broadcastSendBatch({
      broadcastId: run.broadcastId,
      limit: run.input.batchSize,
      lanes: run.input.lanes,
      ...range,
    });
    run.batches++;
    run.add(result);
    return result;
  } catch (err) {
    log.error('broadcast batch failed for good', { error: err });
    run.status = 'failed';
    return null;
  } finally {
    run.inFlight--;
  }
}

/** Ranges of recipients (in id order) are handed out one at a time, so the streams never share a recipient. */
function rangeAllocator(run: BroadcastRun): () => Promise<{ from: number; to: number } | null> {
  let allocation: Promise<unknown> = Promise.resolve();
  return () => {
    const next = allocation.then(async () => {
      const range = await run.acts.quick.broadcastNextRange({
        broadcastId: run.broadcastId,
        after: run.carry.cursor,
        limit: run.input.batchSize,
      });
      if (range) run.carry.cursor = range.to;
      return range;
    });
    allocation = next.catch(() => undefined);
    return next;
  };
}

/**
 * Two streams of batches (by default): while one batch ends and the next is dispatched, the other keeps sending, so
 * the turn-around never shows in the rate (the pacer keeps the global rate whatever the number of streams). They
 * stop when the ranges run out, on cancel or failure, or after `batchesPerRun` batches (`run.stopForNewRun`).
 */
export function sendInStreams(run: BroadcastRun, message: ProgressMessage): Promise<void[]> {
  const nextRange = rangeAllocator(run);
  const stream = async () => {
    for (;;) {
      await condition(() => !run.carry.paused || run.mustStop());
      if (run.mustStop()) return;
      if (run.batches >= (run.input.batchesPerRun ?? 200) || workflowInfo().continueAsNewSuggested) {
        run.stopForNewRun = true;
        return;
      }
      const range = await nextRange().catch(() => null);
      if (!range || !(await send(run, range))) return;
      void message.show();
    }
  };
  return Promise.all(Array.from({ length: Math.max(1, run.input.streams ?? 2) }, stream));
}

/** Hands the broadcast to a fresh run once the presenter, the progress edit and every handler are done. */
export async function continueInNewRun(
  run: BroadcastRun,
  presenting: Promise<void>,
  message: ProgressMessage,
  extra: Partial<BroadcastCarry> = {},
): Promise<never> {
  run.sending = false;
  await presenting;
  await message.settled();
  await condition(allHandlersFinished);
  return continueAsNew<typeof broadcastWorkflow>({
    ...run.input,
    carry: run.nextCarry(extra),
  });
}

/**
 * A last sweep over the whole list: recipients given back (Telegram unreachable) are still pending. However long
 * Telegram stays away, one run holds at most `sweepsPerRun` sweeps, then continues as new (still sweeping).
 */
export async function sweep(
  run: BroadcastRun,
  presenting: Promise<void>,
  message: ProgressMessage,
): Promise<void> {
  const { carry } = run;
  let sweeps = 0;
  while (!run.ended()) {
    await condition(() => !carry.paused || carry.cancelled);
    if (carry.cancelled) break;
    const result = await send(run, { from: 0, to: null });
    if (!result || result.remaining === 0) break;
    if (result.sent + result.blocked + result.failed + result.uncertain === 0) await sleep('5 seconds');
    sweeps++;
    if (
      (sweeps >= (run.input.sweepsPerRun ?? 100) || workflowInfo().continueAsNewSuggested) &&
      // Histories from before this change swept on in one run: they replay their own way.
      patched('broadcast-sweep-continue-as-new')
    ) {
      await continueInNewRun(run, presenting, message, { sweeping: true });
    }
  }
}

/** Writes the report (the database's counts) once the presenter and the last progress edit are done. */
export async function finish(
  run: BroadcastRun,
  presenting: Promise<void>,
  message: ProgressMessage,
): Promise<BroadcastReport> {
  if (run.carry.cancelled) run.status = 'cancelled';
  run.sending = false;
  await presenting;

  await message.settled();
  run.finishing = true;
  run.state = 'finishing';
  const report = await run.acts.quick.broadcastFinish({
    broadcastId: run.broadcastId,
    status: run.status,
    startedAt: run.carry.startedAt,
  });
  run.settle(report);
  run.state = 'finished';
  await condition(allHandlersFinished);
  return { ...report, runs: run.carry.runs + 1 };
}
