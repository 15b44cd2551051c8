import { type Client, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Logger } from 'pino';
import { taskQueueFor, type Config } from '../config';
import { ensureSchedule, type EnsureScheduleResult } from '../temporal/schedule';
import { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_ID } from './settings';
import type { RetentionInput } from './workflows';

/**
 * The Temporal Schedule behind the clean-up: every RETENTION_INTERVAL_HOURS (24 by default) it starts a
 * `retentionWorkflow` on the LOW queue. Overlap SKIP, one missed tick caught up. Operators pause it like monitoring's:
 *
 *   temporal schedule toggle --schedule-id faceit-retention --pause --reason "keeping everything for an audit"
 *   temporal schedule trigger --schedule-id faceit-retention
 *
 * `ensureRetentionSchedule` is idempotent (src/temporal/schedule.ts): it creates the schedule, or rewrites an
 * existing one's interval and queue at every start, keeping its paused state and note.
 */
export function retentionScheduleOptions(
  config: Config,
  options: { scheduleId?: string; input?: RetentionInput } = {},
): ScheduleOptions {
  const intervalMs = Math.round(config.RETENTION_INTERVAL_HOURS * 3_600_000);
  const scheduleId = options.scheduleId ?? RETENTION_SCHEDULE_ID;
  return {
    scheduleId,
    spec: { intervals: [{ every: intervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'retentionWorkflow',
      workflowId: scheduleId === RETENTION_SCHEDULE_ID ? RETENTION_WORKFLOW_ID : `${scheduleId}-cycle`,
      taskQueue: taskQueueFor(config, 'low'),
      args: [options.input ?? {}],
      workflowExecutionTimeout: Math.max(intervalMs, 3_600_000),
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: Math.max(60_000, intervalMs),
      pauseOnFailure: false,
    },
  };
}

export async function ensureRetentionSchedule(
  client: Client,
  config: Config,
  options: { scheduleId?: string; input?: RetentionInput; logger?: Logger } = {},
): Promise<EnsureScheduleResult> {
  return ensureSchedule(client, retentionScheduleOptions(config, options), {
    logger: options.logger,
    name: 'retention schedule',
    logFields: { everyHours: config.RETENTION_INTERVAL_HOURS },
    update: 'always',
  });
}
