// The analysis slice as the worker process takes it (other slices' activities): what starts and stores an analysis,
// without the bot's composer, progress tracking and keyboards (src/analysis/index.ts), so a worker does not load them.
export { createAnalysisRepository } from './repository';
export { requestAnalysis } from './client';
export { matchInfoFrom } from './model/ingest';
export { withPickedMap } from './model';
export { renderFramedReport } from './render';
