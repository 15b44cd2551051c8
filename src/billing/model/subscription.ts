/**
 * The pure rules of a subscription: what a grant, a refund, a revocation and the passing of time do to it.
 *
 * - Same plan while active: the time is added to the current expiry (a renewal extends, it never restarts).
 * - A higher plan while a lower one runs (PRO during PREMIUM): the higher plan starts now, and the lower plan's
 *   unused time is kept as *credit* that resumes when the higher plan ends.
 * - A lower plan while a higher one runs (PREMIUM during PRO): the time is added to the credit.
 * - A refund takes back exactly the time the payment bought, from the plan (or credit) it went to.
 * - At expiry the credit resumes, else the user is on FREE.
 * A paid plan without an expiry (legacy subscriptions) is open-ended.
 */
import { PLAN_RANK, type PaidPlan, type Plan } from '../plan';

export const DAY_MS = 86_400_000;

export interface Credit {
  plan: PaidPlan;
  /** Unused time of the credit plan; null = open-ended. */
  ms: number | null;
}

export interface SubscriptionState {
  plan: Plan;
  /** null with a paid plan = open-ended; always null on FREE. */
  expiresAt: Date | null;
  credit: Credit | null;
}

export const FREE: SubscriptionState = { plan: 'free', expiresAt: null, credit: null };

const at = (ms: number) => new Date(ms);

/** The state in force at `now`: an ended plan gives way to its credit, else to FREE. */
export function current(state: SubscriptionState, now: Date): SubscriptionState {
  let s = state;
  // At most two steps: the plan, then its credit (credit never carries further credit).
  for (let step = 0; step < 2; step++) {
    if (s.plan === 'free') return FREE;
    if (!s.expiresAt || s.expiresAt > now) return s;
    if (!s.credit) return FREE;
    // The credit resumes where the higher plan ended: its days are kept, not eaten by the higher plan.
    const resumed: SubscriptionState = {
      plan: s.credit.plan,
      expiresAt: s.credit.ms === null ? null : at(s.expiresAt.getTime() + s.credit.ms),
      credit: null,
    };
    s = resumed;
  }
  return s.plan !== 'free' && (!s.expiresAt || s.expiresAt > now) ? s : FREE;
}

/** `ms` of `plan`, from a payment, a grant or a referral reward. */
export function grant(state: SubscriptionState, plan: PaidPlan, ms: number, now: Date): SubscriptionState {
  const s = current(state, now);
  if (s.plan === 'free') return { plan, expiresAt: at(now.getTime() + ms), credit: null };
  if (s.plan === plan) {
    return { ...s, expiresAt: s.expiresAt ? at(s.expiresAt.getTime() + ms) : null };
  }
  if (PLAN_RANK[plan] > PLAN_RANK[s.plan]) {
    const unused = s.expiresAt ? s.expiresAt.getTime() - now.getTime() : null;
    return { plan, expiresAt: at(now.getTime() + ms), credit: { plan: s.plan as PaidPlan, ms: unused } };
  }
  // A lower plan during a higher one: banked.
  const banked = s.credit?.plan === plan ? s.credit.ms : 0;
  return { ...s, credit: { plan, ms: banked === null ? null : banked + ms } };
}

/**
 * An open-ended `plan` (a legacy subscription without an expiry merged into a live user): the same or a higher plan
 * becomes open-ended (the time of a lower plan behind it could never resume, so none is kept); a lower plan behind
 * a higher one is banked as open-ended credit.
 */
export function grantOpenEnded(state: SubscriptionState, plan: PaidPlan, now: Date): SubscriptionState {
  const s = current(state, now);
  if (s.plan === 'free' || PLAN_RANK[plan] >= PLAN_RANK[s.plan])
    return { plan, expiresAt: null, credit: null };
  return { ...s, credit: { plan, ms: null } };
}

/** Takes back `ms` of `plan` (a refunded payment): from the running plan, else from the credit. */
export function takeBack(state: SubscriptionState, plan: PaidPlan, ms: number, now: Date): SubscriptionState {
  const s = current(state, now);
  if (s.plan === plan && s.expiresAt) {
    return current({ ...s, expiresAt: at(s.expiresAt.getTime() - ms) }, now);
  }
  if (s.credit?.plan === plan && s.credit.ms !== null) {
    const left = s.credit.ms - ms;
    return { ...s, credit: left > 0 ? { plan, ms: left } : null };
  }
  return s;
}

/** When the plan in force ends for good (credit included); null = open-ended or FREE. */
export function finalExpiry(state: SubscriptionState): Date | null {
  if (state.plan === 'free' || !state.expiresAt) return null;
  if (!state.credit) return state.expiresAt;
  return state.credit.ms === null ? null : at(state.expiresAt.getTime() + state.credit.ms);
}

/**
 * Whether buying `plan` now would change nothing the user can ever use: the plan in force is open-ended (a legacy
 * plan) and of the same or a higher rank (its time never ends, so nothing bought after it would ever run), or the
 * same plan is already banked open-ended behind the one in force. Such a purchase is refused at pre-checkout.
 */
export function purchaseWithoutEffect(state: SubscriptionState, plan: PaidPlan, now: Date): boolean {
  const s = current(state, now);
  if (s.plan === 'free') return false;
  if (s.expiresAt === null && PLAN_RANK[plan] <= PLAN_RANK[s.plan]) return true;
  return PLAN_RANK[plan] < PLAN_RANK[s.plan] && s.credit?.plan === plan && s.credit.ms === null;
}
