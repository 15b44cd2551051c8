import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { parseAudience, type Audience } from './model/audience';
import type { BroadcastCounts } from './model/progress';

/**
 * Broadcasts and their deliveries (tables `broadcasts`, `broadcast_deliveries`).
 *
 * Exactly-once per (broadcast, user): the recipients are written once when the broadcast starts (status 'pending').
 * A sender claims one row (pending → claimed, with its attempt's token) in its own committed statement right BEFORE
 * calling Telegram, and records the outcome (sent / blocked / failed) right after. A row is only ever sent from the
 * pending state, so no retry, second worker or restarted workflow can send it again. What is left 'claimed' when the
 * broadcast finishes is a send whose answer was lost (the worker died with the request at Telegram): it becomes
 * 'uncertain' — delivered once or not at all, never twice — and is counted as such. A late answer of a sender that
 * was presumed dead still records its real outcome (its token matches), turning 'uncertain' into 'sent'.
 */

export const broadcastRow = z.object({
  id: z.number(),
  admin_telegram_id: z.number(),
  text: z.string().nullable(),
  entities: z.array(z.record(z.unknown())).nullable(),
  source_chat_id: z.number().nullable(),
  source_message_id: z.number().nullable(),
  audience: z.unknown().transform(parseAudience),
  status: z.enum(['draft', 'discarded', 'running', 'paused', 'completed', 'cancelled', 'failed']),
  workflow_id: z.string().nullable(),
  progress_chat_id: z.number().nullable(),
  progress_message_id: z.number().nullable(),
  total: z.number().nullable(),
  report: z.record(z.unknown()).nullable(),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});
export type BroadcastRow = z.infer<typeof broadcastRow>;

const columns = sql.fragment`id, admin_telegram_id, text, entities, source_chat_id, source_message_id, audience,
  status, workflow_id, progress_chat_id, progress_message_id, total, report, created_at, started_at, finished_at`;

export type DeliveryOutcome = 'sent' | 'blocked' | 'failed' | 'uncertain';

/** Users in the audience: never those who blocked the bot. A plan counts while it is in force. */
function audienceFilter(audience: Audience) {
  const paid = (plan?: string) => sql.fragment`EXISTS (SELECT 1 FROM subscriptions s
    WHERE s.telegram_id = u.telegram_id AND s.tier ${plan ? sql.fragment`= ${plan}` : sql.fragment`<> 'free'`}
      AND (s.expires_at IS NULL OR s.expires_at > now()))`;
  const who =
    audience.kind === 'all'
      ? sql.fragment`TRUE`
      : audience.kind === 'language'
        ? sql.fragment`u.language = ${audience.language}`
        : audience.plan === 'free'
          ? sql.fragment`NOT ${paid()}`
          : paid(audience.plan);
  return sql.fragment`u.blocked_at IS NULL AND ${who}`;
}

const countsRow = z.object({
  pending: z.number(),
  claimed: z.number(),
  sent: z.number(),
  blocked: z.number(),
  failed: z.number(),
  uncertain: z.number(),
  cancelled: z.number(),
});
export type DeliveryCounts = z.infer<typeof countsRow>;

async function countDeliveries(
  db: DatabasePool | DatabaseTransactionConnection,
  broadcastId: number,
): Promise<DeliveryCounts> {
  return db.one(sql.type(countsRow)`
    SELECT
      (count(*) FILTER (WHERE status = 'pending'))::int AS pending,
      (count(*) FILTER (WHERE status = 'claimed'))::int AS claimed,
      (count(*) FILTER (WHERE status = 'sent'))::int AS sent,
      (count(*) FILTER (WHERE status = 'blocked'))::int AS blocked,
      (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
      (count(*) FILTER (WHERE status = 'uncertain'))::int AS uncertain,
      (count(*) FILTER (WHERE status = 'cancelled'))::int AS cancelled
    FROM broadcast_deliveries WHERE broadcast_id = ${broadcastId}`);
}

