/** A subscription plan. (A *queue tier* — critical/high/default/low — is the task queue a plan's requests run on.) */
export type Plan = 'free' | 'premium' | 'pro';
export const PLANS: readonly Plan[] = ['free', 'premium', 'pro'];

/** The plans that can be bought or granted. */
export type PaidPlan = Exclude<Plan, 'free'>;
export const PAID_PLANS: readonly PaidPlan[] = ['premium', 'pro'];

/** What an invoice sells: a month (30 days) or a year (365 days). */
export type Period = 'month' | 'year';
export const PERIODS: readonly Period[] = ['month', 'year'];
export const PERIOD_DAYS: Record<Period, number> = { month: 30, year: 365 };

export const PLAN_RANK: Record<Plan, number> = { free: 0, premium: 1, pro: 2 };
export const PLAN_NAMES: Record<Plan, string> = { free: 'FREE', premium: 'PREMIUM', pro: 'PRO' };

export const isPaidPlan = (value: unknown): value is PaidPlan => value === 'premium' || value === 'pro';
