import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { QueueTier } from '../config';
import { TIER_RANK } from './rate-limit-types';
import type { RedisHealth } from './redis-health';
import {
  type CachePolicy,
  type Freshness,
  REFRESH_TIER,
  type RefreshGate,
  freshness,
  keepSeconds,
} from './cache-policy';

/**
 * Cache-aside in Redis with request coalescing, so FACEIT sees one call for many identical requests:
 * - in this process, identical requests share one in-flight promise (the shared fetch runs at the highest tier of
 *   its callers, and is aborted only when every caller has aborted);
 * - across processes, the first process takes a short Redis lock and fetches; the others poll briefly for the value
 *   (and fetch themselves if the lock holder gives up or dies).
 * Values are the raw response bodies with the time FACEIT gave them (re-validated on read, so a schema change never
 * serves stale shapes). An endpoint with a stale window (cache-policy.ts) is served past its TTL while one background
 * call on the lowest tier renews it (bounded by the RefreshGate; the caller never waits for it).
 * "Not found" is cached briefly too, so a mistyped nickname does not cost a FACEIT call per retry.
 * Redis down → no cache, only in-process coalescing.
 */

const LOCK_MS = 5_000;
const POLL_MS = 25;
/** One refresher per key across processes for this long (a failed refresh is not retried sooner). */
const REFRESH_CLAIM_MS = 60_000;
const UNLOCK_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface LoadContext {
  tier: () => QueueTier;
  signal: AbortSignal;
  /** A background refresh (nobody waits for it): the load waits only briefly for a rate-limit slot. */
  background?: boolean;
}

export type CacheEvent = 'hit' | 'miss' | 'coalesced' | 'stale' | 'refresh' | 'refreshDropped';

export interface CacheRequest<T> {
  key: string;
  policy: CachePolicy;
  /** false: neither read nor coalesce across processes (the fresh value is still written). */
  useCache: boolean;
  /** false: an answer past its TTL is fetched again even within the stale window (what a user reads as current). */
  allowStale: boolean;
  tier: QueueTier;
  signal?: AbortSignal;
  /** Longest a caller waits for another process's fetch before fetching itself. */
  remoteWaitMs: number;
  decode: (text: string) => T;
  load: (ctx: LoadContext) => Promise<{ text: string; value: T }>;
  notFound: { is: (err: unknown) => boolean; make: (message: string) => Error; ttlS: number };
  onEvent: (event: CacheEvent) => void;
  /** Told when FACEIT gave the value handed back (epoch ms): now for a fetch, earlier for a cache hit. */
  onFetchedAt?: (fetchedAtMs: number) => void;
}

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

interface InFlight {
  promise: Promise<unknown>;
  controller: AbortController;
  callers: number;
  rank: number;
}

interface UnlockCommand {
  faceitUnlock(key: string, token: string): Promise<number>;
}

export class FaceitCache {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly refreshes = new Set<AbortController>();

  constructor(
    private readonly redis: Redis | undefined,
    private readonly health: RedisHealth,
    private readonly gate: RefreshGate,
    private readonly now: () => number = Date.now,
  ) {
    redis?.defineCommand('faceitUnlock', { numberOfKeys: 1, lua: UNLOCK_LUA });
  }

  /** Aborts the background refreshes in flight (the client is closing). */
  stop(): void {
    for (const controller of this.refreshes) controller.abort(new Error('FACEIT client closed'));
  }

  async get<T>(request: CacheRequest<T>): Promise<T> {
    const entry = await this.getEntry(request);
    request.onFetchedAt?.(entry.fetchedAt);
    return entry.value;
  }

  private async getEntry<T>(request: CacheRequest<T>): Promise<Entry<T>> {
    const slot = `${request.useCache ? (request.allowStale ? 'c' : 's') : 'f'}|${request.key}`;
    let flight = this.inFlight.get(slot);
    if (flight) {
      request.onEvent('coalesced');
      flight.rank = Math.min(flight.rank, TIER_RANK[request.tier]);
    } else {
      const controller = new AbortController();
      const created: InFlight = {
        controller,
        callers: 0,
        rank: TIER_RANK[request.tier],
        promise: Promise.resolve(),
      };
      const tier = () =>
        (Object.keys(TIER_RANK) as QueueTier[]).find((t) => TIER_RANK[t] === created.rank) ?? request.tier;
      created.promise = this.resolve(request, { tier, signal: controller.signal }).finally(() => {
        if (this.inFlight.get(slot) === created) this.inFlight.delete(slot);
      });
      created.promise.catch(() => {}); // followers handle it; an all-aborted flight must not be "unhandled"
      this.inFlight.set(slot, created);
      flight = created;
    }
    return this.follow(slot, flight, request.signal) as Promise<Entry<T>>;
  }

