import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { applyLegacyPlan } from '../billing/worker';
import { LEGACY_TIMEZONE } from './legacy-schema';
import type { MappedUser, Reject } from './mapper';

/**
 * A batch's writes, as a handful of multi-row statements (`unnest`) inside the caller's transaction.
 * Every row a user owns is a function of the latest record of that user: when a user row is written, the rows that
 * hang off it are replaced, so an earlier duplicate, a re-run or a resumed run cannot leave anything different.
 *
 * Except for live users (README "Live users: the merge rule"): a user the new bot already served — a row the
 * migration did not write (legacy_source NULL), one merged before (legacy_merges), or one with billing history —
 * is merged, never replaced: the live row wins, the legacy record only fills what the live user lacks, and a legacy
 * paid plan still running is granted on top through the billing ledger. Nothing of a live user is ever deleted.
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
  /** Live users whose subscription a legacy plan extended: their expiry timers are re-armed after the commit. */
  banked: number[];
}

export async function writeBatch(
  tx: DatabaseTransactionConnection,
  batch: BatchWrite,
): Promise<BatchOutcome> {
  const latest = [...new Map(batch.users.map((u) => [u.telegramId, u])).values()];
  const warnings = dropDuplicateCodes(latest);
  const firstSeen = await recordSeen(tx, batch.runId, latest);
  let changed: number;
  let banked: number[] = [];
  if (batch.dryRun) {
    changed = await countWouldChange(tx, batch.source, latest);
  } else {
    const live = await lockLiveUsers(tx, latest);
    const fresh = latest.filter((u) => !live.has(u.telegramId));
    const written = await upsertUsers(tx, batch.source, fresh);
    const byId = new Map(fresh.map((u) => [u.telegramId, u]));
    for (const row of written) {
      if (byId.get(row.telegram_id)?.referralCode && !row.referral_code) warnings.push('referral_code_taken');
    }
    const writtenIds = new Set(written.map((w) => w.telegram_id));
    await replaceOwnedRows(
      tx,
      fresh.filter((u) => writtenIds.has(u.telegramId)),
    );
    const merged = await mergeLiveUsers(
      tx,
      batch.source,
      latest.filter((u) => live.has(u.telegramId)),
      live,
    );
    warnings.push(...merged.warnings);
    banked = merged.banked;
    changed = written.length + merged.merged;
  }
  await insertRejects(tx, batch.runId, batch.rejects);
  return { migrated: firstSeen, duplicatesMerged: batch.users.length - firstSeen, changed, warnings, banked };
}

const liveRow = z.object({
  telegram_id: z.number(),
  legacy_source: z.string().nullable(),
  legacy_position: z.number().nullable(),
  /** Written by a migration and never merged: the earlier run's legacy plan is already in its subscription. */
  legacy_owned: z.boolean(),
  merged: z.boolean(),
  banked_until: z.date().nullable(),
  banked_open_ended: z.boolean(),
  player_id: z.string().nullable(),
  referral_code: z.string().nullable(),
});
type LiveUser = z.infer<typeof liveRow>;

/**
 * The batch's live users, locked: not written by a migration, merged before, or with billing history (payments or
 * subscription events: a migrated user the new bot has since billed is live too).
 */
async function lockLiveUsers(tx: DatabaseTransactionConnection, users: MappedUser[]) {
  if (users.length === 0) return new Map<number, LiveUser>();
  const rows = await tx.any(sql.type(liveRow)`
    SELECT u.telegram_id, u.legacy_source, u.legacy_position,
      (u.legacy_source IS NOT NULL AND m.telegram_id IS NULL) AS legacy_owned, m.telegram_id IS NOT NULL AS merged,
      m.banked_until, COALESCE(m.banked_open_ended, FALSE) AS banked_open_ended,
      f.faceit_player_id AS player_id, u.referral_code
    FROM users u
    LEFT JOIN legacy_merges m ON m.telegram_id = u.telegram_id
    LEFT JOIN faceit_accounts f ON f.telegram_id = u.telegram_id
    WHERE u.telegram_id = ANY(${sql.array(
      users.map((x) => x.telegramId),
      'int8',
    )})
      AND (u.legacy_source IS NULL OR m.telegram_id IS NOT NULL
        OR EXISTS (SELECT 1 FROM subscription_events e WHERE e.telegram_id = u.telegram_id)
        OR EXISTS (SELECT 1 FROM payments p WHERE p.telegram_id = u.telegram_id))
    ORDER BY u.telegram_id
    FOR UPDATE OF u`);
  return new Map(rows.map((r) => [r.telegram_id, r]));
}

