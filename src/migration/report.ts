import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import type { RunRow } from './runs';
import type { MigrationCheckpoint, MigrationReport } from './types';

const MAX_LISTED_IDS = 20;

/** The end-of-run checks and report: invariant, distinct users, referrers absent from the file. */
export async function buildReport(
  tx: DatabaseTransactionConnection,
  run: RunRow,
  checkpoint: MigrationCheckpoint,
): Promise<MigrationReport> {
  const distinctUsers = await tx.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT count(*)::int AS count FROM migration_seen WHERE run_id = ${run.run_id}`);
  // A referrer is dangling when no record of the file has its id; it is kept as it is, never invented.
  const dangling = await tx.anyFirst(sql.type(z.object({ referred_by: z.number() }))`
    SELECT DISTINCT s.referred_by FROM migration_seen s
    WHERE s.run_id = ${run.run_id} AND s.referred_by IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM migration_seen o WHERE o.run_id = s.run_id AND o.telegram_id = s.referred_by)
    ORDER BY s.referred_by`);
  const c = checkpoint.counters;
  const invariantOk = c.read === c.migrated + c.duplicatesMerged + c.rejected && c.migrated === distinctUsers;
  const verification = run.dry_run
    ? null
    : {
        checked: checkpoint.verify.checked,
        mismatches: checkpoint.verify.mismatches,
        sample_ids: checkpoint.verify.sampleIds,
      };
  const seconds = Math.max(0.001, (Date.now() - run.started_at.getTime()) / 1000);
  return {
    run_id: run.run_id,
    file: run.file_path,
    file_sha256: checkpoint.fileSha256,
    dry_run: run.dry_run,
    read: c.read,
    migrated: c.migrated,
    duplicates_merged: c.duplicatesMerged,
    rejected: c.rejected,
    changed: c.changed,
    dangling_referrers: dangling.length,
    dangling_referrer_ids: dangling.slice(0, MAX_LISTED_IDS),
    warnings: checkpoint.warnings,
    invariant_ok: invariantOk,
    verification,
    ok:
      invariantOk &&
      (verification === null || (verification.mismatches === 0 && verification.checked === distinctUsers)),
    bytes: checkpoint.fileSize,
    seconds: Math.round(seconds * 1000) / 1000,
    rate_per_s: Math.round(c.read / seconds),
  };
}

export function formatReport(report: MigrationReport): string {
  const lines = [
    `Migration ${report.run_id}${report.dry_run ? ' (dry run: nothing written)' : ''} of ${report.file}`,
    `  read ${report.read} = migrated ${report.migrated} + duplicates merged ${report.duplicates_merged} + rejected ${report.rejected}: ${report.invariant_ok ? 'OK' : 'MISMATCH'}`,
    `  users written or changed: ${report.changed}`,
    `  dangling referrers (not in the file, kept as they are): ${report.dangling_referrers}${report.dangling_referrer_ids.length ? ` [${report.dangling_referrer_ids.join(', ')}]` : ''}`,
  ];
  if (report.verification) {
    const v = report.verification;
    lines.push(
      `  verification: ${v.checked} users compared with the file, ${v.mismatches} mismatches${v.sample_ids.length ? ` [${v.sample_ids.join(', ')}]` : ''}`,
    );
  }
  const warnings = Object.entries(report.warnings).sort(([a], [b]) => a.localeCompare(b));
  if (warnings.length) lines.push(`  mapped by rule: ${warnings.map(([k, n]) => `${k}=${n}`).join(', ')}`);
  if (report.rejected)
    lines.push(`  rejects: SELECT position, reason FROM migration_rejects WHERE run_id = '${report.run_id}'`);
  lines.push(
    `  ${report.bytes} bytes in ${report.seconds} s (${report.rate_per_s} records/s): ${report.ok ? 'OK' : 'FAILED'}`,
  );
  return lines.join('\n');
}
