import { faceitBudget } from '../ops/metrics';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { QueueTier } from '../config';
import { type CacheEvent, FaceitCache } from './cache';
import { REFRESH_MAX_WAIT_MS, RefreshGate, cachePolicy } from './cache-policy';
import { recordFaceitCall } from './call-counter';
import type { FaceitEndpoint } from './endpoints';
import { FaceitNotFoundError } from './errors';
import { type CounterName, type EndpointCounters, FaceitMetrics } from './metrics';
import { FaceitRateLimiter, type LimiterMode } from './rate-limiter';
import { RedisHealth } from './redis-health';
import type {
  EndpointResult,
  Match,
  MatchStats,
  Player,
  PlayerHistory,
  PlayerMatchStatsList,
  PlayerSearch,
  PlayerStats,
} from './schemas';
import { parseBody } from './schemas';
import { DEFAULT_RETRY, type FaceitClientConfig, type RetryPolicy, createUpstream } from './upstream';

export type { FaceitClientConfig, RetryPolicy };

/**
 * The FACEIT Data API client: typed, cached, coalesced, rate-limited across processes, retried (see upstream.ts for
 * the retry split with Temporal, rate-limiter.ts for the shared budget, cache.ts for caching and coalescing).
 */

export interface FaceitCallOptions {
  /** Rate-limit priority (default 'default'). */
  priority?: QueueTier;
  /** Aborts the request and any wait for a rate-limit slot (e.g. a Temporal activity's cancellation signal). */
  signal?: AbortSignal;
  /** false: skip the cache read (always ask FACEIT); the fresh answer is still cached. Default true. */
  cache?: boolean;
  /**
   * false: an answer past its TTL is fetched again even within the endpoint's stale window (src/faceit/cache-policy.ts),
   * for what a user reads as current (a /profile's last results). Default true.
   */
  allowStale?: boolean;
  /** Longest wait for a rate-limit slot before FaceitRateLimitedError (default: the client's maxQueueWaitMs). */
  maxWaitMs?: number;
  /**
   * Told when FACEIT gave the answer returned (epoch ms): now for a fetch, earlier for a cached answer — up to the
   * TTL plus the stale window for lifetime stats (src/faceit/cache-policy.ts). What a report shows as the data's age.
   */
  onFetchedAt?: (fetchedAtMs: number) => void;
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
  /** The cache's clock (epoch ms; default Date.now): tests age entries with it. */
  now?: () => number;
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

const NOT_FOUND_TTL_S = 60;

const COUNTER_OF: Record<CacheEvent, CounterName> = {
  hit: 'hits',
  miss: 'misses',
  coalesced: 'coalesced',
  stale: 'staleHits',
  refresh: 'refreshes',
  refreshDropped: 'refreshesDropped',
};

type Query = Record<string, string | number | undefined>;

function queryString(query: Query): string {
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`
    : '';
}

export function createFaceitClient(options: FaceitClientOptions): FaceitClient {
  const { config, logger } = options;
  const prefix = options.keyPrefix ?? 'faceit:';
  const maxQueueWaitMs = options.maxQueueWaitMs ?? 60_000;
  const baseUrl = config.FACEIT_API_BASE_URL.replace(/\/+$/, '');
  const timeoutMs = config.FACEIT_REQUEST_TIMEOUT_MS;
  // Own connection: fail fast while Redis is down instead of queueing commands, reconnect in the background.
  const redis = options.redis
    ? options.redis.duplicate({
        enableOfflineQueue: false,
        lazyConnect: false,
        commandTimeout: 1_000,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => Math.min(100 * times, 1_000),
      })
    : undefined;
  const health = new RedisHealth(redis, logger);
  const metrics = new FaceitMetrics(options.metricsRegistry);
  if (options.metricsRegistry !== null) faceitBudget().set(config.FACEIT_RATE_LIMIT_PER_SECOND);
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
  const cache = new FaceitCache(
    redis,
    health,
    new RefreshGate(config.CACHE_REFRESH_MAX_IN_FLIGHT),
    options.now,
  );
  const fetchWithRetry = createUpstream({
    config,
    fetch: options.fetch ?? fetch,
    logger,
    limiter,
    metrics,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    onCall: () => recordFaceitCall(redis, prefix),
  });

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
        policy: cachePolicy(config, endpoint),
        useCache: options.cache !== false,
        allowStale: options.allowStale !== false,
        tier: options.priority ?? 'default',
        signal: options.signal,
        remoteWaitMs: (options.maxWaitMs ?? maxQueueWaitMs) + 2 * timeoutMs,
        decode: (text) => parseBody(endpoint, JSON.parse(text)),
        load: (ctx) =>
          fetchWithRetry(
            endpoint,
            baseUrl + suffix,
            ctx,
            ctx.background ? REFRESH_MAX_WAIT_MS : (options.maxWaitMs ?? maxQueueWaitMs),
          ),
        notFound: {
          is: (err) => err instanceof FaceitNotFoundError,
          make: (message) => new FaceitNotFoundError(message, endpoint, 404),
          ttlS: NOT_FOUND_TTL_S,
        },
        onEvent: (event) => metrics.inc(endpoint, COUNTER_OF[event]),
        onFetchedAt: options.onFetchedAt,
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
      cache.stop();
      health.stop();
      redis?.disconnect();
    },
  };
}
