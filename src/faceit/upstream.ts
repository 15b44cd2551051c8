import type { Logger } from 'pino';
import type { Config } from '../config';
import type { LoadContext } from './cache';
import type { FaceitEndpoint } from './endpoints';
import {
  FaceitBadRequestError,
  FaceitBadResponseError,
  FaceitNotFoundError,
  FaceitRateLimitedError,
  FaceitUnauthorizedError,
  FaceitUnavailableError,
} from './errors';
import type { FaceitMetrics } from './metrics';
import { type RateFeedback, SlotWaitTimeout, budgetOf } from './rate-limit-types';
import type { FaceitRateLimiter } from './rate-limiter';
import { type EndpointResult, errorBodySchema, parseBody, toNumber } from './schemas';
import { sleep } from './sleep';

/**
 * One FACEIT call as the caller sees it: wait for a rate-limit slot, send under the per-request timeout, feed the
 * answer's rate-limit headers back to the limiter, retry what is worth retrying, and turn the rest into typed errors.
 *
 * Retry split with Temporal: the client absorbs short trouble itself — up to `retry.maxAttempts` attempts for
 * 5xx/timeouts/network errors/unparseable bodies (200 ms → 2 s backoff with jitter), and up to
 * `retry.max429Retries` 429s as long as their Retry-After waits add up to ≤ `retry.max429WaitMs` — so a 429 never
 * reaches a user. Whatever outlasts that becomes a typed error; `toActivityFailure` hands it to Temporal, whose
 * activity retry policy (seconds to minutes; `nextRetryDelay` = FACEIT's Retry-After for 429s) takes over.
 * Activity start-to-close timeouts should exceed `maxQueueWaitMs` + a few request timeouts.
 */

export type FaceitClientConfig = Pick<
  Config,
  | 'FACEIT_API_BASE_URL'
  | 'FACEIT_API_KEY'
  | 'FACEIT_RATE_LIMIT_PER_SECOND'
  | 'FACEIT_HOURLY_QUOTA'
  | 'FACEIT_REQUEST_TIMEOUT_MS'
  | 'FACEIT_RATE_LIMITER'
  | 'CACHE_TTL_PLAYER_S'
  | 'CACHE_TTL_LIFETIME_STATS_S'
  | 'CACHE_TTL_MATCH_S'
  | 'CACHE_TTL_MATCH_STATS_S'
  | 'CACHE_TTL_HISTORY_S'
  | 'CACHE_STALE_LIFETIME_STATS_S'
  | 'CACHE_REFRESH_MAX_IN_FLIGHT'
>;

export interface RetryPolicy {
  /** Attempts for 5xx, timeouts, network errors and unparseable bodies, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 429s waited out internally before FaceitRateLimitedError... */
  max429Retries: number;
  /** ...as long as the Retry-After waits add up to no more than this. */
  max429WaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  max429Retries: 5,
  max429WaitMs: 30_000,
};

/** Retry-After is seconds or an HTTP date. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = toNumber(value);
  if (seconds !== undefined) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export interface UpstreamDeps {
  config: FaceitClientConfig;
  fetch: typeof fetch;
  logger: Logger;
  limiter: FaceitRateLimiter;
  metrics: FaceitMetrics;
  retry: RetryPolicy;
  /** Called for every request sent to FACEIT (the durable per-minute count of call-counter.ts). */
  onCall?: () => void;
}

export type Upstream = <E extends FaceitEndpoint>(
  endpoint: E,
  url: string,
  ctx: LoadContext,
  maxWaitMs: number,
) => Promise<{ text: string; value: EndpointResult<E> }>;

