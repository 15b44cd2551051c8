import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LocalRateLimiter } from './local-rate-limiter';
import {
  type AcquireRequest,
  type Grant,
  type RateFeedback,
  SlotWaitTimeout,
  TIER_QUOTA_SHARE,
  TIER_RANK,
  budgetOf,
} from './rate-limit-types';
import { ACQUIRE_LUA, COMPLETE_LUA } from './rate-limiter-lua';
import type { RedisHealth } from './redis-health';
import { sleep } from './sleep';

/**
 * One FACEIT budget shared by every process through Redis, priority-aware.
 *
 * - A slot is taken when a request is sent and stays taken until one window (1 s at 10/s) after its answer. FACEIT
 *   counts the request somewhere between send and answer, so no FACEIT window — fixed or sliding — can ever hold
 *   more than `limit` of our requests, whatever the latency. At 10/s a cold lobby of 30 calls takes about
 *   2 windows + 3 latencies (≈2.2 s at 50 ms), and a saturated budget runs at limit / (window + latency).
 * - Callers queue per tier (critical > high > default > low) in Redis sorted sets: a slot goes to a lower tier only
 *   when no higher tier is waiting, FIFO within a tier. A waiter sleeps until the release time of the slot it is in
 *   line for (computed by the script from the slot table), capped at 1 s, so there is no spinning; waiters that stop
 *   polling (crashed process) expire after a few seconds.
 * - FACEIT's headers feed back: a 429 pauses everybody for Retry-After (else ratelimit-reset, else one window);
 *   `ratelimit-remaining: 0` while we hold at most half the slots (someone else uses the key) pauses until reset.
 * - Optional hourly quota, reserving the last 10–20% of the hour for higher tiers.
 * - Redis down → the local limiter with `localShare` of the budget (other processes may be falling back too).
 */

const MAX_SLEEP_MS = 1000;
const WAITER_TTL_MS = MAX_SLEEP_MS + 4000;

export interface RateLimiterOptions {
  perSecond: number;
  hourlyQuota: number;
  /** How long an in-flight request may hold its slot if its process dies before recording the answer. */
  leaseMs: number;
  keyPrefix: string;
  /** Share of the budget used by the in-process fallback while Redis is down (default 0.5). */
  localShare?: number;
}

export type LimiterMode = 'redis' | 'local' | 'off';

interface LimiterCommands {
  faceitAcquire(...args: (string | number)[]): Promise<[number, number]>;
  faceitComplete(...args: (string | number)[]): Promise<number>;
}

class RedisRateLimiter {
  private readonly instance = randomUUID().slice(0, 8);
  private seq = 0;
  private readonly keys: string[];

  constructor(
    private readonly redis: Redis & LimiterCommands,
    private readonly options: RateLimiterOptions,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    const p = `${options.keyPrefix}{rl}:`;
    this.keys = [
      `${p}slots`,
      `${p}pause`,
      `${p}waiters`,
      `${p}q:critical`,
      `${p}q:high`,
      `${p}q:default`,
      `${p}q:low`,
      `${p}hour`,
    ];
  }

  /** Resolves with a grant, or undefined when Redis failed (the caller falls back to the local limiter). */
  async acquire(request: AcquireRequest): Promise<Grant | undefined> {
    const id = `${this.instance}:${++this.seq}`;
    const started = Date.now();
    let waited = false;
    for (;;) {
      request.signal?.throwIfAborted();
      const tier = request.tier();
      let reply: [number, number];
      try {
        reply = await this.redis.faceitAcquire(
          ...this.keys,
          TIER_RANK[tier],
          id,
          this.limit,
          this.windowMs,
          this.options.leaseMs,
          this.options.hourlyQuota,
          TIER_QUOTA_SHARE[tier],
          WAITER_TTL_MS,
        );
      } catch {
        return undefined;
      }
      if (reply[0] === 1) {
        return {
          waitedMs: waited ? Date.now() - started : 0,
          release: (feedback) => this.complete(id, feedback),
        };
      }
      if (Date.now() + reply[1] > request.deadline) {
        void this.forget(id);
        throw new SlotWaitTimeout(reply[1]);
      }
      waited = true;
      try {
        await sleep(Math.min(Math.max(1, reply[1]), MAX_SLEEP_MS), request.signal);
      } catch (err) {
        void this.forget(id);
        throw err;
      }
    }
  }

