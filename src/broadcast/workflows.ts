import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { DB_BROADCAST_STEP, TELEGRAM_BROADCAST_BATCH, TELEGRAM_COSMETIC } from '../temporal/retry-policies';
import type { BroadcastActivities, SendBatchResult } from './activities';
import {
  handled,
  zeroCounts,
  type BroadcastProgress,
  type BroadcastReport,
  type BroadcastState,
} from './model/progress';
import {
  broadcastProgressQuery,
  cancelBroadcastUpdate,
  pauseBroadcastUpdate,
  resumeBroadcastUpdate,
  type BroadcastCarry,
  type BroadcastWorkflowInput,
} from './workflow-types';

/** See BroadcastWorkflowInput.heartbeatTimeoutMs. */
const SEND_HEARTBEAT_TIMEOUT_MS = 3_000;

/**
 * One broadcast: freeze the audience, then send in batches of about two seconds each until nobody is pending.
 * The delivery rows in PostgreSQL are the state (who got it, exactly once); the workflow only carries the counts,
 * so it continues as new every `batchesPerRun` batches and 100,000 recipients never make one long history.
 * Pause / Resume / Cancel take effect between batches (within about four seconds).
 */
export async function broadcastWorkflow(input: BroadcastWorkflowInput): Promise<BroadcastReport> {
  const quick = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '2 minutes',
    retry: DB_BROADCAST_STEP,
  });
  const cosmetic = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '20 seconds',
    retry: TELEGRAM_COSMETIC,
  });
  // A killed worker's batch moves on after the heartbeat timeout plus the first retry interval: both short, since
  // the batch heartbeats twice a second however long it waits (pacer, retry_after), and a retry of a batch is safe
  // (only pending recipients are sent, each under a claim). Changing these changes no command of old histories.
  const sender = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? SEND_HEARTBEAT_TIMEOUT_MS,
    retry: TELEGRAM_BROADCAST_BATCH,
  });

  const carry: BroadcastCarry = input.carry ?? {
    counts: zeroCounts(),
    paused: false,
    cancelled: false,
    startedAt: Date.now(),
    runs: 0,
    cursor: 0,
  };
  const counts = carry.counts;
  let state: BroadcastState = input.carry ? (carry.paused ? 'paused' : 'running') : 'preparing';
  let finishing = false;

  const progress = (): BroadcastProgress => ({
    ...counts,
    state,
    cancelled: carry.cancelled,
    remaining: Math.max(0, counts.total - handled(counts)),
  });
  const open = () => {
    if (finishing)
      throw ApplicationFailure.nonRetryable('the broadcast has already finished', 'BroadcastFinished');
  };
  setHandler(broadcastProgressQuery, progress);
  setHandler(
    pauseBroadcastUpdate,
    () => {
      carry.paused = true;
      return progress();
    },
    { validator: open },
  );
  setHandler(
    resumeBroadcastUpdate,
    () => {
      carry.paused = false;
      return progress();
    },
    { validator: open },
  );
  setHandler(
    cancelBroadcastUpdate,
    () => {
      carry.cancelled = true;
      carry.paused = false;
      return progress();
    },
    { validator: open },
  );

  // The progress edit runs beside the next batch (never delaying a send); one edit at a time.
  let lastShown = 0;
  let showing: Promise<void> = Promise.resolve();
  const show = async (force = false) => {
    if (!force && Date.now() - lastShown < (input.progressEveryMs ?? 3_000)) return;
    lastShown = Date.now();
    await showing;
    showing = cosmetic
      .broadcastShowProgress({ broadcastId: input.broadcastId, progress: progress() })
      .catch((err: unknown) => log.warn('progress message not updated', { error: err }));
    if (force) await showing;
  };

  if (!input.carry) {
    const { total } = await quick.broadcastPrepare({ broadcastId: input.broadcastId });
    counts.total = total;
  }
  state = carry.paused ? 'paused' : 'running';
  await show(true);

  let status = 'completed' as BroadcastReport['status'];
  let batches = 0;
  let inFlight = 0;
  let stopForNewRun = false;
  const add = (r: SendBatchResult) => {
    counts.sent += r.sent;
    counts.blocked += r.blocked;
    counts.failed += r.failed;
    counts.uncertain += r.uncertain;
  };
  const send = async (range: { from: number; to: number | null }): Promise<SendBatchResult | null> => {
    inFlight++;
    try {
      const result = await sender.broadcastSendBatch({
        broadcastId: input.broadcastId,
        limit: input.batchSize,
        lanes: input.lanes,
        ...range,
      });
      batches++;
      add(result);
      return result;
    } catch (err) {
      log.error('broadcast batch failed for good', { error: err });
      status = 'failed';
      return null;
    } finally {
      inFlight--;
    }
  };

  // Ranges of recipients (in id order) are handed out one at a time, so the streams never share a recipient.
  let allocation: Promise<unknown> = Promise.resolve();
  const nextRange = (): Promise<{ from: number; to: number } | null> => {
    const next = allocation.then(async () => {
      const range = await quick.broadcastNextRange({
        broadcastId: input.broadcastId,
        after: carry.cursor,
        limit: input.batchSize,
      });
      if (range) carry.cursor = range.to;
      return range;
    });
    allocation = next.catch(() => undefined);
    return next;
  };
  const mustStop = () => carry.cancelled || status === 'failed' || stopForNewRun;

  // Two streams of batches (by default): while one batch ends and the next is dispatched, the other keeps sending, so the
  // turn-around never shows in the rate (the pacer keeps the global rate whatever the number of streams).
  const stream = async () => {
    for (;;) {
      await condition(() => !carry.paused || mustStop());
      if (mustStop()) return;
      if (batches >= (input.batchesPerRun ?? 200) || workflowInfo().continueAsNewSuggested) {
        stopForNewRun = true;
        return;
      }
      const range = await nextRange().catch(() => null);
      if (!range || !(await send(range))) return;
      void show();
    }
  };
  // The progress message follows pause and resume: "paused" once no batch is in flight any more.
  let sending = true;
  const presenter = async () => {
    for (;;) {
      await condition(
        () =>
          !sending ||
          (carry.paused && inFlight === 0 && state !== 'paused') ||
          (!carry.paused && state === 'paused'),
      );
      if (!sending) return;
      state = carry.paused ? 'paused' : 'running';
      if (!carry.cancelled) await show(true);
    }
  };
  const presenting = presenter();
  // A run continued from the final sweep has nothing left to hand out: it sweeps again at once.
  if (!carry.sweeping) await Promise.all(Array.from({ length: Math.max(1, input.streams ?? 2) }, stream));

  if (stopForNewRun && !carry.cancelled && status !== 'failed') {
    sending = false;
    await presenting;
    await showing;
    await condition(allHandlersFinished);
    await continueAsNew<typeof broadcastWorkflow>({ ...input, carry: { ...carry, runs: carry.runs + 1 } });
  }
  // A last sweep over the whole list: recipients given back (Telegram unreachable) are still pending. However long
  // Telegram stays away, one run holds at most `sweepsPerRun` sweeps, then continues as new (still sweeping).
  let sweeps = 0;
  while (!carry.cancelled && status !== 'failed') {
    await condition(() => !carry.paused || carry.cancelled);
    if (carry.cancelled) break;
    const result = await send({ from: 0, to: null });
    if (!result || result.remaining === 0) break;
    if (result.sent + result.blocked + result.failed + result.uncertain === 0) await sleep('5 seconds');
    sweeps++;
    if (
      (sweeps >= (input.sweepsPerRun ?? 100) || workflowInfo().continueAsNewSuggested) &&
      // Histories from before this change swept on in one run: they replay their own way.
      patched('broadcast-sweep-continue-as-new')
    ) {
      sending = false;
      await presenting;
      await showing;
      await condition(allHandlersFinished);
      await continueAsNew<typeof broadcastWorkflow>({
        ...input,
        carry: { ...carry, runs: carry.runs + 1, sweeping: true },
      });
    }
  }
  if (carry.cancelled) status = 'cancelled';
  sending = false;
  await presenting;

  await showing;
  finishing = true;
  state = 'finishing';
  const report = await quick.broadcastFinish({
    broadcastId: input.broadcastId,
    status,
    startedAt: carry.startedAt,
  });
  Object.assign(counts, {
    total: report.total,
    sent: report.sent,
    blocked: report.blocked,
    failed: report.failed,
    uncertain: report.uncertain,
  });
  state = 'finished';
  await condition(allHandlersFinished);
  return { ...report, runs: carry.runs + 1 };
}
