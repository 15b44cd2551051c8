import { sql, type CommonQueryMethods, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import type { MigrationCheckpoint, MigrationReport } from './types';

/** migration_runs: one row per run id (the workflow id), holding the committed checkpoint and the final report. */

const count = z.number().int().nonnegative();
export const checkpointSchema = z.object({
  phase: z.enum(['migrating', 'verifying', 'finishing', 'completed']),
  batches: count,
  offset: count,
  position: count,
  fileSize: count,
  fileSha256: z.string(),
  counters: z.object({
    read: count,
    migrated: count,
    duplicatesMerged: count,
    rejected: count,
    changed: count,
  }),
  warnings: z.record(count),
  verify: z.object({
    offset: count,
    position: count,
    checked: count,
    mismatches: count,
    sampleIds: z.array(z.number()),
  }),
  timing: z.object({
    resumedAtMs: z.number(),
    readAtResume: count,
    bytesAtResume: count,
    lastCommitMs: z.number(),
  }),
}) satisfies z.ZodType<MigrationCheckpoint>;

const runRow = z.object({
  run_id: z.string(),
  file_path: z.string(),
  file_size: z.number(),
  file_sha256: z.string().nullable(),
  dry_run: z.boolean(),
  status: z.enum(['running', 'paused', 'completed', 'failed']),
  checkpoint: checkpointSchema,
  report: z.custom<MigrationReport>().nullable(),
  started_at: z.date(),
});
export type RunRow = z.infer<typeof runRow>;

export function getRun(db: CommonQueryMethods, runId: string): Promise<RunRow | null> {
  return db.maybeOne(sql.type(runRow)`
    SELECT run_id, file_path, file_size, file_sha256, dry_run, status, checkpoint, report, started_at
    FROM migration_runs WHERE run_id = ${runId}`);
}

/** Locks the run for one batch: batches of one run never interleave, even with a stale retry still running. */
export function lockRun(tx: DatabaseTransactionConnection, runId: string): Promise<RunRow> {
  return tx.one(sql.type(runRow)`
    SELECT run_id, file_path, file_size, file_sha256, dry_run, status, checkpoint, report, started_at
    FROM migration_runs WHERE run_id = ${runId} FOR UPDATE`);
}

export async function createRun(
  db: CommonQueryMethods,
  run: { runId: string; file: string; dryRun: boolean; checkpoint: MigrationCheckpoint },
): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO migration_runs (run_id, file_path, file_size, file_sha256, dry_run, status, checkpoint)
    VALUES (${run.runId}, ${run.file}, ${run.checkpoint.fileSize}, ${run.checkpoint.fileSha256}, ${run.dryRun},
            'running', ${JSON.stringify(run.checkpoint)}::jsonb)
    ON CONFLICT (run_id) DO NOTHING`);
}

export async function saveCheckpoint(
  tx: DatabaseTransactionConnection,
  runId: string,
  checkpoint: MigrationCheckpoint,
): Promise<void> {
  await tx.query(sql.unsafe`
    UPDATE migration_runs SET checkpoint = ${JSON.stringify(checkpoint)}::jsonb WHERE run_id = ${runId}`);
}

export async function setRunStatus(
  db: CommonQueryMethods,
  runId: string,
  status: 'running' | 'paused',
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE migration_runs SET status = ${status} WHERE run_id = ${runId} AND status IN ('running', 'paused')`);
}

export async function completeRun(
  tx: DatabaseTransactionConnection,
  runId: string,
  checkpoint: MigrationCheckpoint,
  report: MigrationReport,
): Promise<void> {
  await tx.query(sql.unsafe`
    UPDATE migration_runs
    SET status = ${report.ok ? 'completed' : 'failed'}, checkpoint = ${JSON.stringify(checkpoint)}::jsonb,
        report = ${JSON.stringify(report)}::jsonb, finished_at = now()
    WHERE run_id = ${runId}`);
}
