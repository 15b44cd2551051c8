/**
 * `npm run bench:population [-- --users 20000 --sweep 5000,10000,20000,40000 --seed 1 --lifetime-stale-hours 72]`
 * (`--lifetime-stale-hours 0`: lifetime stats without a stale window, as before issue 24's item 2)
 * (`--sensitivity`: each assumption low and high, the daily users one key serves searched for each, ~4 min)
 *
 * What one FACEIT key serves: a day of a realistic population, simulated on a virtual clock (a day takes seconds), through
 * the product's own rules: the cache policy of the FACEIT client (src/faceit/cache-policy.ts: each endpoint's TTL,
 * the stale window of lifetime stats, the background refresh's tier, slot wait and per-process bound), the analysis call
 * plan of src/analysis/activities.ts (1 match + per player details, recent matches and lifetime stats), one shared
 * run per match (duplicates join it: 0 calls), in-flight coalescing of identical calls, the plan → queue tier rule
 * (src/analysis/workflow-types.ts), the daily quotas, and the limiter's priority order and hourly reservations
 * (src/faceit/rate-limit-types.ts). It is a model of those rules, not a run of the processes: the live limiter and
 * cache are measured end to end by `bench:analysis` and the chaos run. The assumptions are printed and are flags;
 * bench/README.md shows how the answer moves with each.
 *
 * Several days run on one cache (default 3) and the figures are the last day's, so players who come back find
 * what the days before cached. Prints per population: FACEIT calls per delivered analysis, cache hit rates by kind, waits per plan (request →
 * report), the busiest hour, and the number of daily users one key serves before FREE waits pass 2 minutes at p95,
 * at 10 req/s and at 10 req/s with a 10,000 calls/hour quota. Last line: JSON.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../emulators/faceit/prng';
import { type Config, loadConfig, type QueueTier } from '../src/config';
import { type FaceitEndpoint, ttlSeconds } from '../src/faceit/endpoints';
import {
  cachePolicy,
  freshness,
  REFRESH_MAX_WAIT_MS,
  REFRESH_TIER,
  RefreshGate,
} from '../src/faceit/cache-policy';
import { TIER_QUOTA_SHARE, TIER_RANK } from '../src/faceit/rate-limit-types';
import { tierOfRequester } from '../src/analysis/workflow-types';

type Plan = 'free' | 'premium' | 'pro';
const DAY_S = 86_400;

export interface Assumptions {
  users: number;
  /**
   * Share of the player world who are our users. Users are drawn by how much they play (the keen ones), so they fill
   * more of the lobby slots: 0.18 of them at 0.1 (test/bench/population.test.ts).
   */
  botShare: number;
  /** Matches a player plays on a day they play: lognormal with this median and sigma (heavy players play many). */
  matchesMedian: number;
  matchesSigma: number;
  /** Share of an active user's matches they analyse (up to the plan's daily quota). */
  askRate: number;
  planMix: Record<Plan, number>;
  /** Share of queue units that are parties (2–5 players), the rest solo. */
  partyRate: number;
  /** Share of users tracked by some chat (monitoring cycles and pre-match briefs). */
  trackedShare: number;
  briefShare: number;
  monitoringIntervalS: number;
  /**
   * Lifetime stats: served from cache for this long after the TTL, refreshed in the background (0 = off). Default:
   * the product's CACHE_STALE_LIFETIME_STATS_S.
   */
  lifetimeStaleS?: number;
  /** Days simulated with one cache (the figures are the last day's: the days before warm the cache). */
  days: number;
  /** Share of players who play on a given day (the same people come back on other days). */
  returnRate: number;
  perSecond: number;
  hourlyQuota: number;
  seed: number;
}

export const DEFAULTS: Assumptions = {
  users: 20_000,
  botShare: 0.1,
  matchesMedian: 2,
  matchesSigma: 0.8,
  askRate: 0.6,
  planMix: { free: 0.85, premium: 0.12, pro: 0.03 },
  partyRate: 0.35,
  trackedShare: 0.05,
  briefShare: 0.5,
  monitoringIntervalS: 600,
  days: 3,
  returnRate: 0.6,
  perSecond: 10,
  hourlyQuota: 0,
  seed: 1,
};

