/** Referrals end to end: codes, links, rewards once a FACEIT account is linked, and every abuse case. */
import { sql } from 'slonik';
import { rewardReferralIfDue } from '../../src/billing';
import { createTelegramApi } from '../../src/telegram/api';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import type { SimUser } from '../../emulators/telegram';
import { botTexts, DAY_MS, eventsOf, settle, subscriptionOf } from './helpers';

const NEW_USER_REWARD = /Thanks for joining with a friend's link: 7 days of PREMIUM/;
const REFERRER_REWARD = /A friend you invited linked their FACEIT account: you get 30 days of PREMIUM/;

describe('billing: referrals', () => {
  let w: BotWorld;
  let players: Array<{ nickname: string }>;
  beforeAll(async () => {
    w = await startBotWorld();
    players = w.faceit.control.findPlayers({ minMatches: 30, hasCs2: true, limit: 6 });
  });
  afterAll(() => w.stop());

  async function link(user: SimUser, nickname: string) {
    const reply = await w.send(user, `/link ${nickname}`);
    expect(textOf(reply)).toContain(`Linked ${nickname}`);
  }

  async function codeOf(user: SimUser): Promise<{ code: string; text: string }> {
    const reply = await w.send(user, '/referral');
    const code = /Your code: ([A-Z0-9]+)/.exec(textOf(reply))?.[1];
    if (!code) throw new Error(`no code in ${textOf(reply)}`);
    return { code, text: textOf(reply) };
  }

  let ann: SimUser;
  let annCode: string;

  it('/referral shows the code, a t.me link with the bot username from getMe, joined and days earned', async () => {
    ann = w.user('en');
    await w.start(ann);
    await link(ann, players[0].nickname);
    const { code, text } = await codeOf(ann);
    annCode = code;
    expect(code).toMatch(/^[0-9A-F]{8}$/);
    expect(text).toContain(`https://t.me/${w.bot!.username}?start=ref_${code}`);
    expect(text).toContain('Joined: 0 · rewarded: 0 · days earned: 0');
    expect((await codeOf(ann)).code).toBe(code);
  });

  it('a new user with the code earns nothing until linking; then both get their days, once, and are told', async () => {
    const bob = w.user('en');
    const welcome = await w.start(bob, `ref_${annCode}`);
    expect(textOf(welcome[0])).toContain('Referral code accepted');
    await settle(1_000);
    expect(await subscriptionOf(w, bob.id)).toBeNull();
    const annBefore = await subscriptionOf(w, ann.id);
    expect(annBefore).toBeNull();

    const started = Date.now();
    await link(bob, players[1].nickname);
    await w.tg.waitForBotMessage(bob.id, NEW_USER_REWARD, 15_000);
    await w.tg.waitForBotMessage(ann.id, REFERRER_REWARD, 15_000);
    const bobSub = await subscriptionOf(w, bob.id);
    const annSub = await subscriptionOf(w, ann.id);
    expect(bobSub).toMatchObject({ tier: 'premium', source: 'referral_bonus' });
    expect(annSub).toMatchObject({ tier: 'premium', source: 'referral_bonus' });
    expect(bobSub!.expires_at!.getTime() - started).toBeGreaterThanOrEqual(7 * DAY_MS - 1_000);
    expect(bobSub!.expires_at!.getTime() - Date.now()).toBeLessThanOrEqual(7 * DAY_MS);
    expect(annSub!.expires_at!.getTime() - Date.now()).toBeLessThanOrEqual(30 * DAY_MS);
    expect(annSub!.expires_at!.getTime() - started).toBeGreaterThanOrEqual(30 * DAY_MS - 1_000);
    expect((await codeOf(ann)).text).toContain('Joined: 1 · rewarded: 1 · days earned: 30');

    // Relinking another account, a second /start with another code, a repeated trigger: nothing more.
    await w.send(bob, '/unlink');
    await link(bob, players[2].nickname);
    const again = await w.start(bob, `ref_${annCode}`);
    expect(textOf(again[0])).toContain('only work for new users');
    await rewardReferralIfDue(w.botDeps, bob.id);
    await settle(2_000);
    expect(botTexts(w, bob.id, NEW_USER_REWARD)).toHaveLength(1);
    expect(botTexts(w, ann.id, REFERRER_REWARD)).toHaveLength(1);
    expect(await eventsOf(w, ann.id)).toEqual(['referral']);
    expect(await eventsOf(w, bob.id)).toEqual(['referral']);
  });

  it('abuse: a FACEIT account that already earned a reward, or the referrer’s own account, earns nothing', async () => {
    // A second Telegram account linking the FACEIT player that already earned a reward.
    const cat = w.user('en');
    await w.start(cat, `ref_${annCode}`);
    await link(cat, players[1].nickname);
    // A second Telegram account of the referrer, linking the referrer's own FACEIT player.
    const annAlt = w.user('en');
    await w.start(annAlt, `ref_${annCode}`);
    await link(annAlt, players[0].nickname);
    await settle(3_000);
    for (const user of [cat, annAlt]) {
      // The reward was considered and refused for good (closed without a rewarded FACEIT player).
      const closed = await w.pool.one(sql.unsafe`
        SELECT rewarded_at IS NOT NULL AS closed, faceit_player_id FROM referrals WHERE referred_id = ${user.id}`);
      expect(closed).toEqual({ closed: true, faceit_player_id: null });
      expect(await subscriptionOf(w, user.id)).toBeNull();
      expect(botTexts(w, user.id, NEW_USER_REWARD)).toEqual([]);
    }
    expect(botTexts(w, ann.id, REFERRER_REWARD)).toHaveLength(1);
    expect((await codeOf(ann)).text).toContain('Joined: 3 · rewarded: 1 · days earned: 30');
  });

  it('abuse: an existing user, an unknown code, one’s own code: refused, no referral recorded', async () => {
    const dan = w.user('en');
    await w.start(dan);
    const late = await w.start(dan, `ref_${annCode}`);
    expect(textOf(late[0])).toContain('only work for new users');
    const own = await w.start(ann, `ref_${annCode}`);
    expect(textOf(own[0])).toContain('only work for new users');
    const eve = w.user('en');
    const unknown = await w.start(eve, 'ref_ZZZZ9999');
    expect(textOf(unknown[0])).toContain('referral code is unknown');
    for (const user of [dan, ann, eve]) {
      expect(await w.repos.referrals.get(user.id)).toBeNull();
    }
    // Even a new user cannot refer themselves (the repository refuses it; the bot never gets that far).
    expect((await w.repos.referrals.apply(ann.id, annCode)).result).toBe('self');
  });

  it('legacy: a migrated code keeps working, the legacy count is shown, an open-ended legacy plan keeps working', async () => {
    const old = w.user('en');
    await w.start(old);
    await w.pool.query(sql.unsafe`
      UPDATE users SET referral_code = 'C0FFEE42', legacy_referrals_count = 5 WHERE telegram_id = ${old.id}`);
    await w.pool.query(sql.unsafe`
      INSERT INTO subscriptions (telegram_id, tier, expires_at, source) VALUES (${old.id}, 'premium', NULL, 'legacy')`);
    const fan = w.user('en');
    const welcome = await w.start(fan, 'ref_C0FFEE42');
    expect(textOf(welcome[0])).toContain('Referral code accepted');
    await link(fan, players[3].nickname);
    await w.tg.waitForBotMessage(old.id, REFERRER_REWARD, 15_000);
    const { text, code } = await codeOf(old);
    expect(code).toBe('C0FFEE42');
    expect(text).toContain('Joined: 6 · rewarded: 1 · days earned: 30');
    // Open-ended PREMIUM stays open-ended (the reward adds nothing to take away later).
    expect(await subscriptionOf(w, old.id)).toMatchObject({ tier: 'premium', expires_at: null });
    const mine = await w.send(old, '/subscription');
    expect(textOf(mine)).toContain('Your plan: PREMIUM until no end date');
    const help = await w.send(old, '/help');
    expect(textOf(help)).toContain('(PREMIUM)');
  });

  it('with Temporal unreachable at link time the reward is granted directly, still once', async () => {
    const gil = w.user('en');
    await w.start(gil, `ref_${annCode}`);
    await w.repos.faceitAccounts.link(gil.id, { playerId: `p-${gil.id}`, nickname: `gil${gil.id}` });
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
    const down = { ...w.botDeps, client: unavailable };
    await rewardReferralIfDue(down, gil.id, { telegram: createTelegramApi(w.config) });
    await w.tg.waitForBotMessage(gil.id, NEW_USER_REWARD, 10_000);
    expect((await subscriptionOf(w, gil.id))?.tier).toBe('premium');
    // Once Temporal is back, nothing is pending any more.
    await rewardReferralIfDue(w.botDeps, gil.id);
    await rewardReferralIfDue(down, gil.id, { telegram: createTelegramApi(w.config) });
    await settle(1_500);
    expect(botTexts(w, gil.id, NEW_USER_REWARD)).toHaveLength(1);
    expect(botTexts(w, ann.id, REFERRER_REWARD)).toHaveLength(2);
    expect(await eventsOf(w, gil.id)).toEqual(['referral']);
  });
});
