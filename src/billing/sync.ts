/** Waking the per-user subscription workflow; shared by the client and the activities. */
import type { Client } from '@temporalio/client';
import { taskQueueFor, type Config } from '../config';
import { withRpcDeadline } from '../temporal/deadline';
import { TelegramUserId } from '../temporal/search-attributes';
import type { DatabasePool } from '../db/pool';
import { pendingReferral } from './repository';
import {
  referralCheckSignal,
  referralWorkflowId,
  subscriptionChangedSignal,
  subscriptionWorkflowId,
} from './workflow-types';

/** Billing's workflows run on the critical queue: money and entitlements are never queued behind analyses. */
export const queueOf = (config: Config) => taskQueueFor(config, 'critical');

/**
 * Starts the users' subscription workflows, or signals the running ones, so they re-read and re-arm; each call within
 * TEMPORAL_RPC_TIMEOUT_MS (a partition fails it instead of holding the bot's handler or the activity).
 */
export async function syncSubscriptions(
  client: Client,
  config: Config,
  telegramIds: number[],
): Promise<void> {
  for (const telegramId of new Set(telegramIds)) {
    await withRpcDeadline(client, config, () =>
      client.workflow.signalWithStart('subscriptionWorkflow', {
        workflowId: subscriptionWorkflowId(telegramId),
        taskQueue: queueOf(config),
        args: [{ telegramId }],
        signal: subscriptionChangedSignal,
        signalArgs: [],
        typedSearchAttributes: [{ key: TelegramUserId, value: telegramId }],
      }),
    );
  }
}

/**
 * A referred user did something that may make their referral's reward due (linked FACEIT, had an analysis
 * delivered): starts `referral-<user>` or wakes the running one to check again. Nothing when no referral is open.
 * Returns whether it signalled.
 */
export async function nudgeReferral(
  client: Client,
  config: Config,
  pool: DatabasePool,
  telegramId: number,
): Promise<boolean> {
  if (!(await pendingReferral(pool, telegramId))) return false;
  await withRpcDeadline(client, config, () =>
    client.workflow.signalWithStart('referralRewardWorkflow', {
      workflowId: referralWorkflowId(telegramId),
      taskQueue: queueOf(config),
      args: [{ referredId: telegramId }],
      signal: referralCheckSignal,
      signalArgs: [],
      typedSearchAttributes: [{ key: TelegramUserId, value: telegramId }],
    }),
  );
  return true;
}
