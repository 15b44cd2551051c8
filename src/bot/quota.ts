import type { Config } from '../config';
import type { Plan } from '../billing';

/** Daily analysis quota of a subscription plan (QUOTA_*_PER_DAY). */
export function dailyQuota(config: Config, plan: Plan): number {
  return {
    free: config.QUOTA_FREE_PER_DAY,
    premium: config.QUOTA_PREMIUM_PER_DAY,
    pro: config.QUOTA_PRO_PER_DAY,
  }[plan];
}
