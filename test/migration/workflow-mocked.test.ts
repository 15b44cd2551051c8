import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { MigrationJob } from '../../src/migration/activities';
import { freshCheckpoint } from '../../src/migration/checkpoint';
import {
  migrationProgressQuery,
  pauseMigrationSignal,
  resumeMigrationSignal,
} from '../../src/migration/messages';
import type { MigrationCheckpoint, MigrationReport } from '../../src/migration/types';
import { legacyMigrationWorkflow } from '../../src/migration/workflows';
import { eventually, useMockedWorkflows } from '../harness/time-skipping';

/**
 * The legacy-migration workflow on the time-skipping test server with mocked activities: batches across
 * continue-as-new, pause and resume, retries of a failing batch, a file that cannot be read. No PostgreSQL and no
 * file; the end-to-end runs are in resume.test.ts, dirty.test.ts and verification.test.ts.
 */

const QUEUE = `migration-mocked-${randomUUID().slice(0, 8)}`;

/** A file of `records` records read `perBatch` at a time, and what the activities were asked. */
interface File {
  records: number;
  perBatch: number;
  /** Makes a migrate batch fail (attempt counts from 1); default: never. */
  fail?: (checkpoint: MigrationCheckpoint, attempt: number) => Error | null;
  unreadable?: boolean;
  batches: Array<{ phase: string; position: number; runId: string; attempt: number }>;
  statuses: string[];
  /** Resolved to let a migrate batch finish; default: at once. */
  gate?: Promise<void>;
}
const files = new Map<string, File>();

function file(runId: string, f: Partial<File> & Pick<File, 'records' | 'perBatch'>): File {
  const full: File = { batches: [], statuses: [], ...f };
  files.set(runId, full);
  return full;
}

function note(job: MigrationJob, checkpoint: MigrationCheckpoint): File {
  const f = files.get(job.runId)!;
  const { info } = Context.current();
  const position = checkpoint.phase === 'verifying' ? checkpoint.verify.position : checkpoint.position;
  f.batches.push({
    phase: checkpoint.phase,
    position,
    runId: info.workflowExecution!.runId,
    attempt: info.attempt,
  });
  return f;
}

const activities = {
  async prepareLegacyMigration(job: MigrationJob) {
    if (files.get(job.runId)!.unreadable)
      throw ApplicationFailure.nonRetryable('not JSON', 'MigrationFileError');
    return { checkpoint: freshCheckpoint(1_000, 'sha'), report: null };
  },
  async migrateLegacyBatch(job: MigrationJob, checkpoint: MigrationCheckpoint): Promise<MigrationCheckpoint> {
    const f = note(job, checkpoint);
    const failure = f.fail?.(checkpoint, Context.current().info.attempt);
    if (failure) throw failure;
    await f.gate;
    const position = Math.min(checkpoint.position + f.perBatch, f.records);
    const read = position - checkpoint.position;
    return {
      ...checkpoint,
      phase: position >= f.records ? 'verifying' : 'migrating',
      batches: checkpoint.batches + 1,
      position,
      counters: { ...checkpoint.counters, read: position, migrated: checkpoint.counters.migrated + read },
    };
  },
  async verifyLegacyBatch(job: MigrationJob, checkpoint: MigrationCheckpoint): Promise<MigrationCheckpoint> {
    const f = note(job, checkpoint);
    const position = Math.min(checkpoint.verify.position + f.perBatch, f.records);
    return {
      ...checkpoint,
      phase: position >= f.records ? 'finishing' : 'verifying',
      batches: checkpoint.batches + 1,
      verify: { ...checkpoint.verify, position, checked: position },
    };
  },
  async finishLegacyMigration(job: MigrationJob, checkpoint: MigrationCheckpoint): Promise<MigrationReport> {
    return {
      run_id: job.runId,
      file: job.file,
      file_sha256: checkpoint.fileSha256,
      dry_run: job.dryRun,
      read: checkpoint.counters.read,
      migrated: checkpoint.counters.migrated,
      duplicates_merged: 0,
      rejected: 0,
      changed: checkpoint.counters.migrated,
      dangling_referrers: 0,
      dangling_referrer_ids: [],
      warnings: {},
      invariant_ok: true,
      verification: { checked: checkpoint.verify.checked, mismatches: 0, sample_ids: [] },
      ok: true,
      bytes: checkpoint.fileSize,
      seconds: 1,
      rate_per_s: checkpoint.counters.read,
    };
  },
  async setLegacyMigrationStatus(runId: string, status: 'running' | 'paused'): Promise<void> {
    files.get(runId)!.statuses.push(status);
  },
};

