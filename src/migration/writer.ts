import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { LEGACY_TIMEZONE } from './legacy-schema';
import type { MappedUser, Reject } from './mapper';

/**
 * A batch's writes, as a handful of multi-row statements (`unnest`) inside the caller's transaction.
 * Every row a user owns is a function of the latest record of that user: when a user row is written, the rows that
 * hang off it are replaced, so an earlier duplicate, a re-run or a resumed run cannot leave anything different.
 */

export interface BatchWrite {
  runId: string;
  /** SHA-256 of the file: the legacy_source of every user this run writes. */
  source: string;
  dryRun: boolean;
  users: MappedUser[];
  rejects: Reject[];
}

export interface BatchOutcome {
  migrated: number;
  duplicatesMerged: number;
  changed: number;
  warnings: string[];
}

export async function writeBatch(
  tx: DatabaseTransactionConnection,
  batch: BatchWrite,
): Promise<BatchOutcome> {
  const latest = [...new Map(batch.users.map((u) => [u.telegramId, u])).values()];
  const warnings = dropDuplicateCodes(latest);
  const firstSeen = await recordSeen(tx, batch.runId, latest);
  let changed: number;
  if (batch.dryRun) {
    changed = await countWouldChange(tx, batch.source, latest);
  } else {
    const written = await upsertUsers(tx, batch.source, latest);
    const byId = new Map(latest.map((u) => [u.telegramId, u]));
    for (const row of written) {
      if (byId.get(row.telegram_id)?.referralCode && !row.referral_code) warnings.push('referral_code_taken');
    }
    const writtenIds = new Set(written.map((w) => w.telegram_id));
    await replaceOwnedRows(
      tx,
      latest.filter((u) => writtenIds.has(u.telegramId)),
    );
    changed = written.length;
  }
  await insertRejects(tx, batch.runId, batch.rejects);
  return { migrated: firstSeen, duplicatesMerged: batch.users.length - firstSeen, changed, warnings };
}

/** Two users of one batch with one code: the earlier keeps it (the legacy bot found the first one). */
function dropDuplicateCodes(users: MappedUser[]): string[] {
  const holders = new Set<string>();
  const warnings: string[] = [];
  for (const user of [...users].sort((a, b) => a.position - b.position)) {
    if (!user.referralCode) continue;
    if (holders.has(user.referralCode)) {
      user.referralCode = null;
      warnings.push('referral_code_taken');
    } else holders.add(user.referralCode);
  }
  return warnings;
}

/** Notes each user id this run has read; returns how many are new to the run (the rest are duplicates). */
async function recordSeen(
  tx: DatabaseTransactionConnection,
  runId: string,
  users: MappedUser[],
): Promise<number> {
  if (users.length === 0) return 0;
  const rows = users.map((u) => [u.telegramId, u.position, u.referredBy]);
  const inserted = await tx.anyFirst(sql.type(z.object({ inserted: z.boolean() }))`
    INSERT INTO migration_seen (run_id, telegram_id, position, referred_by)
    SELECT ${runId}, v.* FROM ${sql.unnest(rows, ['int8', 'int4', 'int8'])} AS v(telegram_id, position, referred_by)
    ON CONFLICT (run_id, telegram_id) DO UPDATE SET position = EXCLUDED.position, referred_by = EXCLUDED.referred_by
    RETURNING (xmax = 0) AS inserted`);
  return inserted.filter(Boolean).length;
}

function userTuples(source: string, users: MappedUser[]) {
  return sql.unnest(
    users.map((u) => [
      u.telegramId,
      u.language,
      u.notificationsEnabled,
      u.awaitingNickname,
      u.totalRequests,
      u.referralCode,
      u.legacyReferralsCount,
      u.createdAt,
      u.lastActiveAt,
      source,
      u.position,
    ]),
    ['int8', 'text', 'bool', 'bool', 'int4', 'text', 'int4', 'timestamptz', 'timestamptz', 'text', 'int4'],
  );
}
const userColumns = sql.fragment`v(telegram_id, language, notifications_enabled, awaiting_nickname, total_requests,
  referral_code, legacy_referrals_count, created_at, last_active_at, legacy_source, legacy_position)`;

