import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, register } from 'prom-client';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { ClaimHeldError, classifyTelegramError, describeTelegramError } from './errors';

export { ClaimHeldError, describeTelegramError };

/**
 * The send protocol behind docs/delivery.md, shared by analysis reports, monitoring notifications,
 * pre-match briefs and billing's messages.
 * One `notifications_sent` row per (chat, key, kind):
 *
 *   claimed ──(request about to leave)──▶ sending ──▶ sent        Telegram answered with the message
 *                                                 ├─▶ failed      Telegram answered with an error: not delivered
 *                                                 ├─▶ failed+in_doubt   network error: it may have been delivered
 *                                                 └─▶ uncertain   the sender died mid-request (found past the lease)
 *
 * A claim past its lease is resolved by its step: still `claimed` (the request never left) is taken over and sent;
 * `sending` may have been delivered and is never resent (counted as a possible loss). A `failed` row is claimed again;
 * when it was in doubt the resend is counted as a possible duplicate. A claim token guards every step, so an attempt
 * whose claim was taken over never sends.
 */

export const SEND_KINDS = [
  'match_finished',
  'match_ready',
  'analysis_report',
  'broadcast',
  'brief',
  'billing',
] as const;
export type SendKind = (typeof SEND_KINDS)[number];

/**
 * The counter with every (outcome, kind) at 0, for a process that starts: Prometheus's `increase()` sees the first
 * case only on a series that existed before it (the alert TelegramDeliveryUncertain).
 */
export function initUncertainDeliveries(kinds: readonly string[] = [...SEND_KINDS, 'progress_reply']): void {
  const counter = uncertainDeliveries();
  for (const kind of kinds)
    for (const outcome of ['possible_duplicate', 'possible_loss']) counter.inc({ outcome, kind }, 0);
}

/** Counted once per case; the only two ways a message can be lost or doubled. */
export function uncertainDeliveries(): Counter<'outcome' | 'kind'> {
  const name = 'telegram_delivery_uncertain_total';
  const existing = register.getSingleMetric(name) as Counter<'outcome' | 'kind'> | undefined;
  return (
    existing ??
    new Counter({
      name,
      help: 'Telegram sends whose delivery is in doubt: possible_duplicate (resent after a lost answer), possible_loss (sender died mid-request, not resent)',
      labelNames: ['outcome', 'kind'] as const,
    })
  );
}

export type ClaimResult =
  | { state: 'mine'; token: string; inDoubt: boolean }
  | { state: 'done'; status: 'sent' | 'uncertain' }
  /** Another live attempt holds it; try again in `retryInMs`. */
  | { state: 'held'; retryInMs: number };

const claimedRow = z.object({ token: z.string(), in_doubt: z.boolean() });
const stateRow = z.object({ status: z.string(), retry_in_ms: z.number() });

