import type { Config } from '../config';
import { usageDay } from '../db/repositories/usage';
import type { Plan } from './plan';

/** Daily analysis quota of a subscription plan (QUOTA_*_PER_DAY). */
export function dailyQuota(config: Config, plan: Plan): number {
  return {
    free: config.QUOTA_FREE_PER_DAY,
    premium: config.QUOTA_PREMIUM_PER_DAY,
    pro: config.QUOTA_PRO_PER_DAY,
  }[plan];
}

/**
 * The quota day: the service's time zone (DEFAULT_TIMEZONE), not the user's. A time zone the user may change at will
 * (UTC+14 ↔ UTC−12) would open a fresh day, and a fresh quota, on demand.
 */
export function quotaDay(config: Pick<Config, 'DEFAULT_TIMEZONE'>, at = new Date()): string {
  return usageDay(config.DEFAULT_TIMEZONE, at);
}
