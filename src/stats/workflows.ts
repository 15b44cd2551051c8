/**
 * Short workflows behind the stats commands. Each runs on the requester's tier queue (PRO → high, else default; see
 * ./client.ts), fans its FACEIT calls out in parallel and returns a compact DTO for the bot to render. They are
 * workflows, not direct calls, so that FACEIT trouble is retried with backoff and every request shows up in the
 * Web UI next to the analyses.
 */
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { EloSource } from '../db/repositories/elo-snapshots';
import { FACEIT_STATS_REQUEST } from '../temporal/retry-policies';
import type { StatsActivities } from './activities';
import type { DuoMatch } from './model/duos';
import type {
  CompareSide,
  FormInput,
  LastMatchData,
  Lookup,
  MatchLine,
  PlayerCard,
  PlayerRef,
  ProfileData,
} from './model/types';

function activities(): StatsActivities {
  // Activities run on the workflow's own queue, so a tier's work stays on that tier's workers.
  return proxyActivities<StatsActivities>({
    taskQueue: workflowInfo().taskQueue,
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '90 seconds',
    retry: FACEIT_STATS_REQUEST,
  });
}

/** A lost ELO snapshot must never cost the user their answer. */
async function recordElo(players: PlayerCard[], source: EloSource): Promise<void> {
  try {
    await activities().statsRecordElo(players, source);
  } catch (err) {
    log.warn('ELO snapshot not recorded', { error: err });
  }
}

/** /link and the nickname after /start: validates the account and records its ELO. */
export async function findPlayerWorkflow(ref: PlayerRef): Promise<Lookup<PlayerCard>> {
  const found = await activities().statsFindPlayer(ref);
  if (found.ok) await recordElo([found.value], 'link');
  return found;
}

export async function profileWorkflow(ref: PlayerRef): Promise<Lookup<ProfileData>> {
  const a = activities();
  const found = await a.statsFindPlayer(ref);
  if (!found.ok) return found;
  const player = found.value;
  const [lifetime] = await Promise.all([a.statsLifetime(player.playerId), recordElo([player], 'profile')]);
  return { ok: true, value: { player, ...(lifetime ?? {}) } };
}

export async function matchesWorkflow(input: { playerId: string; limit: number }): Promise<MatchLine[]> {
  return activities().statsRecentMatches(input.playerId, input.limit);
}

export async function lastMatchWorkflow(input: { playerId: string }): Promise<LastMatchData | null> {
  const a = activities();
  const [line] = await a.statsRecentMatches(input.playerId, 1);
  if (!line) return null;
  return { line, scoreboard: await a.statsScoreboard(line.matchId) };
}

export async function formWorkflow(input: { playerId: string; limit: number }): Promise<FormInput> {
  const a = activities();
  const [matches, lifetime] = await Promise.all([
    a.statsRecentMatches(input.playerId, input.limit),
    a.statsLifetime(input.playerId),
  ]);
  return { matches, lifetime: lifetime?.lifetime ?? null };
}

/** /duos: the player's recent matches with his teammates (one /history page). */
export async function duosWorkflow(input: { playerId: string; limit: number }): Promise<DuoMatch[]> {
  return activities().statsDuoHistory(input.playerId, input.limit);
}

/** Recent matches behind the side-by-side figures of /compare. */
export const COMPARE_RECENT_MATCHES = 20;

export async function compareWorkflow(refs: [PlayerRef, PlayerRef]): Promise<Array<Lookup<CompareSide>>> {
  const a = activities();
  const sides = await Promise.all(
    refs.map(async (ref): Promise<Lookup<CompareSide>> => {
      const found = await a.statsFindPlayer(ref);
      if (!found.ok) return found;
      const player = found.value;
      const [lifetime, recent] = await Promise.all([
        a.statsLifetime(player.playerId),
        a.statsRecentMatches(player.playerId, COMPARE_RECENT_MATCHES),
      ]);
      return { ok: true, value: { player, recent, ...(lifetime ?? {}) } };
    }),
  );
  await recordElo(
    sides.flatMap((s) => (s.ok ? [s.value.player] : [])),
    'profile',
  );
  return sides;
}
