import type { Redis } from 'ioredis';

/**
 * FACEIT calls counted per minute in Redis, shared by every process using the key prefix (the rate budget's):
 * /admin stats shows the calls of the last hour against the budget. Buckets expire after two hours.
 * Counting never fails a call: a Redis error only loses a count.
 */

const MINUTE_MS = 60_000;
const bucketKey = (prefix: string, minute: number) => `${prefix}calls:${minute}`;

export function recordFaceitCall(redis: Redis | undefined, prefix: string, now = Date.now()): void {
  if (!redis) return;
  const key = bucketKey(prefix, Math.floor(now / MINUTE_MS));
  redis
    .multi()
    .incr(key)
    .pexpire(key, 2 * 3_600_000)
    .exec()
    .catch(() => undefined);
}

/** Calls in the 60 minutes up to now (the current minute included). */
export async function faceitCallsLastHour(
  redis: Redis,
  prefix = 'faceit:',
  now = Date.now(),
): Promise<number> {
  const current = Math.floor(now / MINUTE_MS);
  const keys = Array.from({ length: 60 }, (_, i) => bucketKey(prefix, current - i));
  const values = await redis.mget(...keys);
  return values.reduce((sum, v) => sum + (v ? Number(v) : 0), 0);
}

/** The budget of one hour: the hourly quota when one is set, else the per-second limit for an hour. */
export function faceitHourlyBudget(config: {
  FACEIT_RATE_LIMIT_PER_SECOND: number;
  FACEIT_HOURLY_QUOTA: number;
}): number {
  return config.FACEIT_HOURLY_QUOTA > 0
    ? config.FACEIT_HOURLY_QUOTA
    : Math.floor(config.FACEIT_RATE_LIMIT_PER_SECOND * 3600);
}
