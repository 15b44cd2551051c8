import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Tracks whether the client's Redis connection is usable, so callers skip Redis at once while it is down (instead
 * of waiting on timeouts) and fall back to local limiting and no cache. Logs one warning per outage and one info
 * line on recovery; ioredis reconnects by itself.
 */
export class RedisHealth {
  private down = false;
  private everReady = false;
  private stopped = false;
  /** Resolves once the first connection is ready (or after a short grace), so start-up calls do not skip Redis. */
  readonly started: Promise<void>;

  constructor(
    private readonly redis: Redis | undefined,
    private readonly logger: Logger,
    startGraceMs = 1500,
  ) {
    redis?.on('ready', () => this.succeeded());
    redis?.on('error', (err: Error) => this.failed(err));
    // A lost connection is an outage even before any command fails (commands skip Redis while it is not ready).
    redis?.on('close', () => this.everReady && this.failed(new Error('connection closed')));
    redis?.once('ready', () => (this.everReady = true));
    this.started =
      !redis || redis.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(done, startGraceMs);
            function done() {
              clearTimeout(timer);
              redis?.off('ready', done);
              resolve();
            }
            redis.once('ready', done);
          });
  }

  /** True when a command can be sent now (connected and not known to be failing). */
  usable(): boolean {
    return !!this.redis && this.redis.status === 'ready';
  }

  /** Our own close() is not an outage. */
  stop(): void {
    this.stopped = true;
  }

  failed(err: unknown): void {
    if (this.down || this.stopped) return;
    this.down = true;
    this.logger.warn(
      { err },
      'FACEIT client: Redis unavailable; continuing without cache, with a local rate limiter',
    );
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info('FACEIT client: Redis is back; shared cache and rate limiter resumed');
  }

  /** Runs a Redis operation; on failure records it and returns `fallback` (a failure never reaches the caller). */
  async attempt<T>(op: (redis: Redis) => Promise<T>, fallback: T): Promise<T> {
    if (!this.redis || !this.usable()) return fallback;
    try {
      const result = await op(this.redis);
      this.succeeded();
      return result;
    } catch (err) {
      this.failed(err);
      return fallback;
    }
  }
}
