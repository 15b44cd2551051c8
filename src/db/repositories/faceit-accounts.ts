import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export const faceitAccountRow = z
  .object({
    telegram_id: z.number().int(),
    faceit_player_id: z.string(),
    nickname: z.string().nullable(),
    steam_id64: z.string().nullable(),
    linked_at: z.date(),
  })
  // Legacy records may carry a player id without a nickname; the id stands in until the next lookup renames it.
  .transform((row) => ({ ...row, nickname: row.nickname ?? row.faceit_player_id }));
export type FaceitAccountRow = z.infer<typeof faceitAccountRow>;

export function createFaceitAccountsRepository(pool: DatabasePool) {
  return {
    /** Links (or re-links) the user's FACEIT account; also clears the "waiting for a nickname" state. */
    link(telegramId: number, account: { playerId: string; nickname: string; steamId64?: string | null }) {
      return pool.transaction(async (tx) => {
        await tx.query(
          sql.unsafe`UPDATE users SET awaiting_nickname = FALSE WHERE telegram_id = ${telegramId}`,
        );
        return tx.one(sql.type(faceitAccountRow)`
          INSERT INTO faceit_accounts (telegram_id, faceit_player_id, nickname, steam_id64)
          VALUES (${telegramId}, ${account.playerId}, ${account.nickname}, ${account.steamId64 ?? null})
          ON CONFLICT (telegram_id) DO UPDATE
            SET faceit_player_id = EXCLUDED.faceit_player_id, nickname = EXCLUDED.nickname,
                steam_id64 = EXCLUDED.steam_id64, linked_at = now()
          RETURNING *`);
      });
    },

    get(telegramId: number) {
      return pool.maybeOne(
        sql.type(faceitAccountRow)`SELECT * FROM faceit_accounts WHERE telegram_id = ${telegramId}`,
      );
    },

    async unlink(telegramId: number): Promise<boolean> {
      const result = await pool.query(
        sql.unsafe`DELETE FROM faceit_accounts WHERE telegram_id = ${telegramId}`,
      );
      return result.rowCount > 0;
    },

    findByPlayer(faceitPlayerId: string) {
      return pool.any(sql.type(faceitAccountRow)`
        SELECT * FROM faceit_accounts WHERE faceit_player_id = ${faceitPlayerId} ORDER BY telegram_id`);
    },
  };
}
export type FaceitAccountsRepository = ReturnType<typeof createFaceitAccountsRepository>;
