/**
 * The cut-over order: the new bot serves users first, `npm run migrate` runs after. A user the bot already serves
 * keeps everything the bot holds for them (link, Stars-paid plan, payments, referral, quota, tracked players); the
 * legacy record only fills what they lack, and a legacy paid plan still running is added on top as banked days.
 * Real bot (Telegram and FACEIT emulators), real Temporal, PostgreSQL and billing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'slonik';
import { z } from 'zod';
import { taskQueueFor } from '../../src/config';
import { usageDay } from '../../src/db/repositories/usage';
import { createMigrationActivities, type MigrationJob } from '../../src/migration/activities';
import { followLegacyMigration, startLegacyMigration } from '../../src/migration/client';
import type { LegacyMigrationInput } from '../../src/migration/types';
import type { SimUser } from '../../emulators/telegram';
import { testLogger } from '../harness';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { buy, DAY_MS, paymentsOf, settle, subscriptionOf } from '../billing/helpers';
import { migratedState } from './helpers';

/** A legacy timestamp: naive ISO-8601 in Moscow local time (UTC+3 all year since 2014). */
const moscow = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19);

const LIVE_TABLES = [
  ['faceit_accounts', 'telegram_id'],
  ['subscriptions', 'telegram_id'],
  ['payments', 'telegram_id'],
  ['subscription_events', 'telegram_id'],
  ['referrals', 'referred_id'],
  ['daily_usage', 'telegram_id'],
  ['chats', 'chat_id'],
  ['tracked_players', 'chat_id'],
] as const;

