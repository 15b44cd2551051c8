import type * as service from './client';
import type { BotServices } from '../bot-kit/deps';

/** The part of the analysis service the bot uses (see src/analysis/client.ts for the contract). */
export type AnalysisService = Pick<
  typeof service,
  'requestAnalysis' | 'getAnalysisProgress' | 'cancelAnalysis' | 'isAnalysisRunning' | 'parseMatchReference'
>;
export type { AnalysisProgress, AnalysisRequester } from './client';

/** What the analysis's composer, its progress tracker and its lost-copy handler take (the frame's BotDeps has it). */
export interface AnalysisComposerDeps extends Pick<
  BotServices,
  'config' | 'logger' | 'client' | 'pool' | 'repos' | 'redis'
> {
  /** The lobby analysis (src/analysis/client.ts); replaceable in tests. */
  analysis: AnalysisService;
  /**
   * The FACEIT client's Redis key prefix, where /admin stats reads the calls of the last hour and the progress
   * message the queue of the shared budget (default 'faceit:').
   */
  faceitKeyPrefix?: string;
  /** How often the progress message is refreshed while an analysis runs (default 1 s). */
  progressPollMs?: number;
}
