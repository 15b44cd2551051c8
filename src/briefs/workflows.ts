import { proxyActivities } from '@temporalio/workflow';
import type { BriefsActivities } from './activities';
import type { BriefOutcome, Sighting } from './sender';

/**
 * One FACEIT webhook about a tracked player's match starting (id `brief-<matchId>`): the briefs go out at once.
 * The work is one idempotent activity (claims in PostgreSQL); the analysis it starts is the shared one.
 */
export async function preMatchBriefWorkflow(input: Sighting): Promise<BriefOutcome> {
  const { briefsDeliver } = proxyActivities<BriefsActivities>({
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: 8,
    },
  });
  return briefsDeliver(input);
}