describe('legacy migration after the cut-over: live users are merged, never overwritten', () => {
  let w: BotWorld;
  let players: Array<{ nickname: string; playerId: string }>;
  beforeAll(async () => {
    w = await startBotWorld();
    players = w.faceit.control
      .findPlayers({ minMatches: 30, hasCs2: true, limit: 4 })
      .map((p) => ({ nickname: p.nickname, playerId: p.playerId }));
  });
  afterAll(() => w.stop());

  async function link(user: SimUser, nickname: string) {
    expect(textOf(await w.send(user, `/link ${nickname}`))).toContain(`Linked ${nickname}`);
  }

  /** Every row the bot holds for the user outside `users`, as text: what must survive the migration. */
  async function liveRows(telegramId: number): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const [table, key] of LIVE_TABLES) {
      out[table] = [
        ...(await w.pool.anyFirst(sql.type(z.object({ t: z.string() }))`
          SELECT t::text AS t FROM ${sql.identifier([table])} t
          WHERE ${sql.identifier([key])} = ${telegramId} ORDER BY t::text`)),
      ];
    }
    return out;
  }

  async function migrate(input: LegacyMigrationInput) {
    const { handle } = await startLegacyMigration(w.client, input, {
      workflowId: `migration-live-${randomUUID()}`,
      taskQueue: taskQueueFor(w.config, 'low'),
      searchable: false,
    });
    return followLegacyMigration(handle, () => undefined, 200);
  }

  const legacyEventsOf = (telegramId: number) =>
    w.pool.any(sql.type(z.object({ kind: z.string(), source: z.string(), tier: z.string().nullable() }))`
      SELECT kind, source, tier FROM subscription_events WHERE telegram_id = ${telegramId} ORDER BY id`);

  it('keeps a linked Stars buyer’s link, plan, payment, referral, quota and tracked players; banks a running legacy plan; re-runs change nothing', async () => {
    // Dan refers Ann through the bot; Ann links, pays in Stars and uses her quota.
    const dan = w.user('en');
    await w.start(dan);
    const danCode = await w.repos.users.ensureReferralCode(
      dan.id,
      () => 'D' + randomUUID().slice(0, 7).toUpperCase(),
    );
    const ann = w.user('en');
    await w.start(ann, `ref_${danCode}`);
    await link(ann, players[0].nickname);
    // Her referral stays open (its reward waits for an analysis a day after joining); the plan is the Stars one.
    const annPaid = await buy(w, ann, 'premium', 'month');
    await w.send(ann, '/track');
    await w.send(ann, `/track ${players[3].nickname}`);
    for (let i = 0; i < 100 && (await liveRows(ann.id)).tracked_players.length < 2; i++) await settle(100);
    const today = usageDay('Europe/Moscow');
    await w.repos.usage.tryConsume(ann.id, today, 10);
    const annBefore = await liveRows(ann.id);
    expect(annBefore.payments).toHaveLength(1);
    expect(annBefore.referrals).toHaveLength(1);
    expect(annBefore.tracked_players).toHaveLength(2);
    expect(annBefore.daily_usage).toHaveLength(1);
    const annSub = await subscriptionOf(w, ann.id);
    expect(annSub).toMatchObject({ tier: 'premium', source: 'telegram_stars' });

    // Bob uses the bot unlinked and buys PREMIUM; his legacy record is linked with 20 days of PREMIUM left.
    const bob = w.user('ru');
    await w.start(bob);
    await buy(w, bob, 'premium', 'month');
    const bobPaidUntil = (await subscriptionOf(w, bob.id))!.expires_at!.getTime();
    const bobBefore = await liveRows(bob.id);

    // Carl never used the new bot: migrated exactly as the file says.
    const carl = w.user('ru');
    const now = Date.now();
    const legacyUntil = now + 20 * DAY_MS;
    const records = [
      // Ann in the legacy file: an unlinked FREE user, Russian, notifications on, referred by someone else.
      {
        user_id: ann.id,
        faceit_player_id: null,
        faceit_nickname: null,
        last_checked_match_id: null,
        language: 'ru',
        notifications_enabled: true,
        created_at: '2024-03-01T12:00:00',
        last_active_at: '2024-04-01T12:00:00',
        total_requests: 3,
        subscription: { tier: 'free', expires_at: null, payment_method: null, referred_by: 424242 },
      },
      {
        user_id: bob.id,
        faceit_player_id: players[1].playerId,
        faceit_nickname: players[1].nickname,
        last_checked_match_id: 'legacy-cursor-1',
        language: 'en',
        notifications_enabled: false,
        created_at: '2024-02-01T08:30:00',
        last_active_at: moscow(now - DAY_MS),
        total_requests: 41,
        subscription: {
          tier: 'Premium',
          expires_at: moscow(legacyUntil),
          auto_renew: false,
          payment_method: 'telegram_stars',
          referral_code: 'B0B0' + String(bob.id % 10_000).padStart(4, '0'),
          referrals_count: 2,
        },
      },
      {
        user_id: carl.id,
        faceit_player_id: players[2].playerId,
        faceit_nickname: players[2].nickname,
        last_checked_match_id: null,
        language: 'en',
        created_at: '2024-05-05T05:05:05',
        subscription: { tier: 'pro', expires_at: moscow(legacyUntil), payment_method: 'admin_grant' },
      },
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'legacy-live-')), 'data.json');
    writeFileSync(file, JSON.stringify({ users: records }, null, 2));

    const report = await migrate({ file, batchSize: 2 });
    expect(report).toMatchObject({
      read: 3,
      migrated: 3,
      rejected: 0,
      invariant_ok: true,
      ok: true,
      verification: { checked: 3, mismatches: 0 },
    });
    // Ann: everything the bot holds is exactly as before; her row keeps its language and gains the legacy history.
    expect(await liveRows(ann.id)).toEqual(annBefore);
    expect(await paymentsOf(w, ann.id)).toEqual([
      expect.objectContaining({ telegram_payment_charge_id: annPaid.chargeId, refunded_at: null }),
    ]);
    expect((await w.repos.faceitAccounts.get(ann.id))?.faceit_player_id).toBe(players[0].playerId);
    expect((await w.repos.referrals.get(ann.id))?.referrer_id).toBe(dan.id);
    const annRow = await w.repos.users.get(ann.id);
    expect(annRow).toMatchObject({ language: 'en', notifications_enabled: true });
    expect(annRow!.created_at.toISOString()).toBe('2024-03-01T09:00:00.000Z');
    const profile = await w.send(ann, '/subscription');
    expect(textOf(profile)).toMatch(/PREMIUM/);

    // Bob: his Stars month plus the 20 legacy days, through the ledger; the legacy link fills his missing one.
    const bobSub = await subscriptionOf(w, bob.id);
    expect(bobSub).toMatchObject({ tier: 'premium' });
    const banked = bobSub!.expires_at!.getTime() - bobPaidUntil;
    expect(Math.abs(banked - (legacyUntil - now))).toBeLessThan(60_000);
    expect(await legacyEventsOf(bob.id)).toEqual([
      { kind: 'payment', source: 'payment', tier: 'premium' },
      { kind: 'grant', source: 'legacy', tier: 'premium' },
    ]);
    expect(await paymentsOf(w, bob.id)).toHaveLength(1);
    expect((await w.repos.faceitAccounts.get(bob.id))?.faceit_player_id).toBe(players[1].playerId);
    const bobRow = await w.repos.users.get(bob.id);
    // Settings at their defaults (ru, notifications on) are filled from the record; the counter takes the larger.
    expect(bobRow).toMatchObject({ language: 'en', notifications_enabled: false, total_requests: 41 });
    const bobAfter = await liveRows(bob.id);
    for (const table of ['payments', 'chats'] as const) {
      for (const row of bobBefore[table]) expect(bobAfter[table]).toContain(row);
    }

    expect(report.warnings).toMatchObject({ live_user_merged: 2, legacy_plan_banked: 1 });

    // Carl: exact, as before this change.
    expect(await subscriptionOf(w, carl.id)).toMatchObject({
      tier: 'pro',
      source: 'admin_grant',
      expires_at: new Date(Math.floor(legacyUntil / 1000) * 1000),
    });

    // A second run over the same file changes nothing, and grants nothing again.
    const ids = [ann.id, bob.id, carl.id];
    const state = await migratedState(w.pool, ids);
    const events = await Promise.all(ids.map(legacyEventsOf));
    const again = await migrate({ file, batchSize: 1 });
    expect(again).toMatchObject({ ok: true, changed: 0, verification: { checked: 3, mismatches: 0 } });
    expect(await migratedState(w.pool, ids)).toEqual(state);
    expect(await Promise.all(ids.map(legacyEventsOf))).toEqual(events);
    expect(await liveRows(ann.id)).toEqual(annBefore);
  });

  it('a batch applied again after its result was lost (a resumed run) banks nothing twice', async () => {
    const eve = w.user('en');
    await w.start(eve);
    await buy(w, eve, 'pro', 'month');
    const paidUntil = (await subscriptionOf(w, eve.id))!.expires_at!.getTime();
    const legacyUntil = Date.now() + 10 * DAY_MS;
    const file = join(mkdtempSync(join(tmpdir(), 'legacy-live-resume-')), 'data.json');
    const record = {
      user_id: eve.id,
      faceit_player_id: null,
      faceit_nickname: null,
      last_checked_match_id: null,
      created_at: '2024-01-01T00:00:00',
      subscription: { tier: 'premium', expires_at: moscow(legacyUntil), payment_method: 'telegram_stars' },
    };
    writeFileSync(file, JSON.stringify({ users: [record] }, null, 2));

    const env = new MockActivityEnvironment();
    const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) =>
      env.run(fn, ...args) as Promise<R>;
    const activities = createMigrationActivities({ pool: w.pool, logger: testLogger });
    const job: MigrationJob = { runId: `live-resume-${randomUUID()}`, file, batchSize: 10, dryRun: false };
    const { checkpoint } = await run(activities.prepareLegacyMigration, job);
    const first = await run(activities.migrateLegacyBatch, job, checkpoint);
    const state = await liveRows(eve.id);
    // The worker died after the commit: the workflow retries the batch with the checkpoint it had.
    const replayed = await run(activities.migrateLegacyBatch, job, checkpoint);
    expect(replayed.counters).toEqual(first.counters);
    expect(await liveRows(eve.id)).toEqual(state);

    // PRO in force, the legacy PREMIUM's 10 days banked behind it (credit), the Stars PRO untouched.
    const sub = await subscriptionOf(w, eve.id);
    expect(sub).toMatchObject({ tier: 'pro', source: 'telegram_stars', credit_tier: 'premium' });
    expect(sub!.expires_at!.getTime()).toBe(paidUntil);
    expect(Math.abs(sub!.credit_seconds! * 1000 - 10 * DAY_MS)).toBeLessThan(60_000);

    let next = replayed;
    while (next.phase === 'verifying') next = await run(activities.verifyLegacyBatch, job, next);
    const report = await run(activities.finishLegacyMigration, job, next);
    expect(report).toMatchObject({ ok: true, verification: { checked: 1, mismatches: 0 } });
  });
});
