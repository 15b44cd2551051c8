import { CancellationScope, workflowInfo } from '@temporalio/workflow';
import type { QueueTier } from '../../config';
import {
  tierOfRequester,
  type AnalysisRequester,
  type AnalysisStage,
  type AnalysisState,
  type AnalysisWorkflowInput,
  type AnalysisWorkflowResult,
  type CancelAnswer,
  type CancelRefusal,
  type DeliveryOutcome,
  type JoinOutcome,
  type Refusal,
  type RequesterRef,
} from '../workflow-types';
import { proxiesFor, TIER_RANK, type Proxies } from './options';

/** One requester of this run and how far their answer got. */
export interface Entry {
  requester: AnalysisRequester;
  cancelled: boolean;
  /** The outcome handed to the delivery queue (null while the analysis runs). */
  outcome: DeliveryOutcome | null;
  delivered: boolean;
}

/** How the analysis itself ended when it did not fail or get cancelled. */
export type Final = { kind: 'report' } | { kind: 'refused'; refusal: Refusal };

export const keyOf = (r: RequesterRef): string => `${r.chatId}:${r.progressMessageId}`;

/**
 * Everything one run of the lobby-analysis workflow knows: the progress the query shows, the requesters, the
 * delivery queue (outbox) and the outcome. The handlers and the stages change it only through these methods.
 */
export class AnalysisRun {
  readonly matchId: string;
  readonly workflowId = workflowInfo().workflowId;
  readonly startedAt = Date.now();
  readonly state: AnalysisState;
  readonly entries = new Map<string, Entry>();
  /** Requesters whose outcome is known, waiting for the delivery pump. */
  readonly outbox: Entry[] = [];
  /** Deliveries started and not finished. */
  inFlight = 0;
  final: Final | null = null;
  /** Set once the run will not deliver to newcomers any more: they are carried to a new run instead. */
  closed = false;
  /** Requesters carried to the next run by continue-as-new. */
  readonly late: AnalysisRequester[] = [];
  /** Every requester cancelled before the outcome: the analysis itself was stopped. */
  allCancelled = false;
  /** The scope of the FACEIT fetches and the computation; cancelled when the last requester cancels. */
  readonly analysisScope = new CancellationScope();
  /** The plain-text report of an operator run. */
  operatorText: string | undefined;
  private readonly proxies = new Map<string, Proxies>();
  /** Requesters in the start input (the starter through update-with-start, or carried by continue-as-new). */
  private readonly startKeys: Set<string>;

  constructor(readonly input: AnalysisWorkflowInput) {
    this.matchId = input.matchId;
    this.startKeys = new Set((input.carried ?? []).map(keyOf));
    this.state = {
      matchId: input.matchId,
      stage: 'queued',
      done: 0,
      total: 0,
      donePlayers: [],
      startedAt: this.startedAt,
      finishedAt: null,
      stageAt: { queued: this.startedAt },
      requesters: [],
      faceitCalls: 0,
      cacheHits: 0,
      noDataPlayers: 0,
      tier: input.tier,
    };
  }

  /** Requesters still waiting for the analysis (neither cancelled nor answered). */
  active(): Entry[] {
    return [...this.entries.values()].filter((e) => !e.cancelled && e.outcome === null);
  }

  enter(stage: AnalysisStage): void {
    this.state.stage = stage;
    this.state.stageAt[stage] = Date.now();
  }

  /** The most urgent tier among the waiting requesters (never below the starter's); shown by the progress query. */
  currentTier(): QueueTier {
    let tier = this.input.tier;
    for (const e of this.active()) {
      const t = tierOfRequester(e.requester);
      if (TIER_RANK[t] < TIER_RANK[tier]) tier = t;
    }
    this.state.tier = tier;
    return tier;
  }

  /** The activities on the task queue of `tier` (by default the current one). */
  acts(tier: QueueTier = this.currentTier()): Proxies {
    const queue = this.input.queues[tier];
    if (!this.proxies.has(queue)) this.proxies.set(queue, proxiesFor(queue));
    return this.proxies.get(queue) as Proxies;
  }

  /** Hands a requester's outcome to the delivery pump. */
  enqueue(e: Entry, outcome: DeliveryOutcome): void {
    e.outcome = outcome;
    this.outbox.push(e);
  }