  private async complete(id: string, feedback: RateFeedback): Promise<void> {
    try {
      await this.redis.faceitComplete(
        this.keys[0],
        this.keys[1],
        id,
        this.windowMs,
        feedback.status,
        feedback.remaining ?? -1,
        feedback.resetMs ?? -1,
        feedback.pauseMs ?? this.windowMs,
        this.limit,
      );
    } catch {
      // The slot then expires at its lease; a lost completion only makes us more conservative.
    }
  }

  /** Leaves the queues at once on abort or give-up, so lower tiers are not held back until our entry expires. */
  private async forget(id: string): Promise<void> {
    try {
      const multi = this.redis.multi();
      for (const key of this.keys.slice(2, 7)) multi.zrem(key, id);
      await multi.exec();
    } catch {
      // Expires by itself after WAITER_TTL_MS.
    }
  }
}

export class FaceitRateLimiter {
  private readonly redisLimiter: RedisRateLimiter | undefined;
  private readonly local: LocalRateLimiter;
  private lastMode: LimiterMode;

  constructor(
    private readonly enabled: boolean,
    options: RateLimiterOptions,
    redis: Redis | undefined,
    private readonly health: RedisHealth,
  ) {
    const { limit, windowMs } = budgetOf(options.perSecond);
    const localBudget = budgetOf(options.perSecond * (redis ? (options.localShare ?? 0.5) : 1));
    const localQuota = Math.floor(options.hourlyQuota * (redis ? (options.localShare ?? 0.5) : 1));
    this.local = new LocalRateLimiter(localBudget.limit, localBudget.windowMs, options.leaseMs, localQuota);
    if (redis) {
      redis.defineCommand('faceitAcquire', { numberOfKeys: 8, lua: ACQUIRE_LUA });
      redis.defineCommand('faceitComplete', { numberOfKeys: 2, lua: COMPLETE_LUA });
      this.redisLimiter = new RedisRateLimiter(redis as Redis & LimiterCommands, options, limit, windowMs);
    }
    this.lastMode = !enabled ? 'off' : redis ? 'redis' : 'local';
  }

  mode(): LimiterMode {
    return this.lastMode;
  }

  async acquire(request: AcquireRequest): Promise<Grant> {
    if (!this.enabled) return { waitedMs: 0, release: async () => {} };
    if (this.redisLimiter && this.health.usable()) {
      const grant = await this.redisLimiter.acquire(request);
      if (grant) {
        this.lastMode = 'redis';
        this.health.succeeded();
        return grant;
      }
      this.health.failed(new Error('rate limiter script failed'));
    }
    this.lastMode = 'local';
    return this.local.acquire(request);
  }
}

/** Requests waiting for a FACEIT slot, per tier (the shared Redis queues; the bot shows it to a waiting user). */
export type QueueDepth = Record<'critical' | 'high' | 'default' | 'low', number>;

/**
 * How many callers wait in each tier's queue right now. Dead entries (a crashed caller) linger a few seconds at most;
 * the total is capped by the live waiters. Undefined when Redis does not answer.
 */
export async function faceitQueueDepth(redis: Redis, keyPrefix = 'faceit:'): Promise<QueueDepth | undefined> {
  const p = `${keyPrefix}{rl}:`;
  try {
    const res = await redis
      .multi()
      .zcount(`${p}waiters`, Date.now(), '+inf')
      .zcard(`${p}q:critical`)
      .zcard(`${p}q:high`)
      .zcard(`${p}q:default`)
      .zcard(`${p}q:low`)
      .exec();
    if (!res) return undefined;
    const [live, critical, high, normal, low] = res.map(([err, n]) => (err ? 0 : Number(n)));
    const cap = (n: number) => Math.min(n, live);
    return { critical: cap(critical), high: cap(high), default: cap(normal), low: cap(low) };
  } catch {
    return undefined;
  }
}
