/**
 * Billing in the bot: /subscribe (plan buttons → Telegram Stars invoices), /subscription, /referral, the pre-checkout
 * check and the successful_payment hand-over to the payment workflow.
 *
 * Two composers: the payment updates run before the flood limit (a pre-checkout query must be answered within
 * Telegram's 10 s and a paid charge must never be dropped), the commands and buttons with the other features.
 */
import { randomBytes } from 'node:crypto';
import { Composer } from 'grammy';
import type { BotContext } from '../bot-kit/context';
import type { BotServices } from '../bot-kit/deps';
import { dailyQuota, quotaDay } from './quota';
import { HTML, privateOnly, replyHtml } from '../bot-kit/reply';
import { t, toLocale } from '../i18n';
import { escapeHtml } from '../telegram/html';
import { createBillingActivities } from './activities';
import { settleCharge, verdictOf } from './charges';
import { describeSubscription } from './client';
import { checkPreCheckout, encodeInvoicePayload } from './model/invoice';
import { PLAN_NAMES, PLANS, type PaidPlan, type Plan } from './plan';
import {
  BUY_BUTTON,
  daysOf,
  formatDate,
  invoiceTexts,
  PLANS_BUTTON,
  plansKeyboard,
  plansText,
  renewKeyboard,
} from './render';
import {
  chargesOf,
  loadSubscription,
  recordCharge,
  referralDaysEarned,
  referralStats,
  referrerRewardsThisMonth,
  stateOf,
  userInfoOf,
} from './repository';
import { current, purchaseWithoutEffect } from './model/subscription';
import { invoiceLifetimeMs, payloadSecret, priceOf } from './settings';

/** The bot's deps (src/bot/deps.ts) satisfy this. */
export type BillingComposerDeps = Pick<BotServices, 'config' | 'logger' | 'pool' | 'client' | 'repos'>;

function quotas(deps: BillingComposerDeps): Record<Plan, number> {
  return Object.fromEntries(PLANS.map((p) => [p, dailyQuota(deps.config, p)])) as Record<Plan, number>;
}

/**
 * pre_checkout_query and successful_payment: mounted before the flood limit and the user middleware (the payer got
 * the invoice from us, so they are registered; their language is read here).
 */
