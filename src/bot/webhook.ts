/**
 * Telegram's webhook deliveries (BOT_MODE=webhook): the secret token header is checked in constant time before the
 * body is read, the body is capped and parsed with zod, then the update is stored in the durable queue.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import { HttpError, readBody, sendJson, type HttpRequest } from '../ops/http';
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
