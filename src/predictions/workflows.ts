import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { FACEIT_OUTCOME_CHECK } from '../temporal/retry-policies';
import type { PredictionsActivities } from './activities';
import {
  OUTCOME_CHECKS_MS,
  outcomeSeenSignal,
  outcomeStateQuery,
  type OutcomeWorkflowInput,
  type OutcomeWorkflowResult,
} from './workflow-types';

const { predictionsCheckOutcome } = proxyActivities<PredictionsActivities>({
  startToCloseTimeout: '1 minute',
  retry: FACEIT_OUTCOME_CHECK,
});

/**
 * One per analysed match (id `outcome-<matchId>`, low queue): waits on durable timers and asks FACEIT for the
 * match (one call per check) until it is FINISHED (winner recorded) or CANCELLED, and records "unknown" after the
 * last check (4 h by default). A sighting elsewhere (monitoring or a webhook writes the outcome directly) makes the
 * next check find it in the database at no FACEIT cost; the `outcomeSeen` signal makes that check happen now.
 */
export async function matchOutcomeWorkflow(input: OutcomeWorkflowInput): Promise<OutcomeWorkflowResult> {
  const checksMs = input.checksMs ?? OUTCOME_CHECKS_MS;
  const started = workflowInfo().startTime.getTime();
  const result: OutcomeWorkflowResult = { matchId: input.matchId, state: 'pending', checks: 0, calls: 0 };
  let seen = false;
  setHandler(outcomeSeenSignal, () => {
    seen = true;
  });
  setHandler(outcomeStateQuery, () => ({ ...result }));

  for (let i = 0; i < checksMs.length; i++) {
    const wait = started + checksMs[i] - Date.now();
    if (wait > 0) await condition(() => seen, wait);
    seen = false;
    const r = await predictionsCheckOutcome({ matchId: input.matchId, final: i === checksMs.length - 1 });
    result.checks++;
    result.calls += r.calls;
    result.state = r.state;
    if (r.done) break;
  }
  return result;
}
