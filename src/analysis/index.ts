/**
 * Analysis slice (the lobby analysis of one match): the only module code outside the slice imports. The workflow
 * bundle reaches ./workflows through src/workflows/index.ts, the workers ./activities through src/activities/index.ts.
 */

// The bot side: the Composer, the live progress of running analyses, and what the bot asks of the workflow.
export { createAnalysisComposer } from './composer';
export { ProgressTracker, type FollowedAnalysis } from './progress';
export type { AnalysisComposerDeps, AnalysisService } from './port';
export {
  analysisSearchAttributes,
  analysisWorkflowId,
  analysisWorkflowInput,
  cancelAnalysis,
  getAnalysisProgress,
  isAnalysisRunning,
  parseMatchReference,
  queryAnalysisState,
  requestAnalysis,
  toAnalysisProgress,
  type AnalysisProgress,
  type AnalysisRequestAnswer,
  type CancelResult,
} from './client';
export type { lobbyAnalysisWorkflow } from './workflows';
export type {
  AnalysisRequester,
  AnalysisStage,
  AnalysisState,
  AnalysisWorkflowInput,
  AnalysisWorkflowResult,
  LifetimePolicy,
  Refusal,
} from './workflow-types';

// The pure model (also its own entry, ./model/index.ts, for other slices' pure models) and its rendering.
export * from './model';
export {
  renderReport,
  renderFramedReport,
  renderSections,
  renderProgress,
  renderRejection,
  progressBar,
  type RenderOptions,
} from './render';
export { createRequestReconciler, type ReconcileResult } from './reconcile';
export { createAnalysisRepository } from './repository';
// The FACEIT → model adapters, for the backtest tooling.
export { matchInfoFrom, recentMatchesFrom } from './model/ingest';
