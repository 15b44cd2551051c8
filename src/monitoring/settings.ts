/**
 * Monitoring's knobs and the arithmetic behind them: how much of the FACEIT budget a cycle may plan for, how often a
 * player is checked given how recently they played, and what one API key can keep fresh. Pure and deterministic
 * (no I/O), so workflows, activities, the benchmark and the docs share one source of truth.
 */

/** The Temporal Schedule that starts monitoring cycles (`temporal schedule toggle --schedule-id faceit-monitoring`). */
export const MONITORING_SCHEDULE_ID = 'faceit-monitoring';
/** Prefix of the cycle workflows' ids (the schedule appends the action time). */
export const MONITORING_CYCLE_WORKFLOW_ID = 'monitoring-cycle';

export const MONITORING_DEFAULTS = {
  /** Share of the FACEIT budget a cycle plans for; the rest is left to user requests (which also outrank it). */
  budgetShare: 0.5,
  /** Expected FACEIT calls per player check: one stats page, plus a player lookup (ELO) when a new match shows up. */
  callsPerCheck: 1.15,
  /** Players per check activity (one activity = one batch, heartbeating its progress). */
  batchSize: 25,
  /** Batch activities a cycle runs at once. */
  lanes: 4,
  /** Players checked at once inside a batch activity (the shared FACEIT limiter paces them). */
  playerConcurrency: 5,
  /** How long a claimed player stays out of other cycles' reach if its checker dies. */
  leaseMs: 10 * 60_000,
  /** A cycle stops claiming new players after this share of the interval (the rest waits for the next cycle). */
  deadlineShare: 0.8,
  /** Matches asked for per check: more than a player can finish between two checks. */
  statsLimit: 10,
  /** Matches that finished longer ago than this are never announced (after an outage: no flood of old news). */
  notifyMaxAgeMs: 24 * 3_600_000,
  /** Longest wait for a low-priority FACEIT slot before a check gives up and the cycle yields to user traffic. */
  faceitMaxWaitMs: 120_000,
  /** Continue-as-new once the cycle's event history is this long (or when Temporal suggests it). */
  historyLimit: 2_000,
  /** Heartbeat timeout of the check activities: how fast a dead worker's batch is retried elsewhere. */
  heartbeatTimeoutMs: 30_000,
  /** A co-tracked player's ELO is attributed to a match only while no other match of theirs can have finished. */
  coPlayerEloWindowMs: 20 * 60_000,
};
export type MonitoringDefaults = typeof MONITORING_DEFAULTS;

/**
 * Adaptive cadence, in schedule intervals: players who played recently are checked every cycle, dormant ones
 * rarely. `next_check_at` stores the result; a webhook (match ready / finished) pulls a player forward at once.
 */
export const CADENCE: ReadonlyArray<{ playedWithinMs: number; intervals: number }> = [
  { playedWithinMs: 3 * 3_600_000, intervals: 1 }, // in a session: every cycle
  { playedWithinMs: 24 * 3_600_000, intervals: 2 }, // played today
  { playedWithinMs: 7 * 86_400_000, intervals: 6 }, // this week: hourly at 10 min
  { playedWithinMs: 30 * 86_400_000, intervals: 12 }, // this month: every 2 h
];
/** Not played for a month, or never: every 4 h at a 10-minute interval. */
export const DORMANT_INTERVALS = 24;

export function cadenceIntervals(lastPlayedAt: number | null | undefined, now: number): number {
  if (lastPlayedAt === null || lastPlayedAt === undefined) return DORMANT_INTERVALS;
  const age = now - lastPlayedAt;
  return CADENCE.find((c) => age <= c.playedWithinMs)?.intervals ?? DORMANT_INTERVALS;
}

/**
 * When a player is due again. `base` is the start of the cycle that checked them (so "every cycle" really means
 * the next cycle, not the one after it), minus a little slack; longer cadences get up to 10% jitter so players
 * tracked at the same moment spread over several cycles.
 */
