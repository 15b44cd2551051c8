import { ApplicationFailure, Context } from '@temporalio/activity';
import { toTelegramRetry } from '../telegram/errors';
import {
  type BriefDeps,
  type BriefOutcome,
  BriefReportPendingError,
  type BriefRoom,
  createBriefSender,
  type MapPickedOutcome,
  type Sighting,
} from './sender';

/** The briefs' activity: registered on every tier's worker. */
export type BriefsActivityDeps = BriefDeps;

export function createBriefsActivities(deps: BriefsActivityDeps) {
  const sender = createBriefSender(deps);
  return {
    /** Sends the match's briefs to every chat that wants one and has none yet, and hands them to the analysis. */
    async briefsDeliver(input: Sighting): Promise<BriefOutcome> {
      try {
        return await sender.brief(input, Context.current().cancellationSignal);
      } catch (err) {
        throw retryWhenDue(err);
      }
    },

    /** The match room (one FACEIT call, never cached): its rosters, the tracked players in them, the map. */
    async briefsRoom(matchId: string): Promise<BriefRoom> {
      return sender.room(matchId, Context.current().cancellationSignal);
    },

    /** Edits the match's delivered briefs to the picked map's outlook. */
    async briefsMapPicked(input: {
      matchId: string;
      map: string;
      status?: string;
    }): Promise<MapPickedOutcome> {
      try {
        return await sender.mapPicked(input.matchId, input.map, input.status);
      } catch (err) {
        throw retryWhenDue(err);
      }
    },
  };
}
export type BriefsActivities = ReturnType<typeof createBriefsActivities>;

/**
 * The next attempt waits as long as it must, not the policy's backoff: until an earlier attempt's claim is past its
 * lease (then it is resolved), or Telegram's retry_after.
 */
function retryWhenDue(err: unknown): unknown {
  if (err instanceof BriefReportPendingError) {
    return ApplicationFailure.create({
      message: err.message,
      type: 'BriefReportPending',
      nextRetryDelay: '2 seconds',
    });
  }
  return toTelegramRetry(err);
}
