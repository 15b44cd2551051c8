import type { Redis } from 'ioredis';
import { faceitQueueDepth, type QueueDepth } from '../faceit';

/**
 * How long a request of a tier would wait for FACEIT right now, from the shared limiter's queues (Redis): every call
 * queued on its tier or a more urgent one is served first, at the budget's rate. It does not know the analyses not yet
 * started (waiting for a worker) or an hourly quota running out: a floor, not a promise.
 */

export interface QueueWait {
  /** FACEIT calls queued ahead. */
  ahead: number;
  /** Seconds until they are served at `perSecond`. */
  seconds: number;
}

/** The calls ahead of a FREE or PREMIUM request (the default tier: critical, high and its own FIFO). */
export function waitOfDefaultTier(depth: QueueDepth, perSecond: number): QueueWait {
  const ahead = depth.critical + depth.high + depth.default;
  return { ahead, seconds: Math.max(1, Math.ceil(ahead / Math.max(1, perSecond))) };
}

/** The limiter's queues, or undefined when Redis does not answer within `deadlineMs` (then nobody is told "busy"). */
export async function queueDepthNow(
  redis: Redis,
  keyPrefix: string | undefined,
  deadlineMs = 300,
): Promise<QueueDepth | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      faceitQueueDepth(redis, keyPrefix),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), deadlineMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
