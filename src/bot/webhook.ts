/**
 * Telegram's webhook deliveries (BOT_MODE=webhook): the secret token header is checked in constant time before the
 * body is read, the body is capped and parsed with zod, then the update goes to the bot.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BotError, type Bot } from 'grammy';
import type { Redis } from 'ioredis';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { z } from 'zod';
import { HttpError, readBody, sendJson, type HttpRequest } from '../ops/http';
import type { BotContext } from '../bot-kit/context';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Telegram's updates are a few KiB; 1 MiB leaves room for the largest (a long message with entities). */
export const MAX_UPDATE_BYTES = 1024 * 1024;

/** The envelope every update has; the rest is grammY's to read. */
export const updateSchema = z
  .object({ update_id: z.number().int().nonnegative() })
  .passthrough()
  .refine((u) => Object.keys(u).some((k) => k !== 'update_id'), 'an update carries one payload');

const digest = (value: string) => createHash('sha256').update(value).digest();

export function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** The update of a webhook delivery, or an HttpError (401 wrong secret, 413 too large, 400 not an update). */
export async function readUpdate(request: HttpRequest, secret: string): Promise<Update> {
  if (!secretMatches(request.req.headers[TELEGRAM_SECRET_HEADER], secret))
    throw new HttpError(401, 'unauthorized', { connection: 'close' });
  const raw = await readBody(request.req, MAX_UPDATE_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  const parsed = updateSchema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'body is not a Telegram update');
  return parsed.data as unknown as Update;
}

/** Error codes and names of a dependency that is unreachable for a while (PostgreSQL, Redis, Temporal, the network). */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, connection_exception and its subclasses.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'UNAVAILABLE',
]);
const TRANSIENT_NAMES = new Set(['ConnectionError', 'BackendTerminatedError', 'MaxRetriesPerRequestError']);
const TRANSIENT_TEXT =
  /Connection terminated|Connection is closed|connect ECONNREFUSED|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection due to administrator command/i;

/** Whether an update failed because a dependency was unreachable (its cause chain, a few levels deep). */
export function isTransientFailure(err: unknown): boolean {
  let e: unknown = err instanceof BotError ? err.error : err;
  for (let depth = 0; depth < 6 && e; depth++) {
    if (typeof e !== 'object' && typeof e !== 'string') return false;
    const o = (typeof e === 'object' ? e : { message: e }) as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (TRANSIENT_CODES.has(String(o.code)) || (typeof o.code === 'number' && o.code === 14)) return true;
    if (TRANSIENT_NAMES.has(String(o.name)) || TRANSIENT_NAMES.has(String(o.constructor?.name))) return true;
    if (TRANSIENT_TEXT.test(String(o.message ?? ''))) return true;
    if (Array.isArray(o.errors) && o.errors.some((x) => isTransientFailure(x))) return true;
    e = o.cause;
  }
  return false;
}

/** Per update: whether any Bot API call was made while handling it (the user may have seen something). */
const updateScope = new AsyncLocalStorage<{ called: boolean }>();
const tracking = new WeakSet<object>();
function trackBotApiCalls(bot: Bot<BotContext>): void {
  if (tracking.has(bot)) return;
  tracking.add(bot);
  // Each update's Api copies bot.api's transformers, so this sees every call an update's handler makes.
  bot.api.config.use((prev, method, payload, signal) => {
    const scope = updateScope.getStore();
    if (scope) scope.called = true;
    return prev(method, payload, signal);
  });
}

/** How long a replica's claim on an update lasts unless renewed (it renews it while the handler runs). */
export const UPDATE_LEASE_MS = 15_000;
/** How long a handled update is remembered: Telegram keeps an undelivered update for 24 hours. */
export const UPDATE_DONE_TTL_S = 24 * 3600;
const REDIS_TIMEOUT_MS = 1_000;

/**
 * Each update handled once across the replicas: Telegram redelivers an update whose answer it did not get (a replica
 * killed or slow, the proxy down, a new setWebhook), possibly to another replica. A claim in Redis
 * (`bot:update:<bot id>:<update id>`, SET NX with a lease renewed while the handler runs) marks it being handled, then `done` for a
 * day. A redelivery of a `done` update is answered 200 and dropped; one that is still being handled elsewhere is
 * answered 503 (Telegram tries again later, by when it is done, or its lease ran out because that replica died).
 * Redis unreachable: the update is handled without the check (at least once rather than not at all).
 */
