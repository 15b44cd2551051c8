/**
 * Activities behind /link, /profile, /matches, /last, /form and /compare: one FACEIT call each (cached and
 * rate-limited by the client), mapped to compact DTOs. A 404 is an answer ("no such player"), returned as a value;
 * every other FACEIT failure goes to Temporal's retry policy through `toActivityFailure`.
 */
import { Context } from '@temporalio/activity';
import { QUEUE_TIERS, taskQueueFor, type Config, type QueueTier } from '../config';
import type { DatabasePool } from '../db/pool';
import { createEloSnapshotsRepository, type EloSource } from '../db/repositories/elo-snapshots';
import { type FaceitCallOptions, type FaceitClient, FaceitNotFoundError, toActivityFailure } from '../faceit';
import { toDuoMatch, toLifetimeData, toMatchLine, toPlayerCard, toScoreboard } from './model/mappers';
import type { DuoMatch } from './model/duos';
import type { LifetimeData, Lookup, MatchLine, PlayerCard, PlayerRef, Scoreboard } from './model/types';

/** Shorter than the activity's start-to-close timeout, so a long queue for FACEIT slots fails as a retryable 429. */
const MAX_SLOT_WAIT_MS = 20_000;

/** What the stats activities need: FACEIT, the ELO snapshots table, the task queues (to map a queue to its tier). */
export interface StatsActivityDeps {
  faceit: FaceitClient;
  pool: DatabasePool;
  config: Config;
}

export function createStatsActivities(deps: StatsActivityDeps) {
  const { faceit } = deps;
  const elo = createEloSnapshotsRepository(deps.pool);

  /** PRO requests run on the high queue; their FACEIT calls get the same priority in the shared budget. */
  function callOptions(): FaceitCallOptions {
    const ctx = Context.current();
    const queue = ctx.info.taskQueue;
    const priority: QueueTier = QUEUE_TIERS.find((t) => taskQueueFor(deps.config, t) === queue) ?? 'default';
    return { priority, signal: ctx.cancellationSignal, maxWaitMs: MAX_SLOT_WAIT_MS };
  }

  async function orNotFound<T>(call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof FaceitNotFoundError) return null;
      throw toActivityFailure(err);
    }
  }

  return {
    async statsFindPlayer(ref: PlayerRef): Promise<Lookup<PlayerCard>> {
      const o = callOptions();
      const player = await orNotFound(() =>
        ref.kind === 'nickname'
          ? faceit.getPlayerByNickname(ref.nickname, o)
          : ref.kind === 'steam'
            ? faceit.getPlayerBySteamId(ref.steamId64, o)
            : faceit.getPlayer(ref.playerId, o),
      );
      if (!player) return { ok: false, reason: 'not-found' };
      if (!player.games.cs2) return { ok: false, reason: 'no-cs2' };
      return { ok: true, value: toPlayerCard(player) };
    },

    async statsLifetime(playerId: string): Promise<LifetimeData | null> {
      // /profile and /compare show the last results and streaks as current: never from the stale window.
      const stats = await orNotFound(() =>
        faceit.getPlayerStats(playerId, { ...callOptions(), allowStale: false }),
      );
      return stats && toLifetimeData(stats);
    },

    /** Newest first; FACEIT serves up to 100 per call, which covers /form 100. */
    async statsRecentMatches(playerId: string, limit: number): Promise<MatchLine[]> {
      const list = await orNotFound(() =>
        faceit.getPlayerMatchStats(playerId, { limit: Math.min(100, Math.max(1, limit)) }, callOptions()),
      );
      return (list?.items ?? []).map(toMatchLine);
    },

    /** /duos: one /history page (up to 100 matches), each from the player's side. */
    async statsDuoHistory(playerId: string, limit: number): Promise<DuoMatch[]> {
      const page = await orNotFound(() =>
        faceit.getPlayerHistory(playerId, { offset: 0, limit: Math.min(100, limit) }, callOptions()),
      );
      return (page?.items ?? []).flatMap((i) => toDuoMatch(i, playerId) ?? []);
    },

    async statsScoreboard(matchId: string): Promise<Scoreboard | null> {
      const stats = await orNotFound(() => faceit.getMatchStats(matchId, callOptions()));
      return stats && toScoreboard(matchId, stats);
    },

    /** ELO seen by the bot: the data behind ELO history (repeats of the same ELO are skipped). */
    async statsRecordElo(players: PlayerCard[], source: EloSource): Promise<number> {
      const snapshots = players
        .filter((p) => p.elo !== null)
        .map((p) => ({ playerId: p.playerId, elo: p.elo as number, level: p.level, source }));
      return elo.record(snapshots);
    },
  };
}
export type StatsActivities = ReturnType<typeof createStatsActivities>;
