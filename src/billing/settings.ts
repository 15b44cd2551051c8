/** Billing settings read from the configuration: prices, the payload secret, durations. */
import { DEV_PAYLOAD_SECRET, productionRefusals, type Config } from '../config';
import { PERIOD_DAYS, type PaidPlan, type Period } from './plan';
import { DAY_MS } from './model/subscription';

export type BillingConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'BILLING_PAYLOAD_SECRET'
  | 'PRICE_PREMIUM_MONTH_STARS'
  | 'PRICE_PREMIUM_YEAR_STARS'
  | 'PRICE_PRO_MONTH_STARS'
  | 'PRICE_PRO_YEAR_STARS'
  | 'BILLING_INVOICE_TTL_HOURS'
  | 'BILLING_REMINDER_BEFORE_HOURS'
  | 'REFERRAL_NEW_USER_DAYS'
  | 'REFERRAL_REFERRER_DAYS'
>;

/** Public on purpose: anyone can sign with it, so production refuses it (productionRefusals in src/config.ts). */
export { DEV_PAYLOAD_SECRET };

export function payloadSecret(config: BillingConfig): string {
  return config.BILLING_PAYLOAD_SECRET ?? DEV_PAYLOAD_SECRET;
}

/** Billing's settings a production bot or worker refuses to start with (see productionRefusals). */
export function insecureSettings(config: BillingConfig): string[] {
  return productionRefusals(config);
}

export function priceOf(config: BillingConfig, plan: PaidPlan, period: Period): number {
  const table = {
    premium: { month: config.PRICE_PREMIUM_MONTH_STARS, year: config.PRICE_PREMIUM_YEAR_STARS },
    pro: { month: config.PRICE_PRO_MONTH_STARS, year: config.PRICE_PRO_YEAR_STARS },
  };
  return table[plan][period];
}

export const periodMs = (period: Period): number => PERIOD_DAYS[period] * DAY_MS;
export const reminderLeadMs = (config: BillingConfig): number =>
  config.BILLING_REMINDER_BEFORE_HOURS * 3_600_000;
export const invoiceLifetimeMs = (config: BillingConfig): number =>
  config.BILLING_INVOICE_TTL_HOURS * 3_600_000;