export function nextCheckAt(
  base: number,
  lastPlayedAt: number | null | undefined,
  intervalMs: number,
  random: () => number = Math.random,
): number {
  const k = cadenceIntervals(lastPlayedAt, base);
  const slack = Math.min(60_000, intervalMs * 0.1);
  const jitter = k > 1 ? random() * 0.1 * k * intervalMs : 0;
  return Math.round(base + k * intervalMs - slack + jitter);
}

/** Backoff for a player whose check failed: 1, 2, 4, ... minutes, at most 24 h (404s back off a day at once). */
export function failureBackoffMs(failures: number, notFound: boolean): number {
  if (notFound) return 24 * 3_600_000;
  return Math.min(24 * 3_600_000, 60_000 * 2 ** Math.max(0, Math.min(failures, 20)));
}

export interface CapacityInput {
  perSecond: number;
  intervalMinutes: number;
  budgetShare?: number;
  callsPerCheck?: number;
}

export interface Capacity {
  /** FACEIT calls one key allows per interval. */
  callsPerInterval: number;
  /** The part monitoring plans for. */
  monitoringCalls: number;
  /** Players a cycle may check (the per-cycle cap). */
  playersPerCycle: number;
  /** Tracked players kept fresh at every interval if all of them were checked every cycle. */
  playersAllEveryInterval: number;
  /** The same with the whole budget (no user traffic at all): the theoretical ceiling. */
  playersWholeBudget: number;
}

export function capacity(input: CapacityInput): Capacity {
  const share = input.budgetShare ?? MONITORING_DEFAULTS.budgetShare;
  const perCheck = input.callsPerCheck ?? MONITORING_DEFAULTS.callsPerCheck;
  const callsPerInterval = Math.floor(input.perSecond * input.intervalMinutes * 60);
  const monitoringCalls = Math.floor(callsPerInterval * share);
  const playersPerCycle = Math.max(1, Math.floor(monitoringCalls / perCheck));
  return {
    callsPerInterval,
    monitoringCalls,
    playersPerCycle,
    playersAllEveryInterval: playersPerCycle,
    playersWholeBudget: Math.floor(callsPerInterval / perCheck),
  };
}

/**
 * The share of tracked players due in an average cycle, given the distribution of "last played" ages:
 * Σ (share of players in a cadence band / intervals of that band).
 */
export function dueShare(lastPlayedAges: readonly (number | null)[]): number {
  if (lastPlayedAges.length === 0) return 0;
  let sum = 0;
  for (const age of lastPlayedAges) sum += 1 / cadenceIntervals(age === null ? null : -age, 0);
  return sum / lastPlayedAges.length;
}

export interface CyclePlanOverrides {
  /** Players this cycle may check (default: the budget cap). */
  maxPlayers?: number;
  batchSize?: number;
  lanes?: number;
  leaseMs?: number;
  /** How long after its start the cycle keeps claiming players (default: deadlineShare × interval). */
  deadlineMs?: number;
}

export interface CyclePlan {
  maxPlayers: number;
  batchSize: number;
  lanes: number;
  leaseMs: number;
  deadlineMs: number;
  intervalMs: number;
}

export function planCycle(
  config: { FACEIT_RATE_LIMIT_PER_SECOND: number; MONITORING_INTERVAL_MINUTES: number },
  overrides: CyclePlanOverrides = {},
): CyclePlan {
  const intervalMs = Math.round(config.MONITORING_INTERVAL_MINUTES * 60_000);
  const cap = capacity({
    perSecond: config.FACEIT_RATE_LIMIT_PER_SECOND,
    intervalMinutes: config.MONITORING_INTERVAL_MINUTES,
  });
  return {
    maxPlayers: overrides.maxPlayers ?? cap.playersPerCycle,
    batchSize: Math.max(1, overrides.batchSize ?? MONITORING_DEFAULTS.batchSize),
    lanes: Math.max(1, overrides.lanes ?? MONITORING_DEFAULTS.lanes),
    leaseMs: overrides.leaseMs ?? Math.max(MONITORING_DEFAULTS.leaseMs, intervalMs),
    deadlineMs: overrides.deadlineMs ?? Math.round(intervalMs * MONITORING_DEFAULTS.deadlineShare),
    intervalMs,
  };
}
