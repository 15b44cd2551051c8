/** Billing's Telegram texts and keyboards (locales/{ru,en}/billing.ftl). */
import { InlineKeyboard } from 'grammy';
import { t, type Locale } from '../i18n';
import { callbackData, field } from '../bot-kit/callback-data';
import { PAID_PLANS, PERIODS, PLAN_NAMES, type PaidPlan, type Period, type Plan } from './plan';
import { DAY_MS } from './model/subscription';
import { priceOf, type BillingConfig } from './settings';

/** Callback data of the plan buttons: `bill:buy:<plan>:<period>`; `bill:plans` opens /subscribe. */
export const BUY_BUTTON = callbackData('bill:buy', {
  plan: field.oneOf(PAID_PLANS),
  period: field.oneOf(PERIODS),
});
export const PLANS_BUTTON = callbackData('bill:plans');
export const buyData = (plan: PaidPlan, period: Period) => BUY_BUTTON.pack({ plan, period });

const TAGS: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };

export function formatDate(locale: Locale, timeZone: string, at: Date | number): string {
  const options: Intl.DateTimeFormatOptions = {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  };
  try {
    return new Intl.DateTimeFormat(TAGS[locale], options).format(at);
  } catch {
    return new Intl.DateTimeFormat(TAGS[locale], { ...options, timeZone: 'UTC' }).format(at);
  }
}

/** Whole days, rounded up (3 days and an hour left reads "4 days"). */
export const daysOf = (ms: number) => Math.max(0, Math.ceil(ms / DAY_MS - 1e-9));

export function plansKeyboard(locale: Locale, config: BillingConfig): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const plan of PAID_PLANS) {
    for (const period of PERIODS) {
      const label = t(locale, `billing-button-${period}`, {
        plan: PLAN_NAMES[plan],
        stars: priceOf(config, plan, period),
      });
      kb.text(label, buyData(plan, period));
    }
    kb.row();
  }
  return kb;
}

/** One button: renew the plan for a month (reminder, /subscription). */
export function renewKeyboard(locale: Locale, config: BillingConfig, plan: PaidPlan): InlineKeyboard {
  return new InlineKeyboard()
    .text(
      t(locale, 'billing-button-renew', { plan: PLAN_NAMES[plan], stars: priceOf(config, plan, 'month') }),
      buyData(plan, 'month'),
    )
    .row()
    .text(t(locale, 'billing-button-plans'), PLANS_BUTTON.pack());
}

/** Under the quota message and in /help. */
export function upgradeKeyboard(locale: Locale): InlineKeyboard {
  return new InlineKeyboard().text(t(locale, 'billing-button-upgrade'), PLANS_BUTTON.pack());
}

export function plansText(locale: Locale, config: BillingConfig, quotas: Record<Plan, number>): string {
  return t(locale, 'billing-plans', {
    premiumMonth: priceOf(config, 'premium', 'month'),
    premiumYear: priceOf(config, 'premium', 'year'),
    proMonth: priceOf(config, 'pro', 'month'),
    proYear: priceOf(config, 'pro', 'year'),
    free: quotas.free,
    premium: quotas.premium,
    pro: quotas.pro,
  });
}

export function invoiceTexts(locale: Locale, plan: PaidPlan, period: Period) {
  return {
    title: t(locale, `billing-invoice-title-${period}`, { plan: PLAN_NAMES[plan] }),
    description: t(locale, `billing-invoice-description-${plan}`),
    label: t(locale, `billing-invoice-label-${period}`, { plan: PLAN_NAMES[plan] }),
  };
}
