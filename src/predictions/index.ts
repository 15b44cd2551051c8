// Predictions you can check: outcomes of analysed matches, /accuracy, the ELO chart.
// (The workflow bundle imports ./workflows directly, through src/workflows/index.ts.)
export {
  createPredictionsActivities,
  type PredictionsActivities,
  type PredictionsActivityDeps,
} from './activities';
export { outcomeWorkflowId, signalOutcomeSeen, startOutcomeWatch } from './client';
export { createPredictionsRepository, type OutcomeSource, type Sighting } from './repository';
export { summarise, reliability, type AccuracySummary, type ScoredMatch } from './model/scores';
export { OUTCOME_CHECKS_MS, type OutcomeWorkflowResult } from './workflow-types';
export { createPredictionsComposer, type PredictionsComposerDeps } from './composer';
export {
  bootstrapDifference,
  fitWeights,
  forecastOf,
  modelP,
  scoresOf,
  type DatasetPlayer,
  type DatasetRecord,
  type Forecast,
} from './model/backtest';
