import type { Client } from '@temporalio/client';
import { QUEUE_TIERS, taskQueueFor, type Config, type QueueTier } from '../config';
import { describeError } from '../logger';
import { healthCheckWorkflow } from './workflows';

export interface TierHealth {
  tier: QueueTier;
  taskQueue: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** Runs the health-check workflow on every tier's task queue; a tier without polling workers times out. */
export async function checkTiers(
  client: Client,
  config: Config,
  options: { timeoutMs?: number; tiers?: readonly QueueTier[] } = {},
): Promise<TierHealth[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return Promise.all(
    (options.tiers ?? QUEUE_TIERS).map(async (tier): Promise<TierHealth> => {
      const taskQueue = taskQueueFor(config, tier);
      const started = Date.now();
      try {
        const result = await client.workflow.execute(healthCheckWorkflow, {
          taskQueue,
          workflowId: `health-${tier}-${started}-${Math.random().toString(36).slice(2, 8)}`,
          workflowExecutionTimeout: timeoutMs,
        });
        if (result.taskQueue !== taskQueue) throw new Error(`ran on ${result.taskQueue}`);
        return { tier, taskQueue, ok: true, latencyMs: Date.now() - started };
      } catch (err) {
        return { tier, taskQueue, ok: false, latencyMs: Date.now() - started, error: describeError(err) };
      }
    }),
  );
}
