/** Public API of the pure lobby analysis. */
export * from './types';
export { analyzeLobby, lobbyRejection, perspectiveOf } from './analyze';
export {
  renderReport,
  renderSections,
  renderProgress,
  renderRejection,
  progressBar,
  type RenderOptions,
} from './render';
export { escapeHtml, splitMessage, splitSection, TELEGRAM_MESSAGE_LIMIT } from './html';
export { hltvRating, estimateKast, type RatingLine } from './rating';
export { detectRole } from './role';
export { assessThreat, detectFlags, shrink } from './threat';
export { winProbability, eloAtStake } from './team';
export { analyseMaps, recommendationFor, advantageFor, MAP_THRESHOLD, type MapRecommendation } from './maps';
export { normaliseMap, mapLabel, ACTIVE_DUTY_POOL } from './mapnames';
export { summarisePlayer, type PlayerStatsSummary } from './stats';
