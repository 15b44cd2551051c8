import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { writeLegacyFile } from '../../bench/migration-data';
import { createMigrationActivities, type MigrationActivities } from '../../src/migration/activities';
import type { MigrationHandle } from '../../src/migration/client';
import { testLogger } from '../harness';
import {
  forgetUsers,
  migratedState,
  migrationWorld,
  runMigration,
  startMigration,
  type MigrationWorld,
} from './helpers';

/** Activities that lose some batches' results after committing them, or fail before: what crashes look like. */
function crashingActivities(real: MigrationActivities, crashAfter: Set<number>, crashBefore: Set<number>) {
  const crashes = { before: 0, after: 0 };
  const flaky = <F extends (...args: never[]) => Promise<unknown>>(
    step: F,
    batchOf: (...args: Parameters<F>) => number,
  ) =>
    (async (...args: Parameters<F>) => {
      const batch = batchOf(...args);
      if (crashBefore.delete(batch)) {
        crashes.before++;
        throw new Error(`simulated crash before batch ${batch}`);
      }
      const result = await step(...args);
      if (crashAfter.delete(batch)) {
        crashes.after++;
        throw new Error(`simulated crash after batch ${batch} committed: its result is lost`);
      }
      return result;
    }) as F;
  const activities: MigrationActivities = {
    ...real,
    migrateLegacyBatch: flaky(real.migrateLegacyBatch, (_job, checkpoint) => checkpoint.batches),
    verifyLegacyBatch: flaky(real.verifyLegacyBatch, (_job, checkpoint) => checkpoint.batches),
  };
  return { activities, crashes };
}

/** What a stuck run waits for, so a failure says more than "timeout". */
async function pending(handle: MigrationHandle): Promise<string> {
  const { status, raw } = await handle.describe();
  return `${status.name}, pending activities ${JSON.stringify(raw.pendingActivities)}`;
}

describe('a migration interrupted at random points (real Temporal and PostgreSQL)', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'legacy-resume-')), 'data.json');
  const file = writeLegacyFile(path, {
    users: 3000,
    seed: 42,
    base: 7_000_000_000 + Math.floor(Math.random() * 1e6) * 10_000,
  });
  const input = { file: path, batchSize: 100, batchesPerRun: 25 };
  let world: MigrationWorld;
  beforeAll(async () => {
    world = await migrationWorld();
  });
  afterAll(async () => {
    await forgetUsers(world.pool, file.ids);
    await world.close();
  });

  const committedBatches = async (runId: string) =>
    (await world.pool.maybeOneFirst(sql.type(z.object({ batches: z.number().nullable() }))`
      SELECT (checkpoint->>'batches')::int AS batches FROM migration_runs WHERE run_id = ${runId}`)) ?? 0;

  it('ends with the same database and report as a clean run, after terminations, worker restarts and lost results', async () => {
    await world.startWorkers();
    const clean = await runMigration(world, input);
    expect(clean).toMatchObject({
      read: file.records,
      migrated: file.users,
      rejected: file.broken,
      ok: true,
    });
    expect(clean.duplicates_merged).toBe(file.duplicates);
    const cleanState = await migratedState(world.pool, file.ids);
    await forgetUsers(world.pool, file.ids);
    await world.stopWorkers();

    const real = createMigrationActivities({ pool: world.pool, logger: testLogger });
    const chaos = crashingActivities(real, new Set([3, 9, 22, 40, 47]), new Set([5, 33]));
    await world.startWorkers(chaos.activities);
    const workflowId = `migration-chaos-${Date.now()}`;
    let handle: MigrationHandle = await startMigration(world, input, workflowId);
    const interrupts = [4, 13, 27, 36, 44, 55].map((at) => at + Math.floor(Math.random() * 3));
    for (const [i, at] of interrupts.entries()) {
      const deadline = Date.now() + 60_000;
      while ((await committedBatches(workflowId)) < at) {
        if (Date.now() > deadline) throw new Error(`stuck before batch ${at}: ${await pending(handle)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      if (i % 2 === 0) {
        // The run dies; a new run with the same id picks up the committed checkpoint (a batch may still commit late).
        await handle.terminate('chaos: simulated crash');
        handle = await startMigration(world, input, workflowId);
      } else {
        // A stopping worker may drop an activity task in transit; the heartbeat timeout gets it retried.
        await world.stopWorkers();
        await world.startWorkers(chaos.activities);
      }
    }
    const report = await handle.result();
    expect(chaos.crashes).toEqual({ before: 2, after: 5 });
    const counts = (r: typeof clean) => [
      r.read,
      r.migrated,
      r.duplicates_merged,
      r.rejected,
      r.changed,
      r.dangling_referrers,
    ];
    expect(counts(report)).toEqual(counts(clean));
    expect(report).toMatchObject({ ok: true, invariant_ok: true, verification: { mismatches: 0 } });
    expect(await migratedState(world.pool, file.ids)).toEqual(cleanState);
  }, 240_000);
});
