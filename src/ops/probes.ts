import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Gauge, type Registry } from 'prom-client';
import { QUEUE_TIERS, taskQueueFor, type Config, type QueueTier } from '../config';

/**
 * Metrics measured when Prometheus scrapes, for the alert rules in deploy/prometheus/alerts.yml:
 *
 * - `dependency_up{dependency}`: 1 when this process reached PostgreSQL, Redis or the Temporal frontend within
 *   PROBE_TIMEOUT_MS, 0 otherwise (alerts PostgresUnreachable, RedisUnreachable, TemporalUnreachable).
 * - `task_queue_pollers{tier,task_queue,task_type}`: pollers the Temporal server saw on each tier's queue in the last
 *   POLLER_RECENT_S seconds (alert TaskQueueNoPoller). Every process describes every tier, so a dead tier is reported by
 *   the processes still alive.
 * - `task_queue_backlog_tasks` / `task_queue_backlog_age_seconds`: the server's approximate backlog (alert
 *   TaskQueueBacklog).
 *
 * A probe that fails or times out makes its gauge 0 (dependency) or leaves the task-queue series out for that scrape
 * (the Temporal outage is reported by `dependency_up{dependency="temporal"}`), and never fails the scrape.
 */
export const PROBE_TIMEOUT_MS = 2_000;
/** The server keeps a poller in DescribeTaskQueue for minutes after it left; a live one re-polls within ~70 s. */
export const POLLER_RECENT_S = 90;

export type Probe = () => Promise<unknown>;

export interface ProbeOptions {
  registry: Registry;
  dependencies: Partial<Record<'postgres' | 'redis' | 'temporal', Probe>>;
  /** Describe each tier's task queue (pollers and backlog) through this client. */
  taskQueues?: { client: Client; config: Config; tiers?: readonly QueueTier[] };
  timeoutMs?: number;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function existing(registry: Registry, name: string): boolean {
  return registry.getSingleMetric(name) !== undefined;
}

const TASK_TYPES = [
  ['workflow', temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
  ['activity', temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
] as const;

interface QueueSample {
  tier: QueueTier;
  task_queue: string;
  task_type: string;
  pollers: number;
  backlog: number;
  ageS: number;
}

function seconds(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!ts) return 0;
  return Number(ts.seconds ?? 0) + (ts.nanos ?? 0) / 1e9;
}

/** Registers the probe gauges on `registry` (once per registry; a second call is a no-op). */
export function registerProbes(options: ProbeOptions): void {
  const { registry } = options;
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  if (!existing(registry, 'dependency_up')) {
    const deps = Object.entries(options.dependencies);
    new Gauge({
      name: 'dependency_up',
      help: 'Whether this process reached the dependency (SELECT 1, PING, GetSystemInfo) when scraped: 1 yes, 0 no',
      labelNames: ['dependency'] as const,
      registers: [registry],
      async collect() {
        const results = await Promise.all(
          deps.map(([name, probe]) =>
            within(Promise.resolve().then(probe!), timeoutMs).then(
              () => [name, 1] as const,
              () => [name, 0] as const,
            ),
          ),
        );
        this.reset();
        for (const [dependency, up] of results) this.set({ dependency }, up);
      },
    });
  }
  const queues = options.taskQueues;
  if (!queues || existing(registry, 'task_queue_pollers')) return;
  const tiers = queues.tiers ?? QUEUE_TIERS;
  let sampling: Promise<QueueSample[]> | undefined;
  // The three gauges share one round of DescribeTaskQueue calls per scrape.
  const sample = (): Promise<QueueSample[]> => {
    sampling ??= describeAll().finally(() => setTimeout(() => (sampling = undefined), 1_000).unref());
    return sampling;
  };
  async function describeAll(): Promise<QueueSample[]> {
    const now = Date.now() / 1000;
    const rows = await Promise.all(
      tiers.flatMap((tier) =>
        TASK_TYPES.map(async ([taskType, type]): Promise<QueueSample | undefined> => {
          const taskQueue = taskQueueFor(queues!.config, tier);
          try {
            const res = await within(
              queues!.client.workflowService.describeTaskQueue({
                namespace: queues!.config.TEMPORAL_NAMESPACE,
                taskQueue: {
                  name: taskQueue,
                  kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
                },
                taskQueueType: type,
                reportStats: true,
              }),
              timeoutMs,
            );
            const pollers = (res.pollers ?? []).filter(
              (p) => now - seconds(p.lastAccessTime) <= POLLER_RECENT_S,
            ).length;
            const stats = res.stats;
            return {
              tier,
              task_queue: taskQueue,
              task_type: taskType,
              pollers,
              backlog: Number(stats?.approximateBacklogCount ?? 0),
              ageS: seconds(stats?.approximateBacklogAge),
            };
          } catch {
            return undefined;
          }
        }),
      ),
    );
    return rows.filter((r): r is QueueSample => r !== undefined);
  }
  const gauge = (name: string, help: string, value: (s: QueueSample) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['tier', 'task_queue', 'task_type'] as const,
      registers: [registry],
      async collect() {
        const samples = await sample();
        this.reset();
        for (const s of samples)
          this.set({ tier: s.tier, task_queue: s.task_queue, task_type: s.task_type }, value(s));
      },
    });
  gauge(
    'task_queue_pollers',
    `Pollers the Temporal server saw on the tier's task queue in the last ${POLLER_RECENT_S} s`,
    (s) => s.pollers,
  );
  gauge(
    'task_queue_backlog_tasks',
    "Tasks waiting in the tier's task queue (the server's approximate backlog count)",
    (s) => s.backlog,
  );
  gauge(
    'task_queue_backlog_age_seconds',
    "Age of the oldest task waiting in the tier's task queue (the server's approximate backlog age)",
    (s) => s.ageS,
  );
}
