import { sql } from 'slonik';
import { z } from 'zod';
import { createAdminRepository } from '../../src/admin';
import { uniqueTelegramId } from '../harness';
import { describeSubscription } from '../../src/billing';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { buy, paymentsOf } from '../billing/helpers';
import { eventually } from '../broadcast/helpers';

/** The admin tools end to end through the Telegram emulator: the gate, every command, and the audit log. */
describe('admin tools', () => {
  let w: BotWorld;
  const adminId = uniqueTelegramId();
  const admin = {
    id: adminId,
    first_name: 'Op',
    username: `op${adminId}`,
    language_code: 'en',
  };

  beforeAll(async () => {
    w = await startBotWorld({ env: { ADMIN_TELEGRAM_IDS: `1,${adminId}` } });
  });
  afterAll(() => w?.stop());

  const auditOf = async (actorId: number) =>
    (await createAdminRepository(w.pool, 'UTC').recentAudit(500)).filter(
      (r) => r.admin_telegram_id === actorId,
    );

  it('to anyone else /admin and /broadcast do not exist: the unknown-command answer, and the attempt is audited', async () => {
    const eve = w.user('ru');
    const unknown = textOf(await w.send(eve, '/definitelynotacommand'));
    expect(unknown).toBe('Не знаю такой команды. Смотри /help.');
    for (const command of ['/admin', '/admin stats', '/admin grant 1 pro 30', '/broadcast hello everyone']) {
      expect(textOf(await w.send(eve, command))).toBe(unknown);
    }
    // A forged admin button gets the answer of any stale button.
    const last = w.tg.lastBotMessage(eve.id)!;
    const { callbackQueryId } = w.tg.clickButton({
      chatId: eve.id,
      messageId: last.messageId,
      data: `adm:g:${eve.id}:pro:365`,
      from: eve,
      force: true,
    });
    expect((await w.tg.waitForCallbackAnswer(callbackQueryId)).text).toBe('Эта кнопка больше не действует.');

    const rows = await auditOf(eve.id);
    expect(rows.map((r) => [r.action, r.result, r.authorized]).reverse()).toEqual([
      ['admin.help', 'refused', false],
      ['admin.stats', 'refused', false],
      ['admin.grant', 'refused', false],
      ['broadcast.draft', 'refused', false],
      ['admin.grant', 'refused', false],
    ]);
    expect(rows[0]).toMatchObject({
      target_telegram_id: eve.id,
      details: { reason: 'not-admin', button: 'g' },
    });
    expect((await w.repos.subscriptions.effective(eve.id)).tier).toBe('free');
    const drafts = await w.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM broadcasts WHERE admin_telegram_id = ${eve.id}`);
    expect(drafts).toBe(0);
  });

  it('/admin stats: users, plans, analyses, FACEIT calls of the last hour against the budget, revenue', async () => {
    // Some activity to count: a user in English on PRO, a Stars payment, FACEIT calls through the shared client.
    const ann = w.user('en');
    await w.send(ann, '/help');
    await w.repos.subscriptions.grant(ann.id, 'pro', 3, 'admin_grant');
    await w.pool.query(sql.unsafe`
      INSERT INTO payments (telegram_id, telegram_payment_charge_id, currency, amount, tier, period,
        invoice_payload, expires_at)
      VALUES (${ann.id}, ${`stats-${ann.id}`}, 'XTR', 299, 'pro', 'month', 'p', now() + interval '30 days')`);
    const [player] = w.faceit.control.findPlayers({ hasCs2: true, limit: 1 });
    for (let i = 0; i < 3; i++) await w.faceitClient.getPlayer(player.playerId, { cache: false });

    const reply = textOf(await w.send(admin, '/admin stats'));
    const figures = await w.pool.one(sql.type(
      z.object({ users: z.number(), active: z.number(), en: z.number(), pro: z.number(), stars: z.number() }),
    )`
      SELECT (SELECT count(*) FROM users)::int AS users,
        (SELECT count(*) FROM users WHERE last_active_at > now() - interval '1 day')::int AS active,
        (SELECT count(*) FROM users WHERE language = 'en')::int AS en,
        (SELECT count(*) FROM subscriptions
          WHERE tier = 'pro' AND (expires_at IS NULL OR expires_at > now()))::int AS pro,
        (SELECT COALESCE(sum(amount), 0) FROM payments WHERE refunded_at IS NULL
           AND created_at >= date_trunc('month', now() AT TIME ZONE 'Europe/Moscow') AT TIME ZONE 'Europe/Moscow')::int
          AS stars`);
    const n = (x: number) => x.toLocaleString('en-GB');
    expect(reply).toContain(`👥 Users: ${n(figures.users)} · active 24 h: ${n(figures.active)}`);
    expect(reply).toContain(`en ${n(figures.en)}`);
    expect(reply).toContain(`PRO ${n(figures.pro)}`);
    expect(reply).toMatch(/expiring within 7 days: [1-9]/);
    expect(reply).toContain('🌐 FACEIT calls in the last hour: 3 of 36,000 (0.0%)');
    expect(reply).toContain(`⭐ Stars this month: ${n(figures.stars)}`);
    expect(reply).toMatch(/Analyses today: \d+/);
    expect((await auditOf(adminId))[0]).toMatchObject({
      action: 'admin.stats',
      result: 'ok',
      authorized: true,
    });
  });

  it('/admin user finds a user by id, @username or FACEIT nickname; the card has the plan, payments and buttons', async () => {
    const bob = w.user('ru', { first_name: 'Bob' });
    const [player] = w.faceit.control.findPlayers({ minMatches: 20, hasCs2: true, limit: 1 });
    await w.send(bob, `/link ${player.nickname}`);
    await w.repos.subscriptions.grant(bob.id, 'premium', 10, 'admin_grant');
    await w.pool.query(sql.unsafe`
      INSERT INTO payments (telegram_id, telegram_payment_charge_id, currency, amount, tier, period,
        invoice_payload, expires_at)
      VALUES (${bob.id}, ${`charge-${bob.id}`}, 'XTR', 199, 'premium', 'month', 'p', now() + interval '30 days')`);

    for (const query of [String(bob.id), `@${bob.username}`, player.nickname.toUpperCase()]) {
      const card = await w.send(admin, `/admin user ${query}`);
      expect(textOf(card)).toContain(`👤 Bob @${bob.username} · ${bob.id}`);
      expect(textOf(card)).toContain('💳 Plan: PREMIUM until');
      expect(textOf(card)).toContain(`🎮 FACEIT: ${player.nickname}`);
      expect(textOf(card)).toContain(`199 ⭐ · PREMIUM/month · charge-${bob.id}`);
      expect(textOf(card)).toContain('✅ Reachable');
      expect(card.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual([
        `adm:g:${bob.id}:premium:30`,
        `adm:g:${bob.id}:pro:30`,
        `adm:rv:${bob.id}`,
        expect.stringMatching(/^adm:rf:\d+$/),
      ]);
    }
    expect(textOf(await w.send(admin, '/admin user @nobody_like_this'))).toBe(
      'No user matches @nobody_like_this.',
    );
    expect(textOf(await w.send(admin, '/admin user'))).toContain('Send /admin user');
    const rows = (await auditOf(adminId)).slice(0, 5).reverse();
    expect(rows.map((r) => [r.action, r.result, r.target_telegram_id])).toEqual([
      ['admin.user', 'ok', bob.id],
      ['admin.user', 'ok', bob.id],
      ['admin.user', 'ok', bob.id],
      ['admin.user', 'not-found', null],
      ['admin.user', 'invalid', null],
    ]);
  });

  it('grant, revoke and refund go through billing, from commands and from the card buttons; each is audited', async () => {
    const cat = w.user('en', { first_name: 'Cat' });
    await w.send(cat, '/help');
    const plan = async () => (await describeSubscription(w.botDeps, cat.id)).plan;

    const granted = await w.send(admin, `/admin grant @${cat.username} pro 10`);
    expect(textOf(granted)).toMatch(new RegExp(`✅ PRO for 10 days given to ${cat.id}: \\d`));
    expect(await plan()).toBe('pro');

    // Revoke from the card: a confirmation first, then back to FREE.
    const card = await w.send(admin, `/admin user ${cat.id}`);
    await w.click(admin, card, `adm:rv:${cat.id}`);
    const confirm = w.tg.message(admin.id, card.messageId)!;
    expect(confirm.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual([
      `adm:rv!:${cat.id}`,
      `adm:u:${cat.id}`,
    ]);
    await w.click(admin, confirm, `adm:rv!:${cat.id}`);
    expect(await plan()).toBe('free');
    const refreshed = await eventually(async () => {
      const m = w.tg.message(admin.id, card.messageId)!;
      return textOf(m).includes('Plan: FREE') ? m : undefined;
    });
    await w.click(admin, refreshed, `adm:g:${cat.id}:premium:30`);
    expect(await plan()).toBe('premium');

    // A real Stars payment, refunded from the card (Telegram's refundStarPayment through the emulator).
    const { chargeId } = await buy(w, cat, 'pro', 'month');
    const withPayment = await w.send(admin, `/admin user ${cat.id}`);
    const refundButton = withPayment.replyMarkup?.inline_keyboard
      ?.flat()
      .find((b) => b.callback_data?.startsWith('adm:rf:'))?.callback_data;
    expect(refundButton).toBeDefined();
    await w.click(admin, withPayment, refundButton!);
    const sure = w.tg.message(admin.id, withPayment.messageId)!;
    await w.click(admin, sure, refundButton!.replace('adm:rf:', 'adm:rf!:'));
    expect(
      (await paymentsOf(w, cat.id)).find((p) => p.telegram_payment_charge_id === chargeId)?.refunded_at,
    ).not.toBeNull();
    expect(textOf(await w.send(admin, `/admin refund ${chargeId}`))).toBe(
      'This payment was already refunded.',
    );
    expect(textOf(await w.send(admin, '/admin refund stxNOPE'))).toBe('No payment with charge id stxNOPE.');
    expect(textOf(await w.send(admin, '/admin grant someone gold'))).toContain('Send /admin grant');

    const rows = (await auditOf(adminId)).slice(0, 9).reverse();
    expect(rows.map((r) => [r.action, r.result])).toEqual([
      ['admin.grant', 'ok'],
      ['admin.user', 'ok'],
      ['admin.revoke', 'ok'],
      ['admin.grant', 'ok'],
      ['admin.user', 'ok'],
      ['admin.refund', 'ok'],
      ['admin.refund', 'invalid'],
      ['admin.refund', 'not-found'],
      ['admin.grant', 'invalid'],
    ]);
    expect(rows[0]).toMatchObject({ target_telegram_id: cat.id, details: { plan: 'pro', days: 10 } });
    expect(rows.find((r) => r.action === 'admin.refund' && r.result === 'ok')).toMatchObject({
      target_telegram_id: cat.id,
      details: { charge: chargeId, amount: 299 },
    });
  });

  it('/admin queues: backlog and pollers of every tier from Temporal, and running workflows by type', async () => {
    const reply = textOf(await w.send(admin, '/admin queues'));
    for (const queue of [
      w.config.TASK_QUEUE_CRITICAL,
      w.config.TASK_QUEUE_HIGH,
      w.config.TASK_QUEUE_DEFAULT,
      w.config.TASK_QUEUE_LOW,
    ]) {
      // The test's workers poll every tier: at least one poller on both sides, nothing waiting.
      expect(reply).toMatch(
        new RegExp(`${queue}: workflow tasks 0 · [1-9]\\d* pollers; activity tasks 0 · [1-9]\\d* pollers`),
      );
    }
    expect(reply).toMatch(/▶️ Running workflows: \d+/);
    expect((await auditOf(adminId))[0]).toMatchObject({ action: 'admin.queues', result: 'ok' });
  });

  it('admin commands in a group are refused (audited) and answer nothing there', async () => {
    const group = -Math.floor(Math.random() * 1e9) - 1;
    const sent = w.tg.sendUserMessage({
      from: admin,
      text: '/admin stats',
      chatId: group,
      chatType: 'group',
    });
    await eventually(async () => (await auditOf(adminId))[0]?.details.reason === 'not-private');
    expect(w.tg.botMessages(group).filter((m) => m.messageId > sent.messageId)).toEqual([]);
  });
});