const PARTY_SIZES = [2, 2, 2, 2, 3, 3, 4, 5];
const MATCH_SPACING_S = 45 * 60;
const MATCHMAKING_BUCKET_S = 120;
const CALL_LATENCY_S = 0.2;
const FREE_WAIT_LIMIT_S = 120;

interface Unit {
  members: number[];
  /** How keen: the median of this unit's matches on a day it plays. */
  activity: number;
}
interface Request {
  at: number;
  match: number;
  plan: Plan;
  brief: boolean;
}
type Purpose = 'analysis' | 'monitoring' | 'refresh';
/** Cache keys are numbers (an id and its kind), so a 20,000-user day's millions of lookups stay cheap. */
const KEY = { match: 0, player: 1, recent: 2, lifetime: 3, matchStats: 4 } as const;
const keyOf = (id: number, kind: keyof typeof KEY) => id * 5 + KEY[kind];
/** A call whose answer is never looked up again (a monitoring cycle's history): not kept in the cache. */
const UNCACHED = -1;
interface Call {
  key: number;
  kind: FaceitEndpoint;
  tier: QueueTier;
  purpose: Purpose;
  waiters: Array<() => void>;
  /** When it was queued (virtual s): a background refresh waits at most REFRESH_MAX_WAIT_MS for a slot. */
  queuedAt: number;
}

/** Evening-heavy start times (Moscow evening): most sessions start 17:00–23:00, some any time from 10:00. */
function sessionStart(rng: Rng): number {
  if (rng.next() < 0.3) return (10 + rng.next() * 14) * 3600;
  const hour = 20 + 2.5 * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Math.min(Math.max(hour, 8), 26) * 3600;
}

function lognormal(rng: Rng, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return median * Math.exp(sigma * z);
}

/**
 * Lobbies of every day: queue units (solo or party, the same groups every day) play on a day with `returnRate`,
 * one session of consecutive matches, packed into teams of five per matchmaking bucket.
 */
export function lobbies(a: Assumptions, rng: Rng) {
  const world = Math.round(a.users / a.botShare / a.returnRate);
  const units: Unit[] = [];
  for (let id = 0; id < world;) {
    const size = rng.next() < a.partyRate ? PARTY_SIZES[Math.floor(rng.next() * PARTY_SIZES.length)] : 1;
    const members = Array.from({ length: size }, (_, i) => id + i);
    id += size;
    units.push({ members, activity: lognormal(rng, a.matchesMedian, a.matchesSigma) });
  }
  // Our users: players chosen with odds proportional to how much they play (tool users are the keen ones), as many
  // as make `users` of them play on a given day.
  const weight = new Float64Array(world);
  let total = 0;
  for (const u of units) for (const p of u.members) total += weight[p] = u.activity;
  const isUser = new Uint8Array(world);
  const wanted = a.users / a.returnRate;
  for (let p = 0; p < world; p++) if (rng.next() < (wanted * weight[p]) / total) isUser[p] = 1;

  const buckets = new Map<number, Unit[]>();
  for (let day = 0; day < a.days; day++)
    for (const u of units) {
      if (rng.next() >= a.returnRate) continue;
      const start = day * DAY_S + sessionStart(rng);
      const count = Math.max(1, Math.round(u.activity * lognormal(rng, 1, 0.4)));
      for (let j = 0; j < count; j++) {
        const b = Math.floor((start + j * MATCH_SPACING_S) / MATCHMAKING_BUCKET_S);
        (buckets.get(b) ?? buckets.set(b, []).get(b)!).push(u);
      }
    }
  const matches: Array<{ created: number; players: number[] }> = [];
  let carry: Unit[] = [];
  for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
    const queue = [...carry, ...buckets.get(b)!].sort((x, y) => y.members.length - x.members.length);
    const teams: number[][] = [];
    carry = [];
    // First fit: the first team with room for the unit. A team only fills up, so the first team with room for
    // `size` players only moves forward (one pointer per size keeps the packing linear in the bucket).
    const firstWithRoom = [0, 0, 0, 0, 0, 0];
    for (const unit of queue) {
      const size = unit.members.length;
      let i = firstWithRoom[size];
      while (i < teams.length && teams[i].length + size > 5) i++;
      firstWithRoom[size] = i;
      if (i < teams.length) teams[i].push(...unit.members);
      else teams.push([...unit.members]);
    }
    const full = teams.filter((t) => t.length === 5);
    for (let i = 0; i + 1 < full.length; i += 2)
      matches.push({ created: (b + 1) * MATCHMAKING_BUCKET_S, players: [...full[i], ...full[i + 1]] });
  }
  return { world, isUser, matches, units };
}