export function createSendClaims(pool: DatabasePool, kind: SendKind, options: { leaseMs: number }) {
  const lease = sql.fragment`make_interval(secs => ${options.leaseMs / 1000})`;
  const where = (chatId: number, key: string) =>
    sql.fragment`chat_id = ${chatId} AND match_id = ${key} AND kind = ${kind}`;

  return {
    kind,
    leaseMs: options.leaseMs,

    async claim(chatId: number, key: string, playerId: string | null = null): Promise<ClaimResult> {
      const token = randomUUID();
      const mine = await pool.maybeOne(sql.type(claimedRow)`
        INSERT INTO notifications_sent (chat_id, match_id, kind, faceit_player_id, status, claim_token)
        VALUES (${chatId}, ${key}, ${kind}, ${playerId}, 'claimed', ${token})
        ON CONFLICT (chat_id, match_id, kind) DO UPDATE
          SET status = 'claimed', claimed_at = now(), claim_token = EXCLUDED.claim_token, error = NULL,
            faceit_player_id = COALESCE(EXCLUDED.faceit_player_id, notifications_sent.faceit_player_id)
          WHERE notifications_sent.status = 'failed'
            OR (notifications_sent.status = 'claimed' AND notifications_sent.claimed_at < now() - ${lease})
        RETURNING claim_token AS token, in_doubt`);
      if (mine) return { state: 'mine', token: mine.token, inDoubt: mine.in_doubt };
      // A sender that died while its request was in flight: it may have been delivered, so it is closed, not resent.
      const died = await pool.maybeOne(sql.unsafe`
        UPDATE notifications_sent SET status = 'uncertain',
          error = 'the sender stopped while its request to Telegram was in flight'
        WHERE ${where(chatId, key)} AND status = 'sending' AND claimed_at < now() - ${lease}
        RETURNING 1`);
      if (died) return { state: 'done', status: 'uncertain' };
      const row = await pool.maybeOne(sql.type(stateRow)`
        SELECT status, GREATEST(0, (EXTRACT(EPOCH FROM (claimed_at + ${lease} - now())) * 1000))::int AS retry_in_ms
        FROM notifications_sent WHERE ${where(chatId, key)}`);
      if (!row) return { state: 'held', retryInMs: 1_000 }; // deleted under us: try again
      if (row.status === 'sent' || row.status === 'uncertain') return { state: 'done', status: row.status };
      return { state: 'held', retryInMs: Math.max(1_000, row.retry_in_ms) };
    },

    /** The request is about to leave; false when this attempt lost its claim (then it must not send). */
    async markSending(chatId: number, key: string, token: string): Promise<boolean> {
      const row = await pool.maybeOne(sql.unsafe`
        UPDATE notifications_sent SET status = 'sending', claimed_at = now(), in_doubt = false
        WHERE ${where(chatId, key)} AND claim_token = ${token} AND status = 'claimed'
        RETURNING 1`);
      return row !== null;
    },

    async markSent(chatId: number, key: string, token: string, messageId: number): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE notifications_sent SET status = 'sent', sent_at = now(), telegram_message_id = ${messageId}
        WHERE ${where(chatId, key)} AND claim_token = ${token}`);
    },

    /** Telegram answered with an error (not delivered), or the answer was lost (`inDoubt`: it may have been). */
    async markFailed(chatId: number, key: string, token: string, error: string, inDoubt: boolean) {
      await pool.query(sql.unsafe`
        UPDATE notifications_sent SET status = 'failed', error = ${error.slice(0, 500)}, in_doubt = ${inDoubt}
        WHERE ${where(chatId, key)} AND claim_token = ${token} AND status IN ('claimed', 'sending')`);
    },

    /** Sent, or closed as uncertain: never to be sent again. */
    async isDone(chatId: number, key: string): Promise<boolean> {
      const row = await pool.maybeOne(sql.unsafe`
        SELECT 1 FROM notifications_sent WHERE ${where(chatId, key)} AND status IN ('sent', 'uncertain')`);
      return row !== null;
    },
  };
}
export type SendClaims = ReturnType<typeof createSendClaims>;

/** Telegram answered (any error code): the message was not delivered. Anything else may have been. */
export function telegramAnswered(err: unknown): boolean {
  return classifyTelegramError(err)?.answered === true;
}

export type SendOnceResult = { status: 'sent'; messageId: number } | { status: 'done' };

/**
 * Claims, sends once and records the outcome. Errors are rethrown for the caller's classification (a Telegram
 * answer: nothing was delivered; anything else: the claim is failed-in-doubt and the caller's retry resends, counted).
 * A claim held by a live attempt throws ClaimHeldError.
 */
export async function sendOnce(
  claims: SendClaims,
  target: { chatId: number; key: string; playerId?: string | null },
  send: () => Promise<{ message_id: number } | true>,
  log: Logger,
  hooks: { afterClaim?: () => void | Promise<void> } = {},
): Promise<SendOnceResult> {
  const { chatId, key } = target;
  const claim = await claims.claim(chatId, key, target.playerId ?? null);
  if (claim.state === 'done') {
    if (claim.status === 'uncertain') {
      uncertainDeliveries().inc({ outcome: 'possible_loss', kind: claims.kind });
      log.warn(
        { chatId, key, kind: claims.kind },
        'a sender died mid-request: delivery uncertain, not resent',
      );
    }
    return { status: 'done' };
  }
  if (claim.state === 'held') throw new ClaimHeldError(key, claim.retryInMs);
  await hooks.afterClaim?.();
  if (!(await claims.markSending(chatId, key, claim.token))) throw new ClaimHeldError(key, 1_000);
  if (claim.inDoubt) {
    uncertainDeliveries().inc({ outcome: 'possible_duplicate', kind: claims.kind });
    log.warn({ chatId, key, kind: claims.kind }, 'resending after a lost answer: possibly a duplicate');
  }
  let message: { message_id: number } | true;
  try {
    message = await send();
  } catch (err) {
    await claims.markFailed(chatId, key, claim.token, describeTelegramError(err), !telegramAnswered(err));
    throw err;
  }
  const messageId = message === true ? 0 : message.message_id;
  await recordSent(() => claims.markSent(chatId, key, claim.token, messageId), log);
  return { status: 'sent', messageId };
}

/**
 * Telegram has the message: recording it is worth waiting for (a database restart), because a claim left in
 * `sending` would later count as a possible loss. Bounded well below the lease.
 */
async function recordSent(mark: () => Promise<void>, log: Logger, budgetMs = 30_000): Promise<void> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 4_000)) {
    try {
      return await mark();
    } catch (err) {
      if (Date.now() + delay > deadline) throw err;
      log.warn({ err }, 'could not record a delivered message yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
