/**
 * Shapes shared by the migration workflow, its activities and its clients (CLI, tests, bench). Plain types only:
 * the workflow bundle imports this file.
 */

export interface LegacyMigrationInput {
  /** Path of the legacy data.json as the workers see it. */
  file: string;
  /** Records per batch (one activity, one transaction); default 1000. */
  batchSize?: number;
  /** Validate and report without writing the product tables. */
  dryRun?: boolean;
  /** Batches per workflow run before continue-as-new (each run starts ~1 s late on the server); default 250. */
  batchesPerRun?: number;
  /** Internal: what a run hands to the next one through continue-as-new. */
  carried?: { checkpoint: MigrationCheckpoint; paused: boolean };
}

export type MigrationPhase = 'migrating' | 'verifying' | 'finishing' | 'completed';

export interface MigrationCounters {
  read: number;
  migrated: number;
  duplicatesMerged: number;
  rejected: number;
  /** User-row writes (an id written again by a later batch counts again); 0 on a second run over the same file. */
  changed: number;
}

export interface VerificationProgress {
  offset: number;
  position: number;
  checked: number;
  mismatches: number;
  sampleIds: number[];
}

/** Everything needed to resume; committed with each batch in migration_runs.checkpoint. */
export interface MigrationCheckpoint {
  phase: MigrationPhase;
  /** Committed batches so far (migration and verification): tells a replayed batch from a new one. */
  batches: number;
  /** Next byte to read inside the users list (0 = the list is not located yet). */
  offset: number;
  /** Records (list elements) consumed so far, i.e. the next record's position. */
  position: number;
  fileSize: number;
  /** Identifies the file: stored as users.legacy_source by this run. */
  fileSha256: string;
  counters: MigrationCounters;
  /** Count per kind of anything mapped by a rule rather than copied (unknown tier, dropped self-referral...). */
  warnings: Record<string, number>;
  verify: VerificationProgress;
  timing: { resumedAtMs: number; readAtResume: number; bytesAtResume: number; lastCommitMs: number };
}

/** The final report; snake_case because it is printed as JSON for operators and scripts. */
export interface MigrationReport {
  run_id: string;
  file: string;
  file_sha256: string;
  dry_run: boolean;
  read: number;
  migrated: number;
  duplicates_merged: number;
  rejected: number;
  changed: number;
  dangling_referrers: number;
  dangling_referrer_ids: number[];
  warnings: Record<string, number>;
  /** read = migrated + duplicates_merged + rejected, and migrated = distinct user ids seen. */
  invariant_ok: boolean;
  verification: { checked: number; mismatches: number; sample_ids: number[] } | null;
  ok: boolean;
  bytes: number;
  seconds: number;
  rate_per_s: number;
}

export interface MigrationProgress {
  runId: string;
  phase: MigrationPhase | 'preparing';
  paused: boolean;
  read: number;
  migrated: number;
  duplicatesMerged: number;
  rejected: number;
  changed: number;
  bytes: number;
  fileSize: number;
  verified: number;
  ratePerSecond: number;
  etaSeconds: number | null;
}
