import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'slonik';
import type { DatabasePool } from '../../src/db/pool';
import { createMigrationActivities, type MigrationJob } from '../../src/migration/activities';
import { testLogger, testPool } from '../harness';
import { forgetUsers } from './helpers';
import { LEGACY_SAMPLE_FILE } from '../harness/shared';

const SAMPLE = LEGACY_SAMPLE_FILE;
const IDS = [123456789, 7012345678, 555000111, 987654321];

describe('the verification pass (activities run directly)', () => {
  let pool: DatabasePool;
  beforeAll(async () => {
    pool = await testPool();
    await forgetUsers(pool, IDS);
  });
  afterAll(async () => {
    await forgetUsers(pool, IDS);
    await pool.end();
  });

  it('finds rows that no longer match the file, and the report says the run is not OK', async () => {
    const env = new MockActivityEnvironment();
    const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) =>
      env.run(fn, ...args) as Promise<R>;
    const activities = createMigrationActivities({ pool, logger: testLogger });
    const job: MigrationJob = { runId: `verify-${randomUUID()}`, file: SAMPLE, batchSize: 2, dryRun: false };
    let { checkpoint } = await run(activities.prepareLegacyMigration, job);
    while (checkpoint.phase === 'migrating')
      checkpoint = await run(activities.migrateLegacyBatch, job, checkpoint);
    expect(checkpoint.phase).toBe('verifying');

    // Someone changes a subscription and removes a monitoring cursor between migration and verification.
    await pool.query(sql.unsafe`UPDATE subscriptions SET tier = 'pro' WHERE telegram_id = 123456789`);
    await pool.query(sql.unsafe`DELETE FROM tracked_players WHERE chat_id = 555000111`);
    while (checkpoint.phase === 'verifying')
      checkpoint = await run(activities.verifyLegacyBatch, job, checkpoint);
    expect(checkpoint.verify).toMatchObject({ checked: 4, mismatches: 2, sampleIds: [123456789, 555000111] });

    const report = await run(activities.finishLegacyMigration, job, checkpoint);
    expect(report).toMatchObject({ invariant_ok: true, ok: false, verification: { mismatches: 2 } });
    expect(
      await pool.oneFirst(sql.unsafe`SELECT status FROM migration_runs WHERE run_id = ${job.runId}`),
    ).toBe('failed');
    // Finishing again returns the stored report (a retried activity must not recount).
    expect(await run(activities.finishLegacyMigration, job, checkpoint)).toEqual(report);
  });
});
