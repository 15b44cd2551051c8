import { setMaxListeners } from 'node:events';
import { Api } from 'grammy';
import { classifyTelegramError, isNotModified } from '../telegram/errors';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Counter, register as defaultRegistry, type Registry } from 'prom-client';
import type { DatabasePool } from 'slonik';
import type { Config } from '../config';
import { sleep } from '../faceit/sleep';
import { heartbeating } from '../temporal/activity';
import {
  handled,
  type BroadcastCounts,
  type BroadcastProgress,
  type BroadcastReport,
} from './model/progress';
import { createPacer } from './pacer';
import type { SendBudget } from '../telegram/send-budget';
import { renderProgress, renderReport, progressKeyboard } from './render';
import { countsOf, createBroadcastRepository, type BroadcastRow, type DeliveryOutcome } from './repository';

/** What the broadcast activities need (built by the worker's composition root). */
export interface BroadcastActivityDeps {
  config: Pick<Config, 'BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'BROADCAST_RATE_PER_SECOND' | 'DEFAULT_TIMEZONE'>;
  logger: Logger;
  pool: DatabasePool;
  redis?: Redis;
}

export interface BroadcastActivityOptions {
  /**
   * Bot API client for the sends; default one without auto-retry (429s are handled here, per recipient). It must not
   * spend the send budget itself when `sendBudget` is given.
   */
  api?: Api;
  /**
   * The bot's one Telegram send budget: each send's slot (class `bulk`) is taken before its recipient is claimed, so a
   * worker that dies while waiting for a slot leaves the recipient pending (sent later), not claimed (unconfirmed,
   * never sent).
   */
  sendBudget?: SendBudget;
  /** Redis key of the global pacer (default 'broadcast:pacer'). */
  pacerKey?: string;
  metricsRegistry?: Registry | null;
  /** Test seam: runs after Telegram accepted a message and before its outcome is recorded. */
  hooks?: { afterTelegramSend?: (telegramId: number) => Promise<void> };
}

export interface SendBatchResult extends Omit<BroadcastCounts, 'total'> {
  /** Claims given back because Telegram surely did not take the message (they are sent in a later batch). */
  released: number;
  remaining: number;
}

/** Consecutive 429s for one recipient before it counts as failed. */
const MAX_RATE_LIMITED = 5;
const DEFAULT_LANES = 8;

type SendResult =
  | { outcome: 'sent'; messageId: number }
  | { outcome: 'blocked' | 'failed' | 'uncertain'; error: string }
  /** Telegram surely did not take the message: the claim is (to be) given back, the recipient sent later. */
  | { outcome: 'release'; error: string }
  /** 429: Telegram refused it and said when to try again. */
  | { outcome: 'retry'; afterMs: number; error: string }
  /** Given back while waiting out a 429, and taken meanwhile by another attempt of the batch. */
  | { outcome: 'taken' };

function metrics(registry: Registry | null) {
  if (!registry) return undefined;
  const get = (name: string, help: string, labelNames: string[] = []) =>
    (registry.getSingleMetric(name) as Counter<string> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] });
  return {
    deliveries: get('broadcast_deliveries_total', 'Broadcast recipients handled, by outcome', ['outcome']),
    uncertain: get(
      'broadcast_uncertain_deliveries_total',
      'Broadcast sends whose answer was lost (possible deliveries, never resent): at most one copy each',
    ),
    rateLimited: get(
      'broadcast_rate_limited_total',
      '429 answers to broadcast sends (retried after retry_after)',
    ),
  };
}

/** How often a batch heartbeats, whatever its lanes wait for (the worker flushes to the server every second). */
const HEARTBEAT_EVERY_MS = 500;

