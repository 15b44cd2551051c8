import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Logger } from 'pino';

/**
 * Create-or-update of a Temporal Schedule whose whole shape is one slice's `<slice>ScheduleOptions(config)`
 * (monitoring, retention, stars-reconcile). Idempotent, so every worker start (and the dev run) calls it: the
 * schedule is created, or an existing one's spec, action and policies are brought up to date while its state is
 * kept: an operator's pause and its note survive restarts and deploys.
 */

export interface EnsureScheduleResult {
  scheduleId: string;
  /** `unchanged`: the schedule already was as wanted (nothing was written). */
  action: 'created' | 'updated' | 'unchanged';
  /** Whether the schedule is paused (by an operator) now. */
  paused: boolean;
}

export interface EnsureScheduleOptions {
  logger?: Logger;
  /** What the log lines call it ("monitoring schedule" → "monitoring schedule created"). */
  name: string;
  /** Fields of the created / updated log lines (the interval in the operator's unit). */
  logFields?: Record<string, unknown>;
  /**
   * 'when-changed' (the default): an existing schedule is updated only when its interval, workflow, queue,
   * arguments or overlap / catch-up policies differ from the wanted ones. 'always': it is rewritten at every call.
   */
  update?: 'when-changed' | 'always';
}

/** Whether an existing schedule already has the wanted interval, workflow, queue, arguments and policies. */
function upToDate(current: ScheduleDescription, wanted: ScheduleOptions): boolean {
  const interval = current.spec.intervals?.[0];
  const action = current.action;
  return (
    current.spec.intervals?.length === 1 &&
    interval !== undefined &&
    Number(interval.every) === Number(wanted.spec.intervals?.[0]?.every) &&
    action.workflowType === wanted.action.workflowType &&
    action.taskQueue === wanted.action.taskQueue &&
    JSON.stringify(action.args ?? []) === JSON.stringify(wanted.action.args ?? []) &&
    current.policies.overlap === wanted.policies?.overlap &&
    Number(current.policies.catchupWindow) === Number(wanted.policies?.catchupWindow)
  );
}

export async function ensureSchedule(
  client: Client,
  wanted: ScheduleOptions,
  options: EnsureScheduleOptions,
): Promise<EnsureScheduleResult> {
  const { scheduleId } = wanted;
  const fields = { scheduleId, ...options.logFields };
  try {
    await client.schedule.create(wanted);
    options.logger?.info(fields, `${options.name} created`);
    return { scheduleId, action: 'created', paused: false };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  let paused: boolean | undefined;
  if (options.update !== 'always') {
    const current = await handle.describe();
    if (upToDate(current, wanted)) return { scheduleId, action: 'unchanged', paused: current.state.paused };
  }
  await handle.update((previous) => {
    paused = previous.state.paused;
    return {
      spec: wanted.spec,
      action: wanted.action,
      policies: wanted.policies,
      state: {
        paused: previous.state.paused,
        note: previous.state.note,
        remainingActions: previous.state.remainingActions,
      },
    };
  });
  options.logger?.info(fields, `${options.name} updated`);
  return { scheduleId, action: 'updated', paused: paused ?? false };
}
