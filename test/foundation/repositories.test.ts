import { createRepositories, type Repositories } from '../../src/db/repositories';
import { usageDay } from '../../src/db/repositories/usage';
import type { DatabasePool } from '../../src/db/pool';
import { testPool, uniqueTelegramId } from '../harness';

describe('repositories', () => {
  let pool: DatabasePool;
  let repos: Repositories;
  beforeAll(async () => {
    pool = await testPool();
    repos = createRepositories(pool);
  });
  afterAll(() => pool.end());

  it('users: registered on first contact, refreshed afterwards, with Russian as the default language', async () => {
    const id = uniqueTelegramId();
    const first = await repos.users.touch({ telegramId: id, username: 'darwin', firstName: 'Дарвин' });
    expect(first).toMatchObject({
      telegram_id: id,
      created: true,
      language: 'ru',
      timezone: 'Europe/Moscow',
    });
    const again = await repos.users.touch({ telegramId: id, username: 'darwin2' });
    expect(again).toMatchObject({ created: false, username: 'darwin2' });
    await repos.users.update(id, { language: 'en', timezone: 'Asia/Almaty' });
    expect(await repos.users.get(id)).toMatchObject({
      language: 'en',
      timezone: 'Asia/Almaty',
      notifications_enabled: true,
    });
  });

  it('users: a referral code is created once and then stays the same', async () => {
    const id = uniqueTelegramId();
    await repos.users.touch({ telegramId: id });
    let n = 0;
    const code = await repos.users.ensureReferralCode(id, () => `C0DE${(n++).toString().padStart(4, '0')}`);
    expect(await repos.users.ensureReferralCode(id, () => 'FFFFFFFF')).toBe(code);
    expect((await repos.users.findByReferralCode(code))?.telegram_id).toBe(id);
  });

  it('FACEIT accounts: linking clears the nickname prompt and re-linking replaces the account', async () => {
    const id = uniqueTelegramId();
    await repos.users.touch({ telegramId: id });
    await repos.users.update(id, { awaiting_nickname: true });
    await repos.faceitAccounts.link(id, { playerId: 'p-1', nickname: 'one' });
    expect((await repos.users.get(id))?.awaiting_nickname).toBe(false);
    await repos.faceitAccounts.link(id, { playerId: 'p-2', nickname: 'two', steamId64: '76561198000000001' });
    expect(await repos.faceitAccounts.get(id)).toMatchObject({
      faceit_player_id: 'p-2',
      steam_id64: '76561198000000001',
    });
    expect(await repos.faceitAccounts.unlink(id)).toBe(true);
    expect(await repos.faceitAccounts.get(id)).toBeNull();
  });

  it('usage: concurrent requests never exceed the daily quota, and a refund gives one back', async () => {
    const id = uniqueTelegramId();
    await repos.users.touch({ telegramId: id });
    const day = usageDay('Europe/Moscow');
    const results = await Promise.all(Array.from({ length: 12 }, () => repos.usage.tryConsume(id, day, 5)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await repos.usage.used(id, day)).toBe(5);
    await repos.usage.refund(id, day);
    expect(await repos.usage.tryConsume(id, day, 5)).toEqual({ allowed: true, used: 5 });
    expect(await repos.usage.tryConsume(id, day, 5)).toEqual({ allowed: false, used: 5 });
  });

  it('usage: the day follows the user time zone', () => {
    const at = new Date('2026-03-01T22:30:00Z');
    expect(usageDay('Europe/Moscow', at)).toBe('2026-03-02');
    expect(usageDay('America/New_York', at)).toBe('2026-03-01');
  });

  it('subscriptions: expired means FREE, and a grant extends from the current expiry while active', async () => {
    const id = uniqueTelegramId();
    await repos.users.touch({ telegramId: id });
    expect((await repos.subscriptions.effective(id)).tier).toBe('free');
    const first = await repos.subscriptions.grant(id, 'premium', 30, 'telegram_stars');
    const second = await repos.subscriptions.grant(id, 'premium', 30, 'telegram_stars');
    expect(second.expires_at!.getTime() - first.expires_at!.getTime()).toBe(30 * 86_400_000);
    expect((await repos.subscriptions.effective(id)).tier).toBe('premium');
    expect((await repos.subscriptions.effective(id, new Date(Date.now() + 61 * 86_400_000))).tier).toBe(
      'free',
    );
    await repos.subscriptions.revoke(id);
    expect((await repos.subscriptions.effective(id)).tier).toBe('free');
  });

  it('referrals: one referrer per user, no self-referral, unknown codes refused', async () => {
    const referrer = uniqueTelegramId();
    const newcomer = uniqueTelegramId();
    await repos.users.touch({ telegramId: referrer });
    await repos.users.touch({ telegramId: newcomer });
    const code = await repos.users.ensureReferralCode(referrer, () => `R${String(referrer).slice(-7)}`);
    expect(await repos.referrals.apply(referrer, code)).toMatchObject({ result: 'self' });
    expect(await repos.referrals.apply(newcomer, 'NOPE0000')).toMatchObject({ result: 'unknown-code' });
    expect(await repos.referrals.apply(newcomer, code)).toEqual({ result: 'applied', referrerId: referrer });
    expect(await repos.referrals.apply(newcomer, code)).toMatchObject({ result: 'already-referred' });
    expect(await repos.referrals.countByReferrer(referrer)).toBe(1);
  });

  it('ELO snapshots: recorded when the ELO changes, not on every sighting', async () => {
    const player = `player-${uniqueTelegramId()}`;
    expect(
      await repos.eloSnapshots.record([{ playerId: player, elo: 2000, level: 10, source: 'profile' }]),
    ).toBe(1);
    expect(
      await repos.eloSnapshots.record([{ playerId: player, elo: 2000, level: 10, source: 'analysis' }]),
    ).toBe(0);
    expect(
      await repos.eloSnapshots.record([
        { playerId: player, elo: 2025, level: 10, source: 'monitoring', matchId: '1-m' },
      ]),
    ).toBe(1);
    const history = await repos.eloSnapshots.history(player);
    expect(history.map((h) => h.elo)).toEqual([2025, 2000]);
  });

  it('audit log: every admin action is kept with who, what and whom', async () => {
    const admin = uniqueTelegramId();
    await repos.auditLog.record({
      adminId: admin,
      action: 'grant',
      targetId: 42,
      details: { tier: 'pro', days: 30 },
    });
    await repos.auditLog.record({ adminId: 1, action: 'stats', authorized: false });
    const recent = await repos.auditLog.recent(10);
    expect(recent.find((r) => r.admin_telegram_id === admin)).toMatchObject({
      action: 'grant',
      target_telegram_id: 42,
      details: { tier: 'pro', days: 30 },
    });
    expect(recent.some((r) => r.authorized === false)).toBe(true);
  });
});
