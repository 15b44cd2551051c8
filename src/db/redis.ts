import Redis, { type RedisOptions } from 'ioredis';
import type { Config } from '../config';

type RedisConfig = Pick<Config, 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME'>;

/** Whether Redis is configured at all (one rule, in src/config.ts). */
export { redisConfigured } from '../config';

/**
 * The app's Redis connection. With REDIS_SENTINELS, ioredis asks the Sentinels for the primary of
 * REDIS_SENTINEL_NAME, reconnects to the new primary after a failover (and watches for one: `failoverDetector`), and
 * takes the password and database from REDIS_URL when given. Otherwise REDIS_URL (or `url`) is the one server.
 */
export function createRedis(config: RedisConfig, options: RedisOptions = {}, url = config.REDIS_URL): Redis {
  const sentinels = config.REDIS_SENTINELS;
  if (sentinels?.length) {
    const auth = url ? new URL(url) : undefined;
    return new Redis({
      sentinels,
      name: config.REDIS_SENTINEL_NAME,
      failoverDetector: true,
      ...(auth?.password ? { password: decodeURIComponent(auth.password) } : {}),
      ...(auth?.username ? { username: decodeURIComponent(auth.username) } : {}),
      ...(auth && auth.pathname.length > 1 ? { db: Number(auth.pathname.slice(1)) } : {}),
      ...options,
    });
  }
  if (!url) throw new Error('Redis is not configured: set REDIS_URL, or REDIS_SENTINELS');
  return new Redis(url, options);
}
