import { ApplicationFailure } from '@temporalio/common';
import type { FaceitEndpoint } from './endpoints';

/**
 * The client's typed failures. `retryable` tells Temporal (via `toActivityFailure`) whether another attempt can help;
 * the client has already retried transient failures a few times before any of these reaches the caller.
 */
export abstract class FaceitError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly endpoint: FaceitEndpoint,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 404: the player or match does not exist (or has no CS2 data). Retrying cannot help. */
export class FaceitNotFoundError extends FaceitError {
  readonly retryable = false;
}

/** 401/403: the API key is missing, wrong or revoked. An operator must act; the client logs it at error level. */
export class FaceitUnauthorizedError extends FaceitError {
  readonly retryable = false;
}

/** 400 and other unexpected 4xx: our request is wrong. */
export class FaceitBadRequestError extends FaceitError {
  readonly retryable = false;
}

/**
 * 429 that outlasted the client's internal waits, or a wait for a rate-limit slot longer than the caller allows.
 * `retryAfterMs` is the wait FACEIT asked for (or the limiter's estimate); Temporal uses it as the next retry delay.
 */
export class FaceitRateLimitedError extends FaceitError {
  readonly retryable = true;
  constructor(
    message: string,
    endpoint: FaceitEndpoint,
    readonly retryAfterMs: number,
    status?: number,
  ) {
    super(message, endpoint, status);
  }
}

/** 5xx, timeout or network failure that persisted through the client's internal retries. */
export class FaceitUnavailableError extends FaceitError {
  readonly retryable = true;
  constructor(
    message: string,
    endpoint: FaceitEndpoint,
    readonly reason: 'http' | 'timeout' | 'network',
    status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, endpoint, status, options);
  }
}

/**
 * A body that is not what FACEIT documents. Unparseable JSON is usually a proxy hiccup (retryable); valid JSON of
 * the wrong shape will not fix itself (not retryable) and names the first problem.
 */
export class FaceitBadResponseError extends FaceitError {
  constructor(
    endpoint: FaceitEndpoint,
    readonly problem: string,
    readonly retryable: boolean,
    status?: number,
  ) {
    super(`FACEIT ${endpoint}: unexpected response body: ${problem}`, endpoint, status);
  }
}

/**
 * For activities: `catch (err) { throw toActivityFailure(err) }`. FACEIT errors become ApplicationFailures with the
 * right `nonRetryable` flag and, for rate limits, `nextRetryDelay` = the wait FACEIT asked for. Anything else
 * (cancellation included) is returned unchanged so Temporal sees it as it is.
 */
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof FaceitError)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: err.name,
    nonRetryable: !err.retryable,
    nextRetryDelay:
      err instanceof FaceitRateLimitedError ? Math.max(1, Math.ceil(err.retryAfterMs)) : undefined,
    details: [{ endpoint: err.endpoint, status: err.status ?? null }],
    cause: err,
  });
}

/** Error types a workflow's activity retry policy can list in `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_FACEIT_ERRORS = [
  'FaceitNotFoundError',
  'FaceitUnauthorizedError',
  'FaceitBadRequestError',
] as const;
