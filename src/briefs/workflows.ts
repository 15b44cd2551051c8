import {
  ApplicationFailure,
  condition,
  defineSignal,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import { FACEIT_BRIEF_ROOM_POLL, TELEGRAM_BRIEF, TELEGRAM_VETO_BRIEF } from '../temporal/retry-policies';
import type { BriefsActivities } from './activities';
import type { BriefOutcome, Sighting } from './sender';

/**
 * One FACEIT webhook about a tracked player's match starting (id `brief-<matchId>`): the briefs go out at once.
 * The work is one idempotent activity (claims in PostgreSQL); the analysis it starts is the shared one.
 */
export async function preMatchBriefWorkflow(input: Sighting): Promise<BriefOutcome> {
  const { briefsDeliver } = proxyActivities<BriefsActivities>({
    startToCloseTimeout: '1 minute',
    retry: TELEGRAM_BRIEF,
  });
  return briefsDeliver(input);
}

export interface VetoBriefInput {
  matchId: string;
  /** When FACEIT's `match_object_created` arrived (epoch ms), for the brief's latency. */
  createdAt?: number;
}

export interface VetoBriefResult {
  /** Why it ended: briefed (and edited to the map when it was picked), nobody tracked, the match gone. */
  ended: 'briefed' | 'untracked' | 'gone';
  /** Room polls made (FACEIT calls). */
  polls: number;
  sent: number;
  /** The map the briefs were edited to, if any. */
  map: string | null;
}

/** FACEIT's `match_status_configuring` / `_ready` arrived: the vote is over, look at the room now. */
export const briefRoomChangedSignal = defineSignal('briefRoomChanged');

/** Rosters: every 2 s for at most a minute after the match object is created. */
export const ROSTER_POLL_MS = 2_000;
export const ROSTER_POLLS = 30;
/** The map: on the CONFIGURING/READY webhook's signal at once, else every 15 s for at most 6 minutes. */
export const MAP_POLL_MS = 15_000;
export const MAP_POLLS = 24;

const ENDED = new Set(['FINISHED', 'CANCELLED', 'CANCELED', 'ABORTED', 'GONE']);

/**
 * A brief in time for the veto (id `brief-<matchId>`, started by FACEIT's `match_object_created`): FACEIT sends no
 * event for the map vote, and at creation the rosters may still be empty, so the room is polled until they appear;
 * if a chat wants briefs about one of the players, the brief goes out during VOTING (with the likely bans and our
 * picks), and when the map is picked (the CONFIGURING webhook signals, or the poll sees it) every brief of the match
 * is edited to that map's outlook.
 */
export async function vetoBriefWorkflow(input: VetoBriefInput): Promise<VetoBriefResult> {
  const { briefsRoom } = proxyActivities<BriefsActivities>({
    startToCloseTimeout: '30 seconds',
    retry: FACEIT_BRIEF_ROOM_POLL,
  });
  const { briefsDeliver, briefsMapPicked } = proxyActivities<BriefsActivities>({
    startToCloseTimeout: '1 minute',
    retry: TELEGRAM_VETO_BRIEF,
  });
  let changed = false;
  setHandler(briefRoomChangedSignal, () => {
    changed = true;
  });

  let polls = 1;
  let room = await briefsRoom(input.matchId);
  while (room.rosterIds.length === 0 && !ENDED.has(room.status) && polls < ROSTER_POLLS) {
    await sleep(ROSTER_POLL_MS);
    room = await briefsRoom(input.matchId);
    polls++;
  }
  if (ENDED.has(room.status)) return { ended: 'gone', polls, sent: 0, map: null };
  // Failed, not completed: a later CONFIGURING/READY webhook may then start the usual brief under the same id.
  if (room.rosterIds.length === 0)
    throw ApplicationFailure.nonRetryable(`no rosters after ${polls} polls`, 'NoRosters');
  if (room.tracked.length === 0) return { ended: 'untracked', polls, sent: 0, map: null };

  const votedAlready = room.pickedMap !== null;
  const out = await briefsDeliver({
    matchId: input.matchId,
    playerIds: room.tracked,
    source: 'webhook',
    status: room.status,
  });
  // Sent after the vote: the analysis already has the map.
  if (votedAlready) return { ended: 'briefed', polls, sent: out.sent, map: null };

  for (let i = 0; i < MAP_POLLS && room.pickedMap === null && !ENDED.has(room.status); i++) {
    changed = false;
    await condition(() => changed, MAP_POLL_MS);
    room = await briefsRoom(input.matchId);
    polls++;
  }
  if (room.pickedMap === null) return { ended: 'briefed', polls, sent: out.sent, map: null };
  await briefsMapPicked({ matchId: input.matchId, map: room.pickedMap, status: room.status });
  return { ended: 'briefed', polls, sent: out.sent, map: room.pickedMap };
}
