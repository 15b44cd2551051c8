import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config, Tier } from '../config';
import { FaceitCache, type LoadContext } from './cache';
import { type FaceitEndpoint, ttlSeconds } from './endpoints';
import {
  FaceitBadRequestError,
  FaceitBadResponseError,
  FaceitNotFoundError,
  FaceitRateLimitedError,
  FaceitUnauthorizedError,
  FaceitUnavailableError,
} from './errors';
import { type EndpointCounters, FaceitMetrics } from './metrics';
import { type RateFeedback, SlotWaitTimeout, budgetOf } from './rate-limit-types';
import { FaceitRateLimiter, type LimiterMode } from './rate-limiter';
import { RedisHealth } from './redis-health';
import {
  type EndpointResult,
  type Match,
  type MatchStats,
  type Player,
  type PlayerHistory,
  type PlayerMatchStatsList,
  type PlayerSearch,
  type PlayerStats,
  errorBodySchema,
  parseBody,
  toNumber,
} from './schemas';

/**
 * The FACEIT Data API client: typed, cached, coalesced, rate-limited across processes, retried.
 *
 * Retry split with Temporal: the client absorbs short trouble itself — up to `retry.maxAttempts` attempts for
 * 5xx/timeouts/network errors (200 ms → 2 s backoff with jitter) and up to `retry.max429Retries` 429s as long as
 * their Retry-After waits add up to ≤ `retry.max429WaitMs` — so a 429 never reaches a user. Whatever outlasts that
 * becomes a typed error; `toActivityFailure` hands it to Temporal, whose activity retry policy (seconds to minutes,
 * `nextRetryDelay` = FACEIT's Retry-After for 429s) takes over. Activity start-to-close timeouts should exceed
 * `maxQueueWaitMs` + a few request timeouts.
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
>;

export interface FaceitCallOptions {
  /** Rate-limit priority (default 'default'). */
  priority?: Tier;
  /** Aborts the request and any wait for a rate-limit slot (e.g. a Temporal activity's cancellation signal). */
  signal?: AbortSignal;
  /** false: skip the cache read (always ask FACEIT); the fresh answer is still cached. Default true. */
  cache?: boolean;
  /** Longest wait for a rate-limit slot before FaceitRateLimitedError (default: the client's maxQueueWaitMs). */
  maxWaitMs?: number;
}

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

export interface FaceitClientOptions {
  config: FaceitClientConfig;
  /** The app's Redis; the client opens its own connection from it (fail-fast settings). null/undefined: no Redis. */
  redis?: Redis | null;
  logger: Logger;
  fetch?: typeof fetch;
  /** Prefix of every Redis key (default "faceit:"); tests use a unique one each. */
  keyPrefix?: string;
  /** prom-client registry for the counters (default: the global one; null: none). */
  metricsRegistry?: Registry | null;
  retry?: Partial<RetryPolicy>;
  /** Default longest wait for a rate-limit slot (default 60 s). */
  maxQueueWaitMs?: number;
  /** Share of the budget the in-process fallback limiter may use while Redis is down (default 0.5). */
  localShare?: number;
}

export interface FaceitClientStats {
  endpoints: Record<FaceitEndpoint, EndpointCounters>;
  totals: EndpointCounters;
  limiter: LimiterMode;
  redis: boolean;
}

export interface FaceitClient {
  getPlayerByNickname(nickname: string, options?: FaceitCallOptions): Promise<Player>;
  getPlayer(playerId: string, options?: FaceitCallOptions): Promise<Player>;
  getPlayerBySteamId(steamId64: string, options?: FaceitCallOptions): Promise<Player>;
  searchPlayers(
    params: { nickname: string; offset?: number; limit?: number },
    options?: FaceitCallOptions,
  ): Promise<PlayerSearch>;
  /** Lifetime stats and per-map segments (CS2). */
  getPlayerStats(playerId: string, options?: FaceitCallOptions): Promise<PlayerStats>;
  /** `from`/`to` are epoch seconds. */
  getPlayerHistory(
    playerId: string,
    params?: { offset?: number; limit?: number; from?: number; to?: number },
    options?: FaceitCallOptions,
  ): Promise<PlayerHistory>;
  /** Per-match stats, newest first; one call returns up to 100 matches. */
  getPlayerMatchStats(
    playerId: string,
    params?: { offset?: number; limit?: number },
    options?: FaceitCallOptions,
  ): Promise<PlayerMatchStatsList>;
  getMatch(matchId: string, options?: FaceitCallOptions): Promise<Match>;
  getMatchStats(matchId: string, options?: FaceitCallOptions): Promise<MatchStats>;
  stats(): FaceitClientStats;
  /** Closes the client's own Redis connection. */
  close(): Promise<void>;
}

const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  max429Retries: 5,
  max429WaitMs: 30_000,
};
const NOT_FOUND_TTL_S = 60;

type Query = Record<string, string | number | undefined>;

