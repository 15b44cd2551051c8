/** Starting the stats workflows from the bot: the requester's tier picks the task queue. */
import { randomUUID } from 'node:crypto';
import type { WorkflowOptions } from '@temporalio/client';
import { taskQueueFor, type Config, type QueueTier } from '../config';
import type { Plan } from '../billing';
import { Plan as PlanAttribute, TelegramUserId } from '../temporal/search-attributes';

/** PRO requests go to the high-priority queue; FREE and PREMIUM share the default one. */
export function queueTierFor(tier: Plan): QueueTier {
  return tier === 'pro' ? 'high' : 'default';
}

export interface StatsRequester {
  telegramId: number;
  tier: Plan;
}

/** Long enough to ride out a FACEIT hiccup with retries, short enough that a user still gets an answer. */
export const STATS_WORKFLOW_TIMEOUT_MS = 2 * 60_000;

/**
 * Options for `client.workflow.execute(<stats workflow>, { ...statsWorkflowOptions(...), args })`: the tier's
 * queue, an id operators can read, and the search attributes the Web UI filters on.
 */
export function statsWorkflowOptions(
  config: Config,
  requester: StatsRequester,
  kind: string,
): WorkflowOptions & { taskQueue: string; workflowId: string } {
  return {
    taskQueue: taskQueueFor(config, queueTierFor(requester.tier)),
    workflowId: `stats-${kind}-${requester.telegramId}-${randomUUID()}`,
    workflowExecutionTimeout: STATS_WORKFLOW_TIMEOUT_MS,
    typedSearchAttributes: [
      { key: TelegramUserId, value: requester.telegramId },
      { key: PlanAttribute, value: requester.tier },
    ],
  };
}