export interface UpdateDedupe {
  claim(updateId: number): Promise<'mine' | 'done' | 'elsewhere' | 'unchecked'>;
  renew(updateId: number): void;
  done(updateId: number): void;
  release(updateId: number): void;
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis timed out')), REDIS_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function redisUpdateDedupe(redis: Redis, logger: Logger, prefix = 'bot:update:'): UpdateDedupe {
  const key = (id: number) => `${prefix}${id}`;
  const quiet = (p: Promise<unknown>, what: string, updateId: number) =>
    void withTimeout(p).catch((err: unknown) =>
      logger.warn({ err, updateId }, `update dedupe: ${what} failed`),
    );
  return {
    async claim(updateId) {
      try {
        const set = await withTimeout(redis.set(key(updateId), 'handling', 'PX', UPDATE_LEASE_MS, 'NX'));
        if (set === 'OK') return 'mine';
        const state = await withTimeout(redis.get(key(updateId)));
        if (state === 'done') return 'done';
        if (state === null) return this.claim(updateId);
        return 'elsewhere';
      } catch (err) {
        logger.warn({ err, updateId }, 'update dedupe unavailable (Redis): handling the update unchecked');
        return 'unchecked';
      }
    },
    renew(updateId) {
      quiet(redis.set(key(updateId), 'handling', 'PX', UPDATE_LEASE_MS, 'XX'), 'renew', updateId);
    },
    done(updateId) {
      quiet(redis.set(key(updateId), 'done', 'EX', UPDATE_DONE_TTL_S), 'done', updateId);
    },
    release(updateId) {
      quiet(redis.del(key(updateId)), 'release', updateId);
    },
  };
}

/**
 * Hands each update to the bot and answers 200 when it was handled or after `answerWithinMs`, whichever is first
 * (the handler keeps running; its errors end in the bot's error boundary, never uncaught).
 *
 * An update that fails before the answer because a dependency is unreachable (PostgreSQL, Redis, Temporal restarting)
 * and before its handler made any Bot API call is answered 503: nothing happened the user could see, so Telegram
 * redelivers it (to this replica or another) and it is handled once the dependency is back. Any other failure goes
 * to the error boundary (`bot.catch`: logged, and the user told in their language), as in long polling.
 */
export function createDirectWebhookHandler(
  bot: Bot<BotContext>,
  options: { secret: string; logger: Logger; answerWithinMs?: number; dedupe?: UpdateDedupe },
): (request: HttpRequest) => Promise<void> {
  const { dedupe } = options;
  const answerWithinMs = options.answerWithinMs ?? 8_000;
  trackBotApiCalls(bot);
  const toBoundary = (err: unknown, updateId: number) =>
    Promise.resolve()
      .then(() =>
        err instanceof BotError ? bot.errorHandler(err as BotError<BotContext>) : Promise.reject(err),
      )
      .catch((e: unknown) => options.logger.error({ err: e, updateId }, 'webhook update failed'));
  return async (request) => {
    const update = await readUpdate(request, options.secret);
    const id = update.update_id;
    const claim = dedupe ? await dedupe.claim(id) : 'unchecked';
    if (claim === 'done') return sendJson(request.res, 200, { ok: true });
    if (claim === 'elsewhere')
      return sendJson(request.res, 503, { ok: false, error: 'being handled' }, { 'retry-after': '2' });
    const lease =
      claim === 'mine' ? setInterval(() => dedupe!.renew(id), UPDATE_LEASE_MS / 3).unref() : undefined;
    const scope = { called: false };
    let answered = false;
    const handled = updateScope
      .run(scope, () => bot.handleUpdate(update))
      .then(
        () => 'done' as const,
        (err: unknown) => {
          if (!answered && !scope.called && isTransientFailure(err)) {
            answered = true;
            clearInterval(lease);
            if (claim === 'mine') dedupe!.release(id);
            options.logger.warn(
              { err: err instanceof BotError ? err.error : err, updateId: update.update_id },
              'webhook update failed on an unreachable dependency before any reply: asking Telegram to redeliver',
            );
            return 'redeliver' as const;
          }
          void toBoundary(err, update.update_id);
          return 'failed' as const;
        },
      )
      .then((outcome) => {
        if (outcome !== 'redeliver') {
          clearInterval(lease);
          if (claim === 'mine') dedupe!.done(id);
        }
        return outcome;
      });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      handled,
      new Promise<'pending'>(
        (resolve) =>
          (timer = setTimeout(() => {
            answered = true;
            resolve('pending');
          }, answerWithinMs)),
      ),
    ]);
    clearTimeout(timer);
    answered = true;
    if (outcome === 'redeliver')
      return sendJson(
        request.res,
        503,
        { ok: false, error: 'temporarily unavailable' },
        { 'retry-after': '1' },
      );
    sendJson(request.res, 200, { ok: true });
  };
}