function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

export function simulate(a: Assumptions, config: Config) {
  const rng = new Rng(a.seed);
  const { world, isUser, matches } = lobbies(a, rng);
  const planOf = new Map<number, Plan>();
  const quota: Record<Plan, number> = {
    free: config.QUOTA_FREE_PER_DAY,
    premium: config.QUOTA_PREMIUM_PER_DAY,
    pro: config.QUOTA_PRO_PER_DAY,
  };
  const asked = new Map<number, number>();
  const measureFrom = (a.days - 1) * DAY_S;
  const tracked = new Set<number>();
  const requests: Request[] = [];
  let refusedByQuota = 0;
  for (let m = 0; m < matches.length; m++) {
    const match = matches[m];
    for (const p of match.players) {
      if (!isUser[p]) continue;
      let plan = planOf.get(p);
      if (!plan) {
        const r = rng.next();
        plan = r < a.planMix.pro ? 'pro' : r < a.planMix.pro + a.planMix.premium ? 'premium' : 'free';
        planOf.set(p, plan);
        if (rng.next() < a.trackedShare) tracked.add(p);
      }
      if (tracked.has(p) && rng.next() < a.briefShare)
        requests.push({ at: match.created + 5, match: m, plan, brief: true });
      if (rng.next() >= a.askRate) continue;
      const day = p * (a.days + 1) + Math.floor(match.created / DAY_S);
      const n = asked.get(day) ?? 0;
      if (n >= quota[plan]) {
        if (match.created >= measureFrom) refusedByQuota++;
        continue;
      }
      asked.set(day, n + 1);
      requests.push({ at: match.created + 5 + rng.next() * 85, match: m, plan, brief: false });
    }
  }
  requests.sort((x, y) => x.at - y.at);

  // The cache: key → when FACEIT answered (virtual seconds), judged by the client's own policy; in-flight calls
  // coalesce; background refreshes are bounded by the client's own gate (one process).
  const policyConfig = {
    ...config,
    CACHE_STALE_LIFETIME_STATS_S: a.lifetimeStaleS ?? config.CACHE_STALE_LIFETIME_STATS_S,
  };
  const policies = new Map<FaceitEndpoint, ReturnType<typeof cachePolicy>>();
  const policyOf = (kind: FaceitEndpoint) =>
    policies.get(kind) ?? policies.set(kind, cachePolicy(policyConfig, kind)).get(kind)!;
  const fetchedAt = new Map<number, number>();
  const gate = new RefreshGate(config.CACHE_REFRESH_MAX_IN_FLIGHT);
  const refreshes = { done: 0, dropped: 0 };
  const inFlight = new Map<number, Call>();
  // FIFO per tier; a call moved to a more urgent tier stays behind as a tombstone (its tier no longer matches).
  const queues: Record<QueueTier, Call[]> = { critical: [], high: [], default: [], low: [] };
  const heads: Record<QueueTier, number> = { critical: 0, high: 0, default: 0, low: 0 };
  const pop = (tier: QueueTier): Call | undefined => {
    const q = queues[tier];
    while (heads[tier] < q.length) {
      const call = q[heads[tier]++];
      if (call.tier !== tier) continue;
      if (call.purpose === 'refresh' && now - call.queuedAt > REFRESH_MAX_WAIT_MS / 1000) {
        // No slot in time: the refresh is dropped (the stale answer still serves; the next stale hit tries again).
        gate.done(String(call.key));
        if (now >= measureFrom) refreshes.dropped++;
        continue;
      }
      return call;
    }
    if (heads[tier] > 0) {
      q.length = 0;
      heads[tier] = 0;
    }
    return undefined;
  };
  const lookups: Record<string, { hits: number; misses: number; coalesced: number; stale: number }> = {};
  const callsBy: Record<Purpose, number> = { analysis: 0, monitoring: 0, refresh: 0 };
  const hourly = new Array<number>(a.days * 24 + 6).fill(0);
  const waits: Record<Plan, number[]> = { free: [], premium: [], pro: [] };
  // Per shared run: the measured requesters still waiting for its report (the first one and those who joined).
  const runs = new Map<
    number,
    { done: boolean; finishedAt: number; open: Array<{ at: number; plan: Plan }> }
  >();
  let now = 0;

  const ignored = { hits: 0, misses: 0, coalesced: 0, stale: 0 };
  const stat = (kind: string) =>
    now < measureFrom ? ignored : (lookups[kind] ??= { hits: 0, misses: 0, coalesced: 0, stale: 0 });
  function enqueue(key: number, kind: FaceitEndpoint, tier: QueueTier, purpose: Purpose): Call {
    const call: Call = { key, kind, tier, purpose, waiters: [], queuedAt: now };
    // A refresh is nobody's fetch: callers never join it (src/faceit/cache.ts keeps it out of the in-flight map).
    if (purpose !== 'refresh' && key !== UNCACHED) inFlight.set(key, call);
    queues[tier].push(call);
    return call;
  }
  /** Resolves (calls `then`) when the value is in hand; `then` may run now (hit) or when a call completes. */
  function get(key: number, kind: FaceitEndpoint, tier: QueueTier, then: () => void): void {
    const purpose: Purpose = tier === 'low' ? 'monitoring' : 'analysis';
    const s = stat(kind);
    const at = key === UNCACHED ? undefined : fetchedAt.get(key);
    const state = at === undefined ? 'expired' : freshness(policyOf(kind), at * 1000, now * 1000);
    if (state === 'fresh') {
      s.hits++;
      return then();
    }
    if (state === 'stale') {
      s.stale++;
      const verdict = gate.admit(String(key));
      if (verdict === 'start') enqueue(key, kind, REFRESH_TIER, 'refresh');
      else if (verdict === 'dropped' && now >= measureFrom) refreshes.dropped++;
      return then();
    }
    const flight = key === UNCACHED ? undefined : inFlight.get(key);
    if (flight) {
      s.coalesced++;
      // A shared fetch runs at the most urgent of its callers' tiers (src/faceit/cache.ts).
      if (TIER_RANK[tier] < TIER_RANK[flight.tier]) {
        flight.tier = tier;
        queues[tier].push(flight);
      }
      flight.waiters.push(then);
      return;
    }
    s.misses++;
    enqueue(key, kind, tier, purpose).waiters.push(then);
  }

  function analyse(r: Request, match: { players: number[] }): void {
    const tier = tierOfRequester({ tier: r.plan });
    let pending = 1 + match.players.length * 3;
    const done = () => {
      if (--pending > 0) return;
      const run = runs.get(r.match)!;
      run.done = true;
      run.finishedAt = now + CALL_LATENCY_S;
      for (const o of run.open) waits[o.plan].push(run.finishedAt - o.at);
      run.open = [];
    };
    get(keyOf(r.match, 'match'), 'match', tier, done);
    for (const p of match.players) {
      get(keyOf(p, 'player'), 'player', tier, done);
      get(keyOf(p, 'recent'), 'playerMatchStats', tier, done);
      get(keyOf(p, 'lifetime'), 'playerStats', tier, done);
    }
  }

  // Monitoring: each tracked player's history once per cycle; a finished match adds details + match stats.
  const finished = matches.flatMap((m, i) =>
    m.players.filter((p) => tracked.has(p)).map((p) => ({ at: m.created + 40 * 60, p, match: i })),
  );
  finished.sort((x, y) => x.at - y.at);
  const trackedList = [...tracked];
  let nextCycle = 0;
  let r = 0;
  let f = 0;
  const end = a.days * DAY_S + 6 * 3600;
  let admittedThisHour = 0;
  let hour = 0;
  for (let second = 0; second < end; second++) {
    now = second;
    if (Math.floor(second / 3600) !== hour) {
      hour = Math.floor(second / 3600);
      admittedThisHour = 0;
    }
    if (second >= nextCycle && second < a.days * DAY_S) {
      nextCycle += a.monitoringIntervalS;
      for (let i = 0; i < trackedList.length; i++) get(UNCACHED, 'playerHistory', 'low', () => undefined);
    }
    while (f < finished.length && finished[f].at <= second) {
      const { p, match } = finished[f++];
      get(keyOf(p, 'player'), 'player', 'low', () => undefined);
      get(keyOf(match, 'matchStats'), 'matchStats', 'low', () => undefined);
    }
    while (r < requests.length && requests[r].at <= second + 1) {
      const req = requests[r++];
      now = req.at;
      const run = runs.get(req.match);
      if (run) {
        // A second requester joins the shared run: no FACEIT call; the report arrives with the run's.
        if (req.brief || req.at < measureFrom) continue;
        if (run.done) waits[req.plan].push(0.05);
        else run.open.push({ at: req.at, plan: req.plan });
        continue;
      }
      const open = !req.brief && req.at >= measureFrom ? [{ at: req.at, plan: req.plan }] : [];
      runs.set(req.match, { done: false, finishedAt: 0, open });
      analyse(req, matches[req.match]);
      now = second;
    }
    // The limiter: `perSecond` slots a second, higher tiers first, FIFO within a tier; the hourly quota keeps the
    // last part of the hour for higher tiers (TIER_QUOTA_SHARE).
    let slots = a.perSecond;
    const admitted: Call[] = [];
    for (const tier of ['critical', 'high', 'default', 'low'] as const) {
      while (slots > 0) {
        if (a.hourlyQuota && admittedThisHour >= a.hourlyQuota * TIER_QUOTA_SHARE[tier]) break;
        const call = pop(tier);
        if (!call) break;
        admitted.push(call);
        slots--;
        admittedThisHour++;
      }
    }
    now = second + CALL_LATENCY_S;
    for (const call of admitted) {
      if (second >= measureFrom) {
        hourly[Math.floor(second / 3600)]++;
        callsBy[call.purpose]++;
      }
      if (call.key === UNCACHED) {
        // Nothing to keep: nobody looks this answer up again.
      } else if (call.purpose === 'refresh') {
        gate.done(String(call.key));
        if (second >= measureFrom) refreshes.done++;
        fetchedAt.set(call.key, now);
      } else {
        inFlight.delete(call.key);
        fetchedAt.set(call.key, now);
      }
      for (const w of call.waiters) w();
    }
  }
  // Requests still waiting when the run ends (an overloaded key): their wait so far counts, a lower bound, so an
  // overloaded population cannot look faster than a lighter one because its slowest reports never arrived.
  const unanswered: Record<Plan, number> = { free: 0, premium: 0, pro: 0 };
  for (const run of runs.values())
    if (!run.done)
      for (const o of run.open) {
        waits[o.plan].push(end - o.at);
        unanswered[o.plan]++;
      }
  const measured = requests.filter((x) => x.at >= measureFrom);
  const delivered = measured.filter((x) => runs.get(x.match)?.done).length;
  const measuredRuns = new Set(measured.map((x) => x.match)).size;
  const analysisCalls = callsBy.analysis + callsBy.refresh;
  const rate = (k: string) => {
    const s = lookups[k] ?? { hits: 0, misses: 0, coalesced: 0, stale: 0 };
    const all = s.hits + s.misses + s.coalesced + s.stale;
    return all ? Math.round((1000 * (s.hits + s.coalesced + s.stale)) / all) / 1000 : 0;
  };
  const w = (plan: Plan) => ({
    n: waits[plan].length,
    p50_s: Math.round(percentile(waits[plan], 0.5) * 10) / 10,
    p95_s: Math.round(percentile(waits[plan], 0.95) * 10) / 10,
    max_s: Math.round(percentile(waits[plan], 1) * 10) / 10,
    unanswered: unanswered[plan],
  });
  const unfinished = [...runs.values()].filter((x) => !x.done).length;
  return {
    users: a.users,
    world_players: world,
    matches: matches.length,
    matches_last_day: matches.filter((m) => m.created >= measureFrom).length,
    requests: measured.filter((x) => !x.brief).length,
    briefs: measured.filter((x) => x.brief).length,
    refused_by_quota: refusedByQuota,
    users_seen: planOf.size,
    tracked_users: tracked.size,
    delivered,
    runs: measuredRuns,
    unfinished_runs: unfinished,
    calls_per_delivered_analysis: Math.round((100 * analysisCalls) / Math.max(1, delivered)) / 100,
    calls_per_run: Math.round((100 * analysisCalls) / Math.max(1, measuredRuns)) / 100,
    calls: { ...callsBy, total: callsBy.analysis + callsBy.monitoring + callsBy.refresh },
    hit_rate: {
      match: rate('match'),
      player: rate('player'),
      recent: rate('playerMatchStats'),
      lifetime: rate('playerStats'),
    },
    lifetime_stale_hits: lookups.playerStats?.stale ?? 0,
    refreshes: refreshes.done,
    refreshes_dropped: refreshes.dropped,
    busiest_hour_calls: Math.max(...hourly),
    wait: { free: w('free'), premium: w('premium'), pro: w('pro') },
  };
}

