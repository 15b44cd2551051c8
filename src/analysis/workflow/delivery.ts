import { CancellationScope, condition, log } from '@temporalio/workflow';
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
    log.warn('analysis delivery failed', { matchId, chatId: e.requester.chatId, error: String(err) });
  } finally {
    e.delivered = true;
    run.inFlight--;
  }
}
