import { CancellationScope, workflowInfo } from '@temporalio/workflow';
import type { QueueTier } from '../../config';
import {
  tierOfRequester,
  type AnalysisRequester,
  type AnalysisStage,
  type AnalysisState,
  type AnalysisWorkflowInput,
  type AnalysisWorkflowResult,
  type DeliveryOutcome,
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

  constructor(readonly input: AnalysisWorkflowInput) {
    this.matchId = input.matchId;
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

  /** A requester joins (start, signal or carried over); once the outcome is known they get it at once. */
  join(r: AnalysisRequester): void {
    if (this.entries.has(keyOf(r))) return;
    if (this.closed) {
      if (!this.late.some((x) => keyOf(x) === keyOf(r))) this.late.push(r);
      return;
    }
    const e: Entry = { requester: r, cancelled: false, outcome: null, delivered: false };
    this.entries.set(keyOf(r), e);
    if (this.final) this.enqueue(e, this.final.kind);
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
