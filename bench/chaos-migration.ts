/**
 * The chaos run's `postgres-restart-migration` scenario: a legacy migration of a generated data.json (bench/migration-
 * data.ts) started on the stack's workers, PostgreSQL stopped while it migrates, and afterwards every record of the
 * file accounted for in the database.
 *
 * The row uses the run's columns with records instead of requests:
 *   accepted       records in the file (what the generator wrote)
 *   reported       records imported: users rows written by this file (legacy_source = its SHA-256, counted in the DB)
 *                  + records merged into a later record of the same user
 *   clear_message  records rejected with a reason (rows in migration_rejects for the run, reason not empty)
 *   stuck          records not accounted for because the migration had not finished by the cap
 *   lost           records missing: users of the file not in the DB, fewer merges or rejects than the file has
 *   duplicates     records counted twice: more users / merges / rejects than the file has, or more records read
 *   quota_leaked   not applicable (null)
 *   recovery_s     from PostgreSQL being back until the migration's report
 * and the details of what was compared go into the JSON line.
 */
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '../src/db/pool';
import {
  followLegacyMigration,
  startLegacyMigration,
  type MigrationHandle,
  type MigrationReport,
} from '../src/migration';
import { createTemporalClient } from '../src/temporal/client';
import { writeLegacyFile, type GeneratedFile } from './migration-data';

export interface MigrationCheck {
  records: number;
  users_in_file: number;
  users_in_db: number;
  foreign_rows: number;
  duplicates_in_file: number;
  duplicates_merged: number;
  broken_in_file: number;
  rejects_in_db: number;
  rejects_without_reason: number;
  read: number;
  verified: number;
  mismatches: number;
  invariant_ok: boolean;
  /** Where the migration was when PostgreSQL went away: proves the outage hit it mid-way. */
  phase_at_stop: string;
  position_at_stop: number;
  /** From PostgreSQL back until the migration committed its next batch. */
  next_batch_after_s: number | null;
  /** The whole migration, start to report. */
  seconds: number;
}

/** The columns every chaos row has (the JSON line's shape, `bench/chaos.ts`). */
export interface ChaosFigures {
  accepted: number;
  reported: number;
  clear_message: number;
  stuck: number;
  lost: number;
  duplicates: number;
  quota_leaked: number | null;
  recovery_s: number;
}

export interface MigrationRow extends ChaosFigures {
  quota_leaked: null;
  migration: MigrationCheck;
}

const progressRow = z.object({ phase: z.string().nullable(), position: z.number().nullable() });

export interface ChaosMigration {
  /** Resolves once the migration has committed at least `share` of the file's records (still migrating). */
  reached(share: number, timeoutMs: number): Promise<void>;
  /** What the DB said just before the fault. */
  markStop(): void;
  /** PostgreSQL is back: times the first batch the migration commits after it. */
  markBack(): void;
  /** Waits for the report (at most `capMs` after `liftedAt`) and accounts for every record in the DB. */
  judge(liftedAt: number, capMs: number): Promise<MigrationRow>;
}

