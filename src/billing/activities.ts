/**
 * Billing's activities: the transactions behind payments, refunds, expiries and referral rewards, the Stars refund
 * call, and the messages (sent through the shared send claims, docs/delivery.md: a retried activity
 * never sends twice, and a crash before the send does not lose the message).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { GrammyError, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { t, toLocale } from '../i18n';
import { requestSignal } from '../telegram/api';
import { activityCancellation } from '../temporal/activity';
import { ClaimHeldError, isChatGone, refusedForGood, toTelegramRetry } from '../telegram/errors';
import { createSendClaims, sendOnce } from '../telegram/send-claims';
import { starsReconcileFindings } from '../ops/metrics';
import { syncSubscriptions } from './sync';
import { applyExpiry, applyGrant, applyTakeBack } from './ledger';
import { current, finalExpiry, type SubscriptionState } from './model/subscription';
import { PERIOD_DAYS, PLAN_NAMES } from './plan';
import { formatDate, plansKeyboard, renewKeyboard, upgradeKeyboard } from './render';
import { reconcileStars } from './stars-reconcile';
import {
  claimReferralPlayer,
  closeReferral,
  findCharge,
  everLinkedBy,
  findPayment,
  hasDeliveredAnalysis,
  insertPayment,
  linkedPlayer,
  loadSubscription,
  markChargeCredited,
  markChargeRefunded,
  lockReferrerReferrals,
  markRefunded,
  noticeClaimedBefore,
  pendingReferral,
  referrerRewardsThisMonth,
  setPaymentExpiry,
  stateOf,
  userExists,
  userInfoOf,
} from './repository';
import { reminderLeadMs } from './settings';
import type {
  Notice,
  PaymentInput,
  PaymentOutcome,
  ReconcileOutcome,
  ReferralOutcome,
  RefundInput,
  RefundOutcome,
  RejectInput,
  RejectOutcome,
  StarsReconcileInput,
  SubscriptionTimers,
  SubscriptionView,
} from './workflow-types';

/** What billing's activities need, and nothing more. */
export interface BillingActivityDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  /** Bot API client; absent when no BOT_TOKEN is configured (messages and refunds then fail loudly). */
  telegram?: Api;
}

export function viewOf(state: SubscriptionState): SubscriptionView {
  return { plan: state.plan, expiresAt: state.expiresAt?.getTime() ?? null, credit: state.credit };
}