export function createUpstream({
  config,
  fetch: fetchImpl,
  logger,
  limiter,
  metrics,
  retry,
  onCall,
}: UpstreamDeps): Upstream {
  const timeoutMs = config.FACEIT_REQUEST_TIMEOUT_MS;
  const { windowMs } = budgetOf(config.FACEIT_RATE_LIMIT_PER_SECOND);

  interface Answer {
    status: number;
    text: string;
    headers?: Headers;
    failure?: 'timeout' | 'network';
    cause?: unknown;
  }

  /** One HTTP exchange under the per-request timeout; a caller's abort is rethrown as is. */
  async function send(url: string, signal: AbortSignal): Promise<Answer> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await fetchImpl(url, {
        headers: { Authorization: `Bearer ${config.FACEIT_API_KEY ?? ''}`, Accept: 'application/json' },
        signal: AbortSignal.any([signal, timeout]),
      });
      return { status: res.status, text: await res.text(), headers: res.headers };
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      return { status: 0, text: '', failure: timeout.aborted ? 'timeout' : 'network', cause: err };
    }
  }

  function feedbackOf(answer: Answer): RateFeedback {
    const h = answer.headers;
    const remaining = toNumber(h?.get('ratelimit-remaining'));
    const resetS = toNumber(h?.get('ratelimit-reset'));
    const resetMs = resetS === undefined ? undefined : resetS * 1000;
    const pauseMs = retryAfterMs(h?.get('retry-after') ?? null) ?? (resetMs ? resetMs : windowMs);
    return { status: answer.status, remaining, resetMs, pauseMs };
  }

  function errorMessage(answer: Answer): string {
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(answer.text));
      return (parsed.success && parsed.data.errors[0]?.message) || `HTTP ${answer.status}`;
    } catch {
      return `HTTP ${answer.status}`;
    }
  }

  async function fetchWithRetry<E extends FaceitEndpoint>(
    endpoint: E,
    url: string,
    ctx: LoadContext,
    maxWaitMs: number,
  ): Promise<{ text: string; value: EndpointResult<E> }> {
    if (!config.FACEIT_API_KEY) {
      logger.error({ endpoint }, 'FACEIT_API_KEY is not set: every FACEIT call fails');
      throw new FaceitUnauthorizedError('FACEIT_API_KEY is not set', endpoint);
    }
    const deadline = Date.now() + maxWaitMs;
    let attempts = 0;
    let limited = 0;
    let limitedWaitMs = 0;
    for (;;) {
      let grant;
      try {
        grant = await limiter.acquire({ tier: ctx.tier, signal: ctx.signal, deadline });
      } catch (err) {
        if (err instanceof SlotWaitTimeout) {
          throw new FaceitRateLimitedError(`FACEIT ${endpoint}: ${err.message}`, endpoint, err.retryAfterMs);
        }
        throw err;
      }
      if (grant.waitedMs > 0) {
        metrics.inc(endpoint, 'waits');
        metrics.inc(endpoint, 'waitMsTotal', grant.waitedMs);
      }
      metrics.inc(endpoint, 'upstreamCalls');
      onCall?.();
      attempts++;
      let answer: Answer;
      try {
        answer = await send(url, ctx.signal);
      } catch (err) {
        await grant.release({ status: 0 });
        throw err;
      }
      const feedback = feedbackOf(answer);
      await grant.release(feedback);
      const { status } = answer;

      let transient: Error | undefined;
      if (status === 200) {
        let body: unknown;
        try {
          body = JSON.parse(answer.text);
        } catch {
          transient = new FaceitBadResponseError(endpoint, 'body is not JSON', true, status);
        }
        if (!transient) {
          const value = parseBody(endpoint, body, status);
          const skipped = (value as { skippedItems?: number }).skippedItems;
          if (skipped) {
            metrics.inc(endpoint, 'skippedItems', skipped);
            logger.warn({ endpoint, skipped }, 'FACEIT list items of an unreadable shape skipped');
          }
          return { text: answer.text, value };
        }
      } else if (status === 404) {
        throw new FaceitNotFoundError(`FACEIT ${endpoint}: ${errorMessage(answer)}`, endpoint, status);
      } else if (status === 401 || status === 403) {
        logger.error({ endpoint, status }, 'FACEIT rejected the API key: check FACEIT_API_KEY');
        throw new FaceitUnauthorizedError(`FACEIT ${endpoint}: ${errorMessage(answer)}`, endpoint, status);
      } else if (status === 429) {
        metrics.inc(endpoint, 'rateLimited');
        const waitMs = feedback.pauseMs ?? windowMs;
        if (limited >= retry.max429Retries || limitedWaitMs + waitMs > retry.max429WaitMs) {
          logger.warn({ endpoint, waitMs }, 'FACEIT rate limit persists; handing the retry to the caller');
          throw new FaceitRateLimitedError(`FACEIT ${endpoint}: rate limited`, endpoint, waitMs, status);
        }
        limited++;
        limitedWaitMs += waitMs;
        metrics.inc(endpoint, 'retries');
        logger.debug({ endpoint, waitMs }, 'FACEIT 429: waiting as asked');
        // The shared limiter now pauses everybody; without it, this call waits on its own.
        if (limiter.mode() === 'off') await sleep(waitMs, ctx.signal);
        continue;
      } else if (status >= 500 || status === 0) {
        transient =
          status === 0
            ? new FaceitUnavailableError(
                `FACEIT ${endpoint}: ${answer.failure}`,
                endpoint,
                answer.failure ?? 'network',
                undefined,
                {
                  cause: answer.cause,
                },
              )
            : new FaceitUnavailableError(
                `FACEIT ${endpoint}: ${errorMessage(answer)}`,
                endpoint,
                'http',
                status,
              );
      } else {
        throw new FaceitBadRequestError(`FACEIT ${endpoint}: ${errorMessage(answer)}`, endpoint, status);
      }

      if (attempts >= retry.maxAttempts) throw transient;
      metrics.inc(endpoint, 'retries');
      const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1));
      logger.debug({ endpoint, status, attempt: attempts }, 'FACEIT transient failure: retrying');
      await sleep(backoff / 2 + (Math.random() * backoff) / 2, ctx.signal);
    }
  }

  return fetchWithRetry;
}
