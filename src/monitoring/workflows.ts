import { continueAsNew, log, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type {
  CheckPlayersResult,
  CyclePlanResult,
  MonitoringActivities,
  ResolvePlayerResult,
} from './activities';
import { type CyclePlanOverrides, MONITORING_DEFAULTS } from './settings';
import {
  DB_MONITORING_STEP,
  FACEIT_MONITORING_BATCH,
  FACEIT_TRACK_RESOLVE,
} from '../temporal/retry-policies';

/**
 * Monitoring workflows. Small and deterministic: all I/O is in ./activities, and the per-player state lives in
 * PostgreSQL (cursors, claims, next_check_at), so a cycle's history only records which batches ran.
 */

function activities(heartbeatTimeoutMs: number = MONITORING_DEFAULTS.heartbeatTimeoutMs) {
  const quick = proxyActivities<MonitoringActivities>({
    startToCloseTimeout: '1 minute',
    retry: DB_MONITORING_STEP,
  });
  // A batch may wait minutes for low-priority FACEIT slots; the heartbeat says it is alive, and a dead worker's
  // batch moves to another worker after `heartbeatTimeoutMs` (the retry skips the players already done).
  const batch = proxyActivities<MonitoringActivities>({
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: FACEIT_MONITORING_BATCH,
  });
  // (proxyActivities returns a Proxy: its members cannot be spread.)
  return {
    monitoringPlanCycle: quick.monitoringPlanCycle,
    monitoringClaimDue: quick.monitoringClaimDue,
    monitoringCountDue: quick.monitoringCountDue,
    monitoringNoteMatchReady: quick.monitoringNoteMatchReady,
    monitoringCheckPlayers: batch.monitoringCheckPlayers,
  };
}

// ---------------------------------------------------------------- the scheduled cycle

export interface MonitoringCycleInput {
  /** Per-cycle limits (default: from the FACEIT budget and the interval; see settings.planCycle). */
  overrides?: CyclePlanOverrides;
  /** Default MONITORING_DEFAULTS.heartbeatTimeoutMs. */
  heartbeatTimeoutMs?: number;
  /** Continue-as-new at this many history events (default MONITORING_DEFAULTS.historyLimit). */
  historyLimit?: number;
  /** State carried across continue-as-new; never set by callers. */
  carry?: CycleCarry;
}

export interface CycleTotals {
  /** Players claimed (checked, failed, busy or given back). */
  taken: number;
  checked: number;
  notified: number;
  calls: number;
  failed: number;
  released: number;
  batches: number;
  failedBatches: number;
  /** Of `calls`: history pages read for pre-match briefs (absent in cycles that predate briefs). */
  briefCalls?: number;
  /** Pre-match briefs sent. */
  briefs?: number;
}

interface CycleCarry {
  startedAt: number;
  plan: CyclePlanResult;
  totals: CycleTotals;
  runs: number;
}

export type CycleStop = 'done' | 'cap' | 'deadline' | 'saturated' | 'continue-as-new';

export interface MonitoringCycleResult extends CycleTotals {
  /** Workflow runs the cycle took (continue-as-new). */
  runs: number;
  due: number;
  maxPlayers: number;
  /** Players still due at the end: they go first next cycle. */
  deferred: number;
  durationMs: number;
  stoppedBy: CycleStop;
}

const zero = (): CycleTotals => ({
  taken: 0,
  checked: 0,
  notified: 0,
  calls: 0,
  failed: 0,
  released: 0,
  batches: 0,
  failedBatches: 0,
});

/**
 * One monitoring cycle (started by the Temporal Schedule, overlap SKIP). Claims due players in batches — most
 * overdue first — and checks them with `lanes` batches in flight, until nobody is due, the budget cap for one
 * interval is reached, the deadline passes (the rest waits for the next cycle instead of piling up), or user
 * traffic holds the FACEIT budget. Continues as new when its history grows long.
 */
export async function monitoringCycleWorkflow(
  input: MonitoringCycleInput = {},
): Promise<MonitoringCycleResult> {
  const acts = activities(input.heartbeatTimeoutMs);
  const carry: CycleCarry = input.carry ?? {
    startedAt: Date.now(),
    plan: await acts.monitoringPlanCycle(input.overrides ?? {}),
    totals: zero(),
    runs: 0,
  };
  const { plan, totals } = carry;
  const deadline = carry.startedAt + plan.deadlineMs;
  const historyLimit = input.historyLimit ?? MONITORING_DEFAULTS.historyLimit;
  let stoppedBy: CycleStop | undefined;

  const mustStop = (): boolean => {
    if (stoppedBy) return true;
    const info = workflowInfo();
    if (totals.taken >= plan.maxPlayers) stoppedBy = 'cap';
    else if (Date.now() >= deadline) stoppedBy = 'deadline';
    else if (info.continueAsNewSuggested || info.historyLength >= historyLimit) stoppedBy = 'continue-as-new';
    return stoppedBy !== undefined;
  };

  const add = (r: CheckPlayersResult) => {
    totals.checked += r.checked;
    totals.notified += r.notified;
    totals.calls += r.calls;
    totals.failed += r.failed;
    totals.released += r.released;
    totals.briefCalls = (totals.briefCalls ?? 0) + (r.briefCalls ?? 0);
    totals.briefs = (totals.briefs ?? 0) + (r.briefs ?? 0);
  };

  const lane = async (): Promise<void> => {
    while (!mustStop()) {
      const limit = Math.min(plan.batchSize, plan.maxPlayers - totals.taken);
      totals.taken += limit; // reserved before the await so parallel lanes never overshoot the cap
      const playerIds = await acts.monitoringClaimDue({ limit, leaseMs: plan.leaseMs });
      totals.taken -= limit - playerIds.length;
      if (!playerIds.length) {
        stoppedBy ??= 'done';
        return;
      }
      totals.batches++;
      try {
        const result = await acts.monitoringCheckPlayers({ playerIds, base: carry.startedAt });
        add(result);
        if (result.saturated) stoppedBy ??= 'saturated';
      } catch (err) {
        // Its players keep their lease and come back in a later cycle.
        totals.failedBatches++;
        log.warn('monitoring batch failed', { error: err, players: playerIds.length });
      }
    }
  };
  await Promise.all(Array.from({ length: plan.lanes }, lane));

  if (stoppedBy === 'continue-as-new') {
    await continueAsNew<typeof monitoringCycleWorkflow>({
      ...input,
      carry: { ...carry, runs: carry.runs + 1 },
    });
  }
  const deferred = plan.maxPlayers > 0 ? await acts.monitoringCountDue() : 0;
  return {
    ...totals,
    runs: carry.runs + 1,
    due: plan.due,
    maxPlayers: plan.maxPlayers,
    deferred,
    durationMs: Date.now() - carry.startedAt,
    stoppedBy: stoppedBy ?? 'done',
  };
}

// ---------------------------------------------------------------- FACEIT webhooks

export type FaceitMatchEvent = 'match_status_finished' | 'match_status_ready';

export interface MonitoringMatchInput {
  event: FaceitMatchEvent;
  matchId: string;
  /** Tracked players of the match (the webhook handler keeps only those). */
  playerIds: string[];
  /** Wait before the first check, so FACEIT's lists and ELO catch up with the event (default 20 s). */
  settleMs?: number;
  /** Checks of players whose list does not show the match yet (default 6, every `retryDelayMs`, default 20 s). */
  attempts?: number;
  retryDelayMs?: number;
  heartbeatTimeoutMs?: number;
}

export interface MonitoringMatchResult {
  checked: number;
  notified: number;
  calls: number;
  /** Players whose FACEIT list never showed the match (the scheduled cycle will). */
  missing: string[];
}

/**
 * A FACEIT webhook for tracked players. `match_status_finished` runs the same check as a cycle for just these
 * players, right away; `match_status_ready` records their pre-match ELO and brings their next check forward.
 */
export async function monitoringMatchWorkflow(input: MonitoringMatchInput): Promise<MonitoringMatchResult> {
  const acts = activities(input.heartbeatTimeoutMs);
  const result: MonitoringMatchResult = { checked: 0, notified: 0, calls: 0, missing: [] };
  if (!input.playerIds.length) return result;
  if (input.event === 'match_status_ready') {
    await acts.monitoringNoteMatchReady({ matchId: input.matchId, playerIds: input.playerIds });
    return result;
  }
  const settleMs = input.settleMs ?? 20_000;
  if (settleMs > 0) await sleep(settleMs);
  const attempts = input.attempts ?? 6;
  let pending = [...input.playerIds];
  for (let attempt = 0; attempt < attempts && pending.length; attempt++) {
    if (attempt > 0) await sleep(input.retryDelayMs ?? 20_000);
    const r = await acts.monitoringCheckPlayers({ playerIds: pending, expectMatchId: input.matchId });
    result.checked += r.checked;
    result.notified += r.notified;
    result.calls += r.calls;
    if (r.saturated) break;
    pending = [...new Set([...r.missing, ...r.busy])];
  }
  result.missing = pending;
  return result;
}

// ---------------------------------------------------------------- /track <nickname>

/** Resolves a nickname or profile link for /track (a user request: DEFAULT queue, default priority). */
export async function monitoringResolvePlayerWorkflow(input: {
  query: string;
}): Promise<ResolvePlayerResult> {
  const { monitoringResolvePlayer } = proxyActivities<MonitoringActivities>({
    startToCloseTimeout: '30 seconds',
    retry: FACEIT_TRACK_RESOLVE,
  });
  return monitoringResolvePlayer(input);
}