const server = useMockedWorkflows(QUEUE, activities);

const migrate = (runId: string, batchesPerRun = 250) =>
  server.env.client.workflow.start(legacyMigrationWorkflow, {
    workflowId: runId,
    taskQueue: QUEUE,
    args: [{ file: '/data/legacy.json', batchSize: 100, batchesPerRun }],
  });

describe('legacy migration workflow (time-skipping, mocked activities)', () => {
  it('migrates then verifies batch by batch, continuing as new every few batches without losing its place', async () => {
    const runId = `migration-${randomUUID()}`;
    const f = file(runId, { records: 1_000, perBatch: 100 });
    const report = await (await migrate(runId, 3)).result();

    expect(report).toMatchObject({
      ok: true,
      read: 1_000,
      migrated: 1_000,
      verification: { checked: 1_000 },
    });
    expect(f.batches.filter((b) => b.phase === 'migrating').map((b) => b.position)).toEqual(
      Array.from({ length: 10 }, (_, i) => i * 100),
    );
    expect(f.batches.filter((b) => b.phase === 'verifying')).toHaveLength(10);
    // 20 batches, 3 per run: 7 runs, each doing its share.
    const runs = [...new Set(f.batches.map((b) => b.runId))];
    expect(runs).toHaveLength(7);
    expect(runs.map((r) => f.batches.filter((b) => b.runId === r).length)).toEqual([3, 3, 3, 3, 3, 3, 2]);
  });

  it('pauses between batches, says so, and resumes where it stopped', async () => {
    const runId = `migration-${randomUUID()}`;
    let release!: () => void;
    const f = file(runId, { records: 600, perBatch: 100, gate: new Promise<void>((r) => (release = r)) });
    const handle = await migrate(runId, 2);
    await eventually(
      () => Promise.resolve(f.batches.length),
      (n) => n === 1,
    );
    await handle.signal(pauseMigrationSignal);
    release();
    await eventually(
      () => Promise.resolve(f.statuses),
      (s) => s.includes('paused'),
    );
    const paused = await handle.query(migrationProgressQuery);
    const batchesWhilePaused = f.batches.length;
    expect(paused).toMatchObject({ paused: true, phase: 'migrating', read: 100 });

    await handle.signal(resumeMigrationSignal);
    const report = await handle.result();
    expect(batchesWhilePaused).toBe(1);
    expect(f.statuses).toEqual(['paused', 'running']);
    expect(report).toMatchObject({ ok: true, read: 600, migrated: 600 });
  });

  it('retries a batch that fails (a database restart) and goes on from the same place', async () => {
    const runId = `migration-${randomUUID()}`;
    const f = file(runId, {
      records: 300,
      perBatch: 100,
      fail: (c, attempt) => (c.position === 100 && attempt < 3 ? new Error('connection reset') : null),
    });
    const report = await (await migrate(runId)).result(); // back-off of 1 s, 2 s skipped

    expect(report).toMatchObject({ ok: true, read: 300, migrated: 300 });
    expect(f.batches.filter((b) => b.phase === 'migrating').map((b) => [b.position, b.attempt])).toEqual([
      [0, 1],
      [100, 1],
      [100, 2],
      [100, 3],
      [200, 1],
    ]);
  });

  it('fails at once, without retrying, on a file that cannot be read', async () => {
    const runId = `migration-${randomUUID()}`;
    const f = file(runId, { records: 0, perBatch: 100, unreadable: true });
    await expect((await migrate(runId)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(f.batches).toEqual([]);
  });
});
