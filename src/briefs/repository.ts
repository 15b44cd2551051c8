import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

/**
 * The briefs' SQL: the per-chat auto-brief setting (chats.auto_brief) and the exactly-once claims of a brief
 * (notifications_sent, kind 'brief': one row per (chat, match), with the brief's message, when it was handed to the
 * shared analysis and when its result was written into it).
 */

/** Same rule as monitoring's: notifications on, bot not blocked (a private chat's user active since a block). */
const ACTIVE = sql.fragment`(
  c.notifications_enabled AND COALESCE(u.notifications_enabled, TRUE) AND u.blocked_at IS NULL
  AND (c.blocked_at IS NULL OR (u.last_active_at IS NOT NULL AND u.last_active_at > c.blocked_at)))`;

const briefChatRow = z.object({
  chat_id: z.number(),
  chat_type: z.string(),
  faceit_player_id: z.string(),
  nickname: z.string(),
  /** Whose plan the brief runs at: the private chat's user, or who added the player in a group. */
  owner_id: z.number().nullable(),
  locale: z.enum(['ru', 'en']),
});
export type BriefChat = z.infer<typeof briefChatRow>;

const briefRow = z.object({
  chat_id: z.number(),
  match_id: z.string(),
  faceit_player_id: z.string().nullable(),
  status: z.string(),
  telegram_message_id: z.number().nullable(),
  analysis_requested_at: z.date().nullable(),
  locale: z.enum(['ru', 'en']),
});
export type BriefRow = z.infer<typeof briefRow>;

const LOCALE = sql.fragment`CASE WHEN c.type = 'private' THEN COALESCE(u.language, c.language) ELSE c.language END`;

export function createBriefsRepository(pool: DatabasePool) {
  return {
    /**
     * Chats with auto-brief on that track any of these players and hear from us, one row per chat (the first
     * tracked player of the match names the brief). The owner must be a known user: the analysis is theirs.
     */
    chatsFor(playerIds: readonly string[]) {
      if (!playerIds.length) return Promise.resolve([] as readonly BriefChat[]);
      return pool.any(sql.type(briefChatRow)`
        SELECT DISTINCT ON (t.chat_id) t.chat_id, c.type AS chat_type, t.faceit_player_id, t.nickname,
          CASE WHEN c.type = 'private' THEN c.chat_id ELSE o.telegram_id END AS owner_id,
          ${LOCALE} AS locale
        FROM tracked_players t JOIN chats c USING (chat_id)
          LEFT JOIN users u ON c.type = 'private' AND u.telegram_id = c.chat_id
          LEFT JOIN users o ON o.telegram_id = t.added_by
        WHERE t.faceit_player_id = ANY(${sql.array(playerIds, 'text')}) AND c.auto_brief AND ${ACTIVE}
        ORDER BY t.chat_id, t.created_at, t.faceit_player_id`);
    },

    /** Whether any listening chat wants briefs about this player (worth an extra FACEIT call to find a match). */
    async wanted(playerId: string): Promise<boolean> {
      const row = await pool.maybeOne(sql.unsafe`
        SELECT 1 FROM tracked_players t JOIN chats c USING (chat_id)
          LEFT JOIN users u ON c.type = 'private' AND u.telegram_id = c.chat_id
        WHERE t.faceit_player_id = ${playerId} AND c.auto_brief AND ${ACTIVE} LIMIT 1`);
      return row !== null;
    },

    async markRequested(chatId: number, matchId: string) {
      await pool.query(sql.unsafe`
        UPDATE notifications_sent SET analysis_requested_at = now()
        WHERE chat_id = ${chatId} AND match_id = ${matchId} AND kind = 'brief'`);
    },

    /** Sent briefs of a match whose analysis request may not have gone out (a crash between the two). */
    unrequested(matchId: string) {
      return pool.any(sql.type(briefRow)`
        SELECT n.chat_id, n.match_id, n.faceit_player_id, n.status, n.telegram_message_id,
          n.analysis_requested_at, ${LOCALE} AS locale
        FROM notifications_sent n JOIN chats c ON c.chat_id = n.chat_id
          LEFT JOIN users u ON c.type = 'private' AND u.telegram_id = c.chat_id
        WHERE n.match_id = ${matchId} AND n.kind = 'brief' AND n.status = 'sent'
          AND n.analysis_requested_at IS NULL`);
    },

    /** Delivered briefs of these (finished) matches still waiting for their result line. */
    awaitingResult(matchIds: readonly string[]) {
      if (!matchIds.length) return Promise.resolve([] as readonly BriefRow[]);
      return pool.any(sql.type(briefRow)`
        SELECT n.chat_id, n.match_id, n.faceit_player_id, n.status, n.telegram_message_id,
          n.analysis_requested_at, ${LOCALE} AS locale
        FROM notifications_sent n JOIN chats c ON c.chat_id = n.chat_id
          LEFT JOIN users u ON c.type = 'private' AND u.telegram_id = c.chat_id
        WHERE n.match_id = ANY(${sql.array(matchIds, 'text')}) AND n.kind = 'brief' AND n.status = 'sent'
          AND n.result_edited_at IS NULL AND n.telegram_message_id IS NOT NULL`);
    },

    async markResultEdited(chatId: number, matchId: string) {
      await pool.query(sql.unsafe`
        UPDATE notifications_sent SET result_edited_at = now()
        WHERE chat_id = ${chatId} AND match_id = ${matchId} AND kind = 'brief'`);
    },

    /** Every brief of a match (tests and the benchmark read delivery times from here). */
    briefsOf(matchId: string) {
      return pool.any(sql.type(briefRow)`
        SELECT n.chat_id, n.match_id, n.faceit_player_id, n.status, n.telegram_message_id,
          n.analysis_requested_at, ${LOCALE} AS locale
        FROM notifications_sent n JOIN chats c ON c.chat_id = n.chat_id
          LEFT JOIN users u ON c.type = 'private' AND u.telegram_id = c.chat_id
        WHERE n.match_id = ${matchId} AND n.kind = 'brief' ORDER BY n.chat_id`);
    },

    // ---------------------------------------------------------------- the per-chat setting

    async autoBrief(chatId: number): Promise<boolean> {
      const v = await pool.maybeOneFirst(sql.type(z.object({ on: z.boolean() }))`
        SELECT COALESCE(auto_brief, FALSE) AS on FROM chats WHERE chat_id = ${chatId}`);
      return v ?? false;
    },

    /** Sets the chat's choice; false when the chat is unknown (it never tracked anyone). */
    async setAutoBrief(chatId: number, on: boolean): Promise<boolean> {
      const r = await pool.query(sql.unsafe`UPDATE chats SET auto_brief = ${on} WHERE chat_id = ${chatId}`);
      return r.rowCount > 0;
    },

    /** The default for a user tracking themselves: on, unless the chat already chose. */
    async defaultOn(chatId: number): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE chats SET auto_brief = TRUE WHERE chat_id = ${chatId} AND auto_brief IS NULL`);
    },
  };
}
export type BriefsRepository = ReturnType<typeof createBriefsRepository>;
