import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface OutcomeWorkflowInput {
  matchId: string;
  /**
   * When to look at the match, in ms after the start (default OUTCOME_CHECKS_MS). After the last one the outcome is
   * recorded as unknown and the workflow ends.
   */
  checksMs?: number[];
}

export type OutcomeState = 'pending' | 'finished' | 'cancelled' | 'unknown' | 'recorded' | 'not-analysed';

export interface CheckOutcomeResult {
  /** Nothing more to do: the outcome is recorded (now or before), or there is no completed analysis to score. */
  done: boolean;
  state: OutcomeState;
  /** FACEIT's status when it was asked (upper case), e.g. ONGOING. */
  status?: string;
  /** FACEIT calls made (0 when the database already knew). */
  calls: number;
}

export interface OutcomeWorkflowResult {
  matchId: string;
  state: OutcomeState;
  checks: number;
  calls: number;
}

/** Minutes after the analysis: a cancellation shows in the first minutes, a CS2 match lasts 30–60. */
export const OUTCOME_CHECKS_MS = [10, 35, 50, 65, 80, 100, 120, 150, 180, 240].map((m) => m * 60_000);

/** A sighting of the match elsewhere (monitoring, webhook): check now instead of at the next timer. */
export const outcomeSeenSignal = defineSignal('outcomeSeen');
export const outcomeStateQuery = defineQuery<OutcomeWorkflowResult>('outcomeState');
