// Billing as the worker process takes it (the activity registry, other slices' activities, the worker's start): the
// referral nudge, the legacy sync and the Stars reconciliation schedule, without the bot's composers and keyboards
// (src/billing/index.ts), so a worker does not load them.
export { nudgeReferral, syncSubscriptions } from './sync';
export { ensureStarsReconcileSchedule } from './schedule';
export { applyLegacyPlan } from './ledger';
