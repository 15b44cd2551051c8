import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export type SubscriptionSource = 'telegram_stars' | 'referral_bonus' | 'admin_grant' | 'legacy';

export const subscriptionRow = z.object({
  telegram_id: z.number().int(),
  tier: z.enum(['free', 'premium', 'pro']),
  expires_at: z.date().nullable(),
  auto_renew: z.boolean(),
  source: z.enum(['telegram_stars', 'referral_bonus', 'admin_grant', 'legacy']).nullable(),
});
export type SubscriptionRow = z.infer<typeof subscriptionRow>;
/** The column's values: billing's Plan (src/billing/plan.ts) is the same union, stated where the table is read. */
type Plan = SubscriptionRow['tier'];

const TIER_RANK: Record<Plan, number> = { free: 0, premium: 1, pro: 2 };

export function createSubscriptionsRepository(pool: DatabasePool) {
  return {
    /**
     * The tier in force now: an ended plan gives way to its banked credit (src/billing), else counts as FREE, at
     * once, whether or not the user's subscription workflow has written the downgrade yet.
     */
    async effective(telegramId: number, now = new Date()): Promise<{ tier: Plan; expiresAt: Date | null }> {
      const row = await pool.maybeOne(
        sql.type(
          subscriptionRow.extend({
            credit_tier: z.enum(['premium']).nullable(),
            credit_seconds: z.number().nullable(),
          }),
        )`
          SELECT * FROM subscriptions WHERE telegram_id = ${telegramId}`,
      );
      if (!row || row.tier === 'free') return { tier: 'free', expiresAt: null };
      if (!row.expires_at || row.expires_at > now) return { tier: row.tier, expiresAt: row.expires_at };
      if (!row.credit_tier) return { tier: 'free', expiresAt: null };
      if (row.credit_seconds === null) return { tier: row.credit_tier, expiresAt: null };
      const creditEnds = new Date(row.expires_at.getTime() + row.credit_seconds * 1000);
      return creditEnds > now
        ? { tier: row.credit_tier, expiresAt: creditEnds }
        : { tier: 'free', expiresAt: null };
    },

    /**
     * Grants `days` of `tier`. While a subscription of the same or a higher tier is active, the time is added to its
     * expiry (a higher active tier keeps its tier); otherwise it starts now.
     */
    grant(telegramId: number, tier: Exclude<Plan, 'free'>, days: number, source: SubscriptionSource) {
      return pool.transaction(async (tx) => {
        const current = await tx.maybeOne(
          sql.type(subscriptionRow)`SELECT * FROM subscriptions WHERE telegram_id = ${telegramId} FOR UPDATE`,
        );
        const now = new Date();
        const active =
          current && current.tier !== 'free' && (!current.expires_at || current.expires_at > now);
        const base = active && current.expires_at ? current.expires_at : now;
        const keepTier = active && TIER_RANK[current.tier] > TIER_RANK[tier] ? current.tier : tier;
        const expires = new Date(base.getTime() + days * 86_400_000);
        return tx.one(sql.type(subscriptionRow)`
          INSERT INTO subscriptions (telegram_id, tier, expires_at, source)
          VALUES (${telegramId}, ${keepTier}, ${sql.timestamp(expires)}, ${source})
          ON CONFLICT (telegram_id) DO UPDATE
            SET tier = EXCLUDED.tier, expires_at = EXCLUDED.expires_at, source = EXCLUDED.source, updated_at = now()
          RETURNING *`);
      });
    },

    async revoke(telegramId: number): Promise<void> {
      await pool.query(sql.unsafe`
        UPDATE subscriptions SET tier = 'free', expires_at = NULL, auto_renew = FALSE, updated_at = now()
        WHERE telegram_id = ${telegramId}`);
    },
  };
}
export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>;
