import { Bot } from 'grammy';
import { sql } from 'slonik';
import { z } from 'zod';
import { createMonitoringComposer, MAX_TRACKED_PER_CHAT } from '../../src/monitoring/composer';
import { testLogger } from '../harness';
import {
  BOT_TOKEN,
  botTexts,
  makeDue,
  type MonitoringEnv,
  newGroupId,
  newUserId,
  pickPlayers,
  playMatch,
  runCycle,
} from './helpers';
import { startMonitoringEnv } from './helpers';

/** /track, /untrack, /tracked through a real grammY bot polling the Telegram emulator. */
describe('monitoring commands', () => {
  let env: MonitoringEnv;
  let bot: Bot;
  const errors: unknown[] = [];

  beforeAll(async () => {
    env = await startMonitoringEnv();
    await env.startWorkers();
    bot = new Bot(BOT_TOKEN, { client: { apiRoot: env.tg.apiRoot } });
    bot.use(
      createMonitoringComposer({
        config: env.config,
        logger: testLogger,
        pool: env.pool,
        temporal: env.client,
      }),
    );
    bot.catch((err) => void errors.push(err.error));
    await new Promise<void>((resolve) => void bot.start({ onStart: () => resolve(), timeout: 1 }));
  });
  afterAll(async () => {
    await bot?.stop();
    await env?.stop();
  });
  afterEach(() => expect(errors).toEqual([]));

  const user = (id: number, language_code = 'en') => ({ id, first_name: `u${id}`, language_code });

  async function say(
    chatId: number,
    from: { id: number; first_name: string },
    text: string,
    expected: RegExp | string,
  ) {
    const before = env.tg.botMessages(chatId).length;
    env.tg.sendUserMessage({ chatId, from, text, chatType: chatId < 0 ? 'group' : undefined });
    return env.tg.waitForBotMessage(
      chatId,
      (m) =>
        env.tg.botMessages(chatId).indexOf(m) >= before &&
        (typeof expected === 'string' ? (m.text ?? '').includes(expected) : expected.test(m.text ?? '')),
      15_000,
    );
  }

  const trackedIds = (chatId: number) =>
    env.pool.anyFirst(sql.type(z.object({ faceit_player_id: z.string() }))`
      SELECT faceit_player_id FROM tracked_players WHERE chat_id = ${chatId} ORDER BY created_at`);

  it('/untrack of a 4,000-character argument answers "not tracked" with a short echo; a bad % escape is no crash', async () => {
    const id = newUserId();
    const u = user(id);
    const reply = await say(id, u, `/untrack ${'x'.repeat(4000)}`, 'not tracked');
    expect((reply.text ?? '').length).toBeLessThan(400);
    await say(id, u, '/track https://www.faceit.com/en/players/%E0%A4%A', /Send|No FACEIT player/);
  });

  it('/track <nickname>, /track (own account), /tracked and /untrack in a private chat', async () => {
    const [p, own] = pickPlayers(env, 2);
    const id = newUserId();
    const u = user(id);

    await say(id, u, '/track', 'link your own account');
    await say(id, u, `/track https://www.faceit.com/en/players/${p.nickname}`, `Tracking ${p.nickname}`);
    await say(id, u, '/track no_such_player_zz', 'No FACEIT player no_such_player_zz');
    await env.pool.query(sql.unsafe`INSERT INTO users (telegram_id, language) VALUES (${id}, 'en')`);
    await env.pool.query(sql.unsafe`
      INSERT INTO faceit_accounts (telegram_id, faceit_player_id, nickname) VALUES (${id}, ${own.playerId}, ${own.nickname})`);
    await say(id, u, '/track', `Tracking ${own.nickname}`);
    await say(id, u, `/track ${p.nickname}`, 'already tracked');
    expect(await trackedIds(id)).toEqual([p.playerId, own.playerId]);

    const list = await say(id, u, '/tracked', 'Tracked players');
    expect(list.text).toContain(p.nickname);
    expect(list.text).toContain(own.nickname);
    expect(list.text).toContain(`(2/${MAX_TRACKED_PER_CHAT})`);

    await runCycle(env); // first sight for both
    await say(id, u, `/untrack ${p.nickname.toUpperCase()}`, `No longer tracking ${p.nickname}`);
    expect(await trackedIds(id)).toEqual([own.playerId]);
    await playMatch(env, [p.nickname]);
    await makeDue(env);
    await runCycle(env);
    expect(botTexts(env, id).filter((t) => t.includes('cs2/room'))).toEqual([]);
  });

  it('answers in Russian for a Russian-speaking user', async () => {
    const [p] = pickPlayers(env, 1);
    const id = newUserId();
    await say(id, user(id, 'ru'), `/track ${p.nickname}`, `Слежу за ${p.nickname}`);
  });

  it('in a group only administrators change the list; everyone may read it', async () => {
    const [p] = pickPlayers(env, 1);
    const group = newGroupId();
    const admin = user(newUserId());
    const member = user(newUserId());
    env.tg.registerChat({ id: group, type: 'group', title: 'Team', admins: [admin.id] });

    await say(group, member, `/track ${p.nickname}`, 'Only group admins');
    expect(await trackedIds(group)).toEqual([]);
    await say(group, admin, `/track ${p.nickname}`, `Tracking ${p.nickname}`);
    await say(group, member, '/tracked', p.nickname);
    await say(group, member, '/untrack', 'Only group admins');
    await say(group, admin, '/untrack', `No longer tracking ${p.nickname}`);
    expect(await trackedIds(group)).toEqual([]);
  });

  it('an anonymous group admin (posting as the group) may /track and /untrack; the author is not recorded', async () => {
    const [p] = pickPlayers(env, 1);
    const group = newGroupId();
    const admin = user(newUserId());
    const member = user(newUserId());
    env.tg.registerChat({ id: group, type: 'group', title: 'Team', admins: [admin.id] });
    expect(() =>
      env.tg.sendUserMessage({ chatId: group, from: member, text: '/track x', anonymousAdmin: true }),
    ).toThrow(/not an administrator/);

    const anonymously = async (text: string, expected: string) => {
      const before = env.tg.botMessages(group).length;
      const sent = env.tg.sendUserMessage({ chatId: group, from: admin, text, anonymousAdmin: true });
      expect(sent.sender.id).toBe(1087968824);
      return env.tg.waitForBotMessage(
        group,
        (m) => env.tg.botMessages(group).indexOf(m) >= before && (m.text ?? '').includes(expected),
        15_000,
      );
    };
    // @GroupAnonymousBot has no language, so the group gets the default (Russian).
    await anonymously(`/track ${p.nickname}`, `Слежу за ${p.nickname}`);
    expect(await trackedIds(group)).toEqual([p.playerId]);
    const addedBy = await env.pool.oneFirst(sql.type(z.object({ added_by: z.number().nullable() }))`
      SELECT added_by FROM tracked_players WHERE chat_id = ${group}`);
    expect(addedBy).toBeNull();
    await anonymously('/untrack', `Больше не слежу за ${p.nickname}`);
    expect(await trackedIds(group)).toEqual([]);
  });

  it('the bot removed from a group marks the chat blocked; re-added, it is not', async () => {
    const [p] = pickPlayers(env, 1);
    const group = newGroupId();
    const admin = user(newUserId());
    env.tg.registerChat({ id: group, type: 'group', title: 'Team', admins: [admin.id] });
    await say(group, admin, `/track ${p.nickname}`, 'Tracking');
    const blockedAt = () =>
      env.pool.oneFirst(sql.type(z.object({ blocked_at: z.date().nullable() }))`
        SELECT blocked_at FROM chats WHERE chat_id = ${group}`);
    const memberUpdate = (status: string) => ({
      my_chat_member: {
        chat: { id: group, type: 'group', title: 'Team' },
        from: { ...admin, is_bot: false },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: status === 'left' ? 'member' : 'left', user: env.tg.botInfo },
        new_chat_member: { status, user: env.tg.botInfo },
      },
    });
    env.tg.injectUpdate(memberUpdate('left'));
    await waitUntil(async () => (await blockedAt()) !== null);
    env.tg.injectUpdate(memberUpdate('member'));
    await waitUntil(async () => (await blockedAt()) === null);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
