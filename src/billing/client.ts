/**
 * Billing as the bot, the admin slice and scripts see it. Grants and revocations are one database transaction
 * (applied at once: the next request's quota and queue tier see them) followed by a signal that re-arms the user's
 * subscription workflow; payments, refunds and referral rewards run as workflows whose ids make them unique.
 * The commit is the fact: a signal that fails afterwards is logged and sent again by the reconciler
 * (./reconcile.ts, from the mark the transaction left), never reported as a failed grant.
 */
import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import type { Api } from 'grammy';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { describeError } from '../logger';
import { withRpcDeadline } from '../temporal/deadline';
import { TelegramUserId } from '../temporal/search-attributes';
import { createBillingActivities } from './activities';
import { startPaymentWorkflow } from './charges';
import { applyGrant, applyRevoke, type GrantSource } from './ledger';
import { current, finalExpiry } from './model/subscription';
import type { PaidPlan, Plan } from './plan';
import {
  clearTimerResync,
  findPayment,
  lastSource,
  loadSubscription,
  markTimerResync,
  noteTimerResyncFailure,
  stateOf,
  userExists,
} from './repository';
import { nudgeReferral, queueOf, syncSubscriptions } from './sync';
import { refundWorkflowId, type PaymentInput, type RefundOutcome } from './workflow-types';

/** What the client functions need: the bot's deps (BotDeps) satisfy it. */
export interface BillingClientDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  client: Client;
}

export type GrantResult =
  | { ok: true; plan: Plan; expiresAt: Date | null; credit: { plan: PaidPlan; until: Date | null } | null }
  | { ok: false; reason: 'unknown-user' | 'bad-days' };

/**
 * Gives `days` of `plan` (fractions allowed): extends the same plan from its expiry, starts a higher plan now and
 * banks the lower one's unused time, banks a lower plan behind a higher one. Returns the plan in force afterwards.
 * Sends no message: the caller (admin command, referral workflow) says what it did.
 */
export async function grantPlan(
  deps: BillingClientDeps,
  input: { telegramId: number; plan: PaidPlan; days: number; source: GrantSource; actorId?: number | null },
): Promise<GrantResult> {
  if (!Number.isFinite(input.days) || input.days <= 0 || input.days > 36_500)
    return { ok: false, reason: 'bad-days' };
  const token = randomUUID();
  const change = await deps.pool.transaction(async (tx) => {
    if (!(await userExists(tx, input.telegramId))) return null;
    await markTimerResync(tx, input.telegramId, token);
    return applyGrant(tx, input);
  });
  if (!change) return { ok: false, reason: 'unknown-user' };
  deps.logger.info(
    {
      telegramId: input.telegramId,
      plan: input.plan,
      days: input.days,
      source: input.source,
      actorId: input.actorId,
    },
    'plan granted',
  );
  await resyncTimers(deps, input.telegramId, token);
  const { after } = change;
  return {
    ok: true,
    plan: after.plan,
    expiresAt: after.expiresAt,
    credit: after.credit ? { plan: after.credit.plan, until: finalExpiry(after) } : null,
  };
}

/**
 * After a committed change: wakes the user's subscription workflow (with the RPC deadline) and clears the change's
 * mark. A failure is logged and left to the reconciler; it never undoes or hides the change. Returns whether the
 * signal went through.
 */
export async function resyncTimers(
  deps: BillingClientDeps,
  telegramId: number,
  token: string,
): Promise<boolean> {
  try {
    // Each signal has the RPC deadline (sync.ts).
    await syncSubscriptions(deps.client, deps.config, [telegramId]);
  } catch (err) {
    deps.logger.error(
      { err, telegramId },
      'subscription timers not re-armed (the change is committed): the reconciler signals again',
    );
    await noteTimerResyncFailure(deps.pool, telegramId, token, describeError(err)).catch(() => undefined);
    return false;
  }
  await clearTimerResync(deps.pool, telegramId, token).catch((err: unknown) =>
    deps.logger.warn({ err, telegramId }, 'timer re-sync mark not cleared (the reconciler signals again)'),
  );
  return true;
}

/** Back to FREE now, credit included; recorded with the reason. */
export async function revokePlan(
  deps: BillingClientDeps,
  input: { telegramId: number; actorId?: number | null; reason: string },
): Promise<{ revoked: boolean; previousPlan: Plan }> {
  const token = randomUUID();
  const change = await deps.pool.transaction(async (tx) => {
    if (!(await userExists(tx, input.telegramId))) return null;
    await markTimerResync(tx, input.telegramId, token);
    return applyRevoke(tx, input);
  });
  if (!change) return { revoked: false, previousPlan: 'free' };
  deps.logger.info(
    { telegramId: input.telegramId, actorId: input.actorId, from: change.before.plan },
    'plan revoked',
  );
  await resyncTimers(deps, input.telegramId, token);
  return { revoked: change.before.plan !== 'free', previousPlan: change.before.plan };
}

/** How long the admin waits for the refund workflow's answer (Telegram's refund, the revocation, the message). */
export const REFUND_WAIT_MS = 60_000;

