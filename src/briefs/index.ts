/** Pre-match briefs: the public API of the slice. */
export {
  createBriefSender,
  type BriefDeps,
  type BriefOutcome,
  type BriefSender,
  type FinishedSighting,
  type Sighting,
} from './sender';
export { startPreMatchBrief, startVetoBrief, signalBriefRoomChanged, briefWorkflowId } from './client';
export { createBriefsRepository, type BriefsRepository } from './repository';
export { createBriefsComposer, briefToggleButton } from './composer';
