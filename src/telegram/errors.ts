import { ApplicationFailure } from '@temporalio/common';
import { GrammyError, HttpError } from 'grammy';
import { describeError } from '../logger';

/**
 * What a failed Bot API call means, decided here once for every sender (reports, notifications, briefs, billing
 * messages, broadcasts, progress edits, the bot's error boundary):
 *
 * - `chat-gone`: the chat will not take messages from us — 403 (the bot was blocked, kicked, the user deactivated,
 *   "can't initiate conversation"), or a 400 naming a vanished chat or missing rights ("chat not found", "not enough
 *   rights to send text messages", …). Retrying cannot help; stop writing to it.
 * - `rate-limited`: 429; `retryAfterS` is the wait Telegram asked for (`parameters.retry_after`, at least 1 s).
 * - `transient`: a 5xx from Telegram, or no answer at all (grammY's `HttpError`: network, timeout, refused).
 * - `permanent`: any other 4xx, mostly 400 — our request is wrong; retrying cannot help.
 *
 * `answered` is true when Telegram answered with an error: the message was not delivered. Without an answer it may
 * have been, unless `neverLeft` (the connection was refused, so the request never reached Telegram).
 */
export type TelegramErrorKind = 'chat-gone' | 'rate-limited' | 'transient' | 'permanent';

export interface TelegramErrorClass {
  kind: TelegramErrorKind;
  /** Only for `rate-limited`: seconds to wait before the next call. */
  retryAfterS?: number;
  /** Telegram's `error_code`, when it answered. */
  code?: number;
  /** Telegram's `description`, or the network error's message. */
  description: string;
  answered: boolean;
  neverLeft: boolean;
}

/** The Bot API's error body, as documented: `{ ok: false, error_code, description, parameters? }`. */
export interface BotApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** 400 descriptions that mean the chat itself is out of reach (not that this one message is wrong). */
const CHAT_GONE_400 = /chat not found|kicked|deactivated|not a member|have no rights|not enough rights/i;

function isBotApiErrorBody(err: unknown): err is BotApiErrorBody {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Record<string, unknown>;
  return e.ok === false && typeof e.error_code === 'number' && typeof e.description === 'string';
}

function refused(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === 'ECONNREFUSED') return true;
    if (/ECONNREFUSED/.test(typeof message === 'string' ? message : String(e))) return true;
    e = cause;
  }
  return false;
}

/**
 * The one classifier of Telegram failures: a `GrammyError` (Telegram answered with an error), grammY's `HttpError`
 * (no answer) or a raw Bot API error body. Anything else — a database error, a cancellation, our own bug — is not a
 * Telegram failure and gets `null`, for the caller to rethrow.
 */
export function classifyTelegramError(err: unknown): TelegramErrorClass | null {
  if (err instanceof HttpError) {
    const neverLeft = refused(err.error);
    return {
      kind: 'transient',
      description: neverLeft ? 'connection refused' : err.message,
      answered: false,
      neverLeft,
    };
  }
  if (!(err instanceof GrammyError) && !isBotApiErrorBody(err)) return null;
  const code = err.error_code;
  const description = err.description;
  const answered = { code, description, answered: true, neverLeft: true };
  if (code === 429) {
    return { kind: 'rate-limited', retryAfterS: Math.max(1, err.parameters?.retry_after ?? 1), ...answered };
  }
  if (code === 403 || (code === 400 && CHAT_GONE_400.test(description))) {
    return { kind: 'chat-gone', ...answered };
  }
  if (code >= 400 && code < 500) return { kind: 'permanent', ...answered };
  return { kind: 'transient', ...answered };
}

export const isChatGone = (err: unknown): boolean => classifyTelegramError(err)?.kind === 'chat-gone';

/** Telegram refused for good (a 4xx but 429): the chat is gone, or this request is wrong. Retrying cannot help. */
export function refusedForGood(err: unknown): boolean {
  const kind = classifyTelegramError(err)?.kind;
  return kind === 'chat-gone' || kind === 'permanent';
}

/** "Bad Request: message is not modified": an earlier attempt already made this edit (a success). */
export const isNotModified = (err: unknown): boolean =>
  err instanceof GrammyError && /message is not modified/i.test(err.description);

/** The message to edit was deleted (or never existed in that chat). */
export const isMessageGone = (err: unknown): boolean =>
  err instanceof GrammyError && /message to edit not found|message_id_invalid/i.test(err.description);

/**
 * May Telegram have the message? Not when it answered with an error, nor when the connection was refused (the
 * request never left); any other failure (reset, timeout) may have reached it.
 */
export function mayHaveArrived(err: unknown): boolean {
  const c = classifyTelegramError(err);
  return !c || (!c.answered && !c.neverLeft);
}

/** For logs and stored rows: `403 Forbidden: bot was blocked by the user`, or the error's message. */
export const describeTelegramError = (err: unknown): string =>
  err instanceof GrammyError
    ? `${err.error_code} ${err.description}`
    : err instanceof Error
      ? err.message
      : describeError(err);

/** A live claim of another attempt (see send-claims): the caller retries after the lease. */
export class ClaimHeldError extends Error {
  constructor(
    readonly key: string,
    readonly retryInMs: number,
  ) {
    super(`send of ${key} is claimed by another attempt; retry in ${Math.ceil(retryInMs / 1000)} s`);
    this.name = 'ClaimHeldError';
  }
}

/**
 * For activities: the next attempt waits as long as it must, not the policy's backoff — until an earlier attempt's
 * claim is past its lease (`SendClaimHeld`), or Telegram's `retry_after` (`TelegramRateLimited`). Anything else is
 * returned unchanged.
 */
export function toTelegramRetry(err: unknown): unknown {
  if (err instanceof ClaimHeldError) {
    return ApplicationFailure.create({
      message: err.message,
      type: 'SendClaimHeld',
      nextRetryDelay: `${err.retryInMs + 100} ms`,
    });
  }
  const c = err instanceof GrammyError ? classifyTelegramError(err) : null;
  if (err instanceof GrammyError && c?.kind === 'rate-limited') {
    return ApplicationFailure.create({
      message: `Telegram 429 on ${err.method}: ${err.description}`,
      type: 'TelegramRateLimited',
      nextRetryDelay: `${(c.retryAfterS ?? 1) * 1000 + 100} ms`,
    });
  }
  return err;
}