/**
 * Refunds a Stars payment (`refundStarPayment`) and takes back what it bought, once, as the workflow
 * `refund-<charge id>`; a second call for the same charge answers `already-refunded`. Starting has
 * TEMPORAL_RPC_TIMEOUT_MS and waiting REFUND_WAIT_MS more: past it the call fails (a Temporal error), and a refund
 * that did start finishes on its own (asking again waits for the same workflow).
 */
export async function refundPayment(
  deps: BillingClientDeps,
  input: { chargeId: string; actorId?: number | null },
): Promise<RefundOutcome> {
  const payment = await findPayment(deps.pool, input.chargeId);
  if (!payment) return { status: 'unknown-charge' };
  if (payment.refunded_at) return { status: 'already-refunded', telegramId: payment.telegram_id };
  const workflowId = refundWorkflowId(input.chargeId);
  try {
    const handle = await withRpcDeadline(deps.client, deps.config, () =>
      deps.client.workflow.start('refundWorkflow', {
        workflowId,
        taskQueue: queueOf(deps.config),
        args: [{ chargeId: input.chargeId, actorId: input.actorId ?? null }],
        // A completed refund is never run again; one that failed (Telegram refused) may be tried again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        // Two admins at once: both wait for the one refund.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: TelegramUserId, value: payment.telegram_id }],
      }),
    );
    const outcome = (await withRpcDeadline(
      deps.client,
      deps.config,
      () => handle.result(),
      REFUND_WAIT_MS,
    )) as RefundOutcome;
    deps.logger.info({ chargeId: input.chargeId, actorId: input.actorId, status: outcome.status }, 'refund');
    return outcome;
  } catch (err) {
    // Completed between the check above and the start: it was refunded by someone else.
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { status: 'already-refunded', telegramId: payment.telegram_id };
    }
    throw err;
  }
}

export interface SubscriptionDescription {
  /** The plan in force now (an ended plan is FREE even before the downgrade timer fired). */
  plan: Plan;
  /** When the plan in force ends; null = FREE or open-ended (legacy). */
  expiresAt: Date | null;
  /** How the plan in force came about: payment / referral / admin / legacy (null on FREE). */
  source: string | null;
  /** A lower plan banked behind the current one: resumes at `expiresAt` and lasts until `until`. */
  credit: { plan: PaidPlan; days: number | null; until: Date | null } | null;
}

export async function describeSubscription(
  deps: Pick<BillingClientDeps, 'pool'>,
  telegramId: number,
): Promise<SubscriptionDescription> {
  const row = await loadSubscription(deps.pool, telegramId);
  const state = current(stateOf(row), new Date());
  if (state.plan === 'free') return { plan: 'free', expiresAt: null, source: null, credit: null };
  const source = (await lastSource(deps.pool, telegramId)) ?? SOURCE_NAMES[row?.source ?? 'legacy'];
  return {
    plan: state.plan,
    expiresAt: state.expiresAt,
    source: row?.source ? SOURCE_NAMES[row.source] : source,
    credit: state.credit
      ? {
          plan: state.credit.plan,
          days: state.credit.ms === null ? null : state.credit.ms / 86_400_000,
          until: finalExpiry(state),
        }
      : null,
  };
}

const SOURCE_NAMES = {
  telegram_stars: 'payment',
  referral_bonus: 'referral',
  admin_grant: 'admin',
  legacy: 'legacy',
} as const;

/**
 * Credits a successful payment exactly once: the workflow id is derived from the charge id, so a redelivered
 * update, a second bot replica or a retried start all land on the same workflow while Temporal keeps it (the
 * namespace retention after it closed); past that, the credit's transaction is idempotent by charge id. The start
 * has TEMPORAL_RPC_TIMEOUT_MS: past it the caller credits directly (src/billing/composer.ts).
 */
export async function creditPayment(
  deps: BillingClientDeps,
  input: PaymentInput,
): Promise<{ started: boolean }> {
  // The start carries the RPC deadline (charges.ts).
  return startPaymentWorkflow(deps.client, deps.config, input);
}

/**
 * After a FACEIT account is linked: the user's open referral is checked (its workflow started or woken; it rewards
 * once every rule holds, see billingRewardReferral). With Temporal unreachable and a Bot API client at hand, the
 * check runs here instead and rewards if it is due now (both are guarded in the database, so a workflow that runs
 * later adds nothing); a reward still waiting for the minimum age is then started by the user's next analysis.
 */
export async function rewardReferralIfDue(
  deps: BillingClientDeps,
  telegramId: number,
  options: { telegram?: Api } = {},
): Promise<void> {
  try {
    await nudgeReferral(deps.client, deps.config, deps.pool, telegramId);
  } catch (err) {
    if (!options.telegram) throw err;
    deps.logger.error({ err, telegramId }, 'referral workflow could not start: checking directly');
    const direct = createBillingActivities({ ...deps, telegram: options.telegram });
    const outcome = await direct.billingRewardReferral({ referredId: telegramId });
    if (outcome.status !== 'rewarded') return;
    const key = String(telegramId);
    if (outcome.referredDays > 0) {
      await direct.billingNotify({ kind: 'referral-new', telegramId, key, days: outcome.referredDays });
    }
    if (outcome.referrerId && outcome.referrerDays > 0) {
      await direct.billingNotify({
        kind: 'referral-referrer',
        telegramId: outcome.referrerId,
        key,
        days: outcome.referrerDays,
      });
    }
  }
}
