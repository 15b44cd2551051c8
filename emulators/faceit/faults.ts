import type { FaceitEndpoint } from '../../src/faceit/endpoints';
import { Rng } from './prng';

/** Fault injection for tests and benchmarks. Shares are probabilities per request (0..1). */
export interface FaultConfig {
  /** Share of requests answered 500/503. */
  serverErrorRate?: number;
  /** Share of requests that never get an answer (the client's timeout must fire). */
  hangRate?: number;
  /** Share of 200s whose body is broken (truncated JSON, an HTML page, or a wrong shape). */
  malformedRate?: number;
  /** Drop optional keys from bodies: true = half of them, or the share to drop. Identifiers are kept. */
  missingKeys?: boolean | number;
  /** Every request for the next `durationMs` gets 429 with `Retry-After: retryAfterS`. */
  rateLimitStorm?: { durationMs: number; retryAfterS: number };
  /**
   * The second item of every /history page shaped unlike the others (its `teams` a list instead of FACEIT's object
   * of factions, as odd matches have it): a client must skip that item, not refuse the page.
   */
  oddHistoryItem?: boolean;
  /** Only these endpoints are affected (all when omitted). */
  endpoints?: FaceitEndpoint[];
}

export type FaultKind = 'none' | 'server-error' | 'hang' | 'malformed' | 'storm';

/** Keys never dropped in missing-keys mode: identifiers and the structure around the stats. */
const PROTECTED = new Set([
  'player_id',
  'nickname',
  'match_id',
  'team_id',
  'faction_id',
  'Match Id',
  'Player Id',
  'items',
  'rounds',
  'teams',
  'players',
  'roster',
  'segments',
  'lifetime',
  'stats',
  'player_stats',
  'team_stats',
  'round_stats',
  'games',
  'faction1',
  'faction2',
  'errors',
]);

export class Faults {
  private config: FaultConfig = {};
  private stormUntil = 0;
  private stormRetryAfterS = 1;
  private readonly rng: Rng;

  constructor(seed: string | number) {
    this.rng = Rng.of(seed, 'faults');
  }

  set(config: FaultConfig): void {
    this.config = { ...config };
    if (config.rateLimitStorm) {
      this.stormUntil = Date.now() + config.rateLimitStorm.durationMs;
      this.stormRetryAfterS = config.rateLimitStorm.retryAfterS;
    } else {
      this.stormUntil = 0;
    }
  }

  get(): FaultConfig {
    return { ...this.config };
  }

  private applies(endpoint: FaceitEndpoint | undefined): boolean {
    return !this.config.endpoints || (endpoint !== undefined && this.config.endpoints.includes(endpoint));
  }

  /** Storms apply before routing; the Retry-After to send when one is on. */
  storm(endpoint: FaceitEndpoint | undefined, now = Date.now()): number | undefined {
    return now < this.stormUntil && this.applies(endpoint) ? this.stormRetryAfterS : undefined;
  }

  decide(endpoint: FaceitEndpoint | undefined): FaultKind {
    if (!this.applies(endpoint)) return 'none';
    const { serverErrorRate = 0, hangRate = 0, malformedRate = 0 } = this.config;
    const r = this.rng.next();
    if (r < serverErrorRate) return 'server-error';
    if (r < serverErrorRate + hangRate) return 'hang';
    if (r < serverErrorRate + hangRate + malformedRate) return 'malformed';
    return 'none';
  }

  serverErrorStatus(): number {
    return this.rng.chance(0.7) ? 500 : 503;
  }

  /** A broken body: truncated JSON, an HTML error page from a proxy, or JSON of the wrong shape. */
  malformedBody(body: string): string {
    const kind = this.rng.int(0, 2);
    if (kind === 0) return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    if (kind === 1) return '<html><body><h1>502 Bad Gateway</h1></body></html>';
    return JSON.stringify({ items: 'unavailable', player_id: 42 });
  }

  /** The body with its second /history item re-shaped (oddHistoryItem), else unchanged (pages of one item too). */
  oddItem(endpoint: FaceitEndpoint | undefined, body: unknown): unknown {
    if (!this.config.oddHistoryItem || endpoint !== 'playerHistory' || !this.applies(endpoint)) return body;
    const items = (body as { items?: unknown[] }).items;
    if (!Array.isArray(items) || items.length < 2) return body;
    const odd = { ...(items[1] as Record<string, unknown>), teams: [] };
    return { ...(body as object), items: [items[0], odd, ...items.slice(2)] };
  }

  dropShare(endpoint: FaceitEndpoint | undefined): number {
    const m = this.config.missingKeys;
    if (!m || !this.applies(endpoint)) return 0;
    return m === true ? 0.5 : m;
  }

  /** Removes a share of the non-protected leaf keys, deep, like FACEIT's drifting key sets. */
  dropKeys(value: unknown, share: number): unknown {
    if (Array.isArray(value)) return value.map((v) => this.dropKeys(v, share));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const leaf =
        v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => typeof x !== 'object'));
      if (leaf && !PROTECTED.has(k) && this.rng.chance(share)) continue;
      out[k] = leaf ? v : this.dropKeys(v, share);
    }
    return out;
  }
}
