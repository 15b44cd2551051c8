import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { taskQueueFor, type Config } from '../config';
import { withRpcDeadline } from '../temporal/deadline';
import { MatchId } from '../temporal/search-attributes';
import type { Sighting } from './sender';
import { briefRoomChangedSignal, type preMatchBriefWorkflow, type vetoBriefWorkflow } from './workflows';

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

/**
 * Starts the brief in time for the veto (FACEIT's `match_object_created`), same id as the other brief events' so a
 * later CONFIGURING/READY webhook finds it and only signals it (signalBriefRoomChanged).
 */
export async function startVetoBrief(
  client: Client,
  config: Config,
  input: { matchId: string; createdAt?: number },
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = briefWorkflowId(input.matchId);
  try {
    await withRpcDeadline(client, config, () =>
      client.workflow.start<typeof vetoBriefWorkflow>('vetoBriefWorkflow', {
        taskQueue: taskQueueFor(config, 'default'),
        workflowId,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowExecutionTimeout: '15 minutes',
        typedSearchAttributes: [{ key: MatchId, value: input.matchId }],
        args: [input],
      }),
    );
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}

/** The vote is over (CONFIGURING/READY): a brief watching the room looks at once. False when none is running. */
export async function signalBriefRoomChanged(
  client: Client,
  config: Config,
  matchId: string,
): Promise<boolean> {
  try {
    await withRpcDeadline(client, config, () =>
      client.workflow.getHandle(briefWorkflowId(matchId)).signal(briefRoomChangedSignal),
    );
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
