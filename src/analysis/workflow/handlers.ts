import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import {
  analysisProgressQuery,
  CANCEL_REFUSED,
  cancelAnalysisSignal,
  cancelAnalysisUpdate,
  INVALID_REQUESTER,
  joinAnalysisSignal,
  joinAnalysisUpdate,
} from '../workflow-types';
import type { AnalysisRun } from './state';
import { refProblem, requesterProblem } from './validate';

/**
 * The join and cancel updates (each answered in the same call; their validators refuse before anything enters the
 * history), the signals older clients send (same effect, no answer), and the progress query.
 */
export function installHandlers(run: AnalysisRun): void {
  setHandler(joinAnalysisUpdate, (r) => run.join(r), {
    validator: (r) => {
      const problem = requesterProblem(r);
      if (problem) throw ApplicationFailure.nonRetryable(`invalid requester: ${problem}`, INVALID_REQUESTER);
    },
  });
  setHandler(cancelAnalysisUpdate, (ref) => run.cancel(ref), {
    validator: (ref) => {
      const problem = refProblem(ref);
      if (problem) throw ApplicationFailure.nonRetryable(`invalid cancel: ${problem}`, INVALID_REQUESTER);
      const refusal = run.cancelRefusal(ref);
      if (refusal) {
        throw ApplicationFailure.create({
          type: CANCEL_REFUSED,
          message: `cancel refused: ${refusal}`,
          details: [refusal],
          nonRetryable: true,
        });
      }
    },
  });

  setHandler(joinAnalysisSignal, (r) => void run.join(r));
  setHandler(cancelAnalysisSignal, (ref) => {
    // A signal cannot answer: a foreign, unknown or late cancel is dropped as before.
    if (run.cancelRefusal(ref) === null) run.cancel(ref);
  });
  setHandler(analysisProgressQuery, () => run.snapshot());
}
