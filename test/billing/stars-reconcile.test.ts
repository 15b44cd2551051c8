/**
 * Stars charges are durable before anything else, and reconciled (issue 22, item 1): every successful_payment is
 * recorded in star_charges in one insert (with the raw update) and credited from that row; the reconciliation
 * Schedule reads getStarTransactions and credits, once by charge id, what the bot never recorded or never settled,
 * and applies refunds the ledger lacks. Through the real bot, workers, Temporal and PostgreSQL against the Telegram
 * emulator's Stars history.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { Api } from 'grammy';
import { register } from 'prom-client';
import { sql } from 'slonik';
import { z } from 'zod';
import type { SimUser } from '../../emulators/telegram';
import { ensureStarsReconcileSchedule } from '../../src/billing';
import { encodeInvoicePayload } from '../../src/billing/model/invoice';
import { DEV_PAYLOAD_SECRET } from '../../src/billing/settings';
import type { ReconcileOutcome } from '../../src/billing/workflow-types';
import { createBot, type BotApp } from '../../src/bot/create-bot';
import type { DatabasePool } from '../../src/db/pool';
import { BOT_TOKEN, startBotWorld, type BotWorld } from '../bot/harness';
import { botTexts, CONFIRMED, eventsOf, paymentsOf, settle, subscriptionOf } from './helpers';

const REFUNDED = /were refunded|возвращены/;
const REJECTED = /was refunded in full|возвращён полностью/;

const chargeRow = z.object({
  telegram_id: z.number(),
  origin: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  amount: z.number(),
  raw: z.any(),
});

describe('billing: Stars charges recorded first and reconciled with getStarTransactions', () => {
  let w: BotWorld;
  let bot: BotApp;
  const scheduleId = `stars-reconcile-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    // No polling bot: the test hands each update to the bot itself, or loses it as a restart would.
    w = await startBotWorld({ noBot: true });
    bot = createBot(w.botDeps);
    await bot.bot.init();
    // Every finding counts at once (production waits 60 s before counting what the bot may still be handling).
    await ensureStarsReconcileSchedule(w.client, w.config, { scheduleId, input: { graceMs: 0 } });
  });
  afterAll(async () => {
    await w.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    await bot.tracker.stop();
    await w.stop();
  });

  /** A registered user (the invoice came from us). */
  async function registered(): Promise<SimUser> {
    const user = w.user('en');
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { language: 'en' });
    return user;
  }

  /** Telegram charges the user: the Stars transaction exists and the successful_payment update is queued. */
  function charge(user: SimUser, payload = validPayload(user)) {
    const message = w.tg.sendSuccessfulPayment({
      from: user,
      currency: 'XTR',
      total_amount: 199,
      invoice_payload: payload,
    });
    const chargeId = message.successfulPayment!.telegram_payment_charge_id;
    const update = w.tg.pendingUpdates().find((u) => u.update_id === message.updateId)!;
    return { chargeId, update };
  }

  function validPayload(user: SimUser) {
    return encodeInvoicePayload(
      {
        plan: 'premium',
        period: 'month',
        buyerId: user.id,
        amount: 199,
        issuedAt: Math.floor(Date.now() / 1000),
      },
      DEV_PAYLOAD_SECRET,
    );
  }

  const deliver = (app: BotApp, update: unknown) =>
    app.bot.handleUpdate(update as Parameters<BotApp['bot']['handleUpdate']>[0]);

  /** One reconciliation run: the Schedule is triggered and its workflow's outcome awaited. */
  async function reconcile(): Promise<ReconcileOutcome> {
    const handle = w.client.schedule.getHandle(scheduleId);
    // Runs are told apart by run id: two triggered in the same second share the workflow id.
    const runs = async () => (await handle.describe()).info.recentActions.map((a) => a.action.workflow);
    const before = new Set((await runs()).map((r) => r.firstExecutionRunId));
    // The previous run has completed, but the schedule may not have seen it yet: its SKIP would drop this trigger.
    await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    for (let i = 0; i < 200; i++) {
      const run = (await runs()).find((r) => !before.has(r.firstExecutionRunId));
      if (run) {
        const h = w.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId);
        return (await h.result()) as ReconcileOutcome;
      }
      await settle(100);
    }
    throw new Error('the reconciliation schedule did not start a run');
  }

  async function findings(finding: string): Promise<number> {
    const metric = register.getSingleMetric('billing_stars_reconcile_findings_total');
    const values = metric ? (await metric.get()).values : [];
    return values.find((v) => v.labels.finding === finding)?.value ?? 0;
  }

  const chargeOf = (chargeId: string) =>
    w.pool.maybeOne(sql.type(chargeRow)`
      SELECT telegram_id, origin, status, reason, amount, raw FROM star_charges
      WHERE telegram_payment_charge_id = ${chargeId}`);

  it('the schedule runs every STARS_RECONCILE_INTERVAL_SECONDS on the critical queue', async () => {
    const described = await w.client.schedule.getHandle(scheduleId).describe();
    expect(Number(described.spec.intervals?.[0]?.every)).toBe(600_000);
    expect(described.action).toMatchObject({
      workflowType: 'starsReconcileWorkflow',
      taskQueue: w.config.TASK_QUEUE_CRITICAL,
    });
  });

  it('a payment whose update was lost is found in getStarTransactions and credited once; the late update changes nothing', async () => {
    const ann = await registered();
    const { chargeId, update } = charge(ann);
    // The update never reaches a handler (a restart after the runner confirmed it): no record, no plan.
    expect(await chargeOf(chargeId)).toBeNull();
    const missingBefore = await findings('missing');
    const found = await reconcile();
    expect(found).toMatchObject({ missing: 1, unsettled: 0, refunds: 0 });
    expect(await findings('missing')).toBe(missingBefore + 1);
    await w.tg.waitForBotMessage(ann.id, CONFIRMED, 15_000);
    expect(await chargeOf(chargeId)).toMatchObject({
      telegram_id: ann.id,
      origin: 'reconcile',
      status: 'credited',
      amount: 199,
      raw: { id: chargeId, source: { type: 'user', transaction_type: 'invoice_payment' } },
    });
    expect(await paymentsOf(w, ann.id)).toMatchObject([
      { telegram_payment_charge_id: chargeId, tier: 'premium' },
    ]);
    const expiry = (await subscriptionOf(w, ann.id))!.expires_at!.getTime();

    // The update arrives after all (Telegram redelivers it): the charge is settled, nothing changes.
    await deliver(bot, update);
    await settle(1_500);
    expect(await paymentsOf(w, ann.id)).toHaveLength(1);
    expect(await eventsOf(w, ann.id)).toEqual(['payment']);
    expect((await subscriptionOf(w, ann.id))!.expires_at!.getTime()).toBe(expiry);
    expect(botTexts(w, ann.id, CONFIRMED)).toHaveLength(1);
    expect(await reconcile()).toMatchObject({ missing: 0, unsettled: 0, refunds: 0 });
  });

  it('the charge and the raw update are recorded first, even when both credit paths fail; the reconciliation credits it', async () => {
    const bob = await registered();
    const { chargeId, update } = charge(bob);
    const unreachable = new Proxy(w.client, {
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
    }) as Client;
    const failingTransactions = new Proxy(w.pool, {
      get(target, prop, receiver) {
        if (prop === 'transaction') return () => Promise.reject(new Error('the direct credit failed'));
        return Reflect.get(target, prop, receiver);
      },
    }) as DatabasePool;
    const broken = createBot({ ...w.botDeps, client: unreachable, pool: failingTransactions });
    await broken.bot.init();
    await expect(deliver(broken, update)).rejects.toThrow(/the direct credit failed/);
    await broken.tracker.stop();
    const recorded = await chargeOf(chargeId);
    expect(recorded).toMatchObject({
      telegram_id: bob.id,
      origin: 'update',
      status: 'recorded',
      amount: 199,
    });
    // The whole update, as Telegram sent it.
    expect(recorded!.raw).toMatchObject({
      update_id: (update as { update_id: number }).update_id,
      message: { successful_payment: { telegram_payment_charge_id: chargeId, total_amount: 199 } },
    });
    expect(await paymentsOf(w, bob.id)).toEqual([]);

    const unsettledBefore = await findings('unsettled');
    expect(await reconcile()).toMatchObject({ missing: 0, unsettled: 1, refunds: 0 });
    expect(await findings('unsettled')).toBe(unsettledBefore + 1);
    await w.tg.waitForBotMessage(bob.id, CONFIRMED, 15_000);
    expect(await paymentsOf(w, bob.id)).toHaveLength(1);
    expect((await chargeOf(chargeId))!.status).toBe('credited');
    expect((await subscriptionOf(w, bob.id))?.tier).toBe('premium');
    // Redelivered to a healthy bot: settled, nothing more.
    await deliver(bot, update);
    await settle(1_500);
    expect(await paymentsOf(w, bob.id)).toHaveLength(1);
    expect(botTexts(w, bob.id, CONFIRMED)).toHaveLength(1);
  });

  it('a refund made at Telegram that the ledger lacks is applied once: the days taken back, the user told', async () => {
    const cat = await registered();
    const { chargeId, update } = charge(cat);
    await deliver(bot, update);
    await w.tg.waitForBotMessage(cat.id, CONFIRMED, 15_000);
    expect((await subscriptionOf(w, cat.id))?.tier).toBe('premium');
    // Refunded outside the bot (an operator with the token, another tool): only Telegram's history knows.
    await new Api(BOT_TOKEN, { apiRoot: w.config.TELEGRAM_API_ROOT }).refundStarPayment(cat.id, chargeId);
    const refundsBefore = await findings('refund');
    expect(await reconcile()).toMatchObject({ missing: 0, unsettled: 0, refunds: 1 });
    expect(await findings('refund')).toBe(refundsBefore + 1);
    await w.tg.waitForBotMessage(cat.id, REFUNDED, 15_000);
    const [payment] = await paymentsOf(w, cat.id);
    expect(payment.refunded_at).not.toBeNull();
    expect((await subscriptionOf(w, cat.id))?.tier).toBe('free');
    expect(await eventsOf(w, cat.id)).toEqual(['payment', 'refund']);
    expect((await chargeOf(chargeId))!.status).toBe('refunded');
    expect(await reconcile()).toMatchObject({ refunds: 0 });
    await settle(500);
    expect(botTexts(w, cat.id, REFUNDED)).toHaveLength(1);
  });

  it('a lost charge whose payload fails verification is refunded by the reconciliation, never credited', async () => {
    const dan = await registered();
    const eve = await registered();
    // Eve's invoice paid by Dan (a forwarded invoice): the payload names another buyer.
    const { chargeId } = charge(dan, validPayload(eve));
    expect(await reconcile()).toMatchObject({ missing: 1 });
    await w.tg.waitForBotMessage(dan.id, REJECTED, 15_000);
    expect(botTexts(w, dan.id, REJECTED)[0]).toContain('issued to another user');
    expect(w.tg.starCharges().find((c) => c.chargeId === chargeId)?.refundedAt).toBeDefined();
    expect(await chargeOf(chargeId)).toMatchObject({
      status: 'refunded',
      reason: 'foreign',
      origin: 'reconcile',
    });
    expect(await paymentsOf(w, dan.id)).toEqual([]);
    expect(await paymentsOf(w, eve.id)).toEqual([]);
    expect(await reconcile()).toMatchObject({ missing: 0, unsettled: 0, refunds: 0 });
  });
});
