/**
 * The per-user subscription workflow's durable timers, with durations shortened through configuration (a reminder
 * 3 s before the end instead of 3 days), and refunds: real Temporal, PostgreSQL, Redis and the Telegram emulator.
 */
import { describeSubscription, grantPlan, refundPayment } from '../../src/billing';
import { startBotWorld, type BotWorld } from '../bot/harness';
import { botTexts, buy, eventsOf, paymentsOf, settle, subscriptionOf } from './helpers';

const SECOND_IN_DAYS = 1 / 86_400;
const REMINDED = /ends on/;
const ENDED = /has ended/;

describe('billing: expiry timers and refunds', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld({ env: { BILLING_REMINDER_BEFORE_HOURS: String(3 / 3600) } });
  });
  afterAll(() => w.stop());

  async function registered(language: 'en' | 'ru' = 'en') {
    const user = w.user(language);
    await w.send(user, '/help');
    return user;
  }

  it('the reminder (with a renewal button) and the downgrade arrive once each, at the right moments', async () => {
    const ann = await registered();
    const granted = await grantPlan(w.botDeps, {
      telegramId: ann.id,
      plan: 'premium',
      days: 6 * SECOND_IN_DAYS,
      source: 'admin',
      actorId: 1,
    });
    if (!granted.ok) throw new Error('grant refused');
    const endsAt = granted.expiresAt!.getTime();
    const reminder = await w.tg.waitForBotMessage(ann.id, REMINDED, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt - 3_000);
    expect(Date.now()).toBeLessThan(endsAt);
    expect(reminder.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toContain(
      'bill:buy:premium:month',
    );
    const ended = await w.tg.waitForBotMessage(ann.id, ENDED, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
    expect(ended.text).toContain('you are on FREE now');
    expect(await subscriptionOf(w, ann.id)).toMatchObject({ tier: 'free', expires_at: null });
    await settle(2_000);
    expect(botTexts(w, ann.id, REMINDED)).toHaveLength(1);
    expect(botTexts(w, ann.id, ENDED)).toHaveLength(1);
    expect(await eventsOf(w, ann.id)).toEqual(['grant', 'expiry']);
  });

  it('a renewal before the end moves the timers of the one workflow: no downgrade at the old expiry', async () => {
    const bob = await registered();
    const grant = (days: number) =>
      grantPlan(w.botDeps, { telegramId: bob.id, plan: 'premium', days, source: 'admin', actorId: 1 });
    const first = await grant(5 * SECOND_IN_DAYS);
    if (!first.ok) throw new Error('grant refused');
    await settle(500);
    const second = await grant(5 * SECOND_IN_DAYS);
    if (!second.ok) throw new Error('grant refused');
    expect(second.expiresAt!.getTime() - first.expiresAt!.getTime()).toBe(5_000);
    // Past the first expiry: still PREMIUM, nothing said.
    await new Promise((r) => setTimeout(r, first.expiresAt!.getTime() - Date.now() + 1_000));
    expect(botTexts(w, bob.id, ENDED)).toEqual([]);
    expect((await describeSubscription(w.botDeps, bob.id)).plan).toBe('premium');
    await w.tg.waitForBotMessage(bob.id, ENDED, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(second.expiresAt!.getTime());
    await settle(1_500);
    // One reminder for the one expiry that came; one downgrade.
    expect(botTexts(w, bob.id, REMINDED)).toHaveLength(1);
    expect(botTexts(w, bob.id, ENDED)).toHaveLength(1);
  });

  it('when PRO ends, the banked PREMIUM resumes (one message), then ends (one message)', async () => {
    const cat = await registered();
    await grantPlan(w.botDeps, {
      telegramId: cat.id,
      plan: 'premium',
      days: 4 * SECOND_IN_DAYS,
      source: 'admin',
    });
    const pro = await grantPlan(w.botDeps, {
      telegramId: cat.id,
      plan: 'pro',
      days: 4 * SECOND_IN_DAYS,
      source: 'admin',
    });
    expect(pro).toMatchObject({ ok: true, plan: 'pro', credit: { plan: 'premium' } });
    const resumed = await w.tg.waitForBotMessage(cat.id, /PRO has ended/, 10_000);
    expect(resumed.text).toMatch(/banked PREMIUM is active again/);
    expect((await describeSubscription(w.botDeps, cat.id)).plan).toBe('premium');
    await w.tg.waitForBotMessage(cat.id, /PREMIUM has ended/, 10_000);
    await settle(1_500);
    expect(botTexts(w, cat.id, ENDED)).toHaveLength(2);
    expect(await subscriptionOf(w, cat.id)).toMatchObject({ tier: 'free', credit_tier: null });
  });

  it('a refund returns the Stars and takes back what the payment bought, once', async () => {
    const dan = await registered();
    const { chargeId } = await buy(w, dan, 'premium', 'month');
    const twice = await Promise.all([
      refundPayment(w.botDeps, { chargeId, actorId: 42 }),
      refundPayment(w.botDeps, { chargeId, actorId: 43 }),
    ]);
    expect(twice.map((r) => r.status)).toContain('refunded');
    expect(twice[0]).toMatchObject({ telegramId: dan.id });
    expect(await refundPayment(w.botDeps, { chargeId, actorId: 42 })).toEqual({
      status: 'already-refunded',
      telegramId: dan.id,
    });
    const charge = w.tg.starCharges().find((c) => c.chargeId === chargeId);
    expect(charge?.refundedAt).toBeDefined();
    expect(w.tg.calls('refundStarPayment').filter((c) => c.ok)).toHaveLength(1);
    expect(await subscriptionOf(w, dan.id)).toMatchObject({ tier: 'free' });
    expect((await paymentsOf(w, dan.id))[0].refunded_at).not.toBeNull();
    expect(await eventsOf(w, dan.id)).toEqual(['payment', 'refund']);
    await w.tg.waitForBotMessage(dan.id, /were refunded/, 10_000);
    await settle(1_000);
    expect(botTexts(w, dan.id, /were refunded/)).toHaveLength(1);
    expect(await refundPayment(w.botDeps, { chargeId: 'stxUNKNOWN' })).toEqual({ status: 'unknown-charge' });
  });

  it('refunding PRO bought during PREMIUM brings the banked PREMIUM back; renewals keep their own days', async () => {
    const eve = await registered();
    await buy(w, eve, 'premium', 'month');
    const premiumEnds = (await subscriptionOf(w, eve.id))!.expires_at!.getTime();
    const { chargeId } = await buy(w, eve, 'pro', 'month');
    expect(await refundPayment(w.botDeps, { chargeId })).toMatchObject({ status: 'refunded', plan: 'pro' });
    const sub = await subscriptionOf(w, eve.id);
    expect(sub).toMatchObject({ tier: 'premium', credit_tier: null });
    expect(Math.abs(sub!.expires_at!.getTime() - premiumEnds)).toBeLessThan(5_000);
  });
});
