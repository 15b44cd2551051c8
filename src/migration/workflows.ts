import {
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DB_MIGRATION_BATCH } from '../temporal/retry-policies';
import type { MigrationActivities } from './activities';
import {
  MigrationFile,
  MigrationPhase,
  migrationProgressQuery,
  pauseMigrationSignal,
  resumeMigrationSignal,
} from './messages';
import { progressOf } from './progress';
import type { LegacyMigrationInput, MigrationCheckpoint, MigrationReport } from './types';

/**
 * Batch activities heartbeat while they run: one lost with a dying worker (a task in transit when a worker stops is
 * dropped) is retried after the heartbeat timeout instead of after the start-to-close timeout.
 */
const batches = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '15 seconds',
  retry: DB_MIGRATION_BATCH,
});
/** Preparing hashes the whole file: long, so it heartbeats. */
const preparation = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: DB_MIGRATION_BATCH,
});

/**
 * Migrates a legacy data.json into PostgreSQL, one batch (activity + transaction) at a time, then compares the
 * file with the database. The workflow id is the run id: restarting a failed or terminated run with the same id
 * resumes from the checkpoint committed with the last batch.
 */
export async function legacyMigrationWorkflow(input: LegacyMigrationInput): Promise<MigrationReport> {
  const job = {
    runId: workflowInfo().workflowId,
    file: input.file,
    batchSize: Math.min(Math.max(Math.floor(input.batchSize ?? 1000), 1), 10_000),
    dryRun: input.dryRun ?? false,
  };
  const batchesPerRun = Math.max(input.batchesPerRun ?? 250, 1);
  // Phase is only upserted when the run was started with MigrationFile, which proves both attributes are registered.
  const searchable = workflowInfo().typedSearchAttributes.get(MigrationFile) !== undefined;
  let paused = input.carried?.paused ?? false;
  let checkpoint: MigrationCheckpoint | undefined = input.carried?.checkpoint;
  let shownPhase = '';
  const showPhase = (phase: string) => {
    if (searchable && phase !== shownPhase) upsertSearchAttributes([{ key: MigrationPhase, value: phase }]);
    shownPhase = phase;
  };

  setHandler(migrationProgressQuery, () => progressOf(job.runId, checkpoint, { paused, dryRun: job.dryRun }));
  setHandler(pauseMigrationSignal, () => void (paused = true));
  setHandler(resumeMigrationSignal, () => void (paused = false));

  if (!checkpoint) {
    const prepared = await preparation.prepareLegacyMigration(job);
    if (prepared.report) return prepared.report;
    checkpoint = prepared.checkpoint;
  }
  for (let done = 0; ; done++) {
    if (paused) {
      showPhase('paused');
      await batches.setLegacyMigrationStatus(job.runId, 'paused');
      await condition(() => !paused);
      await batches.setLegacyMigrationStatus(job.runId, 'running');
    }
    showPhase(checkpoint.phase);
    if (checkpoint.phase === 'finishing' || checkpoint.phase === 'completed') break;
    if (done >= batchesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof legacyMigrationWorkflow>({ ...input, carried: { checkpoint, paused } });
    }
    checkpoint =
      checkpoint.phase === 'migrating'
        ? await batches.migrateLegacyBatch(job, checkpoint)
        : await batches.verifyLegacyBatch(job, checkpoint);
  }
  const report = await batches.finishLegacyMigration(job, checkpoint);
  checkpoint = { ...checkpoint, phase: 'completed' };
  showPhase(report.ok ? 'completed' : 'failed');
  return report;
}
