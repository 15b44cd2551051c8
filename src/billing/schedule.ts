/**
 * The Temporal Schedule behind the Stars reconciliation (src/billing/reconcile.ts): every
 * STARS_RECONCILE_INTERVAL_SECONDS it starts a `starsReconcileWorkflow` on the critical queue (billing's). Overlap
 * SKIP: a run still reading makes the next tick a no-op; one missed tick is caught up after an outage, not a burst.
 * Created (idempotently) by the workers serving the critical tier and by the dev run; an operator pauses or triggers
 * it like any schedule:
 *
 *   temporal schedule trigger --schedule-id stars-reconcile
 *   temporal schedule toggle --schedule-id stars-reconcile --pause --reason "..."
 */
import { type Client, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { ensureSchedule, type EnsureScheduleResult } from '../temporal/schedule';
import { queueOf } from './sync';
import type { StarsReconcileInput } from './workflow-types';

export const STARS_RECONCILE_SCHEDULE_ID = 'stars-reconcile';

export function starsReconcileScheduleOptions(
  config: Config,
  options: { scheduleId?: string; input?: StarsReconcileInput } = {},
): ScheduleOptions {
  const intervalMs = config.STARS_RECONCILE_INTERVAL_SECONDS * 1000;
  const scheduleId = options.scheduleId ?? STARS_RECONCILE_SCHEDULE_ID;
  return {
    scheduleId,
    spec: { intervals: [{ every: intervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'starsReconcileWorkflow',
      workflowId: `${scheduleId}-run`,
      taskQueue: queueOf(config),
      args: [options.input ?? {}],
      workflowExecutionTimeout: 2 * intervalMs + 10 * 60_000,
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: Math.max(60_000, intervalMs),
      pauseOnFailure: false,
    },
  };
}

/** Creates the schedule, or brings an existing one's interval and queue up to date (keeping an operator's pause). */
export async function ensureStarsReconcileSchedule(
  client: Client,
  config: Config,
  options: { scheduleId?: string; input?: StarsReconcileInput; logger?: Logger } = {},
): Promise<EnsureScheduleResult['action']> {
  const ensured = await ensureSchedule(client, starsReconcileScheduleOptions(config, options), {
    logger: options.logger,
    name: 'stars reconciliation schedule',
    logFields: { everySeconds: config.STARS_RECONCILE_INTERVAL_SECONDS },
  });
  return ensured.action;
}
