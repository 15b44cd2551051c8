import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { loadConfig, type Config, type QueueTier } from '../../src/config';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { createTemporalClient } from '../../src/temporal/client';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { runWorkers, type RunningWorkers } from '../../src/temporal/worker';

export const testLogger = createLogger({ pretty: false, level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Configuration for a test: the suite's services, plus task queues unique to this test file. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const suffix = randomUUID().slice(0, 8);
  return loadConfig({
    ...process.env,
    TASK_QUEUE_CRITICAL: `test-critical-${suffix}`,
    TASK_QUEUE_HIGH: `test-high-${suffix}`,
    TASK_QUEUE_DEFAULT: `test-default-${suffix}`,
    TASK_QUEUE_LOW: `test-low-${suffix}`,
    ...overrides,
  });
}

export function testPool(): Promise<DatabasePool> {
  return createDatabasePool(requiredEnv('DATABASE_URL'), { maximumPoolSize: 5 });
}

export function testTemporalClient(config: Config): Promise<Client> {
  return createTemporalClient({
    address: requiredEnv('TEMPORAL_ADDRESS'),
    namespace: config.TEMPORAL_NAMESPACE,
  });
}

/** Real workers on the suite's Temporal server, with the workflow bundle made once by the global set-up. */
export function startTestWorkers(
  config: Config,
  activities: object,
  tiers?: readonly QueueTier[],
): Promise<RunningWorkers> {
  installTemporalRuntime(testLogger);
  return runWorkers({
    config,
    address: requiredEnv('TEMPORAL_ADDRESS'),
    logger: testLogger,
    activities,
    tiers,
    bundle: { codePath: requiredEnv('TEST_WORKFLOW_BUNDLE') },
  });
}

/** A Telegram-like id unique to this run (above 2^32, as newer accounts are). */
export function uniqueTelegramId(): number {
  return 5_000_000_000 + Math.floor(Math.random() * 4_000_000_000);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the tests through jest (its global set-up starts the services)`);
  return value;
}
