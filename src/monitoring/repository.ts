import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

/**
 * Monitoring's SQL: tracked players and their per-chat cursors, per-player polling state (player_watch), the
 * notification claims that make delivery exactly-once, and blocked chats.
 *
 * A chat is *active* when its notifications are on (and, for a private chat, the user's too) and it has not blocked
 * the bot. A private chat marked blocked counts as unblocked again once the user has been active after the block
 * (users.touch clears users.blocked_at and bumps last_active_at on every update).
 */

const ACTIVE = sql.fragment`(
  c.notifications_enabled AND COALESCE(u.notifications_enabled, TRUE) AND u.blocked_at IS NULL
  AND (c.blocked_at IS NULL OR (u.last_active_at IS NOT NULL AND u.last_active_at > c.blocked_at)))`;
const USER_OF_CHAT = sql.fragment`LEFT JOIN users u ON c.type = 'private' AND u.telegram_id = c.chat_id`;

export const chatTrackingRow = z.object({
  chat_id: z.number(),
  nickname: z.string().nullable(),
  cursor_match_id: z.string().nullable(),
  cursor_finished_at: z.date().nullable(),
  last_checked_at: z.date().nullable(),
  locale: z.enum(['ru', 'en']),
  active: z.boolean(),
  /** Pre-match briefs wanted (src/briefs). */
  auto_brief: z.boolean(),
});
export type ChatTracking = z.infer<typeof chatTrackingRow>;

export const trackedRow = z.object({
  faceit_player_id: z.string(),
  nickname: z.string().nullable(),
  created_at: z.date(),
  last_played_at: z.date().nullable(),
});
export type TrackedRow = z.infer<typeof trackedRow>;

const watchRow = z.object({
  last_match_id: z.string().nullable(),
  last_played_at: z.date().nullable(),
  failures: z.number(),
  has_snapshot: z.boolean(),
});

