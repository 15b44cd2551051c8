import { setHandler } from '@temporalio/workflow';
import { analysisProgressQuery, cancelAnalysisSignal, joinAnalysisSignal } from '../workflow-types';
import { keyOf, type AnalysisRun } from './state';

/** Join and cancel signals, the progress query. */
export function installHandlers(run: AnalysisRun): void {
  setHandler(joinAnalysisSignal, (r) => run.join(r));
  setHandler(cancelAnalysisSignal, (ref) => {
    const e = run.entries.get(keyOf(ref));
    if (!e || e.requester.telegramId !== ref.telegramId || e.cancelled || e.outcome !== null) return;
    e.cancelled = true;
    run.enqueue(e, 'cancelled');
    // The last requester gone before the outcome: stop fetching (an operator run has no requester to lose).
    if (!run.input.operator && run.final === null && run.active().length === 0) {
      run.allCancelled = true;
      run.analysisScope.cancel();
    }
  });
  setHandler(analysisProgressQuery, () => run.snapshot());
}
