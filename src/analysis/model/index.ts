/**
 * The analysis slice's second public entry: its pure model (no grammY, no Temporal client, no I/O), for other
 * slices' pure models (stats/model/form.ts, predictions/model/backtest.ts) that must not load the slice's index.ts.
 * Everything here is also exported by src/analysis/index.ts. The FACEIT adapters (./ingest.ts) are not pure in this
 * sense (they load the FACEIT client's module) and stay behind the main entry.
 */
export type * from './types';
export { analyzeLobby, lobbyRejection, perspectiveOf, withPickedMap } from './analyze';
export { hltvRating, estimateKast, type RatingLine } from './rating';
export { detectRole } from './role';
export { assessThreat, detectFlags, shrink } from './threat';
export { winProbability, eloAtStake } from './team';
export { analyseMaps, recommendationFor, advantageFor, MAP_THRESHOLD, type MapRecommendation } from './maps';
export { summarisePlayer, type PlayerStatsSummary } from './player-stats';
export {
  AGGREGATE_KEYS,
  predictedWinner,
  predictLobby,
  scoreMatch,
  teamAggregates,
  type Prediction,
} from './prediction';
export { MODEL, MODEL_SOURCE, type ModelCoefficients } from './weights';