export async function startChaosMigration(options: {
  dir: string;
  pool: DatabasePool;
  temporalAddress: string;
  taskQueue: string;
  users: number;
  say: (s: string) => void;
}): Promise<ChaosMigration> {
  const file = join(options.dir, `legacy-${Date.now()}.json`);
  // Ids far from the chaos users' (900 000 000…) and from any other run's.
  const generated: GeneratedFile = writeLegacyFile(file, {
    users: options.users,
    seed: Date.now() % 100_000,
    base: 6_000_000_000 + (Date.now() % 1_000) * 10_000_000,
  });
  options.say(
    `migration: ${generated.records} records (${generated.users} users, ${generated.duplicates} duplicates, ${generated.broken} broken)`,
  );
  const client = await createTemporalClient({ address: options.temporalAddress, namespace: 'default' });
  const runId = `chaos-migration-${Date.now()}`;
  const started = Date.now();
  const { handle } = await startLegacyMigration(
    client,
    { file, batchSize: 1000 },
    { workflowId: runId, taskQueue: options.taskQueue, searchable: false },
  );
  const result: Promise<MigrationReport | Error> = followLegacyMigration(
    handle as MigrationHandle,
    () => {},
  ).catch((err: Error) => err);
  let finishedAt: number | undefined;
  void result.then(() => (finishedAt = Date.now()));
  const progress = async () =>
    (await options.pool
      .maybeOne(
        sql.type(progressRow)`
        SELECT checkpoint->>'phase' AS phase, (checkpoint->>'position')::int AS position
        FROM migration_runs WHERE run_id = ${runId}`,
      )
      .catch(() => null)) ?? { phase: null, position: null };
  let atStop = { phase: 'unknown', position: 0 };
  let lastSeen = atStop;
  let backAt: number | undefined;
  let nextBatchAt: number | undefined;

  return {
    async reached(share, timeoutMs) {
      for (const until = Date.now() + timeoutMs; Date.now() < until;) {
        const p = await progress();
        if (p.phase) lastSeen = { phase: p.phase, position: p.position ?? 0 };
        if (finishedAt || (p.phase && p.phase !== 'migrating')) return;
        if ((p.position ?? 0) >= share * generated.records) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    markStop() {
      atStop = finishedAt ? { phase: 'completed', position: generated.records } : lastSeen;
      options.say(`migration: PostgreSQL stops at ${atStop.phase}, record ${atStop.position}`);
    },
    markBack() {
      backAt = Date.now();
      void (async () => {
        for (const until = backAt + 600_000; Date.now() < until && !nextBatchAt;) {
          const p = await progress();
          if (finishedAt || (p.position ?? 0) > atStop.position || (p.phase && p.phase !== atStop.phase))
            nextBatchAt = Date.now();
          else await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
    },
    async judge(liftedAt, capMs) {
      const outcome = await Promise.race([
        result,
        new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), Math.max(0, liftedAt + capMs - Date.now())),
        ),
      ]);
      await client.connection.close();
      const report = outcome instanceof Error || outcome === undefined ? undefined : outcome;
      if (!report)
        options.say(`migration: no report (${outcome instanceof Error ? outcome.message : 'cap reached'})`);
      const check = await accountInDatabase(options.pool, runId, generated);
      const migration: MigrationCheck = {
        ...check,
        verified: report?.verification?.checked ?? 0,
        mismatches: report?.verification?.mismatches ?? 0,
        invariant_ok: report?.invariant_ok ?? false,
        phase_at_stop: atStop.phase,
        position_at_stop: atStop.position,
        next_batch_after_s: backAt && nextBatchAt ? Math.round((nextBatchAt - backAt) / 100) / 10 : null,
        seconds: Math.round(((finishedAt ?? Date.now()) - started) / 100) / 10,
      };
      const imported = migration.users_in_db + migration.duplicates_merged;
      const rejected = migration.rejects_in_db - migration.rejects_without_reason;
      const missing =
        Math.max(0, migration.users_in_file - migration.users_in_db) +
        Math.max(0, migration.duplicates_in_file - migration.duplicates_merged) +
        Math.max(0, migration.broken_in_file - migration.rejects_in_db);
      return {
        accepted: generated.records,
        reported: imported,
        clear_message: rejected,
        stuck: report ? 0 : missing,
        lost: report ? missing : 0,
        duplicates:
          Math.max(0, migration.users_in_db - migration.users_in_file) +
          migration.foreign_rows +
          Math.max(0, migration.duplicates_merged - migration.duplicates_in_file) +
          Math.max(0, migration.rejects_in_db - migration.broken_in_file) +
          Math.max(0, migration.read - migration.records),
        quota_leaked: null,
        recovery_s: report && finishedAt ? Math.round((finishedAt - liftedAt) / 100) / 10 : -1,
        migration,
      };
    },
  };
}

const n = z.object({ n: z.number() });

/** Counts in the database (not in the workflow's report) what became of the file's records. */
async function accountInDatabase(pool: DatabasePool, runId: string, file: GeneratedFile) {
  const run = await pool.maybeOne(sql.type(
    z.object({ sha: z.string().nullable(), merged: z.number().nullable(), read: z.number().nullable() }),
  )`
    SELECT file_sha256 AS sha, (checkpoint#>>'{counters,duplicatesMerged}')::int AS merged,
           (checkpoint#>>'{counters,read}')::int AS read
    FROM migration_runs WHERE run_id = ${runId}`);
  const usersInDb = await pool.oneFirst(sql.type(n)`
    SELECT count(*)::int AS n FROM users WHERE legacy_source = ${run?.sha ?? ''}`);
  const ofTheFile = await pool.oneFirst(sql.type(n)`
    SELECT count(*)::int AS n FROM users
    WHERE legacy_source = ${run?.sha ?? ''} AND telegram_id = ANY(${sql.array(file.ids, 'int8')})`);
  const rejects = await pool.one(sql.type(z.object({ n: z.number(), blank: z.number() }))`
    SELECT count(*)::int AS n, count(*) FILTER (WHERE btrim(reason) = '')::int AS blank
    FROM migration_rejects WHERE run_id = ${runId}`);
  return {
    records: file.records,
    users_in_file: file.users,
    users_in_db: ofTheFile,
    // A row written by this file under an id the file does not hold: a record imported wrongly, counted as a duplicate.
    foreign_rows: usersInDb - ofTheFile,
    duplicates_in_file: file.duplicates,
    duplicates_merged: run?.merged ?? 0,
    broken_in_file: file.broken,
    rejects_in_db: rejects.n,
    rejects_without_reason: rejects.blank,
    read: run?.read ?? 0,
  };
}
