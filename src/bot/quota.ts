import type { Config } from '../config';
import type { Plan } from '../billing';

/** Daily analysis quota of a tier (QUOTA_*_PER_DAY). */
export function dailyQuota(config: Config, tier: Plan): number {
  return {
    free: config.QUOTA_FREE_PER_DAY,
    premium: config.QUOTA_PREMIUM_PER_DAY,
    pro: config.QUOTA_PRO_PER_DAY,
  }[tier];
}

export const TIER_NAMES: Record<Plan, string> = { free: 'FREE', premium: 'PREMIUM', pro: 'PRO' };
