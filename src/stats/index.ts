/**
 * Stats slice (/profile, /matches, /last, /form, /compare and the player lookup behind /link): the only module code
 * outside the slice imports.
 */
export type * from './model/types';
export { createStatsComposer } from './composer';
export { retryMinutes, spendUserBudget, STATS_COSTS } from './budget';
export { runStats, linkedAccount, replyLookupFailure, type StatsComposerDeps } from './runner';
export { statsWorkflowOptions, queueTierFor, type StatsRequester } from './client';
export {
  compareWorkflow,
  findPlayerWorkflow,
  formWorkflow,
  lastMatchWorkflow,
  matchesWorkflow,
  profileWorkflow,
} from './workflows';
export {
  summariseForm,
  splitSessions,
  trendOf,
  perMapResults,
  styleOf,
  roleOf,
  type FormSummary,
  type PlayStyle,
  type Session,
  type Trend,
} from './model/form';
export { bestAndWorstMaps, totalsOf, type MatchTotals } from './model/summary';
export { renderProfile } from './render/profile';
export { eloDeltas, type EloSnapshot, type PlayedMatch } from './model/elo';
export { eloChangeSuffix } from './render/matches';
export { ELO_CHART_CALLBACK, eloChartCallback } from './keyboards';
