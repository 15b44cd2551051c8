import type * as service from '../../analysis/service';

/** The part of the analysis service the bot uses (see src/analysis/service.ts for the contract). */
export type AnalysisService = Pick<
  typeof service,
  'requestAnalysis' | 'getAnalysisProgress' | 'cancelAnalysis' | 'parseMatchReference'
>;
export type { AnalysisProgress, AnalysisRequester } from '../../analysis/service';
