import { Api } from 'grammy';
import Redis from 'ioredis';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';
import { createSendBudget, spendFrom, WINDOW_MS, type SendClass } from '../../src/telegram/send-budget';
import { uniqueTelegramId } from '../harness';

/**
 * One send budget per bot: a broadcast from one process and replies from another share Telegram's ~30 messages/s
 * through Redis, replies go first, and Telegram (the emulator, with its real per-bot limit) never answers 429.
 */

jest.setTimeout(60_000);

const TOKEN = `${uniqueTelegramId()}:send-budget-test`;

describe('the shared Telegram send budget', () => {
  let tg: TelegramEmulator;
  const connections: Redis[] = [];
  beforeAll(async () => {
    tg = await startTelegramEmulator({ tokens: [TOKEN], autoCreateChats: true });
  });
  afterAll(async () => {
    for (const r of connections) r.disconnect();
    await tg?.stop();
  });

  /** A Bot API client of one process (its own Redis connection) spending the bot's budget at `cls`. */
  function processApi(cls: SendClass): Api {
    const redis = new Redis(process.env.REDIS_URL!);
    connections.push(redis);
    const budget = createSendBudget({ redis, botToken: TOKEN, perSecond: 30, metricsRegistry: null });
    return spendFrom(new Api(TOKEN, { apiRoot: tg.apiRoot }), budget, cls);
  }

  it('paces a broadcast and replies together under the limit, replies first, with no 429', async () => {
    const worker = processApi('bulk');
    const bot = processApi('reply');
    const started = Date.now();
    // A broadcast of 120 messages, 10 lanes, one chat each (Telegram's per-chat limit is not what is measured).
    const recipients = Array.from({ length: 120 }, () => uniqueTelegramId());
    let next = 0;
    const lane = async () => {
      while (next < recipients.length) await worker.sendMessage(recipients[next++], 'news');
    };
    const broadcast = Promise.all(Array.from({ length: 10 }, lane));
    // One second in, ten users get their replies while the broadcast still runs.
    await new Promise((r) => setTimeout(r, 1_000));
    const replyMs = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const t0 = Date.now();
        await bot.sendMessage(uniqueTelegramId(), 'your report');
        return Date.now() - t0;
      }),
    );
    await broadcast;
    const totalMs = Date.now() - started;

    const sends = tg.calls('sendMessage').filter((c) => c.at >= started);
    expect(sends).toHaveLength(130);
    expect(sends.filter((c) => c.status === 429)).toEqual([]);
    // Replies jumped the queue: each went within a fraction of a second although ~100 broadcast sends were waiting.
    expect(Math.max(...replyMs)).toBeLessThan(700);
    // Together they kept the bot's rate: at most 30 taken in any 1.1 s, so 130 messages take at least 100 / 30 × 1.1 s.
    expect(totalMs).toBeGreaterThanOrEqual(((130 - 30) / 30) * WINDOW_MS - 100);
    // In no second did Telegram see more than 30, the ten replies' burst included (the pacing alone let 39 through).
    const times = sends.map((c) => c.at).sort((a, b) => a - b);
    const busiest = Math.max(...times.map((t, i) => times.filter((u, j) => j >= i && u < t + 1_000).length));
    expect(busiest).toBeLessThanOrEqual(30);
  });

  it('lets a broadcast use the whole budget when nobody else sends', async () => {
    const worker = processApi('bulk');
    const started = Date.now();
    for (let i = 0; i < 3; i++)
      await Promise.all(Array.from({ length: 10 }, () => worker.sendMessage(uniqueTelegramId(), 'news')));
    const ms = Date.now() - started;
    // 30 sends at the steady pace (30 per 1.1 s): about a second, not held back by a reserve nobody uses.
    expect(ms).toBeLessThan(2_500);
    expect(tg.calls('sendMessage').filter((c) => c.at >= started && c.status === 429)).toEqual([]);
  });
});