/**
 * The merge rule, for live users (their rows are kept; nothing is deleted):
 * - users: language and notifications fill only a setting left at its default (ru, on); total_requests and
 *   last_active_at take the larger, created_at the earlier; the live referral code wins (a legacy one fills a user
 *   without any); legacy_referrals_count (only migrations write it) is the record's.
 * - account: the legacy FACEIT link, its private chat and tracked player only for a user with no link.
 * - usage and referral: added where the user has none for that day / no referrer.
 * - a legacy paid plan still running: its remaining time granted through the ledger (subscription_events keeps it),
 *   once — banked_until remembers how far it was granted.
 * The same record (or an earlier one of the same file) merged again changes nothing: re-runs and resumes are exact.
 */
async function mergeLiveUsers(
  tx: DatabaseTransactionConnection,
  source: string,
  candidates: MappedUser[],
  live: Map<number, LiveUser>,
): Promise<{ merged: number; banked: number[]; warnings: string[] }> {
  const warnings: string[] = [];
  const users = candidates.filter((u) => {
    const l = live.get(u.telegramId)!;
    return !(l.legacy_source === source && l.legacy_position !== null && l.legacy_position >= u.position);
  });
  if (users.length === 0) return { merged: 0, banked: [], warnings };
  const codes = await tx.any(sql.type(
    z.object({ telegram_id: z.number(), referral_code: z.string().nullable() }),
  )`
    UPDATE users u SET
      language = CASE WHEN u.language = 'ru' THEN v.language ELSE u.language END,
      notifications_enabled = u.notifications_enabled AND v.notifications_enabled,
      total_requests = GREATEST(u.total_requests, v.total_requests),
      referral_code = COALESCE(u.referral_code, CASE WHEN NOT EXISTS (SELECT 1 FROM users o
        WHERE o.referral_code = v.referral_code AND o.telegram_id <> v.telegram_id) THEN v.referral_code END),
      legacy_referrals_count = v.legacy_referrals_count,
      created_at = LEAST(u.created_at, v.created_at),
      last_active_at = GREATEST(u.last_active_at, v.last_active_at),
      updated_at = now(), legacy_source = v.legacy_source, legacy_position = v.legacy_position
    FROM ${userTuples(source, users)} AS ${userColumns}
    WHERE u.telegram_id = v.telegram_id
    RETURNING u.telegram_id, u.referral_code`);
  const finalCode = new Map(codes.map((c) => [c.telegram_id, c.referral_code]));
  for (const u of users) {
    warnings.push('live_user_merged');
    const l = live.get(u.telegramId)!;
    if (u.referralCode && finalCode.get(u.telegramId) !== u.referralCode) {
      warnings.push(l.referral_code ? 'legacy_referral_code_kept_live' : 'referral_code_taken');
    }
    if (u.account && l.player_id && l.player_id !== u.account.playerId)
      warnings.push('legacy_account_kept_live');
  }
  await fillMonitoring(
    tx,
    users.filter((u) => u.account && !live.get(u.telegramId)!.player_id),
  );
  await fillUsageAndReferrals(tx, users);
  const banked = await bankLegacyPlans(tx, source, users, live, warnings);
  await tx.query(sql.unsafe`
    INSERT INTO legacy_merges (telegram_id)
    SELECT * FROM ${sql.unnest(
      users.map((u) => [u.telegramId]),
      ['int8'],
    )} AS v(telegram_id)
    ON CONFLICT (telegram_id) DO UPDATE SET updated_at = now()`);
  return { merged: users.length, banked, warnings };
}

/** The legacy link of a live user who has none: account, private chat (a live one is kept) and tracked player. */
async function fillMonitoring(tx: DatabaseTransactionConnection, users: MappedUser[]): Promise<void> {
  const rows = users.map((u) => [
    u.telegramId,
    u.language,
    u.notificationsEnabled,
    u.createdAt,
    u.account!.playerId,
    u.account!.nickname,
    u.account!.cursorMatchId,
  ]);
  if (rows.length === 0) return;
  await tx.query(sql.unsafe`
    WITH v AS (
      SELECT * FROM ${sql.unnest(rows, ['int8', 'text', 'bool', 'timestamptz', 'text', 'text', 'text'])}
        AS v(telegram_id, language, notifications_enabled, created_at, player_id, nickname, cursor)
    ), accounts AS (
      INSERT INTO faceit_accounts (telegram_id, faceit_player_id, nickname, steam_id64, linked_at)
      SELECT telegram_id, player_id, nickname, NULL, created_at FROM v
      ON CONFLICT (telegram_id) DO NOTHING
      RETURNING telegram_id
    ), chats AS (
      INSERT INTO chats (chat_id, type, language, notifications_enabled, created_at)
      SELECT telegram_id, 'private', language, notifications_enabled, created_at FROM v
      WHERE telegram_id IN (SELECT telegram_id FROM accounts)
      ON CONFLICT (chat_id) DO NOTHING
    )
    INSERT INTO tracked_players (chat_id, faceit_player_id, nickname, added_by, cursor_match_id, created_at)
    SELECT telegram_id, player_id, nickname, telegram_id, cursor, created_at FROM v
    WHERE telegram_id IN (SELECT telegram_id FROM accounts)
    ON CONFLICT (chat_id, faceit_player_id) DO NOTHING`);
}

