/**
 * Billing's workflows. Payments, refunds and referral rewards are short workflows whose ids make them unique
 * (`payment-<charge id>`, `refund-<charge id>`, `referral-<user>`); the database transaction behind each is guarded
 * again (UNIQUE charge id, `refunded_at IS NULL`, `rewarded_at IS NULL`), so a retried activity changes nothing twice.
 * The per-user subscription workflow holds the durable timers: the renewal reminder and the end of the plan.
 */
import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import {
  DB_LEDGER_WRITE,
  TELEGRAM_BILLING_NOTICE,
  TELEGRAM_STARS_REFUND,
  TELEGRAM_STARS_SCAN,
} from '../temporal/retry-policies';
import type { BillingActivities } from './activities';
import {
  referralCheckSignal,
  subscriptionChangedSignal,
  type PaymentInput,
  type PaymentOutcome,
  type ReconcileOutcome,
  type ReferralOutcome,
  type RefundInput,
  type RefundOutcome,
  type RejectInput,
  type RejectOutcome,
  type StarsReconcileInput,
} from './workflow-types';

/**
 * Database work: one short transaction each, retried until it succeeds (a credit is never dropped). The short
 * start-to-close timeout is how fast a worker that died mid-activity is noticed and the activity retried elsewhere.
 */
const db = proxyActivities<BillingActivities>({
  startToCloseTimeout: '10 seconds',
  retry: DB_LEDGER_WRITE,
});

/** Messages: Telegram may ask us to wait (429 retry_after) inside the activity. */
const messages = proxyActivities<BillingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: TELEGRAM_BILLING_NOTICE,
});

const acts = {
  billingCreditPayment: db.billingCreditPayment,
  billingRevokePayment: db.billingRevokePayment,
  billingRewardReferral: db.billingRewardReferral,
  billingSubscriptionTimers: db.billingSubscriptionTimers,
  billingExpire: db.billingExpire,
  billingSyncSubscriptions: db.billingSyncSubscriptions,
  billingNotify: messages.billingNotify,
};

/** The Stars refund itself: Telegram's answer is final after a few tries (an operator sees the failure). */
const telegram = proxyActivities<BillingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: TELEGRAM_STARS_REFUND,
});

export async function paymentWorkflow(input: PaymentInput): Promise<PaymentOutcome> {
  const outcome = await acts.billingCreditPayment(input);
  await acts.billingSyncSubscriptions({ telegramIds: [input.telegramId] });
  // Keyed by the charge: even a credit found already done (an activity retried after its commit) confirms once.
  await acts.billingNotify({
    kind: 'payment',
    telegramId: input.telegramId,
    key: input.chargeId,
    plan: input.plan,
  });
  return outcome;
}

export async function refundWorkflow(input: RefundInput): Promise<RefundOutcome> {
  const refunded = await telegram.billingRefundStars(input);
  if (refunded.status === 'unknown-charge') return { status: 'unknown-charge' };
  const outcome = await acts.billingRevokePayment(input);
  if (outcome.status !== 'refunded') return outcome;
  await acts.billingSyncSubscriptions({ telegramIds: [outcome.telegramId] });
  await acts.billingNotify({
    kind: 'refund',
    telegramId: outcome.telegramId,
    key: input.chargeId,
    plan: outcome.plan,
    amount: outcome.amount,
  });
  return outcome;
}

/** A charge whose payload failed verification: the Stars go back, and the user is told why, once. */
export async function rejectedChargeWorkflow(input: RejectInput): Promise<RejectOutcome> {
  const refunded = await telegram.billingRefundRejectedCharge(input);
  if (refunded.status === 'unknown-charge') return refunded;
  await acts.billingNotify({
    kind: 'rejected',
    telegramId: refunded.telegramId,
    key: input.chargeId,
    amount: refunded.amount,
    reason: refunded.reason,
  });
  return refunded;
}

/** The Stars history: read page by page, with a heartbeat per page (a dead worker's scan moves on in a minute). */
const scan = proxyActivities<BillingActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: TELEGRAM_STARS_SCAN,
});

