import type Redis from 'ioredis';
import type { MiddlewareFn } from 'grammy';
import { t, toLocale } from '../../i18n';
import { describeError } from '../../logger';
import type { BotContext } from '../../bot-kit/context';
import type { BotDeps } from '../deps';
import type { BotMetrics } from '../metrics';

/**
 * Per-user flood limit, counted in Redis so every bot replica shares it. Excess updates are dropped; the first one
 * of a burst gets a reply in the user's language. It runs before anything touches the database.
 *
 * One Lua script counts and sets the window's expiry atomically (INCR then PEXPIRE as two commands could lose the
 * expiry and lock a user out for good); a key somehow left without an expiry gets one on the next update.
 * Redis down or slow (past REDIS_TIMEOUT_MS) fails open to a per-process window with the same limit: the bot keeps
 * answering during a Redis outage, and a flood is still held back by each replica.
 */

export const FLOOD_KEY_PREFIX = 'bot:flood:';
const REDIS_TIMEOUT_MS = 250;
const COUNT = `local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** The fallback window, per process. */
class LocalWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  count(key: string, windowMs: number, now = Date.now()): number {
    if (this.windows.size > 10_000) {
      for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    }
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      this.windows.set(key, { count: 1, resetAt: now + windowMs });
      return 1;
    }
    return ++w.count;
  }
}

function countInRedis(redis: Redis, key: string, windowMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis timed out')), REDIS_TIMEOUT_MS);
    redis.eval(COUNT, 1, key, windowMs).then(
      (n) => {
        clearTimeout(timer);
        resolve(Number(n));
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(describeError(err), { cause: err }));
      },
    );
  });
}

export function floodLimit(deps: BotDeps, metrics: BotMetrics): MiddlewareFn<BotContext> {
  const { limit: max, timeFrameMs } = deps.flood ?? { limit: 8, timeFrameMs: 3_000 };
  const local = new LocalWindows();
  let redisDownLogged = false;
  return async (ctx, next) => {
    const id = ctx.from?.id.toString();
    if (!id) return next();
    const key = `${FLOOD_KEY_PREFIX}${id}`;
    let n: number;
    try {
      n = await countInRedis(deps.redis, key, timeFrameMs);
      redisDownLogged = false;
    } catch (err) {
      metrics.floodFallback.inc();
      if (!redisDownLogged)
        deps.logger.warn({ err }, 'flood limit: Redis unavailable, counting in this process');
      redisDownLogged = true;
      n = local.count(key, timeFrameMs);
    }
    if (n <= max) return next();
    metrics.floodLimited.inc();
    // Only the first update over the limit is answered: a notice per dropped update would be a flood of our own.
    if (n === max + 1) {
      // Before the user middleware: the language is the Telegram client's.
      void ctx.reply(t(toLocale(ctx.from?.language_code), 'bot-flood')).catch(() => undefined);
    }
  };
}
