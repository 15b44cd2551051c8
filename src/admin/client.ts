import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { QUEUE_TIERS, taskQueueFor, type Config, type QueueTier } from '../config';
import { withRpcDeadline } from '../temporal/deadline';

/**
 * What /admin queues reads from Temporal: per task queue (tier) the backlog and pollers of its workflow and
 * activity task queues (DescribeTaskQueue with task queue statistics, as the Web UI's task queue page shows them),
 * and the running workflows per type and per queue (visibility queries, as the Web UI's workflow list counts them).
 */

const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

export interface QueueSide {
  backlog: number;
  /** Age of the oldest task in the backlog, seconds. */
  backlogAgeS: number;
  pollers: number;
  /** Tasks added and dispatched per second (the server's moving averages). */
  addRate: number;
  dispatchRate: number;
}

export interface QueueStats {
  tier: QueueTier;
  taskQueue: string;
  workflow: QueueSide;
  activity: QueueSide;
  running: number;
}

export interface QueuesReport {
  queues: QueueStats[];
  running: { total: number; byType: Array<{ type: string; count: number }>; truncated: boolean };
}

/** The running workflows tallied by type are capped; beyond it the report says "at least". */
const MAX_LISTED = 5_000;

const toNumber = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? v : Number(String(v));

async function describeSide(client: Client, namespace: string, taskQueue: string, type: number) {
  const res = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type,
    reportStats: true,
  });
  const stats = res.stats;
  const age = stats?.approximateBacklogAge;
  return {
    backlog: toNumber(stats?.approximateBacklogCount),
    backlogAgeS: age ? toNumber(age.seconds) + toNumber(age.nanos) / 1e9 : 0,
    pollers: res.pollers?.length ?? 0,
    addRate: stats?.tasksAddRate ?? 0,
    dispatchRate: stats?.tasksDispatchRate ?? 0,
  } satisfies QueueSide;
}

/** The queue figures: a dozen calls and a listing, all within one deadline (TEMPORAL_RPC_TIMEOUT_MS + 10 s). */
export function readQueues(client: Client, config: Config): Promise<QueuesReport> {
  return withRpcDeadline(client, config, () => readQueuesNow(client, config), 10_000);
}

async function readQueuesNow(client: Client, config: Config): Promise<QueuesReport> {
  const namespace = config.TEMPORAL_NAMESPACE;
  const queues = await Promise.all(
    QUEUE_TIERS.map(async (tier): Promise<QueueStats> => {
      const taskQueue = taskQueueFor(config, tier);
      const [workflow, activity, running] = await Promise.all([
        describeSide(client, namespace, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
        describeSide(client, namespace, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
        client.workflow.count(`ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`),
      ]);
      return { tier, taskQueue, workflow, activity, running: running.count };
    }),
  );
  const total = (await client.workflow.count(`ExecutionStatus = 'Running'`)).count;
  const byType = new Map<string, number>();
  let listed = 0;
  for await (const wf of client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
    byType.set(wf.type, (byType.get(wf.type) ?? 0) + 1);
    if (++listed >= MAX_LISTED) break;
  }
  return {
    queues,
    running: {
      total,
      byType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count),
      truncated: total > listed && listed >= MAX_LISTED,
    },
  };
}
