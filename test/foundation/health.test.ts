import type { Client } from '@temporalio/client';
import { createHealthActivities } from '../../src/health/activities';
import type { Config } from '../../src/config';
import { checkTiers } from '../../src/health/check';
import type { RunningWorkers } from '../../src/temporal/worker';
import { startTestWorkers, testConfig, testTemporalClient } from '../harness';

describe('health-check workflow across the priority tiers', () => {
  let config: Config;
  let client: Client;
  let workers: RunningWorkers | undefined;

  beforeAll(async () => {
    config = testConfig();
    client = await testTemporalClient(config);
  });
  afterEach(async () => {
    await workers?.shutdown();
    workers = undefined;
  });
  afterAll(async () => {
    await client.connection.close();
  });

  it('completes on every tier when one worker per tier polls', async () => {
    workers = await startTestWorkers(config, createHealthActivities());
    expect([...workers.workers.keys()]).toEqual(['critical', 'high', 'default', 'low']);
    const health = await checkTiers(client, config);
    expect(health.map((h) => [h.tier, h.taskQueue, h.ok])).toEqual([
      ['critical', config.TASK_QUEUE_CRITICAL, true],
      ['high', config.TASK_QUEUE_HIGH, true],
      ['default', config.TASK_QUEUE_DEFAULT, true],
      ['low', config.TASK_QUEUE_LOW, true],
    ]);
  });

  it('reports a tier whose workers are down as unhealthy instead of hanging', async () => {
    workers = await startTestWorkers(config, createHealthActivities(), ['critical', 'high', 'default']);
    const health = await checkTiers(client, config, { timeoutMs: 3000 });
    expect(health.filter((h) => !h.ok).map((h) => h.tier)).toEqual(['low']);
    expect(health.find((h) => h.tier === 'low')?.latencyMs).toBeLessThan(6000);
  });
});