function queryString(query: Query): string {
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After is seconds or an HTTP date. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = toNumber(value);
  if (seconds !== undefined) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function createFaceitClient(options: FaceitClientOptions): FaceitClient {
  const { config, logger } = options;
  const fetchImpl = options.fetch ?? fetch;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const prefix = options.keyPrefix ?? 'faceit:';
  const maxQueueWaitMs = options.maxQueueWaitMs ?? 60_000;
  const baseUrl = config.FACEIT_API_BASE_URL.replace(/\/+$/, '');
  const timeoutMs = config.FACEIT_REQUEST_TIMEOUT_MS;
  const { windowMs } = budgetOf(config.FACEIT_RATE_LIMIT_PER_SECOND);
  // Own connection: fail fast while Redis is down instead of queueing commands, reconnect in the background.
  const redis = options.redis
    ? options.redis.duplicate({
        enableOfflineQueue: false,
        commandTimeout: 1_000,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => Math.min(100 * times, 1_000),
      })
    : undefined;
  const health = new RedisHealth(redis, logger);
  const metrics = new FaceitMetrics(options.metricsRegistry);
  const limiter = new FaceitRateLimiter(
    config.FACEIT_RATE_LIMITER,
    {
      perSecond: config.FACEIT_RATE_LIMIT_PER_SECOND,
      hourlyQuota: config.FACEIT_HOURLY_QUOTA,
      leaseMs: timeoutMs + 2_000,
      keyPrefix: prefix,
      localShare: options.localShare,
    },
    redis,
    health,
  );
  const cache = new FaceitCache(redis, health);

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
        if (!transient) return { text: answer.text, value: parseBody(endpoint, body, status) };
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
            ? new FaceitUnavailableError(`FACEIT ${endpoint}: ${answer.failure}`, endpoint, answer.failure ?? 'network', undefined, {
                cause: answer.cause,
              })
            : new FaceitUnavailableError(`FACEIT ${endpoint}: ${errorMessage(answer)}`, endpoint, 'http', status);
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

  async function call<E extends FaceitEndpoint>(
    endpoint: E,
    path: string,
    query: Query,
    options: FaceitCallOptions = {},
  ): Promise<EndpointResult<E>> {
    await health.started;
    const suffix = path + queryString(query);
    try {
      return await cache.get<EndpointResult<E>>({
        key: `${prefix}cache:${endpoint}:${suffix}`,
        ttlS: ttlSeconds(config, endpoint),
        useCache: options.cache !== false,
        tier: options.priority ?? 'default',
        signal: options.signal,
        remoteWaitMs: (options.maxWaitMs ?? maxQueueWaitMs) + 2 * timeoutMs,
        decode: (text) => parseBody(endpoint, JSON.parse(text)),
        load: (ctx) => fetchWithRetry(endpoint, baseUrl + suffix, ctx, options.maxWaitMs ?? maxQueueWaitMs),
        notFound: {
          is: (err) => err instanceof FaceitNotFoundError,
          make: (message) => new FaceitNotFoundError(message, endpoint, 404),
          ttlS: NOT_FOUND_TTL_S,
        },
        onEvent: (event) => metrics.inc(endpoint, event === 'hit' ? 'hits' : event === 'miss' ? 'misses' : 'coalesced'),
      });
    } catch (err) {
      metrics.inc(endpoint, 'errors');
      throw err;
    }
  }

  const id = (value: string) => encodeURIComponent(value);

  return {
    getPlayerByNickname: (nickname, o) => call('playerByNickname', '/players', { nickname }, o),
    getPlayer: (playerId, o) => call('player', `/players/${id(playerId)}`, {}, o),
    getPlayerBySteamId: (steamId64, o) =>
      call('playerBySteamId', '/players', { game: 'cs2', game_player_id: steamId64 }, o),
    searchPlayers: ({ nickname, offset = 0, limit = 20 }, o) =>
      call('searchPlayers', '/search/players', { nickname, offset, limit }, o),
    getPlayerStats: (playerId, o) => call('playerStats', `/players/${id(playerId)}/stats/cs2`, {}, o),
    getPlayerHistory: (playerId, { offset = 0, limit = 20, from, to } = {}, o) =>
      call('playerHistory', `/players/${id(playerId)}/history`, { game: 'cs2', offset, limit, from, to }, o),
    getPlayerMatchStats: (playerId, { offset = 0, limit = 20 } = {}, o) =>
      call('playerMatchStats', `/players/${id(playerId)}/games/cs2/stats`, { offset, limit }, o),
    getMatch: (matchId, o) => call('match', `/matches/${id(matchId)}`, {}, o),
    getMatchStats: (matchId, o) => call('matchStats', `/matches/${id(matchId)}/stats`, {}, o),
    stats: () => ({ ...metrics.snapshot(), limiter: limiter.mode(), redis: health.usable() }),
    close: async () => {
      health.stop();
      redis?.disconnect();
    },
  };
}
