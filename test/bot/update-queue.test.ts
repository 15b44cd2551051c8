import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { Registry } from 'prom-client';
import { sql } from 'slonik';
import { z } from 'zod';
import type { BotContext } from '../../src/bot-kit/context';
import { createUpdateQueue, MAX_UPDATE_ATTEMPTS, type UpdateQueue } from '../../src/bot/update-queue';
import type { DatabasePool } from '../../src/db/pool';
import { testLogger, testPool } from '../harness';

/**
 * The durable update queue's rules an operator relies on (docs/delivery.md "Updates from Telegram"), on the real
 * PostgreSQL: a handler's error reaches the error boundary once and is not retried; an update that never finishes is
 * given up; a stopping replica releases what it still runs; handled ids are kept for the retention, then dropped.
 */
const row = z.object({
  update_id: z.number(),
  outcome: z.string().nullable(),
  attempts: z.number(),
  lease_until: z.date().nullable(),
  has_payload: z.boolean(),
});

describe('bot: the durable update queue', () => {
  let pool: DatabasePool;
  let botId = 0;
  let queue: UpdateQueue | undefined;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    pool = await testPool();
  });
  afterEach(async () => {
    await queue?.stop(0);
    queue = undefined;
  });
  afterAll(() => pool.end());

  function newBot(handler: (update: Update) => Promise<void>, errors: unknown[] = []) {
    botId = 8_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const bot = new Bot<BotContext>(`${botId}:TEST`, {
      botInfo: {
        id: botId,
        is_bot: true,
        first_name: 'Queue',
        username: 'queue_test_bot',
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: true,
        can_connect_to_business: false,
        has_main_web_app: false,
        has_topics_enabled: false,
        allows_users_to_create_topics: false,
        can_manage_bots: false,
        supports_join_request_queries: false,
      },
    });
    bot.use((ctx) => handler(ctx.update));
    bot.catch((err) => void errors.push(err.error));
    return bot;
  }
  const start = (bot: Bot<BotContext>, extra: { leaseMs?: number; retentionHours?: number } = {}) => {
    queue = createUpdateQueue({
      bot,
      pool,
      logger: testLogger,
      registry: new Registry(),
      leaseMs: extra.leaseMs ?? 1_000,
      sweepMs: 100,
      concurrency: 10,
      retentionHours: extra.retentionHours ?? 24,
    });
    queue.start();
    return queue;
  };
  const message = (updateId: number, userId = 42): Update =>
    ({
      update_id: updateId,
      message: {
        message_id: updateId,
        date: 0,
        chat: { id: userId, type: 'private', first_name: 'U' },
        from: { id: userId, is_bot: false, first_name: 'U' },
        text: 'hi',
      },
    }) as Update;
  const rowOf = (updateId: number) =>
    pool.maybeOne(sql.type(row)`
      SELECT update_id, outcome, attempts, lease_until, payload IS NOT NULL AS has_payload FROM telegram_updates
      WHERE bot_id = ${botId} AND update_id = ${updateId}`);
  const until = async <T>(probe: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(50);
    }
  };

  it('a handler that throws reaches the error boundary once and is not handled again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const bot = newBot(async () => {
      calls++;
      throw new Error('boom');
    }, errors);
    const q = start(bot);
    expect(await q.accept(message(1))).toBe(true);
    const done = await until(async () => {
      const r = await rowOf(1);
      return r?.outcome ? r : undefined;
    });
    expect(done).toMatchObject({ outcome: 'failed', attempts: 1, has_payload: true });
    await sleep(500);
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
    // Telegram redelivering it changes nothing.
    expect(await q.accept(message(1))).toBe(false);
    await sleep(300);
    expect(calls).toBe(1);
  });

  it(`gives up an update claimed ${MAX_UPDATE_ATTEMPTS} times without finishing, and goes on with the lane`, async () => {
    const handled: number[] = [];
    const bot = newBot(async (u) => void handled.push(u.update_id));
    // Two updates of one user, the first left by replicas that died handling it each time.
    await pool.query(sql.unsafe`
      INSERT INTO telegram_updates (bot_id, update_id, lane, payload, accepted_by, attempts, lease_until, claimed_by)
      VALUES (${botId}, 10, '42', ${sql.jsonb(message(10) as never)}, 'gone', ${MAX_UPDATE_ATTEMPTS},
              now() - interval '1 second', 'gone'),
             (${botId}, 11, '42', ${sql.jsonb(message(11) as never)}, 'gone', 0, NULL, NULL)`);
    start(bot);
    await until(async () => (await rowOf(11))?.outcome);
    expect(await rowOf(10)).toMatchObject({ outcome: 'abandoned', attempts: MAX_UPDATE_ATTEMPTS + 1 });
    expect(await rowOf(11)).toMatchObject({ outcome: 'handled', attempts: 1, has_payload: false });
    expect(handled).toEqual([11]);
  });

  it('a stopping replica releases the update it still runs, so another takes it over at once', async () => {
    let release: () => void = () => undefined;
    const bot = newBot(() => new Promise<void>((resolve) => (release = resolve)));
    const q = start(bot, { leaseMs: 60_000 });
    await q.accept(message(20));
    await until(async () => ((await rowOf(20))?.attempts ?? 0) > 0);
    expect((await rowOf(20))?.lease_until).not.toBeNull();
    await q.stop(200);
    queue = undefined;
    expect(await rowOf(20)).toMatchObject({ outcome: null, lease_until: null });

    const handled: number[] = [];
    const next = createUpdateQueue({
      bot: newBotSameId(bot, (u) => void handled.push(u.update_id)),
      pool,
      logger: testLogger,
      registry: new Registry(),
      leaseMs: 60_000,
      sweepMs: 100,
      concurrency: 10,
      retentionHours: 24,
    });
    queue = next;
    next.start();
    // Taken over well before the 60 s lease would have run out.
    await until(async () => (await rowOf(20))?.outcome, 5_000);
    expect(handled).toEqual([20]);
    // The first replica's handler ending late records nothing over the second's.
    release();
    await sleep(200);
    expect(await rowOf(20)).toMatchObject({ outcome: 'handled', attempts: 2 });
  });

  it('keeps handled ids for the retention only; open updates stay', async () => {
    const bot = newBot(async () => undefined);
    await pool.query(sql.unsafe`
      INSERT INTO telegram_updates (bot_id, update_id, lane, payload, accepted_by, done_at, outcome)
      VALUES (${botId}, 30, '42', NULL, 'gone', now() - interval '2 hours', 'handled'),
             (${botId}, 31, '42', NULL, 'gone', now() - interval '10 minutes', 'handled')`);
    const q = start(bot, { retentionHours: 1 });
    await until(async () => (await rowOf(30)) === null);
    expect(await rowOf(31)).toMatchObject({ outcome: 'handled' });
    // Within the retention a redelivery is refused; past it, the id is free again.
    expect(await q.accept(message(31))).toBe(false);
    expect(await q.accept(message(30))).toBe(true);
  });

  /** A second replica of the same bot. */
  function newBotSameId(like: Bot<BotContext>, handler: (update: Update) => void) {
    const bot = new Bot<BotContext>(`${botId}:TEST`, { botInfo: like.botInfo });
    bot.use((ctx) => handler(ctx.update));
    return bot;
  }
});
