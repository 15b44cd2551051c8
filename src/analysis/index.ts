/** Public API of the pure lobby analysis. */
export * from './model/types';
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
export { escapeHtml, splitMessage, splitSection, TELEGRAM_MESSAGE_LIMIT } from '../telegram/html';
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
export { normaliseMap, mapLabel, ACTIVE_DUTY_POOL } from './model/mapnames';
export { summarisePlayer, type PlayerStatsSummary } from './model/player-stats';
export {
  requestAnalysis,
  getAnalysisProgress,
  parseMatchReference,
  analysisWorkflowId,
  type AnalysisProgress,
  type AnalysisRequester,
} from './client';
export { createAnalysisRepository } from './repository';
