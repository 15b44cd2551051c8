/**
 * Two credits at once on a user's first plan change both count (issue 22, item 3). The user has no subscription row
 * yet; two credits run together against the real PostgreSQL, and the first one's commit is held back (its audit
 * insert waits behind a table lock) until the second has read the subscription and is waiting too: without the
 * FREE row created before the lock, the second read FREE and the later save erased the earlier credit.
 */
import { sql } from 'slonik';
import type { DatabasePool } from '../../src/db/pool';
import { testPool } from '../harness';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { CONFIRMED, DAY_MS, eventsOf, requestInvoice, subscriptionOf } from './helpers';

describe('billing: concurrent first credits', () => {
  let w: BotWorld;
  let holder: DatabasePool;
  beforeAll(async () => {
    w = await startBotWorld();
    holder = await testPool();
  });
  afterAll(async () => {
    await holder.end();
    await w.stop();
  });

  /**
   * Holds the audit table (subscription_events) so no credit can commit; `release` lets them go. `waiters` resolves
   * once `count` sessions wait on a lock (the held credit and the one behind it, with or without the row lock).
   */
  async function holdCommits() {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const held = holder.transaction(async (tx) => {
      await tx.query(sql.unsafe`LOCK TABLE subscription_events IN SHARE MODE`);
      locked();
      await released;
    });
    await isLocked;
    const waiters = async (count: number) => {
      for (let i = 0; i < 200; i++) {
        const waiting = await w.pool.oneFirst(sql.unsafe`
          SELECT count(*)::int FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (Number(waiting) >= count) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`fewer than ${count} credits waiting on a lock`);
    };
    return {
      waiters,
      release: async () => {
        release();
        await held;
      },
    };
  }

  it('two invoices paid at once by a new user: both months count (60 days of PREMIUM), two confirmations', async () => {
    const ann = w.user('en');
    const first = await requestInvoice(w, ann, 'premium', 'month');
    const second = await requestInvoice(w, ann, 'premium', 'month');
    expect(await subscriptionOf(w, ann.id)).toBeNull();

    const gate = await holdCommits();
    const started = Date.now();
    try {
      const paid = await Promise.all(
        [first, second].map((invoice) =>
          w.tg.payInvoice({ from: ann, chatId: ann.id, messageId: invoice.messageId }),
        ),
      );
      expect(paid.map((p) => p.answer.ok)).toEqual([true, true]);
      await gate.waiters(2);
    } finally {
      await gate.release();
    }

    await w.tg.waitFor(
      () =>
        w.tg.botMessages(ann.id).filter((m) => CONFIRMED.test(m.text ?? '')).length >= 2 ? true : undefined,
      { timeoutMs: 30_000, describe: () => w.tg.transcript(ann.id) },
    );
    const sub = await subscriptionOf(w, ann.id);
    expect(sub).toMatchObject({ tier: 'premium', source: 'telegram_stars' });
    expect(sub!.expires_at!.getTime()).toBeGreaterThanOrEqual(started + 60 * DAY_MS - 1_000);
    expect(sub!.expires_at!.getTime()).toBeLessThanOrEqual(Date.now() + 60 * DAY_MS);
    expect(await eventsOf(w, ann.id)).toEqual(['payment', 'payment']);
    const mine = await w.send(ann, '/subscription');
    expect(textOf(mine)).toContain('Your plan: PREMIUM until');
  });

  it('a payment and a referral reward at once for a new user: 30 paid days plus the 7 days of the reward', async () => {
    const ann = w.user('en');
    await w.start(ann);
    const code = await w.repos.users.ensureReferralCode(ann.id, () => `C${String(ann.id).slice(-7)}`);
    const bob = w.user('en');
    await w.start(bob, `ref_${code}`);
    const invoice = await requestInvoice(w, bob, 'premium', 'month');
    await makeRewardDue(w, bob.id);
    expect(await subscriptionOf(w, bob.id)).toBeNull();

    const gate = await holdCommits();
    const started = Date.now();
    try {
      const [paid] = await Promise.all([
        w.tg.payInvoice({ from: bob, chatId: bob.id, messageId: invoice.messageId }),
        startReward(w, bob.id),
      ]);
      expect(paid.answer.ok).toBe(true);
      await gate.waiters(2);
    } finally {
      await gate.release();
    }

    await w.tg.waitForBotMessage(bob.id, CONFIRMED, 30_000);
    await w.tg.waitForBotMessage(bob.id, /7 days of PREMIUM/, 30_000);
    const sub = await subscriptionOf(w, bob.id);
    expect(sub?.tier).toBe('premium');
    expect(sub!.expires_at!.getTime()).toBeGreaterThanOrEqual(started + 37 * DAY_MS - 1_000);
    expect(sub!.expires_at!.getTime()).toBeLessThanOrEqual(Date.now() + 37 * DAY_MS);
    expect([...(await eventsOf(w, bob.id))].sort()).toEqual(['payment', 'referral']);
  });
});

/** The referred user meets the reward's conditions: linked, an analysis delivered, joined over a day ago. */
async function makeRewardDue(w: BotWorld, telegramId: number) {
  await w.repos.faceitAccounts.link(telegramId, { playerId: `p-${telegramId}`, nickname: `n${telegramId}` });
  await w.pool.query(sql.unsafe`
    INSERT INTO analysis_requests (match_id, telegram_id, chat_id, progress_message_id, tier, usage_day, status,
      finished_at)
    VALUES (${`m-${telegramId}`}, ${telegramId}, ${telegramId}, 1, 'free', current_date, 'delivered', now())`);
  await w.pool.query(sql.unsafe`
    UPDATE users SET created_at = now() - interval '2 days' WHERE telegram_id = ${telegramId}`);
}

/** Starts the referral reward as the bot does once it is due. */
async function startReward(w: BotWorld, telegramId: number) {
  const handle = await w.client.workflow.start('referralRewardWorkflow', {
    workflowId: `referral-${telegramId}`,
    taskQueue: w.config.TASK_QUEUE_CRITICAL,
    args: [{ referredId: telegramId }],
  });
  return handle;
}
