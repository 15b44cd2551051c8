import type * as service from './client';

/** The part of the analysis service the bot uses (see src/analysis/client.ts for the contract). */
export type AnalysisService = Pick<
  typeof service,
  'requestAnalysis' | 'getAnalysisProgress' | 'cancelAnalysis' | 'isAnalysisRunning' | 'parseMatchReference'
>;
export type { AnalysisProgress, AnalysisRequester } from './client';