export function createBroadcastRepository(pool: DatabasePool) {
  return {
    createDraft(input: {
      adminId: number;
      text: string | null;
      entities: unknown[] | null;
      source: { chatId: number; messageId: number } | null;
    }) {
      return pool.one(sql.type(broadcastRow)`
        INSERT INTO broadcasts (admin_telegram_id, text, entities, source_chat_id, source_message_id, status)
        VALUES (${input.adminId}, ${input.text},
          ${input.entities?.length ? sql.jsonb(JSON.parse(JSON.stringify(input.entities))) : null},
          ${input.source?.chatId ?? null}, ${input.source?.messageId ?? null}, 'draft')
        RETURNING ${columns}`);
    },

    get(id: number) {
      return pool.maybeOne(sql.type(broadcastRow)`SELECT ${columns} FROM broadcasts WHERE id = ${id}`);
    },

    async audienceSize(audience: Audience): Promise<number> {
      return pool.oneFirst(sql.type(z.object({ n: z.number() }))`
        SELECT count(*)::int AS n FROM users u WHERE ${audienceFilter(audience)}`);
    },

    setAudience(id: number, audience: Audience) {
      return pool.maybeOne(sql.type(broadcastRow)`
        UPDATE broadcasts SET audience = ${sql.jsonb(audience)} WHERE id = ${id} AND status = 'draft'
        RETURNING ${columns}`);
    },

    discard(id: number) {
      return pool.maybeOne(sql.type(broadcastRow)`
        UPDATE broadcasts SET status = 'discarded', finished_at = now() WHERE id = ${id} AND status = 'draft'
        RETURNING ${columns}`);
    },

    /** Draft → running, once: a second press of Confirm finds no draft and starts nothing. */
    confirm(id: number, progress: { chatId: number; messageId: number }, workflowId: string) {
      return pool.maybeOne(sql.type(broadcastRow)`
        UPDATE broadcasts SET status = 'running', workflow_id = ${workflowId}, progress_chat_id = ${progress.chatId},
          progress_message_id = ${progress.messageId}
        WHERE id = ${id} AND status = 'draft'
        RETURNING ${columns}`);
    },

    /** Freezes the audience into delivery rows, once (a retried activity finds them written). */
    async prepare(id: number): Promise<number> {
      return pool.transaction(async (tx) => {
        const b = await tx.one(
          sql.type(broadcastRow)`SELECT ${columns} FROM broadcasts WHERE id = ${id} FOR UPDATE`,
        );
        if (b.total !== null) return b.total;
        const inserted = await tx.query(sql.unsafe`
          INSERT INTO broadcast_deliveries (broadcast_id, telegram_id)
          SELECT ${id}, u.telegram_id FROM users u WHERE ${audienceFilter(b.audience)}
          ON CONFLICT DO NOTHING`);
        await tx.query(sql.unsafe`
          UPDATE broadcasts SET total = ${inserted.rowCount}, started_at = now() WHERE id = ${id}`);
        return inserted.rowCount;
      });
    },

    setStatus(id: number, status: 'running' | 'paused') {
      return pool.query(sql.unsafe`
        UPDATE broadcasts SET status = ${status} WHERE id = ${id} AND status IN ('running', 'paused')`);
    },

    /** Recipients still to be sent to with ids in [from, to] (to null: no bound), in id order. */
    pending(id: number, limit: number, from = 0, to: number | null = null) {
      return pool.anyFirst(sql.type(z.object({ telegram_id: z.number() }))`
        SELECT telegram_id FROM broadcast_deliveries
        WHERE broadcast_id = ${id} AND status = 'pending' AND telegram_id >= ${from}
          ${to === null ? sql.fragment`` : sql.fragment`AND telegram_id <= ${to}`}
        ORDER BY telegram_id LIMIT ${limit}`);
    },

    /** The id range of the next `limit` pending recipients after `after`; null when there are none. */
    nextRange(id: number, after: number, limit: number) {
      return pool.maybeOne(sql.type(z.object({ from: z.number(), to: z.number() }))`
        SELECT min(telegram_id) AS "from", max(telegram_id) AS "to" FROM (
          SELECT telegram_id FROM broadcast_deliveries
          WHERE broadcast_id = ${id} AND status = 'pending' AND telegram_id > ${after}
          ORDER BY telegram_id LIMIT ${limit}) AS next
        HAVING count(*) > 0`);
    },

    /** pending → claimed, committed before the send; false when someone else has it (or had it). */
    async claim(id: number, telegramId: number, token: string): Promise<boolean> {
      const result = await pool.query(sql.unsafe`
        UPDATE broadcast_deliveries
        SET status = 'claimed', claim_token = ${token}, claimed_at = now(), attempts = attempts + 1
        WHERE broadcast_id = ${id} AND telegram_id = ${telegramId} AND status = 'pending'`);
      return result.rowCount === 1;
    },

    /** A claim given back: Telegram surely did not take the message (429, connection refused). */
    async release(id: number, telegramId: number, token: string): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE broadcast_deliveries SET status = 'pending', claim_token = NULL
        WHERE broadcast_id = ${id} AND telegram_id = ${telegramId} AND claim_token = ${token} AND status = 'claimed'`);
    },

    /**
     * Records what Telegram answered for our claim. A 403 also marks the user blocked, so later broadcasts and
     * notifications leave them out (until they write to the bot again).
     */
    async record(
      id: number,
      telegramId: number,
      token: string,
      outcome: { status: DeliveryOutcome; messageId?: number; error?: string },
    ): Promise<boolean> {
      return pool.transaction(async (tx) => {
        const result = await tx.query(sql.unsafe`
          UPDATE broadcast_deliveries
          SET status = ${outcome.status}, telegram_message_id = ${outcome.messageId ?? null},
            error = ${outcome.error?.slice(0, 300) ?? null}, delivered_at = now()
          WHERE broadcast_id = ${id} AND telegram_id = ${telegramId} AND claim_token = ${token}
            AND status IN ('claimed', 'uncertain')`);
        if (outcome.status === 'blocked') {
          await tx.query(sql.unsafe`
            UPDATE users SET blocked_at = now(), updated_at = now() WHERE telegram_id = ${telegramId}`);
        }
        return result.rowCount === 1;
      });
    },

    languageOf(telegramId: number) {
      return pool.maybeOneFirst(sql.type(z.object({ language: z.enum(['ru', 'en']) }))`
        SELECT language FROM users WHERE telegram_id = ${telegramId}`);
    },

    counts(id: number) {
      return countDeliveries(pool, id);
    },

    /**
     * Ends the broadcast: claims without an outcome become 'uncertain'; when cancelled (or failed) the recipients
     * not reached become 'cancelled'. Returns the final counts and how many claims were turned uncertain now.
     */
    async finish(
      id: number,
      status: 'completed' | 'cancelled' | 'failed',
    ): Promise<{ counts: DeliveryCounts; newlyUncertain: number }> {
      return pool.transaction(async (tx) => {
        const uncertain = await tx.query(sql.unsafe`
          UPDATE broadcast_deliveries SET status = 'uncertain', error = 'no answer recorded for the send'
          WHERE broadcast_id = ${id} AND status = 'claimed'`);
        if (status !== 'completed') {
          await tx.query(sql.unsafe`
            UPDATE broadcast_deliveries SET status = 'cancelled' WHERE broadcast_id = ${id} AND status = 'pending'`);
        }
        const counts = await countDeliveries(tx, id);
        await tx.query(sql.unsafe`
          UPDATE broadcasts SET status = ${status}, finished_at = COALESCE(finished_at, now()),
            report = ${sql.jsonb(counts)}
          WHERE id = ${id}`);
        return { counts, newlyUncertain: uncertain.rowCount };
      });
    },
  };
}
export type BroadcastRepository = ReturnType<typeof createBroadcastRepository>;

export const countsOf = (total: number, c: DeliveryCounts): BroadcastCounts => ({
  total,
  sent: c.sent,
  blocked: c.blocked,
  failed: c.failed,
  uncertain: c.uncertain,
});