export function createBillingActivities(deps: BillingActivityDeps) {
  const { pool, config } = deps;
  const log = deps.logger.child({ component: 'billing' });
  const claims = createSendClaims(pool, 'billing', { leaseMs: config.TELEGRAM_CLAIM_LEASE_MS });
  // The worker exports the reconciliation's findings from its start, not only after its first run.
  starsReconcileFindings();

  function api(): Api {
    if (!deps.telegram) throw ApplicationFailure.nonRetryable('BOT_TOKEN is not set', 'TelegramRefused');
    return deps.telegram;
  }

  async function noticeText(notice: Notice, locale: ReturnType<typeof toLocale>, timeZone: string) {
    const row = await loadSubscription(pool, notice.telegramId);
    const now = current(stateOf(row), new Date());
    const until = now.expiresAt
      ? formatDate(locale, timeZone, now.expiresAt)
      : t(locale, 'billing-open-ended');
    const credit =
      now.credit && now.expiresAt
        ? `\n${t(locale, 'billing-credit-line', {
            plan: PLAN_NAMES[now.credit.plan],
            until: finalExpiry(now)
              ? formatDate(locale, timeZone, finalExpiry(now)!)
              : t(locale, 'billing-open-ended'),
          })}`
        : '';
    const current_ = PLAN_NAMES[now.plan];
    switch (notice.kind) {
      case 'payment':
        return { text: t(locale, 'billing-paid', { plan: current_, until }) + credit };
      case 'reminder':
        return {
          text: t(locale, 'billing-reminder', { plan: PLAN_NAMES[notice.plan], until }),
          reply_markup: renewKeyboard(locale, config, notice.plan),
        };
      case 'expired':
        return now.plan === 'free'
          ? {
              text: t(locale, 'billing-expired', { plan: PLAN_NAMES[notice.plan] }),
              reply_markup: plansKeyboard(locale, config),
            }
          : {
              text: t(locale, 'billing-expired-credit', {
                plan: PLAN_NAMES[notice.plan],
                next: current_,
                until,
              }),
            };
      case 'refund':
        return {
          text: t(locale, 'billing-refunded', {
            plan: PLAN_NAMES[notice.plan],
            stars: notice.amount,
            current: current_,
          }),
          ...(now.plan === 'free' ? { reply_markup: upgradeKeyboard(locale) } : {}),
        };
      case 'referral-new':
        return {
          text:
            t(locale, 'billing-referral-reward-new', { days: notice.days, plan: current_, until }) + credit,
        };
      case 'referral-referrer':
        return {
          text:
            t(locale, 'billing-referral-reward-referrer', { days: notice.days, plan: current_, until }) +
            credit,
        };
      case 'rejected':
        return {
          text: t(locale, 'billing-charge-rejected', {
            stars: notice.amount,
            reason: t(locale, `billing-rejected-${notice.reason}`),
          }),
          reply_markup: plansKeyboard(locale, config),
        };
    }
  }

  return {
    /** Payment row, subscription change and audit entry in one transaction; the UNIQUE charge id is the last guard. */
    async billingCreditPayment(input: PaymentInput): Promise<PaymentOutcome> {
      return pool.transaction(async (tx) => {
        const days = PERIOD_DAYS[input.period];
        // The recorded charge is settled in the same transaction as the payment row and the plan.
        await markChargeCredited(tx, input);
        const payment = await insertPayment(tx, { ...input, days, expiresAt: new Date() });
        if (!payment) {
          const row = await loadSubscription(tx, input.telegramId);
          log.info({ chargeId: input.chargeId }, 'payment already credited');
          return { credited: false, subscription: viewOf(current(stateOf(row), new Date())) };
        }
        const { after } = await applyGrant(
          tx,
          { telegramId: input.telegramId, plan: input.plan, days, source: 'payment' },
          { chargeId: input.chargeId, details: { amount: input.amount, period: input.period } },
        );
        const bought = (after.plan === input.plan ? after.expiresAt : finalExpiry(after)) ?? after.expiresAt;
        if (bought) await setPaymentExpiry(tx, payment.id, bought);
        log.info(
          { telegramId: input.telegramId, chargeId: input.chargeId, plan: input.plan, period: input.period },
          'payment credited',
        );
        return { credited: true, subscription: viewOf(after) };
      });
    },

    /** Wakes (or starts) the users' subscription workflows so they re-arm their timers. */
    async billingSyncSubscriptions(input: { telegramIds: number[] }): Promise<void> {
      await syncSubscriptions(Context.current().client, config, input.telegramIds);
    },

    async billingSubscriptionTimers(input: { telegramId: number }): Promise<SubscriptionTimers> {
      const stored = stateOf(await loadSubscription(pool, input.telegramId));
      if (stored.plan === 'free' || !stored.expiresAt)
        return { plan: stored.plan, endsAt: null, remindAt: null };
      const endsAt = stored.expiresAt.getTime();
      // No reminder when a banked plan follows: the user is not about to lose anything.
      const remindAt = stored.credit ? null : endsAt - reminderLeadMs(config);
      return {
        plan: stored.plan,
        endsAt,
        remindAt: remindAt !== null && remindAt > Date.now() ? remindAt : null,
      };
    },

    async billingExpire(input: { telegramId: number }) {
      const change = await pool.transaction((tx) => applyExpiry(tx, input.telegramId));
      if (!change || change.before.plan === 'free' || !change.before.expiresAt) return null;
      log.info(
        { telegramId: input.telegramId, from: change.before.plan, to: change.after.plan },
        'plan ended',
      );
      return { plan: change.before.plan, endedAt: change.before.expiresAt.getTime() };
    },

    async billingRefundStars(
      input: RefundInput,
    ): Promise<{ status: 'unknown-charge' | 'refunded' | 'already-refunded' }> {
      const payment = await findPayment(pool, input.chargeId);
      if (!payment) return { status: 'unknown-charge' };
      if (payment.refunded_at) return { status: 'already-refunded' };
      try {
        await api().refundStarPayment(payment.telegram_id, payment.telegram_payment_charge_id);
      } catch (err) {
        if (err instanceof GrammyError && /CHARGE_ALREADY_REFUNDED/.test(err.description)) {
          return { status: 'already-refunded' };
        }
        if (err instanceof GrammyError && refusedForGood(err)) {
          throw ApplicationFailure.nonRetryable(err.description, 'TelegramRefused');
        }
        throw err;
      }
      log.info({ chargeId: input.chargeId, telegramId: payment.telegram_id }, 'stars refunded');
      return { status: 'refunded' };
    },

    /** The Stars of a rejected charge go back to the payer (CHARGE_ALREADY_REFUNDED counts as done). */
    async billingRefundRejectedCharge(input: RejectInput): Promise<RejectOutcome> {
      const charge = await findCharge(pool, input.chargeId);
      if (!charge) return { status: 'unknown-charge' };
      const base = {
        telegramId: charge.telegram_id,
        amount: charge.amount,
        reason: charge.reason ?? 'invalid',
      };
      if (charge.status === 'refunded') return { status: 'already-refunded', ...base };
      if (charge.status !== 'rejected') {
        throw ApplicationFailure.nonRetryable(`charge is ${charge.status}, not rejected`, 'TelegramRefused');
      }
      let status: 'refunded' | 'already-refunded' = 'refunded';
      try {
        await api().refundStarPayment(charge.telegram_id, charge.telegram_payment_charge_id);
      } catch (err) {
        if (err instanceof GrammyError && /CHARGE_ALREADY_REFUNDED/.test(err.description)) {
          status = 'already-refunded';
        } else if (err instanceof GrammyError && refusedForGood(err)) {
          throw ApplicationFailure.nonRetryable(err.description, 'TelegramRefused');
        } else throw err;
      }
      await markChargeRefunded(pool, input.chargeId);
      log.warn(
        { chargeId: input.chargeId, telegramId: charge.telegram_id, reason: base.reason },
        'rejected charge refunded',
      );
      return { status, ...base };
    },

    /** One reconciliation run over the Stars history (src/billing/reconcile.ts). */
    async billingReconcileStars(input: StarsReconcileInput = {}): Promise<ReconcileOutcome> {
      const ctx = Context.current();
      return reconcileStars({
        graceMs: input.graceMs,
        config,
        logger: deps.logger,
        pool,
        api: api(),
        client: ctx.client,
        progress: (read) => ctx.heartbeat(read),
        signal: ctx.cancellationSignal,
      });
    },

    /** Takes back what the payment bought, once (`refunded_at IS NULL` guards it). */
    async billingRevokePayment(input: RefundInput): Promise<RefundOutcome> {
      return pool.transaction(async (tx) => {
        const payment = await markRefunded(tx, input.chargeId);
        if (!payment) {
          const known = await findPayment(tx, input.chargeId);
          return known
            ? { status: 'already-refunded', telegramId: known.telegram_id }
            : { status: 'unknown-charge' };
        }
        await markChargeRefunded(tx, input.chargeId);
        const days = payment.days ?? PERIOD_DAYS[payment.period];
        const { after } = await applyTakeBack(tx, {
          telegramId: payment.telegram_id,
          plan: payment.tier,
          days,
          actorId: input.actorId ?? null,
          chargeId: input.chargeId,
        });
        return {
          status: 'refunded',
          telegramId: payment.telegram_id,
          plan: payment.tier,
          days,
          amount: payment.amount,
          subscription: viewOf(after),
        };
      });
    },

    /**
     * Rewards a referral once it is due (docs/billing.md, "Referrals"): the new user linked a FACEIT account, had an
     * analysis delivered and joined at least REFERRAL_MIN_AGE_HOURS ago. Then the new user and the referrer get
     * PREMIUM days in one transaction that also closes the referral. Not due yet: nothing changes (`not-yet`). A
     * FACEIT player earns one reward ever (referral_players, kept whatever happens to links and users), a player the
     * referrer ever linked earns nothing, and the referrer is credited at most REFERRAL_MONTHLY_CAP times a month
     * (the new user still is).
     */
    async billingRewardReferral(input: { referredId: number }): Promise<ReferralOutcome> {
      return pool.transaction(async (tx) => {
        const open = await pendingReferral(tx, input.referredId);
        if (!open) return { status: 'none' };
        // The referrer's referrals first, always in one order: their rewards (and the cap) go one at a time.
        await lockReferrerReferrals(tx, open.referrer_id);
        const referral = await pendingReferral(tx, input.referredId, true);
        if (!referral) return { status: 'none' };
        const player = await linkedPlayer(tx, input.referredId);
        if (!player) return { status: 'not-yet', missing: 'link', dueAt: null };
        if (!(await hasDeliveredAnalysis(tx, input.referredId)))
          return { status: 'not-yet', missing: 'analysis', dueAt: null };
        const dueAt = referral.joined_at.getTime() + config.REFERRAL_MIN_AGE_HOURS * 3_600_000;
        if (dueAt > Date.now()) return { status: 'not-yet', missing: 'age', dueAt };
        const ids = { referredId: input.referredId, referrerId: referral.referrer_id };
        if (await everLinkedBy(tx, referral.referrer_id, player)) {
          await claimReferralPlayer(tx, { ...ids, playerId: player, outcome: 'own-player' });
          await closeReferral(tx, input.referredId, null);
          log.warn(ids, 'referral refused: the referrer’s own player');
          return { status: 'refused', reason: 'same-player' };
        }
        if (!(await claimReferralPlayer(tx, { ...ids, playerId: player, outcome: 'rewarded' }))) {
          await closeReferral(tx, input.referredId, null);
          log.warn({ ...ids, player }, 'referral refused: player already rewarded');
          return { status: 'refused', reason: 'player-used' };
        }
        const referredDays = config.REFERRAL_NEW_USER_DAYS;
        // A legacy referrer absent from users (kept as a dangling reference) cannot be credited.
        const known = await userExists(tx, referral.referrer_id);
        const capped =
          known &&
          (await referrerRewardsThisMonth(tx, referral.referrer_id, config.DEFAULT_TIMEZONE)) >=
            config.REFERRAL_MONTHLY_CAP;
        const referrerDays = known && !capped ? config.REFERRAL_REFERRER_DAYS : 0;
        await closeReferral(tx, input.referredId, player, referrerDays > 0);
        const details = { ...ids };
        if (referredDays > 0) {
          await applyGrant(
            tx,
            { telegramId: input.referredId, plan: 'premium', days: referredDays, source: 'referral' },
            { details },
          );
        }
        if (referrerDays > 0) {
          await applyGrant(
            tx,
            { telegramId: referral.referrer_id, plan: 'premium', days: referrerDays, source: 'referral' },
            { details },
          );
        }
        log.info(
          { ...details, capped },
          capped ? 'referral rewarded (referrer capped)' : 'referral rewarded',
        );
        return {
          status: 'rewarded',
          referredId: input.referredId,
          referrerId: referral.referrer_id,
          referredDays,
          referrerDays,
          capped,
        };
      });
    },

    /**
     * Sends one of the billing messages once per (user, kind, key). Called by the workflows, and directly by the
     * bot when Temporal is unreachable (then without an activity to retry it: an error goes to the caller).
     */
    async billingNotify(notice: Notice): Promise<'sent' | 'already-sent' | 'blocked'> {
      if (await noticeClaimedBefore(pool, notice.telegramId, notice.kind, notice.key)) return 'already-sent';
      const user = await userInfoOf(pool, notice.telegramId);
      const locale = toLocale(user?.language);
      const { text, reply_markup } = await noticeText(
        notice,
        locale,
        user?.timezone ?? config.DEFAULT_TIMEZONE,
      );
      const signal = activityCancellation();
      try {
        const sent = await sendOnce(
          claims,
          { chatId: notice.telegramId, key: `${notice.kind}:${notice.key}` },
          () =>
            api().sendMessage(
              notice.telegramId,
              text,
              { parse_mode: 'HTML', reply_markup },
              requestSignal(config.TELEGRAM_SEND_TIMEOUT_MS, signal),
            ),
          log,
        );
        return sent.status === 'sent' ? 'sent' : 'already-sent';
      } catch (err) {
        if (isChatGone(err)) return 'blocked';
        // An earlier attempt's claim: resolved once its lease runs out, so the next attempt waits for that.
        if (err instanceof ClaimHeldError && signal) throw toTelegramRetry(err);
        throw err;
      }
    },
  };
}
export type BillingActivities = ReturnType<typeof createBillingActivities>;
