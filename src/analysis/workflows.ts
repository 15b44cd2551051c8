import { condition, continueAsNew, isCancellation, log } from '@temporalio/workflow';
import { tierOfRequester, type AnalysisWorkflowInput, type AnalysisWorkflowResult } from './workflow-types';
import { startDeliveryPump } from './workflow/delivery';
import { installHandlers } from './workflow/handlers';
import { mostUrgent } from './workflow/options';
import { analyse, deliverFinal, endCancelledWorkflow, endWithoutOutcome } from './workflow/stages';
import { AnalysisRun } from './workflow/state';

/**
 * One workflow per match (id `analysis-<matchId>`): fetch the match, refuse what cannot be analysed, fan out one
 * activity per player (bounded), analyse and store, deliver to every requester. Requesters join by the
 * `joinAnalysis` update (the first one through update-with-start, and in the start input too), cancel by the
 * `cancelAnalysis` update (refused with a reason: not theirs, unknown, too late), and read progress by query.
 * After delivering, the workflow lingers a few minutes so later requesters get the stored result at once, at no
 * FACEIT cost.
 *
 * The steps live in `workflow/`: the run's state (state.ts), the update, signal and query handlers (handlers.ts)
 * and their validators (validate.ts), the delivery pump (delivery.ts), the stages (stages.ts) and the activity
 * options (options.ts).
 */

/** How long a finished run stays open to hand its result to late requesters at no FACEIT cost. */
export const LINGER_MS = 5 * 60_000;

/** Operator runs return their report and end; runs started with the legacy `lingerMs` keep it (their histories). */
const lingerOf = (input: AnalysisWorkflowInput): number => input.lingerMs ?? (input.operator ? 0 : LINGER_MS);

export async function lobbyAnalysisWorkflow(input: AnalysisWorkflowInput): Promise<AnalysisWorkflowResult> {
  const run = new AnalysisRun(input);
  installHandlers(run);
  for (const r of input.carried ?? []) run.join(r);
  const pump = startDeliveryPump(run);

  // Started by update-with-start, the starter is in the input; a run nobody joins within a minute ends quietly.
  const needsRequester = () => !input.operator && run.entries.size === 0;
  if (needsRequester()) await condition(() => !needsRequester(), '1 minute');
  if (needsRequester()) {
    await pump.stop();
    return run.result();
  }

  try {
    run.final = await run.analysisScope.run(() => analyse(run));
  } catch (err) {
    if (!isCancellation(err)) {
      log.error('lobby analysis failed', { matchId: run.matchId, error: err });
      run.enter('failed');
    } else if (run.allCancelled) {
      run.enter('cancelled');
    } else {
      await endCancelledWorkflow(run);
      throw err;
    }
  }

  if (run.final) await deliverFinal(run, run.final, lingerOf(input));
  else await endWithoutOutcome(run);

  run.closed = true;
  await condition(() => run.drained());
  await pump.stop();
  if (run.late.length > 0) {
    const tier = mostUrgent(run.late.map(tierOfRequester));
    await continueAsNew<typeof lobbyAnalysisWorkflow>({ ...input, tier, carried: run.late });
  }
  return run.result();
}
