import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import { LEGACY_TIMEZONE } from './legacy-schema';
import type { MappedUser } from './mapper';

/**
 * The verification pass: the file is read again and every record that won for its user (the latest one, as
 * migration_seen remembers) is compared column by column with what the database holds now.
 */

/**
 * A live user merged with the record (writer.ts, the merge rule): their own values stand, so what is checked is
 * that nothing the record had was dropped — each has a counterpart (the live one or the legacy one).
 */
function mergedMismatch(source: string) {
  return sql.fragment`u.telegram_id IS NULL
      OR (u.legacy_source, u.legacy_position, u.legacy_referrals_count)
         IS DISTINCT FROM (${source}, v.position, v.legacy_referrals_count)
      OR u.total_requests < v.total_requests OR u.created_at > v.created_at
      OR (v.last_active_at IS NOT NULL AND NOT u.last_active_at >= v.last_active_at)
      OR (v.language <> 'ru' AND u.language = 'ru') OR (NOT v.notifications_enabled AND u.notifications_enabled)
      OR (v.referral_code IS NOT NULL AND u.referral_code IS NULL
          AND NOT EXISTS (SELECT 1 FROM users o WHERE o.referral_code = v.referral_code))
      OR (v.player_id IS NOT NULL AND f.telegram_id IS NULL)
      OR (v.referred_by IS NOT NULL AND r.referred_id IS NULL)
      OR (v.analyses IS NOT NULL AND d.telegram_id IS NULL)
      OR (v.tier IN ('premium', 'pro') AND NOT (m.banked_open_ended
          OR (v.expires_at IS NOT NULL AND m.banked_until >= v.expires_at)))`;
}

/**
 * Compares the records among `users` that won for their user in this run (migration_seen has their position)
 * with the database; returns how many were compared and the ids whose rows differ (missing counts as different).
 */
export async function verifyWinners(
  db: CommonQueryMethods,
  run: { runId: string; source: string },
  users: MappedUser[],
): Promise<{ checked: number; mismatched: number[] }> {
  if (users.length === 0) return { checked: 0, mismatched: [] };
  const expected = sql.unnest(
    users.map((u) => [
      u.telegramId,
      u.position,
      u.language,
      u.notificationsEnabled,
      u.awaitingNickname,
      u.totalRequests,
      u.referralCode,
      u.legacyReferralsCount,
      u.createdAt,
      u.lastActiveAt,
      u.account?.playerId ?? null,
      u.account?.nickname ?? null,
      u.account?.cursorMatchId ?? null,
      u.subscription?.tier ?? null,
      u.subscription?.expiresAt ?? null,
      u.subscription?.autoRenew ?? null,
      u.subscription?.source ?? null,
      u.usage?.resetAt ?? null,
      u.usage?.analyses ?? null,
      u.referredBy,
    ]),
    [
      ...['int8', 'int4', 'text', 'bool', 'bool', 'int4', 'text', 'int4', 'timestamptz', 'timestamptz'],
      ...['text', 'text', 'text', 'text', 'timestamptz', 'bool', 'text', 'timestamptz', 'int4', 'int8'],
    ],
  );
  const rows = await db.any(sql.type(z.object({ telegram_id: z.number(), mismatch: z.boolean() }))`
    SELECT v.telegram_id, CASE WHEN m.telegram_id IS NOT NULL THEN COALESCE(${mergedMismatch(run.source)}, TRUE)
    ELSE COALESCE(u.telegram_id IS NULL
      OR (u.legacy_source, u.legacy_position, u.language, u.notifications_enabled, u.awaiting_nickname,
          u.total_requests, u.legacy_referrals_count, u.created_at, u.last_active_at)
         IS DISTINCT FROM (${run.source}, v.position, v.language, v.notifications_enabled, v.awaiting_nickname,
          v.total_requests, v.legacy_referrals_count, v.created_at, v.last_active_at)
      -- A code already held by another user is dropped on purpose (reported as referral_code_taken).
      OR (u.referral_code IS DISTINCT FROM v.referral_code
          AND NOT (u.referral_code IS NULL AND EXISTS (SELECT 1 FROM users o WHERE o.referral_code = v.referral_code)))
      OR (f.faceit_player_id, f.nickname) IS DISTINCT FROM (v.player_id, v.nickname)
      OR (s.tier, s.expires_at, s.auto_renew, s.source) IS DISTINCT FROM (v.tier, v.expires_at, v.auto_renew, v.source)
      OR r.referrer_id IS DISTINCT FROM v.referred_by
      OR (v.player_id IS NOT NULL AND (c.chat_id IS NULL OR t.chat_id IS NULL
          OR c.notifications_enabled <> v.notifications_enabled OR t.nickname IS DISTINCT FROM v.nickname
          OR t.cursor_match_id IS DISTINCT FROM v.cursor))
      OR (v.analyses IS NOT NULL AND d.analyses IS DISTINCT FROM v.analyses), TRUE) END AS mismatch
    FROM ${expected} AS v(telegram_id, position, language, notifications_enabled, awaiting_nickname, total_requests,
      referral_code, legacy_referrals_count, created_at, last_active_at, player_id, nickname, cursor,
      tier, expires_at, auto_renew, source, reset_at, analyses, referred_by)
    -- Only the record that won for its user is compared; earlier duplicates are superseded.
    JOIN migration_seen w ON w.run_id = ${run.runId} AND w.telegram_id = v.telegram_id AND w.position = v.position
    LEFT JOIN users u ON u.telegram_id = v.telegram_id
    LEFT JOIN faceit_accounts f ON f.telegram_id = v.telegram_id
    LEFT JOIN subscriptions s ON s.telegram_id = v.telegram_id
    LEFT JOIN referrals r ON r.referred_id = v.telegram_id
    LEFT JOIN chats c ON c.chat_id = v.telegram_id
    LEFT JOIN tracked_players t ON t.chat_id = v.telegram_id AND t.faceit_player_id = v.player_id
    LEFT JOIN legacy_merges m ON m.telegram_id = v.telegram_id
    LEFT JOIN daily_usage d ON d.telegram_id = v.telegram_id
      AND d.day = (v.reset_at AT TIME ZONE ${LEGACY_TIMEZONE})::date
    ORDER BY v.telegram_id`);
  return { checked: rows.length, mismatched: rows.filter((r) => r.mismatch).map((r) => r.telegram_id) };
}