/** The largest population in the sweep whose FREE p95 stays within 2 minutes, interpolated to the next one. */
export function capacity(points: Array<{ users: number; freeP95: number }>): number | string {
  const sorted = [...points].sort((x, y) => x.users - y.users);
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].freeP95 <= FREE_WAIT_LIMIT_S) continue;
    if (i === 0) return `< ${sorted[0].users}`;
    const [lo, hi] = [sorted[i - 1], sorted[i]];
    const t = (FREE_WAIT_LIMIT_S - lo.freeP95) / (hi.freeP95 - lo.freeP95);
    return Math.round(lo.users + t * (hi.users - lo.users));
  }
  return `≥ ${sorted[sorted.length - 1].users}`;
}

/**
 * The daily users one key serves (FREE p95 ≤ 2 min), searched instead of swept: from `guess`, steps of ×`step` up or
 * down until one population passes and the next fails, then halves that bracket until it is within `tolerance` of
 * its lower end, and interpolates between the two (as `capacity` does). `freeP95At` runs the model at a population.
 */
export function searchServed(
  freeP95At: (users: number) => number,
  guess: number,
  { step = 1.3, tolerance = 0.04, min = 100, max = 400_000 } = {},
): { served: number | string; lo?: number; points: Array<{ users: number; freeP95: number }> } {
  const points: Array<{ users: number; freeP95: number }> = [];
  const passes = (users: number) => {
    const freeP95 = freeP95At(users);
    points.push({ users, freeP95 });
    return freeP95 <= FREE_WAIT_LIMIT_S;
  };
  let lo: number | undefined;
  let hi: number | undefined;
  let u = Math.round(guess);
  if (passes(u)) {
    lo = u;
    while (hi === undefined) {
      u = Math.round(u * step);
      if (u > max) return { served: `≥ ${lo}`, lo, points };
      if (passes(u)) lo = u;
      else hi = u;
    }
  } else {
    hi = u;
    while (lo === undefined) {
      u = Math.round(u / step);
      if (u < min) return { served: `< ${hi}`, points };
      if (passes(u)) lo = u;
      else hi = u;
    }
  }
  while (hi - lo > tolerance * lo) {
    const mid = Math.round((lo + hi) / 2);
    if (passes(mid)) lo = mid;
    else hi = mid;
  }
  const bracket = points.filter((p) => p.users === lo || p.users === hi);
  return { served: capacity(bracket), lo, points };
}