export function createBillingPaymentsComposer(deps: BillingComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const secret = payloadSecret(deps.config);
  const log = deps.logger.child({ component: 'billing' });

  /**
   * The open-ended plan that buying `plan` would add nothing to, else null. A database that does not answer in time
   * does not block the sale (Telegram allows 10 s): the charge is then credited as usual.
   */
  async function withoutEffect(telegramId: number, plan: PaidPlan): Promise<Plan | null> {
    try {
      const row = await loadSubscription(deps.pool, telegramId);
      const now = new Date();
      if (!purchaseWithoutEffect(stateOf(row), plan, now)) return null;
      // The open-ended plan that makes it pointless: the one in force, or the one banked behind it.
      const inForce = current(stateOf(row), now);
      return inForce.expiresAt === null ? inForce.plan : (inForce.credit?.plan ?? inForce.plan);
    } catch (err) {
      log.warn({ err, telegramId }, 'pre-checkout: subscription not read, accepting');
      return null;
    }
  }

  c.on('pre_checkout_query', async (ctx) => {
    const q = ctx.preCheckoutQuery;
    const { refusal, terms } = checkPreCheckout(
      { fromId: q.from.id, currency: q.currency, totalAmount: q.total_amount, payload: q.invoice_payload },
      {
        secret,
        now: new Date(),
        lifetimeMs: invoiceLifetimeMs(deps.config),
        currentPrice: (plan, period) => priceOf(deps.config, plan, period),
      },
    );
    if (refusal) {
      log.warn(
        { telegramId: q.from.id, refusal, plan: terms?.plan, amount: q.total_amount },
        'pre-checkout refused',
      );
      const locale = toLocale((await userInfoOf(deps.pool, q.from.id))?.language ?? q.from.language_code);
      await ctx.answerPreCheckoutQuery(false, { error_message: t(locale, `billing-precheckout-${refusal}`) });
      return;
    }
    // A purchase that would change nothing (an open-ended legacy plan of the same or a higher rank) is not charged.
    const inForce = await withoutEffect(q.from.id, terms!.plan);
    if (inForce) {
      log.warn({ telegramId: q.from.id, plan: terms!.plan, inForce }, 'pre-checkout refused: no effect');
      const locale = toLocale((await userInfoOf(deps.pool, q.from.id))?.language ?? q.from.language_code);
      await ctx.answerPreCheckoutQuery(false, {
        error_message: t(locale, 'billing-precheckout-no-effect', {
          current: PLAN_NAMES[inForce],
          plan: PLAN_NAMES[terms!.plan],
        }),
      });
      return;
    }
    await ctx.answerPreCheckoutQuery(true);
  });

  c.on('message:successful_payment', async (ctx) => {
    const sp = ctx.message.successful_payment;
    const telegramId = ctx.from.id;
    const chargeId = sp.telegram_payment_charge_id;
    // First, before anything else: the charge and the raw update in one insert. Everything after works from this row,
    // and the reconciliation finds the row (or the charge in getStarTransactions) if this handler never finishes.
    const { charge, created } = await recordCharge(deps.pool, {
      chargeId,
      telegramId,
      payload: sp.invoice_payload,
      amount: sp.total_amount,
      currency: sp.currency,
      providerChargeId: sp.provider_payment_charge_id || null,
      origin: 'update',
      raw: ctx.update,
    });
    if (!created && (charge.status === 'credited' || charge.status === 'refunded')) {
      // A redelivery, or a charge the reconciliation found first: settled already, nothing changes.
      log.info({ telegramId, chargeId, status: charge.status }, 'successful payment already settled');
      return;
    }
    const verdict = verdictOf(deps.config, charge);
    if (verdict.kind === 'reject' && charge.currency !== 'XTR') {
      // Not a Stars payment (never invoiced by us): refundStarPayment cannot return it; an operator matter.
      await settleCharge(deps, charge);
      log.error({ telegramId, chargeId }, 'successful payment matches no invoice of ours');
      const locale = toLocale((await userInfoOf(deps.pool, telegramId))?.language ?? ctx.from.language_code);
      await replyHtml(ctx, t(locale, 'billing-payment-unmatched'));
      return;
    }
    try {
      const settled = await settleCharge(deps, charge);
      // The workflow sends the one confirmation (or the refund's explanation); a redelivery finds it started.
      log.info({ telegramId, chargeId, settled: settled.kind }, 'successful payment');
    } catch (err) {
      // Temporal unreachable: do the same idempotent work here, with the same once-only message; the expiry timers
      // are armed by the user's next subscription change (the plan itself is read from the database on every
      // request). Should this fail too, the recorded charge is settled by the next reconciliation.
      log.error({ err, telegramId, chargeId }, 'charge workflow could not start: settling directly');
      const direct = createBillingActivities({
        config: deps.config,
        logger: deps.logger,
        pool: deps.pool,
        telegram: ctx.api,
      });
      if (verdict.kind === 'credit') {
        await direct.billingCreditPayment(verdict.input);
        await direct.billingNotify({ kind: 'payment', telegramId, key: chargeId, plan: verdict.input.plan });
      } else if (verdict.kind === 'reject') {
        const refunded = await direct.billingRefundRejectedCharge({ chargeId });
        if (refunded.status !== 'unknown-charge') {
          await direct.billingNotify({
            kind: 'rejected',
            telegramId,
            key: chargeId,
            amount: refunded.amount,
            reason: refunded.reason,
          });
        }
      }
    }
  });

  return c;
}

