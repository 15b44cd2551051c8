import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BroadcastCounts, BroadcastProgress } from './model/progress';

/** The broadcast workflow's interface, shared by the workflow and its client (no activity code here). */

export interface BroadcastWorkflowInput {
  broadcastId: number;
  /** Recipients per send activity (about 4 s of sending at the configured rate). */
  batchSize: number;
  /** Sends in flight inside one batch (they all share the global pacer). */
  lanes?: number;
  /** Batches in flight at once, on disjoint ranges of recipients (default 2: one sends while the other turns around). */
  streams?: number;
  /**
   * A dead worker's batch moves to another worker after this (default 3 s). The batch heartbeats every 500 ms, also
   * while it waits for the pacer or a `retry_after`, and workers flush heartbeats every second
   * (HEARTBEAT_FLUSH_OPTIONS), so a live batch is never taken for dead.
   */
  heartbeatTimeoutMs?: number;
  /** How often the admin's progress message is edited at most (default 3 s). */
  progressEveryMs?: number;
  /** Continue-as-new after this many batches in one run (default 200; also when Temporal suggests it). */
  batchesPerRun?: number;
  /**
   * The final sweep (recipients given back while Telegram was unreachable) continues as new after this many sweeps
   * in one run (default 100; also when Temporal suggests it), so a long outage never makes one endless history.
   */
  sweepsPerRun?: number;
  /** Carried across continue-as-new; never set by callers. */
  carry?: BroadcastCarry;
}

export interface BroadcastCarry {
  counts: BroadcastCounts;
  paused: boolean;
  cancelled: boolean;
  startedAt: number;
  runs: number;
  /** The last recipient id handed to a batch. */
  cursor: number;
  /** Set when a run continued as new during the final sweep: the next run goes straight back to sweeping. */
  sweeping?: boolean;
}

export const broadcastProgressQuery = defineQuery<BroadcastProgress>('broadcastProgress');
/** Pause / Resume / Cancel: Updates, so the admin's button gets the new state back at once. */
export const pauseBroadcastUpdate = defineUpdate<BroadcastProgress>('pauseBroadcast');
export const resumeBroadcastUpdate = defineUpdate<BroadcastProgress>('resumeBroadcast');
export const cancelBroadcastUpdate = defineUpdate<BroadcastProgress>('cancelBroadcast');

export const broadcastWorkflowId = (broadcastId: number) => `broadcast-${broadcastId}`;
