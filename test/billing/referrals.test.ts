/**
 * Referrals end to end: codes, links, and rewards for real users only — due once the new user linked a FACEIT
 * account, had an analysis delivered and joined REFERRAL_MIN_AGE_HOURS ago (24 h here; a user's join time is moved
 * back to stand for the hours passed), one reward per FACEIT account ever, REFERRAL_MONTHLY_CAP per referrer (2
 * here) — and every abuse case.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { rewardReferralIfDue } from '../../src/billing';
import { createTelegramApi } from '../../src/telegram/api';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import type { SimUser } from '../../emulators/telegram';
import { eventually } from '../broadcast/helpers';
import { botTexts, DAY_MS, eventsOf, settle, subscriptionOf } from './helpers';

const NEW_USER_REWARD = /Thanks for joining with a friend's link: 7 days of PREMIUM/;
const REFERRER_REWARD =
  /A friend you invited linked FACEIT and ran their first analysis: you get 30 days of PREMIUM/;
const HOUR_MS = 3_600_000;

describe('billing: referrals', () => {
  let w: BotWorld;
  let players: Array<{ nickname: string }>;
  beforeAll(async () => {
    w = await startBotWorld({ env: { REFERRAL_MONTHLY_CAP: '2' } });
    players = w.faceit.control.findPlayers({ minMatches: 30, hasCs2: true, limit: 12 });
  });
  afterAll(() => w.stop());

  async function link(user: SimUser, nickname: string) {
    const reply = await w.send(user, `/link ${nickname}`);
    expect(textOf(reply)).toContain(`Linked ${nickname}`);
  }

  /** A real analysis through the bot, delivered. */
  async function analyse(user: SimUser) {
    const lobby = await w.faceit.control.createLobby({});
    await w.send(user, `/analyze ${lobby.matchId}`);
    await eventually(async () => {
      const status = await w.pool.maybeOneFirst(sql.type(z.object({ status: z.string() }))`
        SELECT status FROM analysis_requests WHERE telegram_id = ${user.id} AND match_id = ${lobby.matchId}`);
      return status === 'delivered' ? true : undefined;
    }, 60_000);
  }

  /** The user joined `hours` ago (as if that much time had passed since their /start). */
  async function joinedAgo(user: SimUser, hours: number) {
    await w.pool.query(sql.unsafe`
      UPDATE users SET created_at = now() - make_interval(secs => ${(hours * HOUR_MS) / 1000})
      WHERE telegram_id = ${user.id}`);
  }

  async function codeOf(user: SimUser): Promise<{ code: string; text: string }> {
    const reply = await w.send(user, '/referral');
    const code = /(?:Your code|Ваш код): ([A-Z0-9]+)/.exec(textOf(reply))?.[1];
    if (!code) throw new Error(`no code in ${textOf(reply)}`);
    return { code, text: textOf(reply) };
  }

  /** A new user who came with `code`, joined `hours` ago. */
  async function newcomer(code: string, hours = 25) {
    const user = w.user('en');
    const welcome = await w.start(user, `ref_${code}`);
    expect(textOf(welcome[0])).toContain('Referral code accepted');
    await joinedAgo(user, hours);
    return user;
  }

  const referralOf = (user: SimUser) =>
    w.pool.one(sql.type(z.object({ closed: z.boolean(), faceit_player_id: z.string().nullable() }))`
      SELECT rewarded_at IS NOT NULL AS closed, faceit_player_id FROM referrals WHERE referred_id = ${user.id}`);

  let ann: SimUser;
  let annCode: string;

  it('/referral shows the code, a t.me link with the bot username from getMe, the rules, joined and days earned', async () => {
    ann = w.user('en');
    await w.start(ann);
    await link(ann, players[0].nickname);
    const { code, text } = await codeOf(ann);
    annCode = code;
    expect(code).toMatch(/^[0-9A-F]{8}$/);
    expect(text).toContain(`https://t.me/${w.bot!.username}?start=ref_${code}`);
    expect(text).toContain('linked a FACEIT account and ran at least one analysis');
    expect(text).toContain('at least 24 h after joining');
    expect(text).toContain('one reward per FACEIT account, ever (unlinking does not reset it');
    expect(text).toContain('you earn at most 2 rewards a month (this month: 0/2)');
    expect(text).toContain('Joined: 0 · rewarded: 0 · days earned: 0');
    expect((await codeOf(ann)).code).toBe(code);

    const ru = w.user('ru');
    await w.start(ru);
    const rules = (await codeOf(ru)).text;
    expect(rules).toContain('привязал аккаунт FACEIT и сделал хотя бы один анализ');
    expect(rules).toContain('не раньше чем через 24 ч после прихода');
    expect(rules).toContain('один бонус на аккаунт FACEIT навсегда');
    expect(rules).toContain('не больше 2 бонусов в месяц (в этом месяце: 0/2)');
  });

  it('linking alone earns nothing; the first analysis after it rewards both, once, and both are told', async () => {
    const bob = await newcomer(annCode);
    await link(bob, players[1].nickname);
    await settle(1_500);
    expect(await subscriptionOf(w, bob.id)).toBeNull();
    expect(await subscriptionOf(w, ann.id)).toBeNull();
    expect(await referralOf(bob)).toEqual({ closed: false, faceit_player_id: null });

    const started = Date.now();
    await analyse(bob);
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
    const { text } = await codeOf(ann);
    expect(text).toContain('Joined: 1 · rewarded: 1 · days earned: 30');
    expect(text).toContain('(this month: 1/2)');

    // Relinking another account, another analysis, a second /start with the code, a repeated trigger: nothing more.
    await w.send(bob, '/unlink');
    await link(bob, players[2].nickname);
    await analyse(bob);
    const again = await w.start(bob, `ref_${annCode}`);
    expect(textOf(again[0])).toContain('only work for new users');
    await rewardReferralIfDue(w.botDeps, bob.id);
    await settle(2_000);
    expect(botTexts(w, bob.id, NEW_USER_REWARD)).toHaveLength(1);
    expect(botTexts(w, ann.id, REFERRER_REWARD)).toHaveLength(1);
    expect(await eventsOf(w, ann.id)).toEqual(['referral']);
    expect(await eventsOf(w, bob.id)).toEqual(['referral']);
  });

  it('an analysis alone earns nothing; linking after it rewards', async () => {
    const rita = w.user('en');
    await w.start(rita);
    const { code } = await codeOf(rita);
    const cat = await newcomer(code);
    await analyse(cat);
    await settle(1_500);
    expect(await subscriptionOf(w, cat.id)).toBeNull();
    await link(cat, players[3].nickname);
    await w.tg.waitForBotMessage(cat.id, NEW_USER_REWARD, 15_000);
    await w.tg.waitForBotMessage(rita.id, REFERRER_REWARD, 15_000);
    expect((await subscriptionOf(w, rita.id))?.tier).toBe('premium');
  });

  it('not before the minimum age: a user who just joined earns nothing yet, and the reward comes by itself once the hours have passed', async () => {
    const max = w.user('en');
    await w.start(max);
    const { code } = await codeOf(max);
    // Just joined: linked and analysed, still nothing.
    const dan = await newcomer(code, 0);
    await link(dan, players[4].nickname);
    await analyse(dan);
    await settle(2_000);
    expect(await subscriptionOf(w, dan.id)).toBeNull();
    expect(await referralOf(dan)).toEqual({ closed: false, faceit_player_id: null });
    expect(botTexts(w, max.id, REFERRER_REWARD)).toEqual([]);

    // Joined 24 h less 15 s ago: linked and analysed now, the reward waits (a durable timer) and then comes alone.
    const eve = await newcomer(code, 24 - 15 / 3600);
    await link(eve, players[5].nickname);
    await analyse(eve);
    // The referral's workflow waits (the analysis woke it after the link's run had ended: nothing was missing but time).
    await eventually(async () => {
      const run = await w.client.workflow.getHandle(`referral-${eve.id}`).describe();
      return run.status.name === 'RUNNING';
    }, 5_000);
    expect(await subscriptionOf(w, eve.id)).toBeNull();
    await w.tg.waitForBotMessage(eve.id, NEW_USER_REWARD, 30_000);
    await w.tg.waitForBotMessage(max.id, REFERRER_REWARD, 5_000);
    expect(await referralOf(eve)).toEqual({ closed: true, faceit_player_id: expect.any(String) });
    // Dan's referral is still open: his next analysis once old enough rewards it.
    await joinedAgo(dan, 25);
    await analyse(dan);
    await w.tg.waitForBotMessage(dan.id, NEW_USER_REWARD, 15_000);
    await eventually(async () => botTexts(w, max.id, REFERRER_REWARD).length === 2, 15_000);
  });

  it('abuse: one reward per FACEIT account ever (unlinking does not free it), never the referrer’s own account, even one unlinked since', async () => {
    // Bob's FACEIT player earned a reward, and Bob unlinked it: a throwaway account linking it earns nothing.
    const frank = await newcomer(annCode);
    await link(frank, players[1].nickname);
    await analyse(frank);
    // The referrer's own player, on a second Telegram account — after the referrer unlinked it.
    await w.send(ann, '/unlink');
    await link(ann, players[6].nickname);
    const annAlt = await newcomer(annCode);
    await link(annAlt, players[0].nickname);
    await analyse(annAlt);
    await settle(2_000);
    for (const user of [frank, annAlt]) {
      // The reward was considered and refused for good (closed without a rewarded FACEIT player).
      expect(await referralOf(user)).toEqual({ closed: true, faceit_player_id: null });
      expect(await subscriptionOf(w, user.id)).toBeNull();
      expect(botTexts(w, user.id, NEW_USER_REWARD)).toEqual([]);
    }
    expect(botTexts(w, ann.id, REFERRER_REWARD)).toHaveLength(1);
    expect((await codeOf(ann)).text).toContain('Joined: 3 · rewarded: 1 · days earned: 30');
    // The refused player stays refused for anyone: another throwaway linking Ann's old player earns nothing.
    const gus = await newcomer(annCode);
    await link(gus, players[0].nickname);
    await analyse(gus);
    await settle(1_500);
    expect(await referralOf(gus)).toEqual({ closed: true, faceit_player_id: null });
  });

  it('the monthly cap: the referrer is credited twice, the third friend still gets their own days', async () => {
    const zoe = w.user('en');
    await w.start(zoe);
    const { code } = await codeOf(zoe);
    const friends = [await newcomer(code), await newcomer(code), await newcomer(code)];
    for (const [i, friend] of friends.entries()) {
      await link(friend, players[7 + i].nickname);
      await analyse(friend);
      await w.tg.waitForBotMessage(friend.id, NEW_USER_REWARD, 15_000);
    }
    await settle(1_500);
    expect(botTexts(w, zoe.id, REFERRER_REWARD)).toHaveLength(2);
    expect(await eventsOf(w, zoe.id)).toEqual(['referral', 'referral']);
    for (const friend of friends) expect((await subscriptionOf(w, friend.id))?.tier).toBe('premium');
    const { text } = await codeOf(zoe);
    expect(text).toContain('(this month: 2/2)');
    expect(text).toContain('Joined: 3 · rewarded: 3 · days earned: 60');
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
    const fan = await newcomer('C0FFEE42');
    await link(fan, players[10].nickname);
    await analyse(fan);
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

  it('with Temporal unreachable at link time a due reward is granted directly, still once', async () => {
    const rex = w.user('en');
    await w.start(rex);
    const { code } = await codeOf(rex);
    const gil = await newcomer(code);
    await analyse(gil);
    await w.repos.faceitAccounts.link(gil.id, { playerId: `p-${gil.id}`, nickname: `gil${gil.id}` });
    const unavailable = new Proxy(w.client, {
      get(target, prop, receiver) {
        if (prop !== 'workflow') return Reflect.get(target, prop, receiver);
        return new Proxy(target.workflow, {
          get(wf, name, r) {
            if (name === 'start' || name === 'signalWithStart')
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
    expect(botTexts(w, rex.id, REFERRER_REWARD)).toHaveLength(1);
    expect(await eventsOf(w, gil.id)).toEqual(['referral']);
  });
});
