import { Context } from '@temporalio/activity';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export type EloSource = 'monitoring' | 'profile' | 'analysis' | 'link' | 'webhook';

export const eloSnapshotRow = z.object({
  faceit_player_id: z.string(),
  elo: z.number().int(),
  level: z.number().int().nullable(),
  source: z.string(),
  match_id: z.string().nullable(),
  observed_at: z.date(),
});
export type EloSnapshotRow = z.infer<typeof eloSnapshotRow>;

export function createEloSnapshotsRepository(pool: DatabasePool) {
  return {
    /**
     * Records the ELO seen for each player, skipping players whose latest snapshot already has that ELO
     * (a chart needs changes, not every sighting). A write is idempotent: `writeKey` (by default the calling activity's,
     * the same for all its attempts) makes a retry that saw the same ELO add nothing, even when another snapshot of
     * the player landed in between or the earlier attempt is still running. Within one call the last sighting of a
     * player counts.
     */
    async record(
      snapshots: Array<{
        playerId: string;
        elo: number;
        level?: number | null;
        source: EloSource;
        matchId?: string | null;
      }>,
      writeKey: string | null = activityWriteKey(),
    ) {
      if (!snapshots.length) return 0;
      const result = await pool.query(sql.unsafe`
        INSERT INTO player_elo_snapshots (faceit_player_id, elo, level, source, match_id, write_key)
        SELECT DISTINCT ON (s.player_id) s.player_id, s.elo, s.level, s.source, s.match_id, ${writeKey}::text
        FROM ${sql.unnest(
          snapshots.map((s) => [s.playerId, s.elo, s.level ?? null, s.source, s.matchId ?? null]),
          ['text', 'int4', 'int2', 'text', 'text'],
        )} WITH ORDINALITY AS s(player_id, elo, level, source, match_id, n)
        WHERE s.elo IS DISTINCT FROM (
          SELECT elo FROM player_elo_snapshots p
          WHERE p.faceit_player_id = s.player_id ORDER BY observed_at DESC LIMIT 1)
        ORDER BY s.player_id, s.n DESC
        ON CONFLICT DO NOTHING`);
      return result.rowCount;
    },

    history(playerId: string, limit = 100) {
      return pool.any(sql.type(eloSnapshotRow)`
        SELECT * FROM player_elo_snapshots WHERE faceit_player_id = ${playerId}
        ORDER BY observed_at DESC LIMIT ${limit}`);
    },

    /** The last ELO recorded at or before `at`: the base of an ELO change. */
    latestBefore(playerId: string, at: Date) {
      return pool.maybeOne(sql.type(eloSnapshotRow)`
        SELECT * FROM player_elo_snapshots WHERE faceit_player_id = ${playerId} AND observed_at <= ${sql.timestamp(at)}
        ORDER BY observed_at DESC LIMIT 1`);
    },
  };
}
/**
 * The write key of the running activity: its workflow run and activity id, the same for every attempt (a retry
 * repeats the write, it is not a new observation). Null outside an activity.
 */
export function activityWriteKey(): string | null {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return null; // not in an activity
  }
  const run = info.workflowExecution;
  return run ? `${run.workflowId}/${run.runId}/${info.activityId}` : `activity/${info.activityId}`;
}

export type EloSnapshotsRepository = ReturnType<typeof createEloSnapshotsRepository>;
