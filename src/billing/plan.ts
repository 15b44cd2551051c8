/** A subscription plan. (A *queue tier* — critical/high/default/low — is the task queue a plan's requests run on.) */
export type Plan = 'free' | 'premium' | 'pro';
export const PLANS: readonly Plan[] = ['free', 'premium', 'pro'];
