// Predictions as the worker process takes them (the activity registry, monitoring's checks): the outcome watch and
// the repository, without the bot's composer and charts (src/predictions/index.ts), so a worker does not load them.
export { startOutcomeWatch } from './client';
export { createPredictionsRepository } from './repository';
