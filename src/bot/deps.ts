import { createRepositories } from '../db/repositories';
import * as analysis from '../analysis';
import type { AnalysisComposerDeps } from '../analysis';
import type { BotServices } from '../bot-kit/deps';
import type { TimerReconcilerOptions } from '../billing';

/**
 * Everything the bot talks to; tests build the same thing against the emulators. Each composer takes a narrow part
 * of it (its own `<Slice>ComposerDeps`).
 */
export interface BotDeps extends BotServices, AnalysisComposerDeps {
  /** Per-user flood limit: at most `limit` updates per `timeFrameMs` (default 8 per 3 s). */
  flood?: { limit: number; timeFrameMs: number };
  /** Reconciliation of pending analysis requests (src/analysis/reconcile.ts); false: off. */
  reconcile?: { olderThanMs?: number; everyMs?: number } | false;
  /** Re-sending subscription timer signals that failed after a committed change (src/billing/reconcile.ts). */
  timerReconcile?: Omit<TimerReconcilerOptions, 'registry'> | false;
}

export function createBotDeps(base: Omit<BotDeps, 'repos' | 'analysis'> & Partial<BotDeps>): BotDeps {
  return {
    ...base,
    repos: base.repos ?? createRepositories(base.pool),
    analysis: base.analysis ?? analysis,
  };
}
