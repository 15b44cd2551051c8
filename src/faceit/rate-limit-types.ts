import type { QueueTier } from '../config';

export interface AcquireRequest {
  /** Read at every attempt: a coalesced request takes the highest tier among the callers waiting on it. */
  tier: () => QueueTier;
  signal?: AbortSignal;
  /** Epoch ms after which waiting for a slot gives up with SlotWaitTimeout. */
  deadline: number;
}

/** What FACEIT said about the budget in its answer (status 0 = no answer: timeout or network error). */
export interface RateFeedback {
  status: number;
  remaining?: number;
  resetMs?: number;
  /** For a 429: how long everybody must pause (Retry-After, else ratelimit-reset, else one window). */
  pauseMs?: number;
}

export interface Grant {
  waitedMs: number;
  /** Must be called once the answer (or the failure) is in; never rejects. */
  release(feedback: RateFeedback): Promise<void>;
}

/** The wait for a slot would outlast the caller's deadline; `retryAfterMs` estimates when to try again. */
export class SlotWaitTimeout extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`no FACEIT rate-limit slot within the allowed wait (retry in ~${Math.ceil(retryAfterMs)} ms)`);
    this.name = 'SlotWaitTimeout';
  }
}

export const TIER_RANK: Record<QueueTier, number> = { critical: 1, high: 2, default: 3, low: 4 };

/**
 * With an hourly quota, lower tiers stop earlier so users are never starved by bulk work:
 * low may use 80% of the hour, default 90%, high and critical all of it.
 */
export const TIER_QUOTA_SHARE: Record<QueueTier, number> = { critical: 1, high: 1, default: 0.9, low: 0.8 };

/** Turns "N per second" into an integer number of slots per window (10/s → 10 per 1000 ms; 2.5/s → 2 per 800 ms). */
export function budgetOf(perSecond: number): { limit: number; windowMs: number } {
  const limit = Math.max(1, Math.floor(perSecond));
  return { limit, windowMs: Math.round((limit / perSecond) * 1000) };
}