/** /subscribe, /subscription, /referral and the plan buttons. */
export function createBillingComposer(deps: BillingComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const secret = payloadSecret(deps.config);

  async function showPlans(ctx: BotContext) {
    await replyHtml(ctx, plansText(ctx.locale, deps.config, quotas(deps)), {
      reply_markup: plansKeyboard(ctx.locale, deps.config),
    });
  }

  c.command('subscribe', async (ctx) => {
    if (await privateOnly(ctx)) return;
    await showPlans(ctx);
  });

  c.callbackQuery(PLANS_BUTTON.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (ctx.chat?.type !== 'private') return;
    await showPlans(ctx);
  });

  c.callbackQuery(BUY_BUTTON.filter, async (ctx) => {
    const { plan, period } = BUY_BUTTON.read(ctx.match);
    if (ctx.chat?.type !== 'private') {
      await ctx.answerCallbackQuery({ text: ctx.t('billing-invoice-private-only'), show_alert: true });
      return;
    }
    const amount = priceOf(deps.config, plan, period);
    const payload = encodeInvoicePayload(
      { plan, period, buyerId: ctx.from.id, amount, issuedAt: Math.floor(Date.now() / 1000) },
      secret,
    );
    const texts = invoiceTexts(ctx.locale, plan, period);
    // Telegram Stars: currency XTR, one price, no provider token.
    await ctx.replyWithInvoice(texts.title, texts.description, payload, 'XTR', [
      { label: texts.label, amount },
    ]);
    await ctx.answerCallbackQuery();
  });

  c.command('subscription', async (ctx) => {
    if (await privateOnly(ctx)) return;
    const telegramId = ctx.user.telegram_id;
    const sub = await describeSubscription(deps, telegramId);
    const used = await deps.repos.usage.used(telegramId, quotaDay(deps.config));
    const limit = dailyQuota(deps.config, sub.plan);
    const tz = ctx.user.timezone;
    const lines: string[] = [];
    if (sub.plan === 'free') {
      lines.push(ctx.t('billing-subscription-free', { used, limit }));
    } else {
      lines.push(
        ctx.t('billing-subscription-active', {
          plan: PLAN_NAMES[sub.plan],
          until: sub.expiresAt ? formatDate(ctx.locale, tz, sub.expiresAt) : ctx.t('billing-open-ended'),
          source: ctx.t(`billing-source-${sub.source ?? 'legacy'}`),
          used,
          limit,
        }),
      );
    }
    if (sub.credit) {
      lines.push(
        ctx.t('billing-subscription-credit', {
          plan: PLAN_NAMES[sub.credit.plan],
          days: sub.credit.days === null ? '∞' : daysOf(sub.credit.days * 86_400_000),
          until: sub.credit.until
            ? formatDate(ctx.locale, tz, sub.credit.until)
            : ctx.t('billing-open-ended'),
        }),
      );
    }
    lines.push(ctx.t('billing-subscription-rule'));
    const keyboard =
      sub.plan === 'free'
        ? plansKeyboard(ctx.locale, deps.config)
        : renewKeyboard(ctx.locale, deps.config, sub.plan);
    await replyHtml(ctx, lines.join('\n\n'), { reply_markup: keyboard });
  });

  // Telegram requires bots selling for Stars to answer /paysupport and /terms.
  c.command('paysupport', async (ctx) => {
    if (await privateOnly(ctx)) return;
    const charges = await chargesOf(deps.pool, ctx.user.telegram_id, 5);
    const contact = deps.config.BILLING_SUPPORT_CONTACT ?? ctx.t('billing-paysupport-contact-none');
    const lines = [ctx.t('billing-paysupport', { contact: escapeHtml(contact) })];
    if (charges.length === 0) lines.push(ctx.t('billing-paysupport-none'));
    else {
      lines.push(ctx.t('billing-paysupport-charges'));
      for (const charge of charges) {
        lines.push(
          ctx.t('billing-paysupport-charge', {
            date: formatDate(ctx.locale, ctx.user.timezone, charge.created_at),
            stars: charge.amount,
            status: ctx.t(`billing-charge-status-${charge.status}`),
            chargeId: escapeHtml(charge.telegram_payment_charge_id),
          }),
        );
      }
    }
    await replyHtml(ctx, lines.join('\n'), HTML);
  });

  c.command('terms', async (ctx) => {
    await replyHtml(
      ctx,
      ctx.t('billing-terms', {
        premium: dailyQuota(deps.config, 'premium'),
        pro: dailyQuota(deps.config, 'pro'),
        ttl: deps.config.BILLING_INVOICE_TTL_HOURS,
      }),
      HTML,
    );
  });

  c.command('referral', async (ctx) => {
    if (await privateOnly(ctx)) return;
    const telegramId = ctx.user.telegram_id;
    const code = await deps.repos.users.ensureReferralCode(telegramId, () =>
      randomBytes(4).toString('hex').toUpperCase(),
    );
    const [stats, days, info, thisMonth] = await Promise.all([
      referralStats(deps.pool, telegramId),
      referralDaysEarned(deps.pool, telegramId),
      userInfoOf(deps.pool, telegramId),
      referrerRewardsThisMonth(deps.pool, telegramId, deps.config.DEFAULT_TIMEZONE),
    ]);
    // The bot's username comes from getMe (grammY's bot.init), never from configuration.
    const link = `https://t.me/${ctx.me.username}?start=ref_${code}`;
    await replyHtml(
      ctx,
      ctx.t('billing-referral', {
        code,
        link,
        joined: stats.joined + (info?.legacy_referrals_count ?? 0),
        rewarded: stats.rewarded,
        days,
        newDays: deps.config.REFERRAL_NEW_USER_DAYS,
        referrerDays: deps.config.REFERRAL_REFERRER_DAYS,
        minAgeHours: deps.config.REFERRAL_MIN_AGE_HOURS,
        cap: deps.config.REFERRAL_MONTHLY_CAP,
        thisMonth: `${thisMonth}/${deps.config.REFERRAL_MONTHLY_CAP}`,
      }),
      HTML,
    );
  });

  return c;
}
