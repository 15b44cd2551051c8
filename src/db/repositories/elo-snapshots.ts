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
     * (a chart needs changes, not every sighting).
     */
    async record(
      snapshots: Array<{
        playerId: string;
        elo: number;
        level?: number | null;
        source: EloSource;
        matchId?: string | null;
      }>,
    ) {
      if (!snapshots.length) return 0;
      const result = await pool.query(sql.unsafe`
        INSERT INTO player_elo_snapshots (faceit_player_id, elo, level, source, match_id)
        SELECT s.player_id, s.elo, s.level, s.source, s.match_id
        FROM ${sql.unnest(
          snapshots.map((s) => [s.playerId, s.elo, s.level ?? null, s.source, s.matchId ?? null]),
          ['text', 'int4', 'int2', 'text', 'text'],
        )} AS s(player_id, elo, level, source, match_id)
        WHERE s.elo IS DISTINCT FROM (
          SELECT elo FROM player_elo_snapshots p
          WHERE p.faceit_player_id = s.player_id ORDER BY observed_at DESC LIMIT 1)
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
export type EloSnapshotsRepository = ReturnType<typeof createEloSnapshotsRepository>;