const idRow = z.object({ faceit_player_id: z.string() });
const countRow = z.object({ n: z.number() });
const eloRow = z.object({ elo: z.number(), observed_at: z.date() });

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export function createMonitoringRepository(pool: DatabasePool) {
  return {
    pool,

    // ---------------------------------------------------------------- chats and the tracked list (commands)

    /** Registers the chat (or refreshes its title); a command from the chat also proves the bot is not blocked. */
    async upsertChat(chat: { chatId: number; type: ChatType; title?: string | null; language: 'ru' | 'en' }) {
      await pool.query(sql.unsafe`
        INSERT INTO chats (chat_id, type, title, language) VALUES (${chat.chatId}, ${chat.type}, ${chat.title ?? null}, ${chat.language})
        ON CONFLICT (chat_id) DO UPDATE SET type = EXCLUDED.type, title = EXCLUDED.title, blocked_at = NULL`);
    },

    chatLocale(chatId: number) {
      return pool.maybeOneFirst(sql.type(z.object({ locale: z.enum(['ru', 'en']) }))`
        SELECT CASE WHEN c.type = 'private' THEN COALESCE(u.language, c.language) ELSE c.language END AS locale
        FROM chats c ${USER_OF_CHAT} WHERE c.chat_id = ${chatId}`);
    },

    chatActive(chatId: number) {
      return pool.maybeOneFirst(sql.type(z.object({ active: z.boolean() }))`
        SELECT ${ACTIVE} AS active FROM chats c ${USER_OF_CHAT} WHERE c.chat_id = ${chatId}`);
    },

    async setChatBlocked(chatId: number, blocked: boolean) {
      await pool.query(sql.unsafe`
        UPDATE chats SET blocked_at = ${blocked ? sql.fragment`now()` : null} WHERE chat_id = ${chatId}`);
    },

    /** Telegram said 403 (or the chat is gone): stop notifying it; a private chat's user is marked blocked too. */
    async markChatBlocked(chatId: number) {
      await pool.transaction(async (tx) => {
        await tx.query(sql.unsafe`UPDATE chats SET blocked_at = now() WHERE chat_id = ${chatId}`);
        if (chatId > 0)
          await tx.query(sql.unsafe`UPDATE users SET blocked_at = now() WHERE telegram_id = ${chatId}`);
      });
    },

    /**
     * Adds the player to the chat's list (at most `cap` players) and makes sure they are polled. Answers `created`,
     * `exists` (already tracked; the nickname is refreshed) or `full`. The cap is enforced in SQL under a per-chat
     * advisory lock, so concurrent /track commands cannot push a chat past it.
     */
    async track(
      chatId: number,
      player: { playerId: string; nickname: string },
      addedBy: number | null,
      cap: number,
    ): Promise<'created' | 'exists' | 'full'> {
      return pool.transaction(async (tx) => {
        await tx.query(
          sql.unsafe`SELECT pg_advisory_xact_lock(hashtext('tracked_players'), hashtext(${String(chatId)}))`,
        );
        const created = await tx.maybeOneFirst(sql.type(z.object({ created: z.boolean() }))`
          INSERT INTO tracked_players (chat_id, faceit_player_id, nickname, added_by)
          SELECT ${chatId}, ${player.playerId}, ${player.nickname}, ${addedBy}
          WHERE EXISTS (SELECT 1 FROM tracked_players WHERE chat_id = ${chatId} AND faceit_player_id = ${player.playerId})
             OR (SELECT count(*) FROM tracked_players WHERE chat_id = ${chatId}) < ${cap}
          ON CONFLICT (chat_id, faceit_player_id) DO UPDATE SET nickname = EXCLUDED.nickname
          RETURNING (xmax = 0) AS created`);
        if (created === null) return 'full';
        await tx.query(sql.unsafe`
          INSERT INTO player_watch (faceit_player_id, next_check_at) VALUES (${player.playerId}, now())
          ON CONFLICT (faceit_player_id) DO NOTHING`);
        return created ? 'created' : 'exists';
      });
    },

    /** Removes the player from the chat's list; the player's polling state goes with the last chat tracking them. */
    async untrack(chatId: number, playerId: string): Promise<boolean> {
      return pool.transaction(async (tx) => {
        const removed = await tx.query(sql.unsafe`
          DELETE FROM tracked_players WHERE chat_id = ${chatId} AND faceit_player_id = ${playerId}`);
        await tx.query(sql.unsafe`
          DELETE FROM player_watch w WHERE w.faceit_player_id = ${playerId}
            AND NOT EXISTS (SELECT 1 FROM tracked_players t WHERE t.faceit_player_id = w.faceit_player_id)`);
        return removed.rowCount > 0;
      });
    },

    listTracked(chatId: number) {
      return pool.any(sql.type(trackedRow)`
        SELECT t.faceit_player_id, t.nickname, t.created_at, w.last_played_at
        FROM tracked_players t LEFT JOIN player_watch w USING (faceit_player_id)
        WHERE t.chat_id = ${chatId} ORDER BY t.created_at, t.faceit_player_id`);
    },

    countTracked(chatId: number) {
      return pool.oneFirst(
        sql.type(countRow)`SELECT count(*)::int AS n FROM tracked_players WHERE chat_id = ${chatId}`,
      );
    },

    // ---------------------------------------------------------------- scheduling (player_watch)

    /**
     * Housekeeping at the start of a cycle: every tracked player gets a polling row (tracked_players filled by the
     * legacy migration has none), and rows of players nobody tracks any more go.
     */
    async syncWatches(): Promise<{ added: number; removed: number }> {
      const added = await pool.query(sql.unsafe`
        INSERT INTO player_watch (faceit_player_id)
        SELECT DISTINCT t.faceit_player_id FROM tracked_players t
        WHERE NOT EXISTS (SELECT 1 FROM player_watch w WHERE w.faceit_player_id = t.faceit_player_id)
        ON CONFLICT DO NOTHING`);
      const removed = await pool.query(sql.unsafe`
        DELETE FROM player_watch w
        WHERE NOT EXISTS (SELECT 1 FROM tracked_players t WHERE t.faceit_player_id = w.faceit_player_id)`);
      return { added: added.rowCount, removed: removed.rowCount };
    },

    /** Players due now. */
    countDue() {
      return pool.oneFirst(sql.type(countRow)`
        SELECT count(*)::int AS n FROM player_watch w WHERE w.next_check_at <= now()`);
    },

    /**
     * Claims up to `limit` due players, most overdue first, by moving their next check `leaseMs` ahead: a second
     * cycle (or a worker retrying) does not take them again until the lease runs out or the check sets the real
     * next time. SKIP LOCKED keeps concurrent claimers apart. Players whose chats are all muted or blocked are
     * claimed too (at the dormant cadence, see check.ts), so their cursors move on silently.
     */
    claimDue(limit: number, leaseMs: number) {
      return pool.anyFirst(sql.type(idRow)`
        WITH due AS (
          SELECT w.faceit_player_id FROM player_watch w
          WHERE w.next_check_at <= now()
          ORDER BY w.next_check_at, w.faceit_player_id
          LIMIT ${limit}
          FOR UPDATE OF w SKIP LOCKED)
        UPDATE player_watch w SET next_check_at = now() + make_interval(secs => ${leaseMs / 1000})
        FROM due WHERE w.faceit_player_id = due.faceit_player_id
        RETURNING w.faceit_player_id`);
    },

    /** Puts claimed players back as due (a cycle that stops early leaves them for the next one). */
    async releaseWatches(playerIds: readonly string[]) {
      if (!playerIds.length) return;
      await pool.query(sql.unsafe`
        UPDATE player_watch SET next_check_at = now() WHERE faceit_player_id = ANY(${sql.array(playerIds, 'text')})`);
    },

    /** Pulls players' next check forward (webhooks: a match just started or ended). */
    async checkSoon(playerIds: readonly string[], at: Date) {
      if (!playerIds.length) return;
      await pool.query(sql.unsafe`
        UPDATE player_watch SET next_check_at = LEAST(next_check_at, ${sql.timestamp(at)}),
          last_played_at = GREATEST(last_played_at, now())
        WHERE faceit_player_id = ANY(${sql.array(playerIds, 'text')})`);
    },

    watchState(playerId: string) {
      return pool.maybeOne(sql.type(watchRow)`
        SELECT w.last_match_id, w.last_played_at, w.failures,
          EXISTS (SELECT 1 FROM player_elo_snapshots s WHERE s.faceit_player_id = w.faceit_player_id) AS has_snapshot
        FROM player_watch w WHERE w.faceit_player_id = ${playerId}`);
    },

    async finishWatch(
      playerId: string,
      state: { lastMatchId: string | null; lastPlayedAt: number | null; nextCheckAt: number },
    ) {
      await pool.query(sql.unsafe`
        INSERT INTO player_watch (faceit_player_id, last_match_id, last_played_at, last_checked_at, next_check_at)
        VALUES (${playerId}, ${state.lastMatchId},
          ${state.lastPlayedAt === null ? null : sql.timestamp(new Date(state.lastPlayedAt))}, now(),
          ${sql.timestamp(new Date(state.nextCheckAt))})
        ON CONFLICT (faceit_player_id) DO UPDATE SET
          last_match_id = COALESCE(EXCLUDED.last_match_id, player_watch.last_match_id),
          last_played_at = GREATEST(EXCLUDED.last_played_at, player_watch.last_played_at),
          last_checked_at = now(), next_check_at = EXCLUDED.next_check_at, failures = 0, last_error = NULL`);
    },

    async failWatch(playerId: string, error: string, retryAt: number) {
      await pool.query(sql.unsafe`
        UPDATE player_watch SET failures = failures + 1, last_error = ${error.slice(0, 500)},
          last_checked_at = now(), next_check_at = ${sql.timestamp(new Date(retryAt))}
        WHERE faceit_player_id = ${playerId}`);
    },

    async deleteWatch(playerId: string) {
      await pool.query(sql.unsafe`
        DELETE FROM player_watch w WHERE w.faceit_player_id = ${playerId}
          AND NOT EXISTS (SELECT 1 FROM tracked_players t WHERE t.faceit_player_id = w.faceit_player_id)`);
    },

    // ---------------------------------------------------------------- one player's check

    chatsTracking(playerId: string) {
      return pool.any(sql.type(chatTrackingRow)`
        SELECT t.chat_id, t.nickname, t.cursor_match_id, t.cursor_finished_at, t.last_checked_at,
          CASE WHEN c.type = 'private' THEN COALESCE(u.language, c.language) ELSE c.language END AS locale,
          ${ACTIVE} AS active, COALESCE(c.auto_brief, FALSE) AS auto_brief
        FROM tracked_players t JOIN chats c USING (chat_id) ${USER_OF_CHAT}
        WHERE t.faceit_player_id = ${playerId} ORDER BY t.chat_id`);
    },

    /** Other players this chat tracks (for one notification naming every tracked player of a match). */
    async coTracked(chatId: number, exceptPlayerId: string) {
      return pool.any(sql.type(z.object({ faceit_player_id: z.string(), nickname: z.string().nullable() }))`
        SELECT faceit_player_id, nickname FROM tracked_players
        WHERE chat_id = ${chatId} AND faceit_player_id <> ${exceptPlayerId}`);
    },

    /** Of these players, the ones at least one active chat tracks (a webhook's roster → who to check). */
    trackedAmong(playerIds: readonly string[]) {
      if (!playerIds.length) return Promise.resolve([] as readonly string[]);
      return pool.anyFirst(sql.type(idRow)`
        SELECT DISTINCT t.faceit_player_id FROM tracked_players t JOIN chats c USING (chat_id) ${USER_OF_CHAT}
        WHERE t.faceit_player_id = ANY(${sql.array(playerIds, 'text')}) AND ${ACTIVE}
        ORDER BY t.faceit_player_id`);
    },

    /**
     * Moves a chat's cursor forward to this match; never backwards (two checkers of one player may race), and a
     * first sight without any match only records that the player was looked at.
     */
    async advanceCursor(
      chatId: number,
      playerId: string,
      cursor: { matchId: string; finishedAt: number } | null,
    ) {
      if (!cursor) {
        await pool.query(sql.unsafe`
          UPDATE tracked_players SET last_checked_at = now()
          WHERE chat_id = ${chatId} AND faceit_player_id = ${playerId}`);
        return;
      }
      await pool.query(sql.unsafe`
        UPDATE tracked_players SET cursor_match_id = ${cursor.matchId},
          cursor_finished_at = ${sql.timestamp(new Date(cursor.finishedAt))}, last_checked_at = now()
        WHERE chat_id = ${chatId} AND faceit_player_id = ${playerId}
          AND (cursor_finished_at IS NULL OR cursor_finished_at < ${sql.timestamp(new Date(cursor.finishedAt))}
            OR (cursor_finished_at = ${sql.timestamp(new Date(cursor.finishedAt))} AND cursor_match_id IS DISTINCT FROM ${cursor.matchId}))`);
    },

    async touchCursors(playerId: string, chatIds: readonly number[]) {
      if (!chatIds.length) return;
      await pool.query(sql.unsafe`
        UPDATE tracked_players SET last_checked_at = now()
        WHERE faceit_player_id = ${playerId} AND chat_id = ANY(${sql.array(chatIds, 'int8')})`);
    },

    // Exactly-once delivery: the send claims are src/telegram/send-claims.ts (kind 'match_finished').

    // ---------------------------------------------------------------- ELO snapshots

    /** The player's snapshots since `since`, newest first (the brackets of recent matches). */
    eloSince(playerId: string, since: Date, limit = 100) {
      return pool.any(sql.type(eloRow)`
        SELECT elo, observed_at FROM player_elo_snapshots
        WHERE faceit_player_id = ${playerId} AND observed_at >= ${sql.timestamp(since)}
        ORDER BY observed_at DESC LIMIT ${limit}`);
    },
  };
}
export type MonitoringRepository = ReturnType<typeof createMonitoringRepository>;
