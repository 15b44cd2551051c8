import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export const userRow = z.object({
  telegram_id: z.number().int(),
  username: z.string().nullable(),
  first_name: z.string().nullable(),
  language: z.enum(['ru', 'en']),
  timezone: z.string(),
  notifications_enabled: z.boolean(),
  awaiting_nickname: z.boolean(),
  total_requests: z.number().int(),
  referral_code: z.string().nullable(),
  blocked_at: z.date().nullable(),
  created_at: z.date(),
  last_active_at: z.date().nullable(),
});
export type UserRow = z.infer<typeof userRow>;
export type Language = UserRow['language'];

const columns = sql.fragment`telegram_id, username, first_name, language, timezone, notifications_enabled,
  awaiting_nickname, total_requests, referral_code, blocked_at, created_at, last_active_at`;

export function createUsersRepository(pool: DatabasePool) {
  return {
    /** Registers a user on first contact and refreshes their Telegram profile afterwards; `created` says which. */
    async touch(user: { telegramId: number; username?: string | null; firstName?: string | null }) {
      return pool.one(sql.type(userRow.extend({ created: z.boolean() }))`
        INSERT INTO users (telegram_id, username, first_name, last_active_at)
        VALUES (${user.telegramId}, ${user.username ?? null}, ${user.firstName ?? null}, now())
        ON CONFLICT (telegram_id) DO UPDATE
          SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,
              last_active_at = now(), blocked_at = NULL, updated_at = now()
        RETURNING ${columns}, (xmax = 0) AS created`);
    },

    get(telegramId: number) {
      return pool.maybeOne(sql.type(userRow)`SELECT ${columns} FROM users WHERE telegram_id = ${telegramId}`);
    },

    findByReferralCode(code: string) {
      return pool.maybeOne(sql.type(userRow)`SELECT ${columns} FROM users WHERE referral_code = ${code}`);
    },

    async update(
      telegramId: number,
      changes: Partial<
        Pick<UserRow, 'language' | 'timezone' | 'notifications_enabled' | 'awaiting_nickname'>
      >,
    ) {
      return pool.maybeOne(sql.type(userRow)`
        UPDATE users SET
          language = COALESCE(${changes.language ?? null}, language),
          timezone = COALESCE(${changes.timezone ?? null}, timezone),
          notifications_enabled = COALESCE(${changes.notifications_enabled ?? null}, notifications_enabled),
          awaiting_nickname = COALESCE(${changes.awaiting_nickname ?? null}, awaiting_nickname),
          updated_at = now()
        WHERE telegram_id = ${telegramId}
        RETURNING ${columns}`);
    },

    /** Gives the user a referral code once; later calls return the same code. */
    async ensureReferralCode(telegramId: number, generate: () => string): Promise<string> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const code = await pool
          .maybeOneFirst(
            sql.type(z.object({ referral_code: z.string() }))`
          UPDATE users SET referral_code = COALESCE(referral_code, ${generate()}), updated_at = now()
          WHERE telegram_id = ${telegramId}
          RETURNING referral_code`,
          )
          .catch((err: unknown) => {
            if (String(err).includes('users_referral_code_key')) return undefined; // collision: try another code
            throw err;
          });
        if (code) return code;
        if (code === null) throw new Error(`user ${telegramId} does not exist`);
      }
      throw new Error('could not generate a unique referral code');
    },

    async incrementRequests(telegramId: number): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE users SET total_requests = total_requests + 1, last_active_at = now() WHERE telegram_id = ${telegramId}`);
    },

    async markBlocked(telegramId: number): Promise<void> {
      await pool.query(sql.unsafe`UPDATE users SET blocked_at = now() WHERE telegram_id = ${telegramId}`);
    },

    count() {
      return pool.oneFirst(
        sql.type(z.object({ count: z.number() }))`SELECT count(*)::int AS count FROM users`,
      );
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
