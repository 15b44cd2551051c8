/** What billing's workflows, activities and client share: ids, inputs, signals. Workflow-safe: no I/O. */
import { defineSignal } from '@temporalio/workflow';
import type { PaidPlan, Period, Plan } from './plan';

/** One payment workflow per Telegram charge: a redelivered update or a second bot replica cannot start another. */
export const paymentWorkflowId = (chargeId: string) => `payment-${chargeId}`;
export const refundWorkflowId = (chargeId: string) => `refund-${chargeId}`;
/** A charge whose payload failed verification: refunded and explained once. */
export const rejectWorkflowId = (chargeId: string) => `reject-${chargeId}`;
/** One long-lived workflow per user holds the expiry timers. */
export const subscriptionWorkflowId = (telegramId: number) => `subscription-${telegramId}`;
export const referralWorkflowId = (referredId: number) => `referral-${referredId}`;

/**
 * Sent (with start) to `referral-<user>` whenever a referred user did something that may make the reward due (linked
 * FACEIT, had an analysis delivered): it checks again, and waits durably for the rest of the minimum age.
 */
export const referralCheckSignal = defineSignal('referralCheck');

/** Sent to the user's subscription workflow whenever the subscription changed: it re-reads it and re-arms. */
export const subscriptionChangedSignal = defineSignal('subscriptionChanged');

export interface PaymentInput {
  telegramId: number;
  chargeId: string;
  providerChargeId: string | null;
  currency: string;
  amount: number;
  plan: PaidPlan;
  period: Period;
  payload: string;
}

export interface SubscriptionView {
  plan: Plan;
  /** Epoch ms of the current plan's end; null = FREE or open-ended. */
  expiresAt: number | null;
  credit: { plan: PaidPlan; ms: number | null } | null;
}

export interface PaymentOutcome {
  /** False when this charge had been credited before (the activity retried after committing). */
  credited: boolean;
  subscription: SubscriptionView;
}

export interface RefundInput {
  chargeId: string;
  actorId?: number | null;
}

export type RefundOutcome =
  | { status: 'unknown-charge' }
  | { status: 'already-refunded'; telegramId: number }
  | {
      status: 'refunded';
      telegramId: number;
      plan: PaidPlan;
      days: number;
      amount: number;
      subscription: SubscriptionView;
    };

export type ReferralOutcome =
  | { status: 'none' }
  /** Not yet due: what is missing; `dueAt` (epoch ms) when only the minimum age is (then the workflow waits). */
  | { status: 'not-yet'; missing: 'link' | 'analysis' | 'age'; dueAt: number | null }
  | { status: 'refused'; reason: 'no-account' | 'same-player' | 'player-used' }
  | {
      status: 'rewarded';
      referredId: number;
      referrerId: number | null;
      referredDays: number;
      /** 0 when the referrer is unknown or reached the monthly cap (`capped`). */
      referrerDays: number;
      capped?: boolean;
    };

/** Messages the workflows send, each at most once per (user, kind, key). */
export type Notice =
  | { kind: 'payment'; telegramId: number; key: string; plan: PaidPlan }
  | { kind: 'reminder'; telegramId: number; key: string; plan: PaidPlan }
  | { kind: 'expired'; telegramId: number; key: string; plan: PaidPlan }
  | { kind: 'refund'; telegramId: number; key: string; plan: PaidPlan; amount: number }
  | { kind: 'referral-new'; telegramId: number; key: string; days: number }
  | { kind: 'referral-referrer'; telegramId: number; key: string; days: number }
  | { kind: 'rejected'; telegramId: number; key: string; amount: number; reason: string };

export interface SubscriptionTimers {
  plan: Plan;
  /** Epoch ms when the plan in force ends (then the credit resumes, or FREE); null = nothing to wait for. */
  endsAt: number | null;
  /** Epoch ms of the renewal reminder; null = none (credit follows, or too late already). */
  remindAt: number | null;
}

export interface RejectInput {
  chargeId: string;
}

export type RejectOutcome =
  | { status: 'unknown-charge' }
  | { status: 'refunded' | 'already-refunded'; telegramId: number; amount: number; reason: string };

export interface StarsReconcileInput {
  /** A charge or refund younger than this may still be in the bot's hands: handled, not counted (default 60 s). */
  graceMs?: number;
}

/** What one reconciliation run found in getStarTransactions (each also counted in the metric). */
export interface ReconcileOutcome {
  /** Transactions read. */
  scanned: number;
  /** Incoming invoice payments we had no record of: recorded, then credited (or refunded when invalid). */
  missing: number;
  /** Recorded charges whose handling never finished (a restart mid-handler): settled now. */
  unsettled: number;
  /** Refunds Telegram made that our ledger lacked: applied. */
  refunds: number;
}
