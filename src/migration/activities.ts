import { migrationProgress, migrationRecordsTotal } from '../ops/metrics';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sql, type DatabaseTransactionConnection } from 'slonik';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { heartbeating } from '../temporal/activity';
import { syncSubscriptions } from '../billing/worker';
import { freshCheckpoint, mergeWarnings, withResumeTiming } from './checkpoint';
import { assertUnchanged, fileSize, hashFile } from './legacy-file';
import { mapBatch } from './mapper';
import { MigrationFileError, readRecords } from './reader';
import { buildReport } from './report';
import { completeRun, createRun, getRun, lockRun, saveCheckpoint, setRunStatus } from './runs';
import type { MigrationCheckpoint, MigrationReport } from './types';
import { verifyWinners } from './verifier';
import { analyzeMigratedTables, writeBatch } from './writer';

export interface MigrationJob {
  runId: string;
  file: string;
  batchSize: number;
  dryRun: boolean;
}

/** A batch never holds more than this many bytes of records, whatever their count. */
const MAX_BATCH_BYTES = 16 << 20;

export function createMigrationActivities(deps: { pool: DatabasePool; logger: Logger; config?: Config }) {
  const { pool } = deps;
  const log = deps.logger.child({ component: 'legacy-migration' });

  /** Runs one batch under the run's lock; a batch already committed (its completion lost) is not applied twice. */
  async function commitStep(
    runId: string,
    checkpoint: MigrationCheckpoint,
    apply: (tx: DatabaseTransactionConnection) => Promise<MigrationCheckpoint>,
  ): Promise<MigrationCheckpoint> {
    return pool.transaction(async (tx) => {
      const stored = (await lockRun(tx, runId)).checkpoint;
      if (stored.batches > checkpoint.batches) return { ...stored, timing: checkpoint.timing };
      if (stored.batches < checkpoint.batches) {
        throw ApplicationFailure.nonRetryable(
          `run ${runId}: the database is behind the workflow's checkpoint`,
        );
      }
      const next = await apply(tx);
      await saveCheckpoint(tx, runId, next);
      return next;
    });
  }

  return {
    /** Creates the run, or picks up its committed checkpoint (a restarted workflow resumes there). */
    async prepareLegacyMigration(
      job: MigrationJob,
    ): Promise<{ checkpoint: MigrationCheckpoint; report: MigrationReport | null }> {
      const size = await fileSize(job.file);
      const existing = await getRun(pool, job.runId);
      if (existing?.report) return { checkpoint: existing.checkpoint, report: existing.report };
      const sha256 = await hashFile(job.file);
      if (existing) {
        if (
          existing.file_sha256 !== sha256 ||
          existing.file_size !== size ||
          existing.dry_run !== job.dryRun
        ) {
          throw new MigrationFileError(
            `run ${job.runId} was started on another file or mode; start a new run`,
          );
        }
        await setRunStatus(pool, job.runId, 'running');
        log.info({ runId: job.runId, position: existing.checkpoint.position }, 'resuming legacy migration');
        return { checkpoint: withResumeTiming(existing.checkpoint), report: null };
      }
      const checkpoint = freshCheckpoint(size, sha256);
      await createRun(pool, { runId: job.runId, file: job.file, dryRun: job.dryRun, checkpoint });
      log.info(
        { runId: job.runId, file: job.file, bytes: size, dryRun: job.dryRun },
        'legacy migration started',
      );
      return { checkpoint: withResumeTiming(checkpoint), report: null };
    },

    async migrateLegacyBatch(
      job: MigrationJob,
      checkpoint: MigrationCheckpoint,
    ): Promise<MigrationCheckpoint> {
      const next = await heartbeating(BATCH_HEARTBEAT, () => migrateBatch(job, checkpoint));
      observeProgress('migrate', next);
      return next;
    },

    async verifyLegacyBatch(
      job: MigrationJob,
      checkpoint: MigrationCheckpoint,
    ): Promise<MigrationCheckpoint> {
      const next = await heartbeating(BATCH_HEARTBEAT, () => verifyBatch(job, checkpoint));
      observeProgress('verify', next);
      return next;
    },

    /** Checks the invariant, stores the report and drops the run's scratch rows; idempotent. */
    async finishLegacyMigration(
      job: MigrationJob,
      checkpoint: MigrationCheckpoint,
    ): Promise<MigrationReport> {
      return heartbeating(BATCH_HEARTBEAT, () => finish(job, checkpoint));
    },

    async setLegacyMigrationStatus(runId: string, status: 'running' | 'paused'): Promise<void> {
      await setRunStatus(pool, runId, status);
    },
  };

  async function migrateBatch(
    job: MigrationJob,
    checkpoint: MigrationCheckpoint,
  ): Promise<MigrationCheckpoint> {
    await assertUnchanged(job.file, checkpoint);
    const batch = await readRecords(job.file, checkpoint, {
      maxRecords: job.batchSize,
      maxBytes: MAX_BATCH_BYTES,
    });
    const { users, rejects, warnings } = mapBatch(batch);
    let banked: number[] = [];
    const next = await commitStep(job.runId, checkpoint, async (tx) => {
      const outcome = await writeBatch(tx, {
        runId: job.runId,
        source: checkpoint.fileSha256,
        dryRun: job.dryRun,
        users,
        rejects,
      });
      banked = outcome.banked;
      // After a bulk load the planner's statistics are stale; the verification joins need fresh ones.
      if (batch.endOfList && !job.dryRun) await analyzeMigratedTables(tx);
      const c = checkpoint.counters;
      return {
        ...checkpoint,
        phase: batch.endOfList ? (job.dryRun ? 'finishing' : 'verifying') : 'migrating',
        batches: checkpoint.batches + 1,
        offset: batch.nextOffset,
        position: checkpoint.position + batch.records.length,
        counters: {
          read: c.read + batch.records.length,
          migrated: c.migrated + outcome.migrated,
          duplicatesMerged: c.duplicatesMerged + outcome.duplicatesMerged,
          rejected: c.rejected + rejects.length,
          changed: c.changed + outcome.changed,
        },
        warnings: mergeWarnings(checkpoint.warnings, [...warnings, ...outcome.warnings]),
        // The verification pass measures its own rate from here.
        timing: batch.endOfList
          ? { resumedAtMs: Date.now(), readAtResume: 0, bytesAtResume: 0, lastCommitMs: Date.now() }
          : { ...checkpoint.timing, lastCommitMs: Date.now() },
      };
    });
    await rearmTimers(banked);
    return next;
  }

  /**
   * Live users whose plan a legacy plan extended: their subscription workflows re-read the row and re-arm the
   * reminder and expiry timers. The plan in force is right without it (it is computed from the row); a failure is
   * logged, and the next change of the user's plan re-arms them.
   */
  async function rearmTimers(telegramIds: number[]): Promise<void> {
    if (telegramIds.length === 0) return;
    if (!deps.config) {
      log.warn({ count: telegramIds.length }, 'no configuration: subscription timers not re-armed');
      return;
    }
    try {
      await syncSubscriptions(Context.current().client, deps.config, telegramIds);
    } catch (err) {
      log.error({ err, count: telegramIds.length }, 'subscription timers of merged users not re-armed');
    }
  }

  /** Compares the winning records of one stretch of the file with the database. */
  async function verifyBatch(
    job: MigrationJob,
    checkpoint: MigrationCheckpoint,
  ): Promise<MigrationCheckpoint> {
    await assertUnchanged(job.file, checkpoint);
    const v = checkpoint.verify;
    const batch = await readRecords(job.file, v, { maxRecords: job.batchSize, maxBytes: MAX_BATCH_BYTES });
    const { users } = mapBatch(batch);
    return commitStep(job.runId, checkpoint, async (tx) => {
      const { checked, mismatched: bad } = await verifyWinners(
        tx,
        { runId: job.runId, source: checkpoint.fileSha256 },
        users,
      );
      if (bad.length) log.warn({ runId: job.runId, ids: bad.slice(0, 20) }, 'verification mismatches');
      return {
        ...checkpoint,
        phase: batch.endOfList ? 'finishing' : 'verifying',
        batches: checkpoint.batches + 1,
        verify: {
          offset: batch.nextOffset,
          position: v.position + batch.records.length,
          checked: v.checked + checked,
          mismatches: v.mismatches + bad.length,
          sampleIds: [...v.sampleIds, ...bad].slice(0, 20),
        },
        timing: { ...checkpoint.timing, lastCommitMs: Date.now() },
      };
    });
  }

  async function finish(job: MigrationJob, checkpoint: MigrationCheckpoint): Promise<MigrationReport> {
    return pool.transaction(async (tx) => {
      const run = await lockRun(tx, job.runId);
      if (run.report) return run.report;
      const report = await buildReport(tx, run, run.checkpoint);
      await completeRun(
        tx,
        job.runId,
        { ...run.checkpoint, phase: 'completed', timing: checkpoint.timing },
        report,
      );
      await tx.query(sql.unsafe`DELETE FROM migration_seen WHERE run_id = ${job.runId}`);
      log.info({ report }, 'legacy migration finished');
      return report;
    });
  }
}
export type MigrationActivities = ReturnType<typeof createMigrationActivities>;

/** Batches heartbeat while they run (even inside a long statement), so only a lost or dead activity times out. */
const BATCH_HEARTBEAT = { everyMs: 2000 };

/** The dashboard's migration progress: batches committed, and the share of the file's bytes migrated. */
function observeProgress(phase: 'migrate' | 'verify', checkpoint: MigrationCheckpoint): void {
  migrationRecordsTotal().inc({ phase });
  if (phase === 'migrate' && checkpoint.fileSize > 0)
    migrationProgress().set({ phase }, Math.min(1, checkpoint.offset / checkpoint.fileSize));
}
