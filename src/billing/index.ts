// Billing: plans, Telegram Stars payments, refunds, expiry timers and referral rewards. The only module code outside
// the slice imports (the workflow bundle and the activity registry import ./workflows and ./activities directly).
export {
  PAID_PLANS,
  PERIODS,
  PERIOD_DAYS,
  PLAN_NAMES,
  PLANS,
  isPaidPlan,
  type PaidPlan,
  type Period,
  type Plan,
} from './plan';
export {
  creditPayment,
  describeSubscription,
  grantPlan,
  refundPayment,
  revokePlan,
  rewardReferralIfDue,
  type BillingClientDeps,
  type GrantResult,
  type SubscriptionDescription,
} from './client';
export { applyLegacyPlan, type GrantSource } from './ledger';
export { nudgeReferral, syncSubscriptions } from './sync';
export { ensureStarsReconcileSchedule, STARS_RECONCILE_SCHEDULE_ID } from './schedule';
export { createTimerReconciler, type TimerReconcilerOptions } from './reconcile';
export type { RefundOutcome } from './workflow-types';
export { insecureSettings, priceOf } from './settings';
export { createBillingComposer, createBillingPaymentsComposer, type BillingComposerDeps } from './composer';
export { upgradeKeyboard } from './render';
export { dailyQuota, quotaDay } from './quota';
