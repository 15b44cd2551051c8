import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export const referralRow = z.object({
  referred_id: z.number().int(),
  referrer_id: z.number().int(),
  code: z.string().nullable(),
  rewarded_at: z.date().nullable(),
  created_at: z.date(),
});
export type ReferralRow = z.infer<typeof referralRow>;

export type ApplyReferralResult = 'applied' | 'self' | 'already-referred' | 'unknown-code';

export function createReferralsRepository(pool: DatabasePool) {
  return {
    /** Records who referred `referredId` by code: one referrer per user, no self-referral. */
    async apply(
      referredId: number,
      code: string,
    ): Promise<{ result: ApplyReferralResult; referrerId?: number }> {
      const referrerId = await pool.maybeOneFirst(
        sql.type(
          z.object({ telegram_id: z.number() }),
        )`SELECT telegram_id FROM users WHERE referral_code = ${code}`,
      );
      if (referrerId === null) return { result: 'unknown-code' };
      if (referrerId === referredId) return { result: 'self', referrerId };
      const inserted = await pool.maybeOne(sql.type(referralRow)`
        INSERT INTO referrals (referred_id, referrer_id, code) VALUES (${referredId}, ${referrerId}, ${code})
        ON CONFLICT (referred_id) DO NOTHING
        RETURNING *`);
      return { result: inserted ? 'applied' : 'already-referred', referrerId };
    },

    get(referredId: number) {
      return pool.maybeOne(sql.type(referralRow)`SELECT * FROM referrals WHERE referred_id = ${referredId}`);
    },

    countByReferrer(referrerId: number) {
      return pool.oneFirst(sql.type(z.object({ count: z.number() }))`
        SELECT count(*)::int AS count FROM referrals WHERE referrer_id = ${referrerId}`);
    },
  };
}
export type ReferralsRepository = ReturnType<typeof createReferralsRepository>;
