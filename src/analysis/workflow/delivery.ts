import { CancellationScope, condition, log, patched } from '@temporalio/workflow';
import { tierOfRequester } from '../workflow-types';
import type { AnalysisRun, Entry } from './state';

/**
 * Deliveries run beside the analysis (a requester who cancels hears it at once) and are never cancelled themselves:
 * the pump starts one delivery per outbox entry as soon as it is queued.
 */
export function startDeliveryPump(run: AnalysisRun): { stop(): Promise<void> } {
  let stopped = false;
  const pump = CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => run.outbox.length > 0 || stopped);
      const e = run.outbox.shift();
      if (!e) return;
      run.inFlight++;
      void deliver(run, e);
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await pump;
    },
  };
}

async function deliver(run: AnalysisRun, e: Entry): Promise<void> {
  const outcome = e.outcome ?? 'failed';
  const { matchId, final } = run;
  try {
    await CancellationScope.nonCancellable(() =>
      run.acts(tierOfRequester(e.requester)).deliver.analysisDeliver({
        matchId,
        requester: e.requester,
        outcome,
        refusal: final?.kind === 'refused' ? final.refusal : undefined,
      }),
    );
  } catch (err) {
    log.warn('analysis delivery failed', { matchId, chatId: e.requester.chatId, error: err });
    // A report that could not be delivered is explained (the progress message says so, Cancel goes) and its unit
    // refunded, instead of leaving a frozen bar. Histories from before this change never schedule it.
    if (outcome === 'report' && patched('analysis-undelivered-explained')) await explainUndelivered(run, e);
  } finally {
    e.delivered = true;
    run.inFlight--;
  }
}

async function explainUndelivered(run: AnalysisRun, e: Entry): Promise<void> {
  try {
    await CancellationScope.nonCancellable(() =>
      run.acts(tierOfRequester(e.requester)).deliver.analysisDeliver({
        matchId: run.matchId,
        requester: e.requester,
        outcome: 'undelivered',
      }),
    );
  } catch (err) {
    log.warn('could not explain an undelivered report either', {
      matchId: run.matchId,
      chatId: e.requester.chatId,
      error: err,
    });
  }
}
