/**
 * The clean-up's SQL: one statement per table that grows per event, each deleting at most `limit` rows older than
 * `days` days (by the column that says when the row stopped mattering). Payments, the ledger (`subscription_events`,
 * `subscriptions`), referrals and their one-reward-per-player records are never touched here.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export const RETENTION_TABLES = [
  'admin_audit_log',
  'notifications_sent',
  'analysis_requests',
  'match_analyses',
  'analysis_player_inputs',
  'player_elo_snapshots',
  'broadcasts',
  'billing_notices',
  'daily_usage',
] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

const deletedRow = z.object({ n: z.number() });

/** Deletes one batch; resolves with the number of rows deleted. */
export async function pruneBatch(
  pool: DatabasePool,
  table: RetentionTable,
  days: number,
  limit: number,
): Promise<number> {
  const cutoff = sql.fragment`now() - make_interval(days => ${days})`;
  const q = {
    admin_audit_log: sql.type(deletedRow)`
      WITH d AS (DELETE FROM admin_audit_log WHERE id IN (
        SELECT id FROM admin_audit_log WHERE created_at < ${cutoff} ORDER BY id LIMIT ${limit}) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    // Send claims: the dedupe key of a message already sent; nothing asks to send about a match this old again.
    notifications_sent: sql.type(deletedRow)`
      WITH d AS (DELETE FROM notifications_sent WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM notifications_sent WHERE claimed_at < ${cutoff} LIMIT ${limit})) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    // Settled requests only: a pending one is the reconciler's (it settles them within minutes).
    analysis_requests: sql.type(deletedRow)`
      WITH d AS (DELETE FROM analysis_requests WHERE id IN (
        SELECT id FROM analysis_requests WHERE created_at < ${cutoff} AND status <> 'pending'
        ORDER BY id LIMIT ${limit}) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    // Stored analyses with their predictions and outcomes (/accuracy counts what is kept); never a running one.
    match_analyses: sql.type(deletedRow)`
      WITH d AS (DELETE FROM match_analyses WHERE match_id IN (
        SELECT match_id FROM match_analyses WHERE started_at < ${cutoff} AND status <> 'running'
        LIMIT ${limit}) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    analysis_player_inputs: sql.type(deletedRow)`
      WITH d AS (DELETE FROM analysis_player_inputs WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM analysis_player_inputs WHERE created_at < ${cutoff} LIMIT ${limit})) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    player_elo_snapshots: sql.type(deletedRow)`
      WITH d AS (DELETE FROM player_elo_snapshots WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM player_elo_snapshots WHERE observed_at < ${cutoff} LIMIT ${limit})) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    // Finished (or discarded) broadcasts; their delivery rows go with them (ON DELETE CASCADE).
    broadcasts: sql.type(deletedRow)`
      WITH d AS (DELETE FROM broadcasts WHERE id IN (
        SELECT id FROM broadcasts
        WHERE status IN ('completed', 'cancelled', 'failed', 'discarded')
          AND COALESCE(finished_at, created_at) < ${cutoff}
        ORDER BY id LIMIT ${limit}) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    billing_notices: sql.type(deletedRow)`
      WITH d AS (DELETE FROM billing_notices WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM billing_notices WHERE claimed_at < ${cutoff} LIMIT ${limit})) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
    daily_usage: sql.type(deletedRow)`
      WITH d AS (DELETE FROM daily_usage WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM daily_usage WHERE day < (${cutoff})::date LIMIT ${limit})) RETURNING 1)
      SELECT count(*)::int AS n FROM d`,
  }[table];
  return pool.oneFirst(q);
}
