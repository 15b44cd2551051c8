import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Logger } from 'pino';
import { taskQueueFor, type Config } from '../config';
import { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_ID } from './settings';
import type { RetentionInput } from './workflows';

/**
 * The Temporal Schedule behind the clean-up: every RETENTION_INTERVAL_HOURS (24 by default) it starts a
 * `retentionWorkflow` on the LOW queue. Overlap SKIP, one missed tick caught up. Operators pause it like monitoring's:
 *
 *   temporal schedule toggle --schedule-id faceit-retention --pause --reason "keeping everything for an audit"
 *   temporal schedule trigger --schedule-id faceit-retention
 *
 * `ensureRetentionSchedule` is idempotent: it creates the schedule, or brings an existing one's interval and queue
 * up to date, keeping its paused state and note.
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
): Promise<{ scheduleId: string; action: 'created' | 'updated' }> {
  const wanted = retentionScheduleOptions(config, options);
  const { scheduleId } = wanted;
  try {
    await client.schedule.create(wanted);
    options.logger?.info(
      { scheduleId, everyHours: config.RETENTION_INTERVAL_HOURS },
      'retention schedule created',
    );
    return { scheduleId, action: 'created' };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({
    spec: wanted.spec,
    action: wanted.action,
    policies: wanted.policies,
    state: {
      paused: previous.state.paused,
      note: previous.state.note,
      remainingActions: previous.state.remainingActions,
    },
  }));
  return { scheduleId, action: 'updated' };
}
