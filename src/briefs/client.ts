import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { taskQueueFor, type Config } from '../config';
import { withRpcDeadline } from '../temporal/deadline';
import { MatchId } from '../temporal/search-attributes';
import type { Sighting } from './sender';
import type { preMatchBriefWorkflow } from './workflows';

export const briefWorkflowId = (matchId: string) => `brief-${matchId}`;

/**
 * Starts the match's brief workflow (webhooks). One per match: a second event about the same match (CONFIGURING,
 * then READY) finds it started and is a no-op; a failed one may be started again. Within TEMPORAL_RPC_TIMEOUT_MS.
 */
export async function startPreMatchBrief(
  client: Client,
  config: Config,
  sighting: Sighting,
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = briefWorkflowId(sighting.matchId);
  try {
    await withRpcDeadline(client, config, () =>
      client.workflow.start<typeof preMatchBriefWorkflow>('preMatchBriefWorkflow', {
        // Briefs are user-facing and cheap (no FACEIT call): the default tier, not monitoring's low one.
        taskQueue: taskQueueFor(config, 'default'),
        workflowId,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowExecutionTimeout: '10 minutes',
        typedSearchAttributes: [{ key: MatchId, value: sighting.matchId }],
        args: [sighting],
      }),
    );
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}
