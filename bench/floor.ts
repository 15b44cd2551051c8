/**
 * The rate-limit floor of one cold lobby analysis: the earliest moment its last FACEIT answer can arrive, given the
 * calls the lobby actually had answered and how src/faceit/rate-limiter.ts admits calls.
 *
 * The limiter has `limit` slots; a call takes a slot when it is sent and holds it until one window after its answer
 * (so no FACEIT window can ever count more than `limit` of our requests). The lobby's calls form a chain:
 * the match first; then each player's details and recent matches (in parallel, both after the match); then, for a
 * player whose recent window is thin, the lifetime stats (after both of that player's calls, see
 * src/analysis/activities.ts fetchPlayer). The floor below sends every call the instant it is ready and a slot is
 * free — the limiter with zero overhead anywhere else (no Temporal, database, Redis or Telegram time) — ready calls
 * that lead to a lifetime call first, and every answer takes exactly the emulator's fixed latency.
 *
 * So the floor is stepped: ⌈calls / limit⌉ − 1 windows plus the chain of dependent latencies, roughly. The old
 * straight line, calls / rate + one latency, is printed next to it for comparison only: it is not a lower bound
 * (30 calls: 3.05 s straight, 2.2 s stepped at 50 ms and 10/s).
 */
import type { RequestLogEntry } from '../emulators/faceit';

export interface LobbyCallShape {
  /** Answered calls by endpoint (429s excluded): what the floor is computed from. */
  match: number;
  playerDetails: number;
  playerRecent: number;
  lifetime: number;
  /** Anything else answered (counted as independent calls after the match). */
  other: number;
  /** 429s seen in the same window (not part of the floor). */
  rateLimited: number;
}

export interface LimiterModel {
  limit: number;
  windowMs: number;
  latencyMs: number;
}

/** The lobby's calls from the FACEIT emulator's own log (one lobby analysed alone in the window). */
export function shapeOf(log: RequestLogEntry[]): LobbyCallShape {
  const shape: LobbyCallShape = {
    match: 0,
    playerDetails: 0,
    playerRecent: 0,
    lifetime: 0,
    other: 0,
    rateLimited: 0,
  };
  for (const e of log) {
    if (e.status === 429) {
      shape.rateLimited++;
      continue;
    }
    if (e.endpoint === 'match') shape.match++;
    else if (e.endpoint === 'player') shape.playerDetails++;
    else if (e.endpoint === 'playerMatchStats' || e.endpoint === 'playerHistory') shape.playerRecent++;
    else if (e.endpoint === 'playerStats') shape.lifetime++;
    else shape.other++;
  }
  return shape;
}

export const answeredCalls = (s: LobbyCallShape): number =>
  s.match + s.playerDetails + s.playerRecent + s.lifetime + s.other;

interface Call {
  deps: number[];
  /** Calls with a dependent go first when slots are scarce (they start the longer chain). */
  leads: boolean;
}

function callGraph(s: LobbyCallShape): Call[] {
  const calls: Call[] = [];
  const matchIds: number[] = [];
  for (let i = 0; i < Math.max(1, s.match); i++) {
    matchIds.push(calls.length);
    calls.push({ deps: [], leads: true });
  }
  const after = [matchIds[matchIds.length - 1]];
  const players = Math.max(s.playerDetails, s.playerRecent);
  for (let p = 0; p < players; p++) {
    const thin = p < s.lifetime;
    const own: number[] = [];
    if (p < s.playerDetails) {
      own.push(calls.length);
      calls.push({ deps: after, leads: thin });
    }
    if (p < s.playerRecent) {
      own.push(calls.length);
      calls.push({ deps: after, leads: thin });
    }
    if (thin) calls.push({ deps: own, leads: false });
  }
  // Lifetime calls beyond the players seen (should not happen): after the match only.
  for (let i = players; i < s.lifetime; i++) calls.push({ deps: after, leads: false });
  for (let i = 0; i < s.other; i++) calls.push({ deps: after, leads: false });
  return calls;
}

/** The time (ms from the first send) of the last answer, under the limiter's admission rule. */
export function steppedFloorMs(shape: LobbyCallShape, m: LimiterModel): number {
  const calls = callGraph(shape);
  const answeredAt = new Array<number>(calls.length).fill(Infinity);
  const sent = new Array<boolean>(calls.length).fill(false);
  const slotFreeAt = new Array<number>(m.limit).fill(0);
  let now = 0;
  let left = calls.length;
  while (left > 0) {
    const ready = calls
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => !sent[i] && c.deps.every((d) => answeredAt[d] <= now))
      .sort((a, b) => Number(b.c.leads) - Number(a.c.leads) || a.i - b.i);
    for (const { i } of ready) {
      const slot = slotFreeAt.findIndex((t) => t <= now);
      if (slot < 0) break;
      sent[i] = true;
      left--;
      answeredAt[i] = now + m.latencyMs;
      slotFreeAt[slot] = now + m.latencyMs + m.windowMs;
    }
    if (left === 0) break;
    const next = [...slotFreeAt, ...answeredAt].filter((t) => t > now && Number.isFinite(t));
    if (next.length === 0) throw new Error('floor model: no next event (dependency cycle?)');
    now = Math.min(...next);
  }
  return Math.max(...answeredAt);
}

/** The straight line the benchmark used to call its floor: calls / rate + one latency (for comparison only). */
export function straightLineMs(calls: number, perSecond: number, latencyMs: number): number {
  return (calls / perSecond) * 1000 + latencyMs;
}
