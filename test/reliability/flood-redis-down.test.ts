import Redis from 'ioredis';
import { startBot, type RunningBot } from '../../src/bot/run';
import { FLOOD_KEY_PREFIX } from '../../src/bot/middleware/flood';
import { startRedisServer, type RedisServer } from '../../dev/services/redis';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { testLogger } from '../harness';

/**
 * The flood limiter against its own Redis (started and stopped here, so the suite's shared one stays up):
 * one atomic script counts and sets the expiry, and a Redis outage fails open to a per-process window instead of
 * answering every update with "something went wrong".
 */
describe('flood limit: atomic in Redis, open when Redis is down', () => {
  let w: BotWorld;
  let server: RedisServer;
  let redis: Redis;
  let bot: RunningBot | undefined;

  beforeAll(async () => {
    w = await startBotWorld({ noBot: true });
    server = await startRedisServer({ logger: testLogger });
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    bot = await startBot({ ...w.botDeps, redis, flood: { limit: 3, timeFrameMs: 20_000 } });
  });
  afterAll(async () => {
    await bot?.stop();
    redis?.disconnect();
    await server?.stop().catch(() => undefined);
    await w?.stop();
  });

  it('a counter left without an expiry (a lost PEXPIRE) gets one: nobody is locked out for good', async () => {
    const user = w.user('en');
    await redis.set(`${FLOOD_KEY_PREFIX}${user.id}`, '0');
    expect(await redis.pttl(`${FLOOD_KEY_PREFIX}${user.id}`)).toBe(-1);
    expect(textOf(await w.send(user, '/help'))).toContain('FACEIT CS2 analysis bot');
    const ttl = await redis.pttl(`${FLOOD_KEY_PREFIX}${user.id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(20_000);
  });

  it('with Redis stopped the bot keeps answering, and a burst is still limited per process', async () => {
    await server.stop();
    const calm = w.user('en');
    expect(textOf(await w.send(calm, '/help'))).toContain('FACEIT CS2 analysis bot');
    expect(textOf(await w.send(calm, '/settings'))).toContain('Settings');

    const flooder = w.user('ru');
    const first = w.tg.sendUserMessage({ from: flooder, text: '/help' });
    for (let i = 0; i < 5; i++) w.tg.sendUserMessage({ from: flooder, text: '/help' });
    const replies = await w.replies(flooder.id, first.messageId, 4);
    expect(replies.filter((m) => textOf(m).includes('Бот анализа')).length).toBe(3);
    expect(textOf(replies[3])).toContain('Слишком много сообщений');
    expect(replies.some((m) => textOf(m).includes('Что-то пошло не так'))).toBe(false);
    const text = await (await fetch(`http://127.0.0.1:${bot!.httpPort}/metrics`)).text();
    expect(text).toMatch(/bot_flood_redis_fallback_total [1-9]/);
  });
});
