import { FACEIT_ENDPOINTS, type FaceitEndpoint } from '../../src/faceit/endpoints';

/** What the emulator saw, for tests and benchmarks: the last requests and counts per endpoint and status. */

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  endpoint?: FaceitEndpoint;
  status: number;
  /** Last 4 characters of the API key used, if any. */
  key?: string;
  fault?: string;
}

export interface RequestCounts {
  total: number;
  byEndpoint: Record<FaceitEndpoint, number>;
  byStatus: Record<string, number>;
  /** 429s sent (limit exceeded or storm). */
  rateLimited: number;
  /** Highest number of requests any key made in one rate window, 429s included. */
  maxPerWindow: number;
}

const MAX_ENTRIES = 20_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private counts = RequestLog.empty();
  private perWindow = new Map<string, number>();

  private static empty(): RequestCounts {
    const byEndpoint = Object.fromEntries(FACEIT_ENDPOINTS.map((e) => [e, 0])) as Record<
      FaceitEndpoint,
      number
    >;
    return { total: 0, byEndpoint, byStatus: {}, rateLimited: 0, maxPerWindow: 0 };
  }

  /** Counts arrivals per key and window (before the answer is known), for `maxPerWindow`. */
  arrival(key: string, windowStart: number): void {
    const id = `${key}:${windowStart}`;
    const n = (this.perWindow.get(id) ?? 0) + 1;
    this.perWindow.set(id, n);
    if (this.perWindow.size > 1000) this.perWindow.delete(this.perWindow.keys().next().value as string);
    this.counts.maxPerWindow = Math.max(this.counts.maxPerWindow, n);
  }

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.counts.total++;
    if (entry.endpoint) this.counts.byEndpoint[entry.endpoint]++;
    this.counts.byStatus[entry.status] = (this.counts.byStatus[entry.status] ?? 0) + 1;
    if (entry.status === 429) this.counts.rateLimited++;
  }

  list(filter: { endpoint?: FaceitEndpoint; since?: number; limit?: number } = {}): RequestLogEntry[] {
    let list = this.entries.filter(
      (e) => (!filter.endpoint || e.endpoint === filter.endpoint) && (!filter.since || e.at >= filter.since),
    );
    if (filter.limit) list = list.slice(-filter.limit);
    return list.map((e) => ({ ...e }));
  }

  snapshot(): RequestCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.entries = [];
    this.counts = RequestLog.empty();
    this.perWindow.clear();
  }
}
