// Broadcasts: the /broadcast composer, the workflow's client, the activities (the workflow bundle imports
// ./workflows directly, through src/workflows/index.ts).
export {
  createBroadcastActivities,
  type BroadcastActivities,
  type BroadcastActivityDeps,
  type BroadcastActivityOptions,
} from './activities';
export {
  batchSizeFor,
  broadcastProgress,
  broadcastResult,
  controlBroadcast,
  startBroadcast,
  type BroadcastControl,
} from './client';
export { createBroadcastComposer, textAfterCommand, type BroadcastComposerDeps } from './composer';
export { AUDIENCE_KEYS, audienceOf, type Audience, type AudienceKey } from './model/audience';
export type { BroadcastCounts, BroadcastProgress, BroadcastReport } from './model/progress';
export { createBroadcastRepository, type BroadcastRepository, type BroadcastRow } from './repository';
export { broadcastWorkflowId, type BroadcastWorkflowInput } from './workflow-types';