  /**
   * A requester joins (start input, update, legacy signal); once the outcome is known they get it at once. Joining
   * is idempotent by (chatId, progressMessageId): a repeat changes nothing and says so.
   */
  join(r: AnalysisRequester): JoinOutcome {
    const key = keyOf(r);
    if (this.late.some((x) => keyOf(x) === key)) return 'next-run';
    // The starter's update may run before the start input is read (buffered updates run when the handler is set).
    const starter = this.startKeys.has(key);
    if (this.entries.has(key)) return starter ? 'started' : 'already-in';
    if (this.closed) {
      this.late.push(r);
      return 'next-run';
    }
    const e: Entry = { requester: r, cancelled: false, outcome: null, delivered: false };
    this.entries.set(key, e);
    if (!this.final) return starter ? 'started' : 'joined';
    this.enqueue(e, this.final.kind);
    return 'ready';
  }

  /** Why this cancel cannot be honoured, or null (the cancel update's validator and the legacy signal ask this). */
  cancelRefusal(ref: RequesterRef): CancelRefusal | null {
    const key = keyOf(ref);
    const e = this.entries.get(key);
    const owner = e?.requester.telegramId ?? this.late.find((x) => keyOf(x) === key)?.telegramId;
    if (owner === undefined) return 'unknown';
    // The button's data names its owner, but data can be forged: only the requester on record may cancel.
    if (owner !== ref.telegramId) return 'not-yours';
    if (!e || this.late.some((x) => keyOf(x) === key)) return null; // waiting for the next run: still cancellable
    if (e.cancelled) return 'already-cancelled';
    return e.outcome === null ? null : 'too-late';
  }

  /**
   * Withdraws a requester `cancelRefusal` accepted: they are told at once and their unit goes back (the delivery of
   * 'cancelled'). When nobody is left waiting before the outcome, the analysis itself stops.
   */
  cancel(ref: RequesterRef): CancelAnswer {
    const key = keyOf(ref);
    const lateAt = this.late.findIndex((x) => keyOf(x) === key);
    const carried = lateAt >= 0 ? this.late.splice(lateAt, 1)[0] : undefined;
    let e = this.entries.get(key);
    if (!e && carried) {
      e = { requester: carried, cancelled: false, outcome: null, delivered: false };
      this.entries.set(key, e);
    }
    if (!e) return { outcome: 'cancelled', analysisStopped: false };
    e.cancelled = true;
    this.enqueue(e, 'cancelled');
    // The last requester gone before the outcome: stop fetching (an operator run has no requester to lose).
    if (!this.input.operator && this.final === null && this.active().length === 0 && !this.allCancelled) {
      this.allCancelled = true;
      this.analysisScope.cancel();
      return { outcome: 'cancelled', analysisStopped: true };
    }
    // The last one carried to a next run: that run will not start.
    return { outcome: 'cancelled', analysisStopped: carried !== undefined && this.late.length === 0 };
  }

  /** Nothing queued, nothing being delivered. */
  drained(): boolean {
    return this.outbox.length === 0 && this.inFlight === 0;
  }

  /** What the progress query returns: a copy, so the caller never sees later changes. */
  snapshot(): AnalysisState {
    return {
      ...this.state,
      donePlayers: [...this.state.donePlayers],
      stageAt: { ...this.state.stageAt },
      lines: this.state.lines ? { ...this.state.lines } : undefined,
      requesters: [...this.entries.values()].map((e) => ({
        telegramId: e.requester.telegramId,
        chatId: e.requester.chatId,
        progressMessageId: e.requester.progressMessageId,
        cancelled: e.cancelled,
        delivered: e.delivered,
      })),
    };
  }

  result(): AnalysisWorkflowResult {
    return {
      matchId: this.matchId,
      stage: this.state.stage,
      refusal: this.state.refusal,
      faceitCalls: this.state.faceitCalls,
      cacheHits: this.state.cacheHits,
      startedAt: this.startedAt,
      finishedAt: this.state.finishedAt,
      stageAt: this.state.stageAt,
      delivered: [...this.entries.values()].filter((e) => e.delivered && e.outcome === 'report').length,
      reportText: this.operatorText,
    };
  }
}
