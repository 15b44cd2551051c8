import {
  type AcquireRequest,
  type Grant,
  type RateFeedback,
  SlotWaitTimeout,
  TIER_QUOTA_SHARE,
  TIER_RANK,
} from './rate-limit-types';

/**
 * The same algorithm as the Redis limiter, inside one process: the fallback while Redis is down (with a share of
 * the budget, since other processes may be doing the same) and the limiter of a client created without Redis.
 * Waits are event-driven: a timer fires at the next slot release, pause end or waiter deadline.
 */

interface Waiter {
  seq: number;
  request: AcquireRequest;
  started: number;
  resolve: (grant: Grant) => void;
  reject: (err: unknown) => void;
  cleanup: () => void;
}

export class LocalRateLimiter {
  /** Slot id → release time; in-flight slots hold `lease` until their answer arrives. */
  private readonly slots = new Map<number, { releaseAt: number; inFlight: boolean }>();
  private waiters: Waiter[] = [];
  private pauseUntil = 0;
  private hour = { index: -1, count: 0 };
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly leaseMs: number,
    private readonly hourlyQuota: number,
  ) {}

  acquire(request: AcquireRequest): Promise<Grant> {
    return new Promise<Grant>((resolve, reject) => {
      request.signal?.throwIfAborted();
      const waiter: Waiter = {
        seq: this.seq++,
        request,
        started: Date.now(),
        resolve,
        reject,
        cleanup: () => {},
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(request.signal?.reason);
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      waiter.cleanup = () => request.signal?.removeEventListener('abort', onAbort);
      this.waiters.push(waiter);
      this.pump();
    });
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    for (const [id, slot] of this.slots) if (slot.releaseAt <= now) this.slots.delete(id);
    // Strict priority, FIFO within a tier; a tier can be raised while waiting (a coalesced higher-tier caller).
    this.waiters.sort((a, b) => TIER_RANK[a.request.tier()] - TIER_RANK[b.request.tier()] || a.seq - b.seq);
    for (const waiter of [...this.waiters]) {
      if (now <= waiter.request.deadline) continue;
      this.drop(waiter);
      waiter.reject(new SlotWaitTimeout(this.estimateWaitMs(now)));
    }
    const hourIndex = Math.floor(now / 3_600_000);
    if (this.hour.index !== hourIndex) this.hour = { index: hourIndex, count: 0 };
    while (this.waiters.length && this.pauseUntil <= now && this.slots.size < this.limit) {
      const waiter = this.waiters[0];
      if (
        this.hourlyQuota > 0 &&
        this.hour.count >= Math.floor(this.hourlyQuota * TIER_QUOTA_SHARE[waiter.request.tier()])
      ) {
        break;
      }
      this.hour.count++;
      this.drop(waiter);
      const id = this.seq++;
      this.slots.set(id, { releaseAt: now + this.leaseMs, inFlight: true });
      waiter.resolve({
        waitedMs: now - waiter.started,
        release: async (feedback) => this.complete(id, feedback),
      });
    }
    if (!this.waiters.length) return;
    const next = Math.min(
      this.pauseUntil > now ? this.pauseUntil : Infinity,
      ...[...this.slots.values()].filter((s) => !s.inFlight).map((s) => s.releaseAt),
      ...this.waiters.map((w) => w.request.deadline + 1),
      this.hourlyQuota > 0 ? (hourIndex + 1) * 3_600_000 : Infinity,
    );
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.pump(), Math.max(1, next - now));
  }

  private drop(waiter: Waiter): void {
    this.waiters = this.waiters.filter((w) => w !== waiter);
    waiter.cleanup();
  }

  private complete(id: number, feedback: RateFeedback): void {
    const now = Date.now();
    this.slots.set(id, { releaseAt: now + this.windowMs, inFlight: false });
    let pause = 0;
    if (feedback.status === 429) pause = feedback.pauseMs ?? this.windowMs;
    // FACEIT's window is full but we hold at most half of it: someone else spends this key's budget.
    else if (feedback.remaining === 0 && this.slots.size * 2 <= this.limit) {
      pause = Math.max(feedback.resetMs ?? 0, this.windowMs);
    }
    if (pause > 0) this.pauseUntil = Math.max(this.pauseUntil, now + pause);
    this.pump();
  }

  private estimateWaitMs(now: number): number {
    return Math.max(this.pauseUntil - now, this.windowMs);
  }
}
