import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
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

/**
 * One broadcast: freeze the audience, then send in batches of about two seconds each until nobody is pending.
 * The delivery rows in PostgreSQL are the state (who got it, exactly once); the workflow only carries the counts,
 * so it continues as new every `batchesPerRun` batches and 100,000 recipients never make one long history.
 * Pause / Resume / Cancel take effect between batches (within about four seconds).
 */
export async function broadcastWorkflow(input: BroadcastWorkflowInput): Promise<BroadcastReport> {
  const quick = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '2 minutes',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: 10,
    },
  });
  const cosmetic = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '20 seconds',
    retry: { initialInterval: '1 second', maximumAttempts: 2 },
  });
  const sender = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? 10_000,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 20,
    },
  });

  const carry: BroadcastCarry = input.carry ?? {
    counts: zeroCounts(),
    paused: false,
    cancelled: false,
    startedAt: Date.now(),
    runs: 0,
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
    await showing;
    lastShown = Date.now();
    showing = cosmetic
      .broadcastShowProgress({ broadcastId: input.broadcastId, progress: progress() })
      .catch((err: unknown) => log.warn('progress message not updated', { error: String(err) }));
    if (force) await showing;
  };

  if (!input.carry) {
    const { total } = await quick.broadcastPrepare({ broadcastId: input.broadcastId });
    counts.total = total;
  }
  state = carry.paused ? 'paused' : 'running';
  await show(true);

  let status: BroadcastReport['status'] = 'completed';
  let batches = 0;
  const add = (r: SendBatchResult) => {
    counts.sent += r.sent;
    counts.blocked += r.blocked;
    counts.failed += r.failed;
    counts.uncertain += r.uncertain;
  };

  for (;;) {
    if (carry.paused && !carry.cancelled) {
      state = 'paused';
      await show(true);
      await condition(() => !carry.paused || carry.cancelled);
      state = 'running';
      if (!carry.cancelled) await show(true);
    }
    if (carry.cancelled) {
      status = 'cancelled';
      break;
    }
    if (batches >= (input.batchesPerRun ?? 200) || workflowInfo().continueAsNewSuggested) {
      await showing;
      await condition(allHandlersFinished);
      await continueAsNew<typeof broadcastWorkflow>({ ...input, carry: { ...carry, runs: carry.runs + 1 } });
    }
    let result: SendBatchResult;
    try {
      result = await sender.broadcastSendBatch({
        broadcastId: input.broadcastId,
        limit: input.batchSize,
        lanes: input.lanes,
      });
    } catch (err) {
      log.error('broadcast batch failed for good', { error: String(err) });
      status = 'failed';
      break;
    }
    batches++;
    add(result);
    if (result.remaining === 0) break;
    // Nothing went out (Telegram unreachable, every claim given back): wait instead of spinning.
    if (result.sent + result.blocked + result.failed + result.uncertain === 0) await sleep('5 seconds');
    void show();
  }

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
