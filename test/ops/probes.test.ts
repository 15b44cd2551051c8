import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Client } from '@temporalio/client';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { sql } from 'slonik';
import type { Config } from '../../src/config';
import type { DatabasePool } from '../../src/db/pool';
import { registerProbes } from '../../src/ops/probes';
import type { RunningWorkers } from '../../src/temporal/worker';
import { createHealthActivities } from '../../src/health/activities';
import { startTestWorkers, testConfig, testPool, testTemporalClient } from '../harness';

/**
 * The gauges the alert rules read (deploy/prometheus/alerts.yml), measured when scraped, against the real Temporal,
 * PostgreSQL and Redis: what an operator's TaskQueueNoPoller, TaskQueueBacklog and *Unreachable alerts see.
 */
jest.setTimeout(60_000);

type Sample = { labels: Record<string, string | number>; value: number };
async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []) as Sample[];
}
async function value(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const found = (await samples(registry, name)).find((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value;
}
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('scrape-time probes (src/ops/probes.ts)', () => {
  let config: Config;
  let client: Client;
  let pool: DatabasePool;
  let redis: Redis;
  let workers: RunningWorkers;
  // A Redis that accepts connections and never answers: a black-holed network.
  let hung: Server;
  const sockets: Socket[] = [];
  let hungRedis: Redis;

  beforeAll(async () => {
    config = testConfig();
    client = await testTemporalClient(config);
    pool = await testPool();
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    hung = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const port = (hung.address() as { port: number }).port;
    hungRedis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0 });
    hungRedis.on('error', () => undefined);
    // Only the critical tier has a worker.
    workers = await startTestWorkers(config, createHealthActivities(), ['critical']);
  });

  afterAll(async () => {
    await workers?.shutdown();
    hungRedis?.disconnect();
    for (const s of sockets) s.destroy();
    await new Promise((r) => hung?.close(r));
    redis?.disconnect();
    await pool?.end();
    await client?.connection.close();
  });

  it('reports 0 pollers for a tier whose worker is missing and the polled tiers as polled', async () => {
    const registry = new Registry();
    registerProbes({ registry, dependencies: {}, taskQueues: { client, config } });
    const polled = await eventually(
      () => value(registry, 'task_queue_pollers', { tier: 'critical', task_type: 'activity' }),
      (v) => (v ?? 0) >= 1,
    );
    expect(polled).toBeGreaterThanOrEqual(1);
    expect(
      await value(registry, 'task_queue_pollers', { tier: 'critical', task_type: 'workflow' }),
    ).toBeGreaterThanOrEqual(1);
    for (const tier of ['high', 'default', 'low'])
      for (const task_type of ['workflow', 'activity'])
        expect({
          tier,
          task_type,
          pollers: await value(registry, 'task_queue_pollers', { tier, task_type }),
        }).toEqual({ tier, task_type, pollers: 0 });
    const queues = (await samples(registry, 'task_queue_pollers')).map((s) => s.labels.task_queue);
    expect(queues).toContain(config.TASK_QUEUE_CRITICAL);
  });

  it('reports the backlog of a tier nobody polls: its count and the age of its oldest task', async () => {
    const registry = new Registry();
    registerProbes({ registry, dependencies: {}, taskQueues: { client, config, tiers: ['high'] } });
    const handle = await client.workflow.start('noSuchWorkflow', {
      taskQueue: config.TASK_QUEUE_HIGH,
      workflowId: `probe-backlog-${randomUUID()}`,
      workflowExecutionTimeout: '1 minute',
    });
    try {
      const backlog = await eventually(
        () => value(registry, 'task_queue_backlog_tasks', { tier: 'high', task_type: 'workflow' }),
        (v) => (v ?? 0) >= 1,
      );
      expect(backlog).toBeGreaterThanOrEqual(1);
      const age = await eventually(
        () => value(registry, 'task_queue_backlog_age_seconds', { tier: 'high', task_type: 'workflow' }),
        (v) => (v ?? 0) >= 1,
      );
      expect(age).toBeGreaterThanOrEqual(1);
    } finally {
      await handle.terminate('test over');
    }
  });

  it('reports a dependency that answers as up and one that never answers as down, within its timeout', async () => {
    const registry = new Registry();
    registerProbes({
      registry,
      timeoutMs: 500,
      dependencies: {
        postgres: () => pool.query(sql.unsafe`SELECT 1`),
        redis: () => hungRedis.ping(),
        temporal: () => client.workflowService.getSystemInfo({}),
      },
    });
    const started = Date.now();
    const up = Object.fromEntries(
      (await samples(registry, 'dependency_up')).map((s) => [s.labels.dependency, s.value]),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(up).toEqual({ postgres: 1, redis: 0, temporal: 1 });
    // The same Redis reached: up again on the next scrape.
    const registry2 = new Registry();
    registerProbes({ registry: registry2, dependencies: { redis: () => redis.ping() } });
    expect(await value(registry2, 'dependency_up', { dependency: 'redis' })).toBe(1);
  });
});
