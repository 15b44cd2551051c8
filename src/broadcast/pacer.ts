import type { Redis } from 'ioredis';
import { sleep } from '../faceit/sleep';

/**
 * The global send rate of broadcasts, shared by every worker process through Redis: each send reserves the next
 * free slot (one every 1000/rate ms, Redis' own clock) and waits for it. Strict spacing, no bursts, so Telegram's
 * ~30 messages/s per bot is never exceeded however many workers or broadcasts run. While Redis is unreachable a
 * local pacer at the same rate takes over (one process then keeps the rate; several could exceed it together).
 */

const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextFree)
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', 60000)
return slot - now
`;

interface PacerCommands {
  broadcastReserve(key: string, intervalMs: number): Promise<number>;
}

export interface Pacer {
  /** Resolves when this send may go (at most `perSecond` across all pacers sharing the key). */
  wait(signal?: AbortSignal): Promise<void>;
}

export function createPacer(options: { redis?: Redis; key: string; perSecond: number }): Pacer {
  const intervalMs = 1000 / options.perSecond;
  const redis = options.redis as (Redis & PacerCommands) | undefined;
  if (redis && !(redis as unknown as Record<string, unknown>).broadcastReserve) {
    redis.defineCommand('broadcastReserve', { numberOfKeys: 1, lua: RESERVE_LUA });
  }
  let localNext = 0;
  const local = () => {
    const now = Date.now();
    const slot = Math.max(now, localNext);
    localNext = slot + intervalMs;
    return slot - now;
  };
  return {
    async wait(signal) {
      let waitMs: number;
      try {
        waitMs = redis ? Number(await redis.broadcastReserve(options.key, intervalMs)) : local();
      } catch {
        waitMs = local();
      }
      await sleep(waitMs, signal);
    },
  };
}