/** One assumption at a time, low and high around the default (bench/README.md says why each range). */
export const SENSITIVITY: Array<{ name: string; low: Partial<Assumptions>; high: Partial<Assumptions> }> = [
  { name: 'bot share (our users among the players)', low: { botShare: 0.05 }, high: { botShare: 0.2 } },
  { name: 'ask rate (matches a user analyses)', low: { askRate: 0.3 }, high: { askRate: 0.9 } },
  { name: 'party rate (queue units in parties)', low: { partyRate: 0.2 }, high: { partyRate: 0.5 } },
  { name: 'tracked share (users a chat tracks)', low: { trackedShare: 0.02 }, high: { trackedShare: 0.15 } },
  { name: 'brief share (tracked matches briefed)', low: { briefShare: 0.2 }, high: { briefShare: 0.9 } },
  { name: 'matches per player (median a day)', low: { matchesMedian: 1.5 }, high: { matchesMedian: 3 } },
  { name: 'return rate (plays on a given day)', low: { returnRate: 0.4 }, high: { returnRate: 0.8 } },
  { name: 'lifetime stale window (h)', low: { lifetimeStaleS: 0 }, high: { lifetimeStaleS: 168 * 3600 } },
  {
    name: 'FREE share of users',
    low: { planMix: { free: 0.7, premium: 0.24, pro: 0.06 } },
    high: { planMix: { free: 0.95, premium: 0.04, pro: 0.01 } },
  },
  { name: 'monitoring interval (s)', low: { monitoringIntervalS: 300 }, high: { monitoringIntervalS: 1200 } },
];

