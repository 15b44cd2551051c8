/**
 * FACEIT's gateway limit as the recorded headers state it (`ratelimit-limit: 10, 10;w=1`): per API key, at most
 * `limit` requests per fixed window aligned to the clock (1 s by default). `ratelimit-reset` is the whole seconds
 * left in the window (so "0" within a 1 s window, as recorded); a 429 carries `Retry-After` rounded up.
 * An optional hourly quota (FACEIT's older documented 10,000/hour) works the same way on an hour window.
 */

export interface RateLimitOptions {
  enabled?: boolean;
  limit?: number;
  windowMs?: number;
  hourlyQuota?: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterS?: number;
}

export class RateWindow {
  readonly enabled: boolean;
  readonly limit: number;
  readonly windowMs: number;
  readonly hourlyQuota: number;
  private readonly windows = new Map<
    string,
    { start: number; count: number; hourStart: number; hourCount: number }
  >();

  constructor(options: RateLimitOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.limit = options.limit ?? 10;
    this.windowMs = options.windowMs ?? 1000;
    this.hourlyQuota = options.hourlyQuota ?? 0;
  }

  take(key: string, now = Date.now()): RateDecision {
    const start = now - (now % this.windowMs);
    const hourStart = now - (now % 3_600_000);
    const state = this.windows.get(key) ?? { start, count: 0, hourStart, hourCount: 0 };
    if (state.start !== start) Object.assign(state, { start, count: 0 });
    if (state.hourStart !== hourStart) Object.assign(state, { hourStart, hourCount: 0 });
    this.windows.set(key, state);
    state.count++;
    state.hourCount++;
    const leftMs = start + this.windowMs - now;
    const overWindow = state.count > this.limit;
    const overHour = this.hourlyQuota > 0 && state.hourCount > this.hourlyQuota;
    const headers: Record<string, string> = {
      'ratelimit-limit': `${this.limit}, ${this.limit};w=${Math.round(this.windowMs / 1000)}`,
      'ratelimit-remaining': String(Math.max(0, this.limit - state.count)),
      'ratelimit-reset': String(Math.floor(leftMs / 1000)),
    };
    if (!this.enabled || (!overWindow && !overHour)) return { allowed: true, headers };
    const retryAfterS = overHour
      ? Math.ceil((hourStart + 3_600_000 - now) / 1000)
      : Math.max(1, Math.ceil(leftMs / 1000));
    if (overHour) headers['ratelimit-reset'] = String(retryAfterS);
    return { allowed: false, headers: { ...headers, 'retry-after': String(retryAfterS) }, retryAfterS };
  }

  reset(): void {
    this.windows.clear();
  }
}