export function createBroadcastActivities(
  deps: BroadcastActivityDeps,
  options: BroadcastActivityOptions = {},
) {
  const repo = createBroadcastRepository(deps.pool);
  const log = deps.logger.child({ component: 'broadcast' });
  const m = metrics(options.metricsRegistry === undefined ? defaultRegistry : options.metricsRegistry);
  const pacer = createPacer({
    redis: deps.redis,
    key: options.pacerKey ?? 'broadcast:pacer',
    perSecond: deps.config.BROADCAST_RATE_PER_SECOND,
  });
  let api = options.api;
  const telegram = (): Api => {
    if (api) return api;
    if (!deps.config.BOT_TOKEN) throw new Error('BOT_TOKEN is not set: broadcasts cannot be sent');
    api = new Api(deps.config.BOT_TOKEN, { apiRoot: deps.config.TELEGRAM_API_ROOT });
    return api;
  };

  /** One call to Telegram and what its answer means for the recipient. */
  async function sendOnce(b: BroadcastRow, chatId: number): Promise<SendResult> {
    try {
      const sent =
        b.source_chat_id !== null && b.source_message_id !== null
          ? await telegram().copyMessage(chatId, b.source_chat_id, b.source_message_id)
          : await telegram().sendMessage(chatId, b.text ?? '', {
              ...(b.entities ? { entities: b.entities as never } : {}),
              link_preview_options: { is_disabled: true },
            });
      return { outcome: 'sent', messageId: sent.message_id };
    } catch (err) {
      const failure = classifyTelegramError(err);
      if (!failure) throw err;
      const error = failure.description;
      if (failure.kind === 'rate-limited')
        return { outcome: 'retry', afterMs: failure.retryAfterS! * 1000, error };
      // Blocked is the user's 403 (marked, left out of later audiences); a chat Telegram does not know is a failure.
      if (failure.kind === 'chat-gone' && failure.code === 403) return { outcome: 'blocked', error };
      if (failure.kind !== 'transient') return { outcome: 'failed', error };
      // Refused: the request never left. Anything else (a 5xx, reset, timeout) may have reached Telegram.
      return failure.neverLeft && !failure.answered
        ? { outcome: 'release', error }
        : { outcome: 'uncertain', error };
    }
  }

  /**
   * Sends to a claimed recipient, waiting out Telegram's 429s (exactly `retry_after`, this recipient only; the other
   * lanes go on, and the retry takes a slot of the global rate like any send). While it waits the claim is given
   * back — Telegram refused the message — so a worker dying in the wait leaves the recipient pending, to be sent
   * later, rather than claimed (which would end as "unconfirmed", never sent). A cancelled wait ends the same way.
   */
  async function deliver(
    b: BroadcastRow,
    chatId: number,
    token: string,
    signal: AbortSignal,
  ): Promise<Exclude<SendResult, { outcome: 'retry' }>> {
    for (let limited = 1; ; limited++) {
      const r = await sendOnce(b, chatId);
      if (r.outcome !== 'retry') return r;
      m?.rateLimited.inc();
      if (limited >= MAX_RATE_LIMITED) return { outcome: 'failed', error: r.error };
      await repo.release(b.id, chatId, token);
      try {
        await sleep(r.afterMs, signal);
        await pacer.wait(signal);
        await options.sendBudget?.take('bulk', signal);
      } catch (err) {
        if (signal.aborted) return { outcome: 'release', error: 'cancelled while waiting for retry_after' };
        throw err;
      }
      if (!(await repo.claim(b.id, chatId, token))) return { outcome: 'taken' };
    }
  }

  return {
    /** Writes the recipients (the audience as of now), once. */
    async broadcastPrepare(input: { broadcastId: number }): Promise<{ total: number }> {
      const total = await repo.prepare(input.broadcastId);
      log.info({ broadcastId: input.broadcastId, total }, 'broadcast prepared');
      return { total };
    },

    /** The next `limit` pending recipients after `after` (by id), as a range for one batch; null when none. */
    async broadcastNextRange(input: {
      broadcastId: number;
      after: number;
      limit: number;
    }): Promise<{ from: number; to: number } | null> {
      return repo.nextRange(input.broadcastId, input.after, input.limit);
    },

    /**
     * Sends to up to `limit` pending recipients, `lanes` at a time, each send paced globally. Every recipient is
     * claimed (committed) right before its send and its outcome recorded right after; see ./repository.ts.
     */
    async broadcastSendBatch(input: {
      broadcastId: number;
      limit: number;
      lanes?: number;
      /** Recipients with ids in [from, to] (to null: no upper bound). */
      from?: number;
      to?: number | null;
    }): Promise<SendBatchResult> {
      const result: SendBatchResult = {
        sent: 0,
        blocked: 0,
        failed: 0,
        uncertain: 0,
        released: 0,
        remaining: 0,
      };
      // From the first moment to the last (a slow database, a long pacer or retry_after wait included): the
      // heartbeat timeout is short so that a dead worker's batch moves on quickly, and only a dead worker misses it.
      return heartbeating({ everyMs: HEARTBEAT_EVERY_MS, details: () => result }, async (ctx) => {
        const b = await repo.get(input.broadcastId);
        if (!b) throw new Error(`broadcast ${input.broadcastId} does not exist`);
        const token = `${ctx.info.workflowExecution?.runId ?? 'standalone'}/${ctx.info.activityId}/${ctx.info.attempt}`;
        const queue = [
          ...(await repo.pending(input.broadcastId, input.limit, input.from ?? 0, input.to ?? null)),
        ];
        const lanes = Math.max(1, Math.min(input.lanes ?? DEFAULT_LANES, queue.length || 1));
        // Every lane waits on the cancellation signal while it is paced.
        setMaxListeners(lanes + 10, ctx.cancellationSignal);
        const lane = async () => {
          while (queue.length && !ctx.cancellationSignal.aborted) {
            const chatId = queue.shift() as number;
            await pacer.wait(ctx.cancellationSignal);
            await options.sendBudget?.take('bulk', ctx.cancellationSignal);
            if (!(await repo.claim(b.id, chatId, token))) continue;
            const r = await deliver(b, chatId, token, ctx.cancellationSignal);
            if (r.outcome === 'taken') continue;
            if (r.outcome === 'release') {
              await repo.release(b.id, chatId, token);
              result.released++;
              continue;
            }
            if (r.outcome === 'sent') await options.hooks?.afterTelegramSend?.(chatId);
            const outcome: DeliveryOutcome = r.outcome;
            await repo.record(b.id, chatId, token, {
              status: outcome,
              ...(r.outcome === 'sent' ? { messageId: r.messageId } : { error: r.error }),
            });
            result[outcome]++;
            m?.deliveries.inc({ outcome });
            if (outcome === 'uncertain') m?.uncertain.inc();
          }
        };
        // Every lane ends before the batch does (a cancelled lane may still be recording or giving back a claim).
        const ended = await Promise.allSettled(Array.from({ length: lanes }, lane));
        const failure = ended.find((e) => e.status === 'rejected');
        if (failure) throw failure.reason;
        result.remaining = (await repo.counts(b.id)).pending;
        return result;
      });
    },

    /** Edits the admin's progress message (best effort: a failed edit never stops the broadcast). */
    async broadcastShowProgress(input: { broadcastId: number; progress: BroadcastProgress }): Promise<void> {
      const b = await repo.get(input.broadcastId);
      if (!b?.progress_chat_id || !b.progress_message_id) return;
      const state = input.progress.state;
      if (state === 'running' || state === 'paused') await repo.setStatus(b.id, state);
      const locale = await adminLocale(b.admin_telegram_id);
      try {
        await telegram().editMessageText(
          b.progress_chat_id,
          b.progress_message_id,
          renderProgress(locale, b, input.progress),
          { parse_mode: 'HTML', reply_markup: progressKeyboard(locale, b.id, input.progress) },
        );
      } catch (err) {
        if (isNotModified(err)) return;
        log.warn({ err, broadcastId: b.id }, 'could not edit the broadcast progress message');
      }
    },

    /** Final counts from the delivery rows (uncertain claims settled), the status, and the admin's report. */
    async broadcastFinish(input: {
      broadcastId: number;
      status: 'completed' | 'cancelled' | 'failed';
      startedAt: number;
    }): Promise<BroadcastReport> {
      const { counts, newlyUncertain } = await repo.finish(input.broadcastId, input.status);
      if (newlyUncertain) m?.uncertain.inc(newlyUncertain);
      const b = await repo.get(input.broadcastId);
      const final = countsOf(b?.total ?? 0, counts);
      const report: BroadcastReport = {
        ...final,
        status: input.status,
        notSent: counts.cancelled + counts.pending,
        durationMs: Date.now() - input.startedAt,
      };
      log.info({ broadcastId: input.broadcastId, ...report, handled: handled(final) }, 'broadcast finished');
      if (b?.progress_chat_id && b.progress_message_id) {
        const locale = await adminLocale(b.admin_telegram_id);
        const text = renderReport(locale, b, report);
        try {
          await telegram().editMessageText(b.progress_chat_id, b.progress_message_id, text, {
            parse_mode: 'HTML',
          });
        } catch (err) {
          if (!isNotModified(err)) {
            log.warn({ err, broadcastId: b.id }, 'could not edit the broadcast report');
          }
        }
      }
      return report;
    },
  };

  async function adminLocale(adminId: number) {
    return (await repo.languageOf(adminId)) ?? 'ru';
  }
}
export type BroadcastActivities = ReturnType<typeof createBroadcastActivities>;