function describe(v: Partial<Assumptions>): string {
  return Object.entries(v)
    .map(([k, x]) =>
      k === 'lifetimeStaleS'
        ? `${Number(x) / 3600} h`
        : k === 'planMix'
          ? `FREE ${(x as Record<Plan, number>).free}`
          : String(x),
    )
    .join(', ');
}

function sensitivity(a: Assumptions, config: Config): void {
  const limits = [
    ['10/s', 0, 8_000],
    ['10/s + 10,000/h', 10_000, 2_000],
  ] as const;
  const rows: Array<Record<string, unknown>> = [];
  let guesses: number[] = limits.map((l) => l[2]);
  const row = (name: string, setting: string, v: Assumptions) => {
    const started = Date.now();
    let cpd = 0;
    const served = limits.map(([, hourlyQuota], i) => {
      const results = new Map<number, ReturnType<typeof simulate>>();
      const found = searchServed((users) => {
        const s = simulate({ ...v, users, hourlyQuota }, config);
        results.set(users, s);
        return s.wait.free.p95_s;
      }, guesses[i]);
      if (i === 0 && found.lo !== undefined) cpd = results.get(found.lo)!.calls_per_delivered_analysis;
      return { served: found.served, runs: found.points.length };
    });
    const r = {
      assumption: name,
      setting,
      served_10_per_s: served[0].served,
      served_10000_per_h: served[1].served,
      calls_per_delivered_at_10_per_s_limit: cpd,
      runs: served[0].runs + served[1].runs,
      wall_s: Math.round((Date.now() - started) / 1000),
    };
    rows.push(r);
    console.log(
      `  ${name.padEnd(42)} ${setting.padEnd(10)} ${String(r.served_10_per_s).padStart(8)} ${String(r.served_10000_per_h).padStart(8)} ${String(cpd).padStart(6)}   (${r.runs} runs, ${r.wall_s} s)`,
    );
    return served;
  };
  console.log(
    '\nsensitivity: daily users one key serves before FREE p95 passes 120 s, and FACEIT calls per delivered analysis at the 10/s limit',
  );
  console.log(`  ${'assumption'.padEnd(42)} ${'setting'.padEnd(10)}     10/s  10,000/h  calls`);
  const base = row('defaults', 'default', a);
  guesses = base.map((b, i) => (typeof b.served === 'number' ? b.served : limits[i][2]));
  for (const { name, low, high } of SENSITIVITY) {
    row(name, describe(low), { ...a, ...low });
    row(name, describe(high), { ...a, ...high });
  }
  console.log(JSON.stringify({ assumptions: a, sensitivity: rows }));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      sweep: { type: 'string', default: '1000,2000,4000,8000,12000,16000,20000' },
      seed: { type: 'string' },
      'bot-share': { type: 'string' },
      'ask-rate': { type: 'string' },
      'party-rate': { type: 'string' },
      'tracked-share': { type: 'string' },
      'matches-median': { type: 'string' },
      'lifetime-stale-hours': { type: 'string' },
      days: { type: 'string' },
      'return-rate': { type: 'string' },
      'brief-share': { type: 'string' },
      'free-share': { type: 'string' },
      'monitoring-interval': { type: 'string' },
      sensitivity: { type: 'boolean', default: false },
    },
  });
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const a: Assumptions = {
    ...DEFAULTS,
    users: num(values.users, DEFAULTS.users),
    seed: num(values.seed, DEFAULTS.seed),
    botShare: num(values['bot-share'], DEFAULTS.botShare),
    askRate: num(values['ask-rate'], DEFAULTS.askRate),
    partyRate: num(values['party-rate'], DEFAULTS.partyRate),
    trackedShare: num(values['tracked-share'], DEFAULTS.trackedShare),
    matchesMedian: num(values['matches-median'], DEFAULTS.matchesMedian),
    lifetimeStaleS:
      values['lifetime-stale-hours'] === undefined
        ? undefined
        : Number(values['lifetime-stale-hours']) * 3600,
    days: num(values.days, DEFAULTS.days),
    returnRate: num(values['return-rate'], DEFAULTS.returnRate),
    briefShare: num(values['brief-share'], DEFAULTS.briefShare),
    monitoringIntervalS: num(values['monitoring-interval'], DEFAULTS.monitoringIntervalS),
  };
  if (values['free-share'] !== undefined) {
    // The paid rest keeps the default's premium : pro ratio.
    const free = Number(values['free-share']);
    const paid = DEFAULTS.planMix.premium + DEFAULTS.planMix.pro;
    a.planMix = {
      free,
      premium: ((1 - free) * DEFAULTS.planMix.premium) / paid,
      pro: ((1 - free) * DEFAULTS.planMix.pro) / paid,
    };
  }
  const config = loadConfig({ NODE_ENV: 'test' });
  a.lifetimeStaleS ??= config.CACHE_STALE_LIFETIME_STATS_S;
  console.log(
    'assumptions:',
    JSON.stringify({
      ...a,
      refreshMaxInFlight: config.CACHE_REFRESH_MAX_IN_FLIGHT,
      refreshMaxWaitMs: REFRESH_MAX_WAIT_MS,
      ttl_s: Object.fromEntries(
        (['match', 'player', 'playerMatchStats', 'playerStats', 'playerHistory', 'matchStats'] as const).map(
          (e) => [e, ttlSeconds(config, e)],
        ),
      ),
    }),
  );
  if (values.sensitivity) return sensitivity(a, config);
  const main = simulate(a, config);
  console.log(`\n${a.users} daily users, one key at ${a.perSecond} req/s:`);
  console.log(
    `  ${main.matches_last_day} lobbies in the world, ${main.requests} analyses asked (${main.refused_by_quota} over quota), ` +
      `${main.briefs} briefs, ${main.runs} analysis runs`,
  );
  console.log(
    `  FACEIT calls per delivered analysis ${main.calls_per_delivered_analysis} (per run ${main.calls_per_run}); ` +
      `calls: ${JSON.stringify(main.calls)}; busiest hour ${main.busiest_hour_calls}`,
  );
  console.log(`  cache hit rate by kind: ${JSON.stringify(main.hit_rate)}`);
  console.log(
    `  lifetime stats served stale ${main.lifetime_stale_hits}, background refreshes ${main.refreshes}, ` +
      `dropped ${main.refreshes_dropped}`,
  );
  for (const plan of ['pro', 'premium', 'free'] as const) {
    const x = main.wait[plan];
    console.log(
      `  ${plan.padEnd(8)} n=${x.n} request → report p50 ${x.p50_s} s, p95 ${x.p95_s} s, max ${x.max_s} s` +
        (x.unanswered
          ? ` (${x.unanswered} unanswered when the run ended, counted at their wait so far)`
          : ''),
    );
  }
  const sweepUsers = values.sweep.split(',').map(Number);
  const sweep: Record<string, Array<{ users: number; freeP95: number; proP95: number }>> = {};
  for (const [label, hourlyQuota] of [
    ['10/s', 0],
    ['10/s + 10,000/h', 10_000],
  ] as const) {
    sweep[label] = sweepUsers.map((users) => {
      const s = simulate({ ...a, users, hourlyQuota }, config);
      return { users, freeP95: s.wait.free.p95_s, proP95: s.wait.pro.p95_s };
    });
  }
  console.log('\nsweep (FREE / PRO request → report p95, s):');
  for (const [label, points] of Object.entries(sweep))
    console.log(
      `  ${label.padEnd(16)} ${points.map((p) => `${p.users}: ${p.freeP95} / ${p.proP95}`).join('   ')}`,
    );
  const served = Object.fromEntries(Object.entries(sweep).map(([k, v]) => [k, capacity(v)]));
  console.log(
    `daily users one key serves before FREE p95 passes ${FREE_WAIT_LIMIT_S} s: ${JSON.stringify(served)}`,
  );
  console.log(JSON.stringify({ assumptions: a, result: main, sweep, daily_users_served: served }));
}

if (require.main === module) main();
