/**
 * Telegram's webhook deliveries (BOT_MODE=webhook): the secret token header is checked in constant time before the
 * body is read, the body is capped and parsed with zod, then the update is stored in the durable queue
 * (src/bot/update-queue.ts). What counts as a dependency being unreachable (the queue retries those) is here too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import { HttpError, readBody, sendJson, type HttpRequest } from '../ops/http';
import type { BotContext } from '../bot-kit/context';
import type { UpdateQueue } from './update-queue';

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
export function trackBotApiCalls(bot: Bot<BotContext>): void {
  if (tracking.has(bot)) return;
  tracking.add(bot);
  // Each update's Api copies bot.api's transformers, so this sees every call an update's handler makes.
  bot.api.config.use((prev, method, payload, signal) => {
    const scope = updateScope.getStore();
    if (scope) scope.called = true;
    return prev(method, payload, signal);
  });
}

/** Runs a handler, telling afterwards whether it made any Bot API call (`trackBotApiCalls` on the bot first). */
export async function withCallTracking<T>(
  fn: () => Promise<T>,
): Promise<{ called: boolean; result: Promise<T> }> {
  const scope = { called: false };
  const result = updateScope.run(scope, fn);
  await result.catch(() => undefined);
  return { called: scope.called, result };
}

/**
 * Telegram's webhook: answers 200 as soon as the update is stored (one insert into the durable queue), never after
 * its handler; the queue's lanes handle it, in order per user, on whichever replica (src/bot/update-queue.ts). A
 * redelivery of an update already stored is answered 200 and not handled again. A failed insert (PostgreSQL away)
 * answers 500, so Telegram delivers the update again later.
 */
export function createQueuedWebhookHandler(
  queue: Pick<UpdateQueue, 'accept'>,
  options: { secret: string },
): (request: HttpRequest) => Promise<void> {
  return async (request) => {
    const update = await readUpdate(request, options.secret);
    await queue.accept(update);
    sendJson(request.res, 200, { ok: true });
  };
}
