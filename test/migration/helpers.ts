import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import { taskQueueFor, type Config } from '../../src/config';
import type { DatabasePool } from '../../src/db/pool';
import { createMigrationActivities, type MigrationActivities } from '../../src/migration/activities';
import {
  ensureMigrationSearchAttributes,
  followLegacyMigration,
  startLegacyMigration,
  type MigrationHandle,
} from '../../src/migration/client';
import type { LegacyMigrationInput, MigrationReport } from '../../src/migration/types';
import type { RunningWorkers } from '../../src/temporal/worker';
import { startTestWorkers, testConfig, testLogger, testPool, testTemporalClient } from '../harness';

/** One test file's world: its own low task queue, a client, a pool and (re)startable migration workers. */
export interface MigrationWorld {
  config: Config;
  client: Client;
  pool: DatabasePool;
  workers?: RunningWorkers;
  startWorkers(activities?: MigrationActivities): Promise<void>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function migrationWorld(): Promise<MigrationWorld> {
  const config = testConfig();
  const client = await testTemporalClient(config);
  const pool = await testPool();
  await ensureMigrationSearchAttributes(client, config.TEMPORAL_NAMESPACE);
  const world: MigrationWorld = {
    config,
    client,
    pool,
    async startWorkers(activities = createMigrationActivities({ pool, logger: testLogger })) {
      world.workers = await startTestWorkers(config, activities, ['low']);
    },
    async stopWorkers() {
      await world.workers?.shutdown();
      world.workers = undefined;
    },
    async close() {
      await world.stopWorkers();
      await pool.end();
      await client.connection.close();
    },
  };
  return world;
}

export async function startMigration(
  world: MigrationWorld,
  input: LegacyMigrationInput,
  workflowId = `migration-test-${randomUUID()}`,
): Promise<MigrationHandle> {
  const { handle } = await startLegacyMigration(world.client, input, {
    workflowId,
    taskQueue: taskQueueFor(world.config, 'low'),
    searchable: true,
  });
  return handle;
}

export async function runMigration(
  world: MigrationWorld,
  input: LegacyMigrationInput,
): Promise<MigrationReport> {
  return followLegacyMigration(await startMigration(world, input), () => undefined, 200);
}

/** Removes everything the given users own, so a test starts from a database without them. */
export async function forgetUsers(pool: DatabasePool, ids: number[]): Promise<void> {
  const list = sql.array(ids, 'int8');
  await pool.query(sql.unsafe`DELETE FROM chats WHERE chat_id = ANY(${list})`);
  await pool.query(sql.unsafe`DELETE FROM referrals WHERE referrer_id = ANY(${list})`);
  await pool.query(sql.unsafe`DELETE FROM users WHERE telegram_id = ANY(${list})`);
}

const TABLES = {
  users: 'telegram_id',
  faceit_accounts: 'telegram_id',
  subscriptions: 'telegram_id',
  daily_usage: 'telegram_id',
  referrals: 'referred_id',
  chats: 'chat_id',
  tracked_players: 'chat_id',
} as const;

/** A content hash (and row count) per migrated table, over every column of the given users' rows. */
export async function migratedState(pool: DatabasePool, ids: number[]): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    const row = await pool.one(sql.type(z.object({ rows: z.number(), hash: z.string().nullable() }))`
      SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS hash
      FROM ${sql.identifier([table])} t WHERE ${sql.identifier([key])} = ANY(${sql.array(ids, 'int8')})`);
    state[table] = `${row.rows}:${row.hash ?? '-'}`;
  }
  return state;
}
