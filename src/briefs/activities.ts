import { type BriefDeps, type BriefOutcome, createBriefSender, type Sighting } from './sender';

/** The briefs' activity: registered on every tier's worker. */
export type BriefsActivityDeps = BriefDeps;

export function createBriefsActivities(deps: BriefsActivityDeps) {
  const sender = createBriefSender(deps);
  return {
    /** Sends the match's briefs to every chat that wants one and has none yet, and hands them to the analysis. */
    async briefsDeliver(input: Sighting): Promise<BriefOutcome> {
      return sender.brief(input);
    },
  };
}
export type BriefsActivities = ReturnType<typeof createBriefsActivities>;