/**
 * One reconciliation run (started by the Schedule `stars-reconcile`, overlap SKIP): every incoming invoice payment
 * in getStarTransactions that we have no record of is recorded and credited once by charge id (or refunded when its
 * payload fails verification), a recorded charge never settled is settled, a refund is applied to the ledger.
 */
export async function starsReconcileWorkflow(input: StarsReconcileInput = {}): Promise<ReconcileOutcome> {
  return scan.billingReconcileStars(input);
}

/** Checks (and durable waits for the minimum age) before the reward is decided for good. */
const REFERRAL_ROUNDS = 20;

/**
 * `referral-<new user>`, started or woken by signal-with-start whenever the new user linked FACEIT or had an analysis
 * delivered. The reward's transaction decides whether it is due; when only the minimum age is missing the workflow
 * sleeps until then (a durable timer: nothing is lost if nobody triggers it again), and any trigger meanwhile makes
 * it check again. Anything else missing ends it: the next trigger starts a new run. The guard against a second
 * reward is the transaction's (`rewarded_at IS NULL`, one claim per FACEIT player).
 */
export async function referralRewardWorkflow(input: { referredId: number }): Promise<ReferralOutcome> {
  let nudges = 0;
  setHandler(referralCheckSignal, () => {
    nudges++;
  });
  // The first command is the one every earlier history has: those replay unchanged.
  let seen = nudges;
  let outcome = await acts.billingRewardReferral(input);
  for (let round = 0; outcome.status === 'not-yet' && round < REFERRAL_ROUNDS; round++) {
    const dueAt = outcome.dueAt;
    if (dueAt === null) {
      // Waiting for the user, not for time: done, unless a trigger came while it checked.
      if (nudges === seen) return outcome;
    } else {
      await condition(() => nudges !== seen, Math.max(1, dueAt - Date.now()));
    }
    seen = nudges;
    outcome = await acts.billingRewardReferral(input);
  }
  if (outcome.status !== 'rewarded') return outcome;
  const key = String(input.referredId);
  const users = [
    input.referredId,
    ...(outcome.referrerId && outcome.referrerDays > 0 ? [outcome.referrerId] : []),
  ];
  await acts.billingSyncSubscriptions({ telegramIds: users });
  if (outcome.referredDays > 0) {
    await acts.billingNotify({
      kind: 'referral-new',
      telegramId: input.referredId,
      key,
      days: outcome.referredDays,
    });
  }
  if (outcome.referrerId && outcome.referrerDays > 0) {
    await acts.billingNotify({
      kind: 'referral-referrer',
      telegramId: outcome.referrerId,
      key,
      days: outcome.referrerDays,
    });
  }
  return outcome;
}

/** Rounds before the history is handed to a fresh run. */
const ROUNDS_PER_RUN = 100;

/**
 * One per user (`subscription-<id>`), started or woken by signal-with-start on every change: sleeps until the
 * reminder, then until the plan ends, then writes the downgrade (or the resumed credit) and says so once. A change
 * while it sleeps re-reads the subscription and re-arms the timers; with nothing left to wait for it completes.
 */
export async function subscriptionWorkflow(input: { telegramId: number }): Promise<void> {
  const { telegramId } = input;
  let changes = 0;
  setHandler(subscriptionChangedSignal, () => {
    changes++;
  });
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    const seen = changes;
    const timers = await acts.billingSubscriptionTimers({ telegramId });
    if (timers.endsAt === null) {
      if (changes === seen) return;
      continue;
    }
    if (timers.remindAt !== null && timers.remindAt > Date.now()) {
      if (await condition(() => changes !== seen, Math.max(1, timers.remindAt - Date.now()))) continue;
      if (timers.plan !== 'free') {
        await acts.billingNotify({
          kind: 'reminder',
          telegramId,
          key: String(timers.endsAt),
          plan: timers.plan,
        });
      }
    }
    const left = timers.endsAt - Date.now();
    if (left > 0 && (await condition(() => changes !== seen, left))) continue;
    const ended = await acts.billingExpire({ telegramId });
    if (ended)
      await acts.billingNotify({ kind: 'expired', telegramId, key: String(ended.endedAt), plan: ended.plan });
  }
  await continueAsNew<typeof subscriptionWorkflow>(input);
}
