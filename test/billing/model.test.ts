import { insecureSettings } from '../../src/billing/settings';
import { loadConfig } from '../../src/config';
import {
  current,
  DAY_MS,
  finalExpiry,
  FREE,
  grant,
  purchaseWithoutEffect,
  takeBack,
} from '../../src/billing/model/subscription';
import {
  checkPreCheckout,
  decodeInvoicePayload,
  encodeInvoicePayload,
} from '../../src/billing/model/invoice';

const now = new Date('2026-11-30T12:00:00Z');
const days = (n: number) => n * DAY_MS;
const plus = (d: Date, n: number) => new Date(d.getTime() + days(n));

describe('subscription rules', () => {
  it('a first purchase starts now; a renewal while active extends from the current expiry', () => {
    const first = grant(FREE, 'premium', days(30), now);
    expect(first).toEqual({ plan: 'premium', expiresAt: plus(now, 30), credit: null });
    const renewed = grant(first, 'premium', days(30), plus(now, 10));
    expect(renewed.expiresAt).toEqual(plus(now, 60));
  });

  it('after expiry a purchase starts from the moment of purchase', () => {
    const old = grant(FREE, 'premium', days(30), now);
    expect(grant(old, 'premium', days(30), plus(now, 40)).expiresAt).toEqual(plus(now, 70));
  });

  it('PRO during PREMIUM starts now and banks the unused PREMIUM days; they resume when PRO ends', () => {
    const premium = grant(FREE, 'premium', days(30), now);
    const pro = grant(premium, 'pro', days(30), plus(now, 10));
    expect(pro).toEqual({ plan: 'pro', expiresAt: plus(now, 40), credit: { plan: 'premium', ms: days(20) } });
    expect(finalExpiry(pro)).toEqual(plus(now, 60));
    expect(current(pro, plus(now, 45))).toEqual({ plan: 'premium', expiresAt: plus(now, 60), credit: null });
    expect(current(pro, plus(now, 61))).toEqual(FREE);
  });

  it('PREMIUM during PRO is banked behind it, not mixed into it', () => {
    const pro = grant(FREE, 'pro', days(30), now);
    const both = grant(pro, 'premium', days(7), plus(now, 1));
    expect(both).toEqual({ plan: 'pro', expiresAt: plus(now, 30), credit: { plan: 'premium', ms: days(7) } });
  });

  it('a refund takes back exactly what the payment bought', () => {
    const once = grant(FREE, 'premium', days(30), now);
    const twice = grant(once, 'premium', days(30), now);
    expect(takeBack(twice, 'premium', days(30), plus(now, 1)).expiresAt).toEqual(plus(now, 30));
    expect(takeBack(once, 'premium', days(30), plus(now, 1))).toEqual(FREE);
    const pro = grant(once, 'pro', days(30), plus(now, 10));
    // Refunding PRO brings the banked PREMIUM back at once.
    expect(takeBack(pro, 'pro', days(30), plus(now, 11))).toEqual({
      plan: 'premium',
      expiresAt: plus(now, 30),
      credit: null,
    });
  });

  it('open-ended legacy plans stay open-ended and are banked as open-ended', () => {
    const legacy = { plan: 'premium' as const, expiresAt: null, credit: null };
    expect(grant(legacy, 'premium', days(30), now)).toEqual(legacy);
    const pro = grant(legacy, 'pro', days(30), now);
    expect(pro.credit).toEqual({ plan: 'premium', ms: null });
    expect(current(pro, plus(now, 31))).toEqual(legacy);
  });
});

describe('purchases without effect', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  const openPremium = { plan: 'premium' as const, expiresAt: null, credit: null };
  const openPro = { plan: 'pro' as const, expiresAt: null, credit: null };
  const dated = { plan: 'premium' as const, expiresAt: new Date(now.getTime() + 5 * DAY_MS), credit: null };

  it('the same or a lower plan under an open-ended one adds nothing; a higher plan, or any dated plan, does', () => {
    expect(purchaseWithoutEffect(openPremium, 'premium', now)).toBe(true);
    expect(purchaseWithoutEffect(openPro, 'premium', now)).toBe(true);
    expect(purchaseWithoutEffect(openPro, 'pro', now)).toBe(true);
    expect(purchaseWithoutEffect(openPremium, 'pro', now)).toBe(false);
    expect(purchaseWithoutEffect(dated, 'premium', now)).toBe(false);
    expect(purchaseWithoutEffect(FREE, 'premium', now)).toBe(false);
  });

  it('PREMIUM behind a dated PRO that already banks an open-ended PREMIUM adds nothing', () => {
    const banked = grant(openPremium, 'pro', 30 * DAY_MS, now);
    expect(banked.credit).toEqual({ plan: 'premium', ms: null });
    expect(purchaseWithoutEffect(banked, 'premium', now)).toBe(true);
    expect(purchaseWithoutEffect(banked, 'pro', now)).toBe(false);
  });
});

describe('invoice payloads', () => {
  const secret = 'test-secret';
  const issuedAt = Math.floor(now.getTime() / 1000);
  const terms = {
    plan: 'pro' as const,
    period: 'month' as const,
    buyerId: 5_123_456_789,
    amount: 299,
    issuedAt,
  };
  const price = () => 299;
  const options = { secret, now, lifetimeMs: 3_600_000, currentPrice: price };

  it('round-trips, fits Telegram’s 128 bytes, and refuses any change', () => {
    const payload = encodeInvoicePayload(terms, secret);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(128);
    expect(decodeInvoicePayload(payload, secret)).toEqual(terms);
    expect(decodeInvoicePayload(payload.replace(':pro:', ':premium:'), secret)).toBeNull();
    expect(decodeInvoicePayload(payload, 'other-secret')).toBeNull();
    expect(decodeInvoicePayload('hello', secret)).toBeNull();
  });

  it('names the reason of a refusal', () => {
    const payload = encodeInvoicePayload(terms, secret);
    const q = { fromId: terms.buyerId, currency: 'XTR', totalAmount: 299, payload };
    expect(checkPreCheckout(q, options).refusal).toBeNull();
    expect(checkPreCheckout({ ...q, payload: payload.slice(0, -1) + 'x' }, options).refusal).toBe('invalid');
    expect(checkPreCheckout({ ...q, fromId: 42 }, options).refusal).toBe('foreign');
    expect(checkPreCheckout({ ...q, currency: 'USD' }, options).refusal).toBe('currency');
    expect(checkPreCheckout({ ...q, totalAmount: 1 }, options).refusal).toBe('amount');
    expect(checkPreCheckout(q, { ...options, currentPrice: () => 349 }).refusal).toBe('price-changed');
    expect(checkPreCheckout(q, { ...options, now: new Date(now.getTime() + 7_200_000) }).refusal).toBe(
      'stale',
    );
  });
});

describe('billing settings', () => {
  it('flags the public development secret in production, and only there', () => {
    expect(insecureSettings(loadConfig({ NODE_ENV: 'production' }))).toEqual([
      expect.stringContaining('BILLING_PAYLOAD_SECRET must be set'),
    ]);
    expect(
      insecureSettings(loadConfig({ NODE_ENV: 'production', BILLING_PAYLOAD_SECRET: 's3cret' })),
    ).toEqual([]);
    expect(insecureSettings(loadConfig({ NODE_ENV: 'development' }))).toEqual([]);
  });
});
