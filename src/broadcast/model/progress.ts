/** Counts of a broadcast, as the workflow's query, the progress message and the final report show them. */
export interface BroadcastCounts {
  total: number;
  sent: number;
  /** The user blocked the bot (403): marked, and left out of later audiences. */
  blocked: number;
  /** Telegram refused the message for good (400, too many 429s). */
  failed: number;
  /**
   * Claimed and handed to Telegram, but the answer never came back (worker killed mid-request, network cut, 5xx):
   * delivered once or not at all. Never sent again, so nobody gets a second copy.
   */
  uncertain: number;
}

export type BroadcastState = 'preparing' | 'running' | 'paused' | 'finishing' | 'finished';

export interface BroadcastProgress extends BroadcastCounts {
  state: BroadcastState;
  cancelled: boolean;
  /** Recipients not handled yet. */
  remaining: number;
}

export interface BroadcastReport extends BroadcastCounts {
  status: 'completed' | 'cancelled' | 'failed';
  /** Not attempted because the broadcast was cancelled (or failed). */
  notSent: number;
  durationMs: number;
  /** Workflow runs the broadcast took (continue-as-new keeps each history short). */
  runs?: number;
}

export const zeroCounts = (total = 0): BroadcastCounts => ({
  total,
  sent: 0,
  blocked: 0,
  failed: 0,
  uncertain: 0,
});

export const handled = (c: BroadcastCounts) => c.sent + c.blocked + c.failed + c.uncertain;
