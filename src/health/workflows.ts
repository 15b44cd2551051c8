import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { HEALTH_PING } from '../temporal/retry-policies';
import type { HealthActivities } from './activities';

export interface HealthCheckResult {
  taskQueue: string;
  workflowTaskQueue: string;
  activityWorker: { pid: number; hostname: string };
}

/**
 * Proves that a tier's workers are polling: the workflow task and the activity both run on the tier's task queue,
 * so this completes only if a worker of that tier is up.
 */
export async function healthCheckWorkflow(): Promise<HealthCheckResult> {
  const { taskQueue } = workflowInfo();
  const { healthPing } = proxyActivities<HealthActivities>({
    taskQueue,
    startToCloseTimeout: '5 seconds',
    scheduleToCloseTimeout: '10 seconds',
    retry: HEALTH_PING,
  });
  return { taskQueue, workflowTaskQueue: taskQueue, activityWorker: await healthPing() };
}
