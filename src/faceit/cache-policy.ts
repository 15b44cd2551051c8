import type { Config, QueueTier } from '../config';
import { type FaceitEndpoint, ttlSeconds } from './endpoints';

/**
 * How long each FACEIT answer is good for, in one place for the client's cache (cache.ts) and the population
 * benchmark (bench/population.ts), so the benchmark counts the calls of the policy that runs.
 *
 * - Within its TTL an answer is **fresh**: served from the cache.
 * - Past it, an endpoint with a stale window (lifetime and per-map stats, which move by a fraction of a percent per
 *   match over hundreds of matches) is **stale** for `staleS` more: served at once, and one background call on the
 *   lowest tier renews it. The user never waits for that call; at most `CACHE_REFRESH_MAX_IN_FLIGHT` run per process,
 *   each waits at most `REFRESH_MAX_WAIT_MS` for a rate-limit slot, and the rest are dropped (the stale answer still
 *   serves, the next stale hit tries again).
 * - What the model needs fresh, ELO (`player`) and recent matches (`playerMatchStats`), has no stale window: past
 *   its TTL it is fetched again before it is used.
 * - Past both it is **expired**: fetched on the caller's tier, as on a miss.
 */

type StaleKey = 'CACHE_STALE_LIFETIME_STATS_S';

/** Endpoints served stale-while-revalidate and the variable that sets their window (the others have none). */
export const ENDPOINT_STALE: Partial<Record<FaceitEndpoint, StaleKey>> = {
  playerStats: 'CACHE_STALE_LIFETIME_STATS_S',
};

export type CachePolicyConfig = Parameters<typeof ttlSeconds>[0] & Pick<Config, StaleKey>;

export interface CachePolicy {
  ttlS: number;
  staleS: number;
}

export type Freshness = 'fresh' | 'stale' | 'expired';

/** The tier background refreshes wait on: behind every user and operator request. */
export const REFRESH_TIER: QueueTier = 'low';
/** Longest a background refresh waits for a rate-limit slot before it is dropped. */
export const REFRESH_MAX_WAIT_MS = 30_000;

export function cachePolicy(config: CachePolicyConfig, endpoint: FaceitEndpoint): CachePolicy {
  const staleKey = ENDPOINT_STALE[endpoint];
  return { ttlS: ttlSeconds(config, endpoint), staleS: staleKey ? config[staleKey] : 0 };
}

/** How long the cache keeps an answer: its TTL and its stale window. */
export function keepSeconds(policy: CachePolicy): number {
  return policy.ttlS > 0 ? policy.ttlS + policy.staleS : 0;
}

/** An answer fetched at `fetchedAtMs`, seen at `nowMs` (a clock behind the writer's counts as fresh). */
export function freshness(policy: CachePolicy, fetchedAtMs: number, nowMs: number): Freshness {
  const ageMs = nowMs - fetchedAtMs;
  if (ageMs < policy.ttlS * 1000) return 'fresh';
  if (ageMs < keepSeconds(policy) * 1000) return 'stale';
  return 'expired';
}

/**
 * The bound on background refreshes of one process: one per key at a time, at most `max` at once. `admit` says
 * whether to start one ('start'), that one is already running for the key ('running'), or that the bound is reached
 * ('dropped'); every 'start' is followed by `done(key)`.
 */
export class RefreshGate {
  private readonly running = new Set<string>();

  constructor(readonly max: number) {}

  admit(key: string): 'start' | 'running' | 'dropped' {
    if (this.running.has(key)) return 'running';
    if (this.running.size >= this.max) return 'dropped';
    this.running.add(key);
    return 'start';
  }

  done(key: string): void {
    this.running.delete(key);
  }

  get size(): number {
    return this.running.size;
  }
}
