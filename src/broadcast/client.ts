import type { Client } from '@temporalio/client';
import { taskQueueFor, type Config } from '../config';
import { DEFAULT_RPC_DEADLINE_MS, withDeadline, withRpcDeadline } from '../temporal/deadline';
import { BroadcastId, TelegramUserId } from '../temporal/search-attributes';
import type { BroadcastProgress, BroadcastReport } from './model/progress';
import type { broadcastWorkflow } from './workflows';
import {
  broadcastProgressQuery,
  broadcastWorkflowId,
  cancelBroadcastUpdate,
  pauseBroadcastUpdate,
  resumeBroadcastUpdate,
  type BroadcastWorkflowInput,
} from './workflow-types';

/**
 * Starting and steering broadcast workflows (bot, scripts, bench). One workflow per broadcast, id
 * `broadcast-<id>`, on the LOW queue (bulk work never competes with users' requests), found in the Web UI with
 * `BroadcastId = <id>` (and the admin's `TelegramUserId`). Starting, steering and the progress query each have a
 * deadline (TEMPORAL_RPC_TIMEOUT_MS); waiting for the report (broadcastResult, scripts and benchmarks) has none.
 */

/**
 * About four seconds of sending per batch: pause and cancel take effect within that, and the turn-around between
 * two batches (a workflow task and an activity dispatch) costs a few percent of the rate at most.
 */
export const batchSizeFor = (config: Pick<Config, 'BROADCAST_RATE_PER_SECOND'>) =>
  Math.max(10, Math.round(config.BROADCAST_RATE_PER_SECOND * 4));

/**
 * Sends in flight: enough to keep the rate with up to ~200 ms per send (Telegram's latency plus two commits on a busy
 * machine), and no more — each send in flight when a worker is killed is one whose answer may be lost (unconfirmed).
 */
export const lanesFor = (config: Pick<Config, 'BROADCAST_RATE_PER_SECOND'>) =>
  Math.min(16, Math.max(4, Math.ceil(config.BROADCAST_RATE_PER_SECOND / 5)));

export async function startBroadcast(
  client: Client,
  config: Config,
  input: { broadcastId: number; adminId: number } & Partial<
    Omit<BroadcastWorkflowInput, 'broadcastId' | 'carry'>
  >,
) {
  const { adminId, ...rest } = input;
  return withRpcDeadline(client, config, () =>
    client.workflow.start<typeof broadcastWorkflow>('broadcastWorkflow', {
      taskQueue: taskQueueFor(config, 'low'),
      workflowId: broadcastWorkflowId(input.broadcastId),
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ batchSize: batchSizeFor(config), lanes: lanesFor(config), ...rest }],
      typedSearchAttributes: [
        { key: BroadcastId, value: input.broadcastId },
        { key: TelegramUserId, value: adminId },
      ],
    }),
  );
}

export type BroadcastControl = 'pause' | 'resume' | 'cancel';

const UPDATES = {
  pause: pauseBroadcastUpdate,
  resume: resumeBroadcastUpdate,
  cancel: cancelBroadcastUpdate,
} as const;

export function controlBroadcast(
  client: Client,
  broadcastId: number,
  control: BroadcastControl,
  deadlineMs = DEFAULT_RPC_DEADLINE_MS,
): Promise<BroadcastProgress> {
  return withDeadline(client, deadlineMs, () =>
    client.workflow.getHandle(broadcastWorkflowId(broadcastId)).executeUpdate(UPDATES[control]),
  );
}

export function broadcastProgress(
  client: Client,
  broadcastId: number,
  deadlineMs = DEFAULT_RPC_DEADLINE_MS,
): Promise<BroadcastProgress> {
  return withDeadline(client, deadlineMs, () =>
    client.workflow.getHandle(broadcastWorkflowId(broadcastId)).query(broadcastProgressQuery),
  );
}

export function broadcastResult(client: Client, broadcastId: number): Promise<BroadcastReport> {
  return client.workflow.getHandle<typeof broadcastWorkflow>(broadcastWorkflowId(broadcastId)).result();
}
