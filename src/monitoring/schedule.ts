import { type Client, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Logger } from 'pino';
import { taskQueueFor, type Config } from '../config';
import { ensureSchedule, type EnsureScheduleResult } from '../temporal/schedule';
import { MONITORING_CYCLE_WORKFLOW_ID, MONITORING_SCHEDULE_ID } from './settings';
import type { MonitoringCycleInput } from './workflows';

/**
 * The Temporal Schedule behind monitoring (not a cron workflow): every MONITORING_INTERVAL_MINUTES it starts a
 * `monitoringCycleWorkflow` on the LOW task queue. Overlap SKIP: a cycle still running makes the next tick a no-op.
 * Catch-up window of one interval: after a Temporal outage one missed tick runs, not a burst of them (a cycle checks
 * whoever is due, so one run catches up everything). Operators pause it from the Web UI or with
 *
 *   temporal schedule toggle --schedule-id faceit-monitoring --pause --reason "FACEIT incident"
 *   temporal schedule toggle --schedule-id faceit-monitoring --unpause --reason "resolved"
 *   temporal schedule trigger --schedule-id faceit-monitoring          # one cycle now
 *   temporal schedule describe --schedule-id faceit-monitoring
 *
 * `ensureMonitoringSchedule` is idempotent: it creates the schedule, or brings an existing one's interval, queue and
 * policies up to date while keeping its paused state and note (a pause set by an operator survives restarts).
 */

export interface EnsureScheduleOptions {
  scheduleId?: string;
  /** Arguments of each cycle (tests and the benchmark pass limits; production passes none). */
  cycleInput?: MonitoringCycleInput;
  logger?: Logger;
}

export type { EnsureScheduleResult };

export function monitoringScheduleOptions(
  config: Config,
  options: EnsureScheduleOptions = {},
): ScheduleOptions {
  const intervalMs = Math.round(config.MONITORING_INTERVAL_MINUTES * 60_000);
  const scheduleId = options.scheduleId ?? MONITORING_SCHEDULE_ID;
  return {
    scheduleId,
    spec: { intervals: [{ every: intervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'monitoringCycleWorkflow',
      workflowId:
        scheduleId === MONITORING_SCHEDULE_ID ? MONITORING_CYCLE_WORKFLOW_ID : `${scheduleId}-cycle`,
      taskQueue: taskQueueFor(config, 'low'),
      args: [options.cycleInput ?? {}],
      // A cycle stops claiming at 80% of the interval; this only catches one that hangs (e.g. no LOW workers).
      workflowExecutionTimeout: 2 * intervalMs + 5 * 60_000,
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: Math.max(60_000, intervalMs),
      pauseOnFailure: false,
    },
  };
}

export async function ensureMonitoringSchedule(
  client: Client,
  config: Config,
  options: EnsureScheduleOptions = {},
): Promise<EnsureScheduleResult> {
  return ensureSchedule(client, monitoringScheduleOptions(config, options), {
    logger: options.logger,
    name: 'monitoring schedule',
    logFields: { everyMinutes: config.MONITORING_INTERVAL_MINUTES },
  });
}