async function countWouldChange(tx: DatabaseTransactionConnection, source: string, users: MappedUser[]) {
  if (users.length === 0) return 0;
  return tx.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT count(*)::int AS count FROM ${userTuples(source, users)} AS ${userColumns}
    LEFT JOIN users u ON u.telegram_id = v.telegram_id
    WHERE u.telegram_id IS NULL OR u.legacy_source IS DISTINCT FROM v.legacy_source
      OR v.legacy_position > u.legacy_position`);
}

/** Returns the users actually written, with the referral code they ended up with (a code held by another is not taken). */
async function upsertUsers(tx: DatabaseTransactionConnection, source: string, users: MappedUser[]) {
  if (users.length === 0) return [];
  return tx.any(sql.type(z.object({ telegram_id: z.number(), referral_code: z.string().nullable() }))`
    INSERT INTO users AS u (telegram_id, language, notifications_enabled, awaiting_nickname, total_requests,
      referral_code, legacy_referrals_count, created_at, last_active_at, updated_at, legacy_source, legacy_position)
    SELECT v.telegram_id, v.language, v.notifications_enabled, v.awaiting_nickname, v.total_requests,
      CASE WHEN NOT EXISTS (SELECT 1 FROM users o WHERE o.referral_code = v.referral_code
                            AND o.telegram_id <> v.telegram_id) THEN v.referral_code END,
      v.legacy_referrals_count, v.created_at, v.last_active_at, GREATEST(v.created_at, v.last_active_at),
      v.legacy_source, v.legacy_position
    FROM ${userTuples(source, users)} AS ${userColumns}
    ON CONFLICT (telegram_id) DO UPDATE SET
      language = EXCLUDED.language, notifications_enabled = EXCLUDED.notifications_enabled,
      awaiting_nickname = EXCLUDED.awaiting_nickname, total_requests = EXCLUDED.total_requests,
      referral_code = EXCLUDED.referral_code, legacy_referrals_count = EXCLUDED.legacy_referrals_count,
      created_at = EXCLUDED.created_at, last_active_at = EXCLUDED.last_active_at, updated_at = EXCLUDED.updated_at,
      legacy_source = EXCLUDED.legacy_source, legacy_position = EXCLUDED.legacy_position
    -- Same file and not a later record than the one stored: nothing to change (re-runs, resumed runs).
    WHERE u.legacy_source IS DISTINCT FROM EXCLUDED.legacy_source OR EXCLUDED.legacy_position > u.legacy_position
    RETURNING u.telegram_id, u.referral_code`);
}

/** Accounts, subscriptions, usage, referral and the monitoring chat of written users: replaced, not merged. */
async function replaceOwnedRows(tx: DatabaseTransactionConnection, users: MappedUser[]): Promise<void> {
  if (users.length === 0) return;
  const idsWhere = (has: (u: MappedUser) => boolean) =>
    sql.array(
      users.filter(has).map((u) => u.telegramId),
      'int8',
    );
  const unlinked = idsWhere((u) => !u.account);
  // One statement: the deletions touch disjoint rows, so running them side by side (CTEs) is safe.
  await tx.query(sql.unsafe`
    WITH accounts AS (DELETE FROM faceit_accounts WHERE telegram_id = ANY(${unlinked})),
      chats AS (DELETE FROM chats WHERE chat_id = ANY(${unlinked})),
      tracked AS (DELETE FROM tracked_players WHERE chat_id = ANY(${idsWhere((u) => Boolean(u.account))})),
      subscriptions AS (DELETE FROM subscriptions WHERE telegram_id = ANY(${idsWhere((u) => !u.subscription)})),
      usage AS (DELETE FROM daily_usage WHERE telegram_id = ANY(${idsWhere(() => true)}))
    DELETE FROM referrals WHERE referred_id = ANY(${idsWhere((u) => !u.referredBy)})`);
  await writeMonitoring(tx, users);
  await insertSubscriptions(tx, users);
  await insertUsage(tx, users);
  await insertReferrals(tx, users);
}

/**
 * The legacy bot watched every linked user's matches and messaged them privately: a private chat plus a tracked
 * player with the legacy cursor. notifications_enabled carries over to the chat, so the cursor is kept either way.
 */
async function writeMonitoring(tx: DatabaseTransactionConnection, users: MappedUser[]): Promise<void> {
  const rows = users.flatMap((u) =>
    u.account
      ? [
          [
            u.telegramId,
            u.language,
            u.notificationsEnabled,
            u.createdAt,
            u.account.playerId,
            u.account.nickname,
            u.account.cursorMatchId,
          ],
        ]
      : [],
  );
  if (rows.length === 0) return;
  await tx.query(sql.unsafe`
    WITH v AS (
      SELECT * FROM ${sql.unnest(rows, ['int8', 'text', 'bool', 'timestamptz', 'text', 'text', 'text'])}
        AS v(telegram_id, language, notifications_enabled, created_at, player_id, nickname, cursor)
    ), accounts AS (
      INSERT INTO faceit_accounts (telegram_id, faceit_player_id, nickname, steam_id64, linked_at)
      SELECT telegram_id, player_id, nickname, NULL, created_at FROM v
      ON CONFLICT (telegram_id) DO UPDATE SET faceit_player_id = EXCLUDED.faceit_player_id,
        nickname = EXCLUDED.nickname, steam_id64 = NULL, linked_at = EXCLUDED.linked_at
    ), chats AS (
      INSERT INTO chats (chat_id, type, language, notifications_enabled, created_at)
      SELECT telegram_id, 'private', language, notifications_enabled, created_at FROM v
      ON CONFLICT (chat_id) DO UPDATE SET type = 'private', language = EXCLUDED.language,
        notifications_enabled = EXCLUDED.notifications_enabled, created_at = EXCLUDED.created_at
    )
    INSERT INTO tracked_players (chat_id, faceit_player_id, nickname, added_by, cursor_match_id, created_at)
    SELECT telegram_id, player_id, nickname, telegram_id, cursor, created_at FROM v`);
}

async function insertSubscriptions(tx: DatabaseTransactionConnection, users: MappedUser[]): Promise<void> {
  const rows = users.flatMap(({ telegramId, subscription: s }) =>
    s ? [[telegramId, s.tier, s.expiresAt, s.autoRenew, s.source]] : [],
  );
  if (rows.length === 0) return;
  await tx.query(sql.unsafe`
    INSERT INTO subscriptions (telegram_id, tier, expires_at, auto_renew, source, updated_at)
    SELECT v.*, u.updated_at
    FROM ${sql.unnest(rows, ['int8', 'text', 'timestamptz', 'bool', 'text'])}
      AS v(telegram_id, tier, expires_at, auto_renew, source)
    JOIN users u USING (telegram_id)
    ON CONFLICT (telegram_id) DO UPDATE SET tier = EXCLUDED.tier, expires_at = EXCLUDED.expires_at,
      auto_renew = EXCLUDED.auto_renew, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at`);
}

/** The legacy counter belongs to the day of last_reset_date (a Moscow calendar day). */
async function insertUsage(tx: DatabaseTransactionConnection, users: MappedUser[]): Promise<void> {
  const rows = users.flatMap((u) => (u.usage ? [[u.telegramId, u.usage.resetAt, u.usage.analyses]] : []));
  if (rows.length === 0) return;
  await tx.query(sql.unsafe`
    INSERT INTO daily_usage (telegram_id, day, analyses)
    SELECT v.telegram_id, (v.reset_at AT TIME ZONE ${LEGACY_TIMEZONE})::date, v.analyses
    FROM ${sql.unnest(rows, ['int8', 'timestamptz', 'int4'])} AS v(telegram_id, reset_at, analyses)`);
}

/**
 * A referrer absent from the file stays as it is (no foreign key on referrer_id), reported at the end. The legacy
 * bot credited referral bonuses on the spot: rewarded_at marks them as paid, so none is paid twice.
 */
async function insertReferrals(tx: DatabaseTransactionConnection, users: MappedUser[]): Promise<void> {
  const rows = users.flatMap((u) => (u.referredBy ? [[u.telegramId, u.referredBy, u.createdAt]] : []));
  if (rows.length === 0) return;
  await tx.query(sql.unsafe`
    INSERT INTO referrals (referred_id, referrer_id, rewarded_at, created_at)
    SELECT v.referred_id, v.referrer_id, v.created_at, v.created_at
    FROM ${sql.unnest(rows, ['int8', 'int8', 'timestamptz'])} AS v(referred_id, referrer_id, created_at)
    ON CONFLICT (referred_id) DO UPDATE SET referrer_id = EXCLUDED.referrer_id, code = NULL,
      rewarded_at = EXCLUDED.rewarded_at, created_at = EXCLUDED.created_at`);
}

async function insertRejects(tx: DatabaseTransactionConnection, runId: string, rejects: Reject[]) {
  if (rejects.length === 0) return;
  const rows = rejects.map((r) => [
    r.position,
    r.offset,
    // Whole, however long: the reject is what an operator repairs and re-imports (PostgreSQL text cannot hold NUL).
    r.raw.replaceAll('\u0000', '\\u0000'),
    r.reason,
  ]);
  await tx.query(sql.unsafe`
    INSERT INTO migration_rejects (run_id, position, byte_offset, raw, reason)
    SELECT ${runId}, v.* FROM ${sql.unnest(rows, ['int4', 'int8', 'text', 'text'])} AS v(position, byte_offset, raw, reason)
    ON CONFLICT (run_id, position) DO NOTHING`);
}

export async function analyzeMigratedTables(tx: DatabaseTransactionConnection): Promise<void> {
  await tx.query(
    sql.unsafe`ANALYZE users, faceit_accounts, subscriptions, daily_usage, referrals, chats, tracked_players`,
  );
}
