/**
 * Telegram Stars payments end to end: the Telegram emulator, the real bot, real Temporal, PostgreSQL and Redis.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'slonik';
import { refundPayment } from '../../src/billing';
import { createBot } from '../../src/bot/create-bot';
import { encodeInvoicePayload } from '../../src/billing/model/invoice';
import { DEV_PAYLOAD_SECRET } from '../../src/billing/settings';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import {
  botTexts,
  buy,
  CONFIRMED,
  DAY_MS,
  eventsOf,
  paymentsOf,
  requestInvoice,
  settle,
  subscriptionOf,
} from './helpers';

describe('billing: buying plans with Telegram Stars', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w.stop());

  it('/subscribe lists the plans with their prices; a button sends a Stars invoice (XTR, one price, no provider token)', async () => {
    const ann = w.user('en');
    const plans = await w.send(ann, '/subscribe');
    expect(textOf(plans)).toContain('PREMIUM');
    expect(textOf(plans)).toMatch(/199 ⭐ a month or 1,999 ⭐ a year/);
    expect(textOf(plans)).toMatch(/299 ⭐ a month or 2,999 ⭐ a year/);
    const invoice = await requestInvoice(w, ann, 'pro', 'year');
    expect(invoice.invoice).toMatchObject({ currency: 'XTR', totalAmount: 2999, providerToken: '' });
    expect(invoice.invoice!.prices).toHaveLength(1);
    expect(Buffer.byteLength(invoice.invoice!.payload)).toBeLessThanOrEqual(128);
  });

  it('buys PREMIUM and PRO: one confirmation each, the plan and the quota apply to the next request', async () => {
    for (const [plan, stars, quota] of [
      ['premium', 199, 100],
      ['pro', 299, 500],
    ] as const) {
      const user = w.user('en');
      const started = Date.now();
      const { chargeId, confirmation } = await buy(w, user, plan, 'month');
      expect(textOf(confirmation)).toContain(plan.toUpperCase());
      const sub = await subscriptionOf(w, user.id);
      expect(sub).toMatchObject({ tier: plan, source: 'telegram_stars' });
      expect(sub!.expires_at!.getTime()).toBeGreaterThanOrEqual(started + 30 * DAY_MS - 1000);
      expect(sub!.expires_at!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
      expect(await paymentsOf(w, user.id)).toEqual([
        { telegram_payment_charge_id: chargeId, tier: plan, amount: stars, refunded_at: null },
      ]);
      expect(await eventsOf(w, user.id)).toEqual(['payment']);
      const help = await w.send(user, '/help');
      expect(textOf(help)).toContain(`0/${quota} (${plan.toUpperCase()})`);
      const mine = await w.send(user, '/subscription');
      expect(textOf(mine)).toContain(`Your plan: ${plan.toUpperCase()} until`);
      expect(textOf(mine)).toContain('paid with Stars');
      await settle(500);
      expect(botTexts(w, user.id, CONFIRMED)).toHaveLength(1);
    }
  });

  it('the plan takes effect at once: PRO’s next analysis runs on the high queue, after the refund on the default one', async () => {
    const ivy = w.user('en');
    const { chargeId } = await buy(w, ivy, 'pro', 'month');
    const queueOf = async () => {
      const lobby = await w.faceit.control.createLobby({});
      const progress = await w.send(ivy, `/analyze ${lobby.roomUrl}`);
      expect(textOf(progress)).toMatch(/\((PRO|FREE)\)/);
      // The progress message comes first; the workflow starts right after it.
      const handle = w.client.workflow.getHandle(`analysis-${lobby.matchId}`);
      let described = await handle.describe().catch(() => undefined);
      for (let i = 0; !described && i < 100; i++) {
        await settle(100);
        described = await handle.describe().catch(() => undefined);
      }
      if (!described) throw new Error(`no analysis workflow for ${lobby.matchId}`);
      return { queue: described.taskQueue, footer: textOf(progress) };
    };
    const pro = await queueOf();
    expect(pro.queue).toBe(w.config.TASK_QUEUE_HIGH);
    expect(pro.footer).toContain('/500 (PRO)');
    expect(await refundPayment(w.botDeps, { chargeId })).toMatchObject({ status: 'refunded' });
    const free = await queueOf();
    expect(free.queue).toBe(w.config.TASK_QUEUE_DEFAULT);
    expect(free.footer).toContain('/5 (FREE)');
  });

  it('a renewal while active extends from the current expiry', async () => {
    const bob = w.user('en');
    await buy(w, bob, 'premium', 'month');
    const first = (await subscriptionOf(w, bob.id))!.expires_at!.getTime();
    await buy(w, bob, 'premium', 'year');
    const second = (await subscriptionOf(w, bob.id))!.expires_at!.getTime();
    expect(second - first).toBe(365 * DAY_MS);
    expect(botTexts(w, bob.id, CONFIRMED)).toHaveLength(2);
  });

  it('PRO bought during PREMIUM starts now and banks the unused PREMIUM days, shown in /subscription', async () => {
    const cat = w.user('en');
    await buy(w, cat, 'premium', 'month');
    const premiumEnds = (await subscriptionOf(w, cat.id))!.expires_at!.getTime();
    const before = Date.now();
    const { confirmation } = await buy(w, cat, 'pro', 'month');
    const sub = await subscriptionOf(w, cat.id);
    expect(sub).toMatchObject({ tier: 'pro', credit_tier: 'premium' });
    expect(sub!.expires_at!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
    expect(sub!.expires_at!.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY_MS - 1000);
    // The banked time is what was left of PREMIUM when PRO started.
    expect(Math.abs(sub!.credit_seconds! * 1000 - (premiumEnds - before))).toBeLessThan(5_000);
    expect(textOf(confirmation)).toContain('banked PREMIUM resumes afterwards');
    const mine = await w.send(cat, '/subscription');
    expect(textOf(mine)).toMatch(/Banked: PREMIUM, 30 days — resumes when the current plan ends/);
    expect(textOf(mine)).toContain('a higher plan starts at once and banks the unused days');
  });

  it('the same successful_payment delivered twice, and to two bot instances at once, credits once', async () => {
    const dan = w.user('en');
    const { chargeId, payment } = await buy(w, dan, 'premium', 'month');
    const expiry = (await subscriptionOf(w, dan.id))!.expires_at!.getTime();
    // Telegram redelivers the same payment (same charge id) as a new update.
    const sp = payment.successfulPayment!;
    w.tg.sendSuccessfulPayment({
      from: dan,
      currency: sp.currency,
      total_amount: sp.total_amount,
      invoice_payload: sp.invoice_payload,
      telegram_payment_charge_id: chargeId,
    });
    // And a second replica receives it at the same moment as the first.
    const second = createBot(w.botDeps);
    await second.bot.init();
    const update = {
      update_id: 1,
      message: {
        message_id: 999_999,
        date: Math.floor(Date.now() / 1000),
        chat: { id: dan.id, type: 'private' as const, first_name: dan.first_name },
        from: { ...dan, is_bot: false },
        successful_payment: { ...sp, telegram_payment_charge_id: chargeId },
      },
    };
    await Promise.all([
      w.bot!.app.bot.handleUpdate(update),
      second.bot.handleUpdate({ ...update, update_id: 2 }),
    ]);
    await settle(3_000);
    expect(await paymentsOf(w, dan.id)).toHaveLength(1);
    expect((await subscriptionOf(w, dan.id))!.expires_at!.getTime()).toBe(expiry);
    expect(await eventsOf(w, dan.id)).toEqual(['payment']);
    expect(botTexts(w, dan.id, CONFIRMED)).toHaveLength(1);
  });

  it('with Temporal unreachable the bot credits the payment itself; a redelivery adds nothing', async () => {
    const kim = w.user('en');
    await w.send(kim, '/help');
    const unavailable = new Proxy(w.client, {
      get(target, prop, receiver) {
        if (prop !== 'workflow') return Reflect.get(target, prop, receiver);
        return new Proxy(target.workflow, {
          get(wf, name, r) {
            if (name === 'start')
              return () => Promise.reject(new Error('14 UNAVAILABLE: connection refused'));
            return Reflect.get(wf, name, r);
          },
        });
      },
    });
    const cut = createBot({ ...w.botDeps, client: unavailable });
    await cut.bot.init();
    const chargeId = `stxDOWN${randomBytes(6).toString('hex')}`;
    const payload = encodeInvoicePayload(
      {
        plan: 'premium',
        period: 'month',
        buyerId: kim.id,
        amount: 199,
        issuedAt: Math.floor(Date.now() / 1000),
      },
      DEV_PAYLOAD_SECRET,
    );
    const update = (updateId: number) => ({
      update_id: updateId,
      message: {
        message_id: 888_888,
        date: Math.floor(Date.now() / 1000),
        chat: { id: kim.id, type: 'private' as const, first_name: kim.first_name },
        from: { ...kim, is_bot: false },
        successful_payment: {
          currency: 'XTR',
          total_amount: 199,
          invoice_payload: payload,
          telegram_payment_charge_id: chargeId,
          provider_payment_charge_id: '',
        },
      },
    });
    await cut.bot.handleUpdate(update(1));
    expect(await paymentsOf(w, kim.id)).toHaveLength(1);
    expect((await subscriptionOf(w, kim.id))?.tier).toBe('premium');
    await w.tg.waitForBotMessage(kim.id, CONFIRMED, 10_000);
    // Telegram redelivers once Temporal is back: the recorded charge is credited already, nothing starts again.
    await w.bot!.app.bot.handleUpdate(update(2));
    await settle(1_000);
    await expect(w.client.workflow.getHandle(`payment-${chargeId}`).describe()).rejects.toThrow(/not found/);
    expect(await paymentsOf(w, kim.id)).toHaveLength(1);
    expect(await eventsOf(w, kim.id)).toEqual(['payment']);
    expect(botTexts(w, kim.id, CONFIRMED)).toHaveLength(1);
  });

  describe('pre-checkout: refused with a reason the user understands, nothing charged', () => {
    async function payAndExpectRefusal(
      who: Parameters<BotWorld['tg']['payInvoice']>[0],
      reason: RegExp,
    ): Promise<void> {
      const paid = await w.tg.payInvoice(who);
      expect(paid.answer).toMatchObject({ answered: true, ok: false });
      expect(paid.answer.errorMessage).toMatch(reason);
      expect(paid.payment).toBeUndefined();
    }

    it('a tampered payload, another user’s invoice, a wrong amount or currency', async () => {
      const eve = w.user('en');
      const invoice = await requestInvoice(w, eve, 'premium', 'month');
      const at = { from: eve, chatId: eve.id, messageId: invoice.messageId };
      const payload = invoice.invoice!.payload;
      await payAndExpectRefusal(
        { ...at, override: { invoice_payload: payload.replace(':premium:', ':pro:') } },
        /not valid/,
      );
      await payAndExpectRefusal({ ...at, override: { invoice_payload: 'premium-for-free' } }, /not valid/);
      await payAndExpectRefusal({ ...at, override: { total_amount: 1 } }, /amount does not match/);
      await payAndExpectRefusal({ ...at, override: { currency: 'USD' } }, /only be paid in Telegram Stars/);
      // A forwarded invoice paid by someone else (in Russian: the refusal is in the payer's language).
      const mallory = w.user('ru');
      await w.send(mallory, '/help');
      await payAndExpectRefusal({ ...at, from: mallory }, /выставлен другому пользователю/);
      expect(await paymentsOf(w, eve.id)).toEqual([]);
      expect(await paymentsOf(w, mallory.id)).toEqual([]);
      expect(await subscriptionOf(w, eve.id)).toBeNull();
      expect(w.tg.starCharges().filter((c) => c.userId === eve.id || c.userId === mallory.id)).toEqual([]);
    });

    it('a stale invoice and an invoice whose price is no longer current', async () => {
      const fay = w.user('en');
      await w.send(fay, '/help');
      const sign = (amount: number, ageS: number) =>
        encodeInvoicePayload(
          {
            plan: 'premium',
            period: 'month',
            buyerId: fay.id,
            amount,
            issuedAt: Math.floor(Date.now() / 1000) - ageS,
          },
          DEV_PAYLOAD_SECRET,
        );
      for (const [payload, amount, reason] of [
        [sign(199, 25 * 3600), 199, /expired/],
        [sign(149, 60), 149, /price has changed/],
      ] as const) {
        const { preCheckoutQueryId } = w.tg.sendPreCheckoutQuery({
          from: fay,
          currency: 'XTR',
          total_amount: amount,
          invoice_payload: payload,
        });
        const answer = await w.tg.waitForPreCheckoutAnswer(preCheckoutQueryId, 10_000);
        expect(answer).toMatchObject({ ok: false });
        expect(answer.errorMessage).toMatch(reason);
      }
      // The same check accepts a fresh invoice at the current price.
      const { preCheckoutQueryId } = w.tg.sendPreCheckoutQuery({
        from: fay,
        currency: 'XTR',
        total_amount: 199,
        invoice_payload: sign(199, 5),
      });
      expect(await w.tg.waitForPreCheckoutAnswer(preCheckoutQueryId, 10_000)).toMatchObject({ ok: true });
    });
  });

  it('a payment whose payload fails verification is refunded automatically and the user told why; nothing credited', async () => {
    for (const [lang, why] of [
      ['en', /could not be verified as one of mine/],
      ['ru', /не удалось подтвердить/],
    ] as const) {
      const gus = w.user(lang);
      await w.send(gus, '/help');
      const chargeId = `stxFORGED${randomBytes(6).toString('hex')}`;
      const sent = w.tg.sendSuccessfulPayment({
        from: gus,
        currency: 'XTR',
        total_amount: 199,
        invoice_payload: 'b1:pro:year:1:1:1:forged',
        telegram_payment_charge_id: chargeId,
      });
      const reply = await w.tg.waitForBotMessage(gus.id, (m) => m.messageId > sent.messageId, 15_000);
      expect(textOf(reply)).toMatch(
        lang === 'en' ? /199 ⭐ was refunded in full/ : /199 ⭐ возвращён полностью/,
      );
      expect(textOf(reply)).toMatch(why);
      // The Stars went back at Telegram, once; no plan, no payment.
      expect(w.tg.starCharges().find((c) => c.chargeId === chargeId)?.refundedAt).toBeDefined();
      expect(await paymentsOf(w, gus.id)).toEqual([]);
      expect(await subscriptionOf(w, gus.id)).toBeNull();
      // Redelivered: nothing more (no second refund, no second message).
      w.tg.sendSuccessfulPayment({
        from: gus,
        currency: 'XTR',
        total_amount: 199,
        invoice_payload: 'b1:pro:year:1:1:1:forged',
        telegram_payment_charge_id: chargeId,
      });
      await settle(1_500);
      expect(botTexts(w, gus.id, /refunded in full|возвращён полностью/)).toHaveLength(1);
    }
  });

  it('a purchase that would add nothing (an open-ended legacy plan) is refused at pre-checkout; a higher plan is not', async () => {
    const lea = w.user('en');
    await w.send(lea, '/help');
    await w.pool.query(sql.unsafe`
      INSERT INTO subscriptions (telegram_id, tier, expires_at, source) VALUES (${lea.id}, 'premium', NULL, 'legacy')
      ON CONFLICT (telegram_id) DO UPDATE SET tier = 'premium', expires_at = NULL, source = 'legacy'`);
    const invoice = await requestInvoice(w, lea, 'premium', 'month');
    const refused = await w.tg.payInvoice({ from: lea, chatId: lea.id, messageId: invoice.messageId });
    expect(refused.answer).toMatchObject({ answered: true, ok: false });
    expect(refused.answer.errorMessage).toBe(
      'You already have PREMIUM with no end date: buying PREMIUM would add nothing, so nothing was charged. See /subscription.',
    );
    expect(refused.payment).toBeUndefined();
    expect(w.tg.starCharges().filter((c) => c.userId === lea.id)).toEqual([]);
    expect(await subscriptionOf(w, lea.id)).toMatchObject({ tier: 'premium', expires_at: null });
    // In Russian too.
    const lev = w.user('ru');
    await w.send(lev, '/help');
    await w.pool.query(sql.unsafe`
      INSERT INTO subscriptions (telegram_id, tier, expires_at, source) VALUES (${lev.id}, 'pro', NULL, 'legacy')
      ON CONFLICT (telegram_id) DO UPDATE SET tier = 'pro', expires_at = NULL, source = 'legacy'`);
    const ru = await requestInvoice(w, lev, 'premium', 'year');
    const refusedRu = await w.tg.payInvoice({ from: lev, chatId: lev.id, messageId: ru.messageId });
    expect(refusedRu.answer.errorMessage).toMatch(/У вас уже есть PRO без срока окончания/);
    // PRO over an open-ended PREMIUM does something (it starts now and banks PREMIUM): accepted.
    const { confirmation } = await buy(w, lea, 'pro', 'month');
    expect(textOf(confirmation)).toContain('PRO');
    expect(await subscriptionOf(w, lea.id)).toMatchObject({
      tier: 'pro',
      credit_tier: 'premium',
      credit_seconds: null,
    });
  });

  it('/paysupport lists the user’s payments with their charge ids; /terms states the terms (ru and en)', async () => {
    const pat = w.user('en');
    const none = await w.send(pat, '/paysupport');
    expect(textOf(none)).toContain('Payment support');
    expect(textOf(none)).toContain('You have no payments yet.');
    const { chargeId } = await buy(w, pat, 'premium', 'month');
    const support = await w.send(pat, '/paysupport');
    expect(textOf(support)).toContain("write to the bot's administrator and quote the charge id");
    expect(textOf(support)).toMatch(new RegExp(`199 ⭐ · credited · ${chargeId}`));
    const terms = await w.send(pat, '/terms');
    expect(textOf(terms)).toContain('Terms of purchase');
    expect(textOf(terms)).toContain('PREMIUM (100 analyses a day)');
    expect(textOf(terms)).toContain('refunded automatically');
    const rus = w.user('ru');
    expect(textOf(await w.send(rus, '/terms'))).toContain('Условия покупки');
    expect(textOf(await w.send(rus, '/paysupport'))).toContain('Помощь с оплатой');
  });

  it('/subscribe, /subscription, /referral, /paysupport and /terms are in the command menu (ru and en) and /help, which offers the upgrade', async () => {
    const commands = w.tg.commands({ type: 'default' }, 'en')!.map((c) => c.command);
    expect(commands).toEqual(
      expect.arrayContaining(['subscribe', 'subscription', 'referral', 'paysupport', 'terms']),
    );
    const ru = w.tg.commands({ type: 'default' }, 'ru')!;
    expect(ru.find((c) => c.command === 'paysupport')?.description).toBe('Помощь с оплатой или возвратом');
    const hal = w.user('en');
    const help = await w.send(hal, '/help');
    expect(textOf(help)).toContain('/subscribe');
    expect(textOf(help)).toContain('/paysupport — help with a payment, /terms — terms');
    expect(help.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toContain('bill:plans');
  });
});
