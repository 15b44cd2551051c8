export * from './model/types';
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
