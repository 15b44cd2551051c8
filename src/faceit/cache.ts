import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { QueueTier } from '../config';
import { TIER_RANK } from './rate-limit-types';
import type { RedisHealth } from './redis-health';

/**
 * Cache-aside in Redis with request coalescing, so FACEIT sees one call for many identical requests:
 * - in this process, identical requests share one in-flight promise (the shared fetch runs at the highest tier of
 *   its callers, and is aborted only when every caller has aborted);
 * - across processes, the first process takes a short Redis lock and fetches; the others poll briefly for the value
 *   (and fetch themselves if the lock holder gives up or dies).
 * Values are the raw response bodies (re-validated on read, so a schema change never serves stale shapes).
 * "Not found" is cached briefly too, so a mistyped nickname does not cost a FACEIT call per retry.
 * Redis down → no cache, only in-process coalescing.
 */

const LOCK_MS = 5_000;
const POLL_MS = 25;
const UNLOCK_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface LoadContext {
  tier: () => QueueTier;
  signal: AbortSignal;
}

export interface CacheRequest<T> {
  key: string;
  ttlS: number;
  /** false: neither read nor coalesce across processes (the fresh value is still written). */
  useCache: boolean;
  tier: QueueTier;
  signal?: AbortSignal;
  /** Longest a caller waits for another process's fetch before fetching itself. */
  remoteWaitMs: number;
  decode: (text: string) => T;
  load: (ctx: LoadContext) => Promise<{ text: string; value: T }>;
  notFound: { is: (err: unknown) => boolean; make: (message: string) => Error; ttlS: number };
  onEvent: (event: 'hit' | 'miss' | 'coalesced') => void;
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

  constructor(
    private readonly redis: Redis | undefined,
    private readonly health: RedisHealth,
  ) {
    redis?.defineCommand('faceitUnlock', { numberOfKeys: 1, lua: UNLOCK_LUA });
  }

  async get<T>(request: CacheRequest<T>): Promise<T> {
    const slot = `${request.useCache ? 'c' : 'f'}|${request.key}`;
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
    return this.follow(slot, flight, request.signal) as Promise<T>;
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

  private async resolve<T>(request: CacheRequest<T>, ctx: LoadContext): Promise<T> {
    if (request.useCache) {
      const cached = await this.read(request);
      if (cached) {
        request.onEvent('hit');
        return cached.value;
      }
    }
    request.onEvent('miss');
    let token: string | undefined;
    if (request.useCache && this.health.usable()) {
      const outcome = await this.lockOrWait(request, ctx.signal);
      if ('value' in outcome) {
        request.onEvent('coalesced');
        return outcome.value;
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
      const { text, value } = await request.load(ctx);
      await this.write(request.key, `V${text}`, request.ttlS);
      return value;
    } catch (err) {
      if (request.notFound.is(err) && request.useCache) {
        await this.write(
          request.key,
          `N${err instanceof Error ? err.message : 'not found'}`,
          Math.min(request.ttlS, request.notFound.ttlS),
        );
      }
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

  /** Cached value, cached "not found" (thrown), or undefined. An undecodable entry counts as a miss. */
  private async read<T>(request: CacheRequest<T>): Promise<{ value: T } | undefined> {
    const raw = await this.health.attempt((r) => r.get(request.key), null);
    if (!raw) return undefined;
    if (raw[0] === 'N') throw request.notFound.make(raw.slice(1));
    try {
      return { value: request.decode(raw.slice(1)) };
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
  ): Promise<{ token?: string } | { value: T }> {
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
        if (cached) return cached;
        if (!this.health.usable()) return {};
        const held = await this.health.attempt((r) => r.exists(this.lockKey(request)), 0);
        if (!held) break;
      }
      if (Date.now() >= giveUpAt) return {};
    }
  }
}
