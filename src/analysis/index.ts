/**
 * Analysis slice (the lobby analysis of one match): the only module code outside the slice imports. The workflow
 * bundle reaches ./workflows through src/workflows/index.ts, the workers ./activities through src/activities/index.ts.
 */

// The bot side: the Composer, the live progress of running analyses, and what the bot asks of the workflow.
export { createAnalysisComposer } from './composer';
export { ProgressTracker, type FollowedAnalysis } from './progress';
export type { AnalysisService } from './port';
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

// The pure model and its rendering.
export type * from './model/types';
export { analyzeLobby, lobbyRejection, perspectiveOf } from './model/analyze';
export {
  renderReport,
  renderFramedReport,
  renderSections,
  renderProgress,
  renderRejection,
  progressBar,
  type RenderOptions,
} from './render';
export { hltvRating, estimateKast, type RatingLine } from './model/rating';
export { detectRole } from './model/role';
export { assessThreat, detectFlags, shrink } from './model/threat';
export { winProbability, eloAtStake } from './model/team';
export {
  analyseMaps,
  recommendationFor,
  advantageFor,
  MAP_THRESHOLD,
  type MapRecommendation,
} from './model/maps';
export { summarisePlayer, type PlayerStatsSummary } from './model/player-stats';
export { createRequestReconciler, type ReconcileResult } from './reconcile';
export { createAnalysisRepository } from './repository';
// The model's two probabilities (ELO baseline and ours) and the FACEIT → model adapters, for the backtest tooling.
export { featuresOf, predict, predictedWinner, MODEL_WEIGHTS, type ModelWeights } from './model/prediction';
export { matchInfoFrom, recentMatchesFrom } from './model/ingest';
