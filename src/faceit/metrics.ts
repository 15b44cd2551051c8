import { Counter, type Registry, register as defaultRegistry } from 'prom-client';
import { FACEIT_ENDPOINTS, type FaceitEndpoint } from './endpoints';

/** Per-endpoint counters of the FACEIT client: kept in memory for `stats()` and mirrored to prom-client. */

export interface EndpointCounters {
  /** Served from the Redis cache. */
  hits: number;
  /** Not in the cache: fetched (or waited for another process's fetch). */
  misses: number;
  /** Joined an identical request already in flight (this process or another): no FACEIT call of its own. */
  coalesced: number;
  /** Served from the cache past the TTL, within the endpoint's stale window (a background refresh is started). */
  staleHits: number;
  /** Background refreshes that renewed a stale entry. */
  refreshes: number;
  /** Background refreshes not done: the bound was reached, no rate-limit slot in time, or FACEIT failed. */
  refreshesDropped: number;
  /** Requests actually sent to FACEIT, retries included. */
  upstreamCalls: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Internal retries (after 429, 5xx, timeout, network error). */
  retries: number;
  /** Calls that ended in an error for the caller. */
  errors: number;
  /** Calls that had to wait for a rate-limit slot, and the total wait. */
  waits: number;
  waitMsTotal: number;
  /** List items in a shape the client cannot read, left out of an otherwise usable body. */
  skippedItems: number;
}

export type CounterName = keyof EndpointCounters;

const HELP: Record<CounterName, string> = {
  hits: 'FACEIT client cache hits',
  misses: 'FACEIT client cache misses',
  coalesced: 'FACEIT client requests coalesced into an identical in-flight request',
  staleHits:
    'FACEIT client answers served stale (past the TTL, within the stale window) while refreshed in the background',
  refreshes: 'FACEIT client background refreshes that renewed a stale cache entry',
  refreshesDropped:
    'FACEIT client background refreshes dropped (bound reached, no rate-limit slot in time, or an error)',
  upstreamCalls: 'Requests sent to the FACEIT API (retries included)',
  rateLimited: '429 answers from the FACEIT API',
  retries: 'Internal retries of FACEIT requests',
  errors: 'FACEIT client calls that failed for the caller',
  waits: 'FACEIT calls that waited for a rate-limit slot',
  waitMsTotal: 'Total milliseconds spent waiting for FACEIT rate-limit slots',
  skippedItems: 'FACEIT list items in a shape the client cannot read, skipped (the rest of the body is used)',
};

const METRIC: Record<CounterName, string> = {
  hits: 'faceit_client_cache_hits_total',
  misses: 'faceit_client_cache_misses_total',
  coalesced: 'faceit_client_coalesced_total',
  staleHits: 'faceit_client_cache_stale_hits_total',
  refreshes: 'faceit_client_cache_refreshes_total',
  refreshesDropped: 'faceit_client_cache_refreshes_dropped_total',
  upstreamCalls: 'faceit_client_upstream_calls_total',
  rateLimited: 'faceit_client_rate_limited_total',
  retries: 'faceit_client_retries_total',
  errors: 'faceit_client_errors_total',
  waits: 'faceit_client_rate_waits_total',
  waitMsTotal: 'faceit_client_rate_wait_milliseconds_total',
  skippedItems: 'faceit_client_skipped_items_total',
};

const zero = (): EndpointCounters => ({
  hits: 0,
  misses: 0,
  coalesced: 0,
  staleHits: 0,
  refreshes: 0,
  refreshesDropped: 0,
  upstreamCalls: 0,
  rateLimited: 0,
  retries: 0,
  errors: 0,
  waits: 0,
  waitMsTotal: 0,
  skippedItems: 0,
});

export class FaceitMetrics {
  private readonly counters = Object.fromEntries(FACEIT_ENDPOINTS.map((e) => [e, zero()])) as Record<
    FaceitEndpoint,
    EndpointCounters
  >;
  private readonly prom: Partial<Record<CounterName, Counter<'endpoint'>>> = {};

  /** `registry: null` disables prom-client; several clients in one process share the same metrics. */
  constructor(registry: Registry | null = defaultRegistry) {
    if (!registry) return;
    for (const name of Object.keys(METRIC) as CounterName[]) {
      const existing = registry.getSingleMetric(METRIC[name]) as Counter<'endpoint'> | undefined;
      this.prom[name] =
        existing ??
        new Counter({
          name: METRIC[name],
          help: HELP[name],
          labelNames: ['endpoint'],
          registers: [registry],
        });
    }
  }

  inc(endpoint: FaceitEndpoint, name: CounterName, by = 1): void {
    this.counters[endpoint][name] += by;
    this.prom[name]?.inc({ endpoint }, by);
  }

  snapshot(): { endpoints: Record<FaceitEndpoint, EndpointCounters>; totals: EndpointCounters } {
    const totals = zero();
    for (const counters of Object.values(this.counters)) {
      for (const name of Object.keys(totals) as CounterName[]) totals[name] += counters[name];
    }
    return { endpoints: structuredClone(this.counters), totals };
  }
}