async function fillUsageAndReferrals(tx: DatabaseTransactionConnection, users: MappedUser[]): Promise<void> {
  const usage = users.flatMap((u) => (u.usage ? [[u.telegramId, u.usage.resetAt, u.usage.analyses]] : []));
  if (usage.length) {
    await tx.query(sql.unsafe`
      INSERT INTO daily_usage (telegram_id, day, analyses)
      SELECT v.telegram_id, (v.reset_at AT TIME ZONE ${LEGACY_TIMEZONE})::date, v.analyses
      FROM ${sql.unnest(usage, ['int8', 'timestamptz', 'int4'])} AS v(telegram_id, reset_at, analyses)
      ON CONFLICT (telegram_id, day) DO NOTHING`);
  }
  const referrals = users.flatMap((u) => (u.referredBy ? [[u.telegramId, u.referredBy, u.createdAt]] : []));
  if (referrals.length) {
    await tx.query(sql.unsafe`
      INSERT INTO referrals (referred_id, referrer_id, rewarded_at, created_at)
      SELECT v.referred_id, v.referrer_id, v.created_at, v.created_at
      FROM ${sql.unnest(referrals, ['int8', 'int8', 'timestamptz'])} AS v(referred_id, referrer_id, created_at)
      ON CONFLICT (referred_id) DO NOTHING`);
  }
}

/**
 * Grants each live user's legacy paid plan time not granted yet (through the ledger, so the history shows it) and
 * records how far it reaches. A user an earlier run wrote (legacy-owned) already has that plan: only noted.
 */
async function bankLegacyPlans(
  tx: DatabaseTransactionConnection,
  source: string,
  users: MappedUser[],
  live: Map<number, LiveUser>,
  warnings: string[],
): Promise<number[]> {
  const paid = users.filter((u) => u.subscription && u.subscription.tier !== 'free');
  if (paid.length === 0) return [];
  const untils = await tx.any(sql.type(z.object({ telegram_id: z.number(), until: z.date().nullable() }))`
    SELECT v.telegram_id, v.until FROM ${sql.unnest(
      paid.map((u) => [u.telegramId, u.subscription!.expiresAt]),
      ['int8', 'timestamptz'],
    )} AS v(telegram_id, until)`);
  const untilOf = new Map(untils.map((r) => [r.telegram_id, r.until]));
  const banked: number[] = [];
  for (const u of paid) {
    const l = live.get(u.telegramId)!;
    const plan = u.subscription!.tier as 'premium' | 'pro';
    const until = untilOf.get(u.telegramId) ?? null;
    // An open-ended plan already granted covers everything; a legacy-owned user has the plan in their row.
    const covered = l.legacy_owned || l.banked_open_ended;
    const from = l.banked_until;
    const runs = until === null || until.getTime() > Math.max(Date.now(), from?.getTime() ?? 0);
    if (!covered && runs) {
      await applyLegacyPlan(
        tx,
        { telegramId: u.telegramId, plan, until, from },
        { legacySource: source.slice(0, 16), position: u.position },
      );
      banked.push(u.telegramId);
      warnings.push('legacy_plan_banked');
    }
    await tx.query(sql.unsafe`
      INSERT INTO legacy_merges (telegram_id, banked_until, banked_open_ended)
      VALUES (${u.telegramId}, ${until ? sql.timestamp(until) : null}, ${until === null})
      ON CONFLICT (telegram_id) DO UPDATE SET
        banked_until = GREATEST(legacy_merges.banked_until, EXCLUDED.banked_until),
        banked_open_ended = legacy_merges.banked_open_ended OR EXCLUDED.banked_open_ended, updated_at = now()`);
  }
  return banked;
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
    WHERE (u.legacy_source IS DISTINCT FROM EXCLUDED.legacy_source OR EXCLUDED.legacy_position > u.legacy_position)
      -- Never a live row (one the bot created after the batch looked): it is merged by a later run instead.
      AND u.legacy_source IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM legacy_merges m WHERE m.telegram_id = u.telegram_id)
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
    sql.unsafe`ANALYZE users, faceit_accounts, subscriptions, daily_usage, referrals, chats, tracked_players, legacy_merges`,
  );
}
