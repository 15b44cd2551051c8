import { ApplicationFailure } from '@temporalio/workflow';
import type { SendBatchResult } from '../activities';
import {
  handled,
  zeroCounts,
  type BroadcastCounts,
  type BroadcastProgress,
  type BroadcastReport,
  type BroadcastState,
} from '../model/progress';
import type { BroadcastCarry, BroadcastWorkflowInput } from '../workflow-types';
import { proxiesFor, type Proxies } from './options';

/**
 * Everything one run of the broadcast workflow knows: the counts and flags carried across continue-as-new, the state
 * the query shows, and the bookkeeping of the batches in flight. The handlers and the stages change it only here.
 */
export class BroadcastRun {
  readonly broadcastId: number;
  readonly carry: BroadcastCarry;
  readonly counts: BroadcastCounts;
  readonly acts: Proxies;
  state: BroadcastState;
  /** Set once the report is being written: Pause / Resume / Cancel are refused from then on. */
  finishing = false;
  status: BroadcastReport['status'] = 'completed';
  /** Batches finished in this run. */
  batches = 0;
  /** Batches started and not finished. */
  inFlight = 0;
  /** A stream reached `batchesPerRun` (or Temporal suggested it): the run continues as new. */
  stopForNewRun = false;
  /** False once nothing is sent any more in this run: the presenter stops. */
  sending = true;

  constructor(readonly input: BroadcastWorkflowInput) {
    this.broadcastId = input.broadcastId;
    this.carry = input.carry ?? {
      counts: zeroCounts(),
      paused: false,
      cancelled: false,
      startedAt: Date.now(),
      runs: 0,
      cursor: 0,
    };
    this.counts = this.carry.counts;
    this.state = input.carry ? this.pausedOrRunning() : 'preparing';
    this.acts = proxiesFor(input);
  }

  pausedOrRunning(): BroadcastState {
    return this.carry.paused ? 'paused' : 'running';
  }

  /** What the query, the updates and the progress message show. */
  progress(): BroadcastProgress {
    return {
      ...this.counts,
      state: this.state,
      cancelled: this.carry.cancelled,
      remaining: Math.max(0, this.counts.total - handled(this.counts)),
    };
  }

  /** The updates' validator: a finished broadcast is not paused, resumed or cancelled. */
  assertOpen(): void {
    if (this.finishing)
      throw ApplicationFailure.nonRetryable('the broadcast has already finished', 'BroadcastFinished');
  }

  pause(): BroadcastProgress {
    this.carry.paused = true;
    return this.progress();
  }

  resume(): BroadcastProgress {
    this.carry.paused = false;
    return this.progress();
  }

  cancel(): BroadcastProgress {
    this.carry.cancelled = true;
    this.carry.paused = false;
    return this.progress();
  }

  add(r: SendBatchResult): void {
    this.counts.sent += r.sent;
    this.counts.blocked += r.blocked;
    this.counts.failed += r.failed;
    this.counts.uncertain += r.uncertain;
  }

  /** Cancelled, or a batch failed for good: nothing more is sent. */
  ended(): boolean {
    return this.carry.cancelled || this.status === 'failed';
  }

  /** The streams stop handing out batches. */
  mustStop(): boolean {
    return this.ended() || this.stopForNewRun;
  }

  /** The carry of the next run. */
  nextCarry(extra: Partial<BroadcastCarry> = {}): BroadcastCarry {
    return { ...this.carry, runs: this.carry.runs + 1, ...extra };
  }

  /** The report's counts are the database's. */
  settle(report: BroadcastReport): void {
    Object.assign(this.counts, {
      total: report.total,
      sent: report.sent,
      blocked: report.blocked,
      failed: report.failed,
      uncertain: report.uncertain,
    });
  }
}
