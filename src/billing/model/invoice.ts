/**
 * Invoice payloads: the plan, the period, the buyer, the price and the issue time, signed with HMAC-SHA256 under
 * BILLING_PAYLOAD_SECRET. The pre-checkout check trusts nothing else: a payload that does not verify, names another
 * buyer, is older than the invoice lifetime, or carries a price that is no longer current is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isPaidPlan, type PaidPlan, type Period } from '../plan';

export interface InvoiceTerms {
  plan: PaidPlan;
  period: Period;
  buyerId: number;
  /** Stars. */
  amount: number;
  /** Epoch seconds. */
  issuedAt: number;
}

const VERSION = 'b1';
const SIGNATURE_CHARS = 27; // 160 bits of the HMAC, base64url

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, SIGNATURE_CHARS);
}

/** At most ~70 bytes (Telegram allows 128). */
export function encodeInvoicePayload(terms: InvoiceTerms, secret: string): string {
  const body = [
    VERSION,
    terms.plan,
    terms.period,
    terms.buyerId,
    terms.amount,
    terms.issuedAt.toString(36),
  ].join(':');
  return `${body}:${sign(body, secret)}`;
}

/** The signed terms, or null when the payload is not one of ours or was altered. */
export function decodeInvoicePayload(payload: string, secret: string): InvoiceTerms | null {
  const parts = payload.split(':');
  if (parts.length !== 7 || parts[0] !== VERSION) return null;
  const body = parts.slice(0, 6).join(':');
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(parts[6]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [, plan, period, buyer, amount, issued] = parts;
  if (!isPaidPlan(plan) || (period !== 'month' && period !== 'year')) return null;
  const terms = {
    plan,
    period,
    buyerId: Number(buyer),
    amount: Number(amount),
    issuedAt: parseInt(issued, 36),
  } as const;
  if (![terms.buyerId, terms.amount, terms.issuedAt].every(Number.isSafeInteger)) return null;
  return terms;
}

export type PreCheckoutRefusal = 'invalid' | 'foreign' | 'currency' | 'stale' | 'price-changed' | 'amount';

/** Why a pre-checkout query must be refused, or null to accept it. */
export function checkPreCheckout(
  query: { fromId: number; currency: string; totalAmount: number; payload: string },
  options: {
    secret: string;
    now: Date;
    lifetimeMs: number;
    currentPrice: (plan: PaidPlan, period: Period) => number;
  },
): { refusal: PreCheckoutRefusal | null; terms: InvoiceTerms | null } {
  const terms = decodeInvoicePayload(query.payload, options.secret);
  if (!terms) return { refusal: 'invalid', terms };
  if (terms.buyerId !== query.fromId) return { refusal: 'foreign', terms };
  if (query.currency !== 'XTR') return { refusal: 'currency', terms };
  if (options.now.getTime() - terms.issuedAt * 1000 > options.lifetimeMs) return { refusal: 'stale', terms };
  if (terms.amount !== options.currentPrice(terms.plan, terms.period))
    return { refusal: 'price-changed', terms };
  if (query.totalAmount !== terms.amount) return { refusal: 'amount', terms };
  return { refusal: null, terms };
}

/** Why a charge Telegram made cannot be credited (then it is refunded), or null with the terms it bought. */
export type ChargeRejection = 'invalid' | 'foreign' | 'currency' | 'amount';

/**
 * The check of a charge, whoever found it (the successful_payment update or the reconciliation): the payload must
 * verify, name the payer, and match the amount paid in Stars. Age and current price are not checked again: the
 * pre-checkout accepted them, and the user has paid.
 */
export function checkCharge(
  charge: { buyerId: number; currency: string; amount: number; payload: string },
  secret: string,
): { rejection: ChargeRejection; terms: InvoiceTerms | null } | { rejection: null; terms: InvoiceTerms } {
  const terms = decodeInvoicePayload(charge.payload, secret);
  if (!terms) return { rejection: 'invalid', terms };
  if (terms.buyerId !== charge.buyerId) return { rejection: 'foreign', terms };
  if (charge.currency !== 'XTR') return { rejection: 'currency', terms };
  if (charge.amount !== terms.amount) return { rejection: 'amount', terms };
  return { rejection: null, terms };
}
