import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { QueueTier } from '../../config';
import {
  DB_ANALYSIS_STORE,
  FACEIT_LOBBY_MATCH,
  FACEIT_LOBBY_PLAYER,
  TELEGRAM_ANALYSIS_REPORT,
} from '../../temporal/retry-policies';
import type { AnalysisActivities } from '../activities';

/** Lower rank = more urgent queue tier. */
export const TIER_RANK: Record<QueueTier, number> = { critical: 0, high: 1, default: 2, low: 3 };

/** The most urgent of some queue tiers. */
export function mostUrgent(tiers: QueueTier[]): QueueTier {
  return tiers.reduce((a, b) => (TIER_RANK[b] < TIER_RANK[a] ? b : a));
}

/**
 * FACEIT activities heartbeat once they have run 2 s (one admitted at once ends before and sends none: Temporal Cloud
 * bills each heartbeat); the SDK then sends one per 4 s (0.8 × the timeout). A cancellation reaches an activity still
 * waiting for rate-limit slots within ~4 s, and a dead worker is noticed in 5 s.
 */
export const OPTIONS = {
  match: {
    startToCloseTimeout: '3 minutes',
    heartbeatTimeout: '5 seconds',
    retry: FACEIT_LOBBY_MATCH,
  },
  player: {
    startToCloseTimeout: '3 minutes',
    scheduleToCloseTimeout: '6 minutes',
    heartbeatTimeout: '5 seconds',
    retry: FACEIT_LOBBY_PLAYER,
  },
  // The FACEIT calls are paid by now: storing rides out a PostgreSQL restart of a minute or more (0.5+1+2+4+8 s,
  // then every 10 s: about 2 minutes of retries) instead of failing the analysis.
  store: {
    startToCloseTimeout: '30 seconds',
    retry: DB_ANALYSIS_STORE,
  },
  deliver: {
    startToCloseTimeout: '2 minutes',
    retry: TELEGRAM_ANALYSIS_REPORT,
  },
} satisfies Record<string, ActivityOptions>;

/** The analysis activities on one task queue, one proxy per kind of call (each with its own timeouts and retries). */
export type Proxies = Record<keyof typeof OPTIONS, AnalysisActivities>;

export function proxiesFor(taskQueue: string): Proxies {
  return {
    match: proxyActivities<AnalysisActivities>({ ...OPTIONS.match, taskQueue }),
    player: proxyActivities<AnalysisActivities>({ ...OPTIONS.player, taskQueue }),
    store: proxyActivities<AnalysisActivities>({ ...OPTIONS.store, taskQueue }),
    deliver: proxyActivities<AnalysisActivities>({ ...OPTIONS.deliver, taskQueue }),
  };
}