  private follow(slot: string, flight: InFlight, signal: AbortSignal | undefined): Promise<unknown> {
    signal?.throwIfAborted();
    flight.callers++;
    if (!signal) return flight.promise;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (--flight.callers === 0) {
          // Nobody waits any more: stop the fetch (and its slot wait); later callers start afresh.
          if (this.inFlight.get(slot) === flight) this.inFlight.delete(slot);
          flight.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async resolve<T>(request: CacheRequest<T>, ctx: LoadContext): Promise<Entry<T>> {
    if (request.useCache) {
      const cached = await this.read(request);
      if (cached?.state === 'fresh') {
        request.onEvent('hit');
        return cached;
      }
      if (cached?.state === 'stale' && request.allowStale) {
        request.onEvent('stale');
        this.refreshInBackground(request);
        return cached;
      }
    }
    request.onEvent('miss');
    let token: string | undefined;
    if (request.useCache && this.health.usable()) {
      const outcome = await this.lockOrWait(request, ctx.signal);
      if ('value' in outcome) {
        request.onEvent('coalesced');
        return outcome;
      }
      token = outcome.token;
    }
    const refresh = token
      ? setInterval(
          () => void this.health.attempt((r) => r.pexpire(this.lockKey(request), LOCK_MS), 0),
          LOCK_MS / 3,
        )
      : undefined;
    try {
      return await this.fetchAndStore(request, ctx);
    } catch (err) {
      if (request.useCache) await this.storeNotFound(request, err);
      throw err;
    } finally {
      clearInterval(refresh);
      if (token)
        await this.health.attempt(
          (r) => (r as Redis & UnlockCommand).faceitUnlock(this.lockKey(request), token),
          0,
        );
    }
  }

  private async fetchAndStore<T>(request: CacheRequest<T>, ctx: LoadContext): Promise<Entry<T>> {
    const { text, value } = await request.load(ctx);
    const fetchedAt = this.now();
    await this.write(request.key, `T${fetchedAt}|${text}`, keepSeconds(request.policy));
    return { value, fetchedAt };
  }

  private async storeNotFound(request: CacheRequest<unknown>, err: unknown): Promise<void> {
    if (!request.notFound.is(err)) return;
    await this.write(
      request.key,
      `N${err instanceof Error ? err.message : 'not found'}`,
      Math.min(request.policy.ttlS, request.notFound.ttlS),
    );
  }

  /**
   * Renews a stale entry on the refresh tier without anybody waiting: one per key in this process (the gate) and
   * across processes (a claim in Redis), at most the gate's bound at once; beyond it the refresh is dropped.
   */
  private refreshInBackground<T>(request: CacheRequest<T>): void {
    const verdict = this.gate.admit(request.key);
    if (verdict === 'running') return;
    if (verdict === 'dropped') {
      request.onEvent('refreshDropped');
      return;
    }
    const controller = new AbortController();
    this.refreshes.add(controller);
    void (async () => {
      try {
        const claimed = await this.health.attempt(
          (r) => r.set(`${request.key}:refresh`, '1', 'PX', REFRESH_CLAIM_MS, 'NX'),
          null,
        );
        if (claimed !== 'OK') return; // another process renews it
        await this.fetchAndStore(request, {
          tier: () => REFRESH_TIER,
          signal: controller.signal,
          background: true,
        });
        request.onEvent('refresh');
      } catch (err) {
        await this.storeNotFound(request, err);
        request.onEvent('refreshDropped');
      } finally {
        this.refreshes.delete(controller);
        this.gate.done(request.key);
      }
    })();
  }

  /**
   * Cached value with its age's standing, cached "not found" (thrown), or undefined. An undecodable or expired entry
   * counts as a miss; an entry written before the fetch time was stored ("V…") counts as fetched now.
   */
  private async read<T>(request: CacheRequest<T>): Promise<(Entry<T> & { state: Freshness }) | undefined> {
    const raw = await this.health.attempt((r) => r.get(request.key), null);
    if (!raw) return undefined;
    if (raw[0] === 'N') throw request.notFound.make(raw.slice(1));
    const now = this.now();
    let fetchedAt = now;
    let text = raw.slice(1);
    if (raw[0] === 'T') {
      const bar = raw.indexOf('|');
      fetchedAt = Number(raw.slice(1, bar));
      text = raw.slice(bar + 1);
      if (bar < 0 || !Number.isFinite(fetchedAt)) return undefined;
    } else if (raw[0] !== 'V') return undefined;
    const state = freshness(request.policy, fetchedAt, now);
    if (state === 'expired') return undefined;
    try {
      return { value: request.decode(text), fetchedAt, state };
    } catch {
      return undefined;
    }
  }

  private async write(key: string, value: string, ttlS: number): Promise<void> {
    if (ttlS <= 0) return;
    await this.health.attempt((r) => r.set(key, value, 'EX', ttlS), null);
  }

  private lockKey(request: CacheRequest<unknown>): string {
    return `${request.key}:lock`;
  }

  /** Takes the fetch lock, or waits for the process holding it to publish the value. */
  private async lockOrWait<T>(
    request: CacheRequest<T>,
    signal: AbortSignal,
  ): Promise<{ token?: string } | Entry<T>> {
    const token = randomUUID();
    const giveUpAt = Date.now() + request.remoteWaitMs;
    for (;;) {
      const locked = await this.health.attempt(
        (r) => r.set(this.lockKey(request), token, 'PX', LOCK_MS, 'NX'),
        'OK',
      );
      if (locked === 'OK') return { token };
      // Someone else is fetching: poll for their value while their lock lives.
      while (Date.now() < giveUpAt) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        signal.throwIfAborted();
        const cached = await this.read(request);
        if (cached && (cached.state === 'fresh' || request.allowStale)) return cached;
        if (!this.health.usable()) return {};
        const held = await this.health.attempt((r) => r.exists(this.lockKey(request)), 0);
        if (!held) break;
      }
      if (Date.now() >= giveUpAt) return {};
    }
  }
}
