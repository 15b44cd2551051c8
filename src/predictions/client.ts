import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { withDeadline, DEFAULT_RPC_DEADLINE_MS } from '../temporal/deadline';
import { MatchId } from '../temporal/search-attributes';
import { outcomeSeenSignal, type OutcomeWorkflowInput } from './workflow-types';
import type { matchOutcomeWorkflow } from './workflows';

export const outcomeWorkflowId = (matchId: string): string => `outcome-${matchId}`;

/**
 * Starts the outcome watch of an analysed match on the low queue, once per match while Temporal keeps it: a running
 * watch is kept (conflict policy USE_EXISTING) and a closed one is not started again (reuse policy REJECT_DUPLICATE)
 * within the namespace's retention; later, a second watch finds the outcome recorded (docs/retention.md).
 */
export async function startOutcomeWatch(
  client: Client,
  lowTaskQueue: string,
  matchId: string,
  extra: Partial<OutcomeWorkflowInput> = {},
): Promise<void> {
  try {
    await withDeadline(client, DEFAULT_RPC_DEADLINE_MS, () =>
      client.workflow.start<typeof matchOutcomeWorkflow>('matchOutcomeWorkflow', {
        workflowId: outcomeWorkflowId(matchId),
        taskQueue: lowTaskQueue,
        args: [{ matchId, ...extra }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [{ key: MatchId, value: matchId }],
      }),
    );
  } catch (err) {
    // Watched already (the watch ended): one outcome per match.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Wakes a match's outcome watch (a sighting recorded its outcome): it stops at once, without a FACEIT call. */
export async function signalOutcomeSeen(client: Client, matchId: string): Promise<void> {
  try {
    await withDeadline(client, DEFAULT_RPC_DEADLINE_MS, () =>
      client.workflow.getHandle(outcomeWorkflowId(matchId)).signal(outcomeSeenSignal),
    );
  } catch {
    // No watch running (never analysed, or already done): nothing to wake.
  }
}
