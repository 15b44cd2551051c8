import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

/** A calendar day as YYYY-MM-DD in the given time zone: quotas reset at the user's midnight. */
export function usageDay(timezone: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export function createUsageRepository(pool: DatabasePool) {
  return {
    /**
     * Takes one analysis from today's quota if any is left. One atomic statement, so concurrent requests of one
     * user can never exceed the limit. Returns whether it was allowed and how many are used now.
     */
    async tryConsume(
      telegramId: number,
      day: string,
      limit: number,
    ): Promise<{ allowed: boolean; used: number }> {
      const used = await pool.maybeOneFirst(sql.type(z.object({ analyses: z.number() }))`
        INSERT INTO daily_usage (telegram_id, day, analyses)
        SELECT ${telegramId}, ${day}::date, 1 WHERE ${limit} > 0
        ON CONFLICT (telegram_id, day) DO UPDATE SET analyses = daily_usage.analyses + 1
          WHERE daily_usage.analyses < ${limit}
        RETURNING analyses`);
      if (used !== null) return { allowed: true, used };
      return { allowed: false, used: await this.used(telegramId, day) };
    },

    /** Gives a unit back (a cancelled analysis); never below zero. */
    async refund(telegramId: number, day: string): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE daily_usage SET analyses = analyses - 1
        WHERE telegram_id = ${telegramId} AND day = ${day}::date AND analyses > 0`);
    },

    async used(telegramId: number, day: string): Promise<number> {
      const used = await pool.maybeOneFirst(sql.type(z.object({ analyses: z.number() }))`
        SELECT analyses FROM daily_usage WHERE telegram_id = ${telegramId} AND day = ${day}::date`);
      return used ?? 0;
    },
  };
}
export type UsageRepository = ReturnType<typeof createUsageRepository>;
