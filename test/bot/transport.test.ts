import { WorkflowFailedError } from '@temporalio/client';
import { freePort } from '../faceit/helpers';
import { createRepositories } from '../../src/db/repositories';
import { createBotDeps } from '../../src/bot/deps';
import { createHealthCheck } from '../../src/bot/health';
import { startBot, type RunningBot } from '../../src/bot/run';
import { BOT_USERNAME, startBotWorld, textOf, type BotWorld } from './harness';

/** How the bot meets Telegram and operators: webhook secret, 429s, groups, flood limit, errors, /healthz, /metrics. */
describe('bot: transport, limits and operations', () => {
  let w: BotWorld;
  let bot: RunningBot | undefined;

  beforeAll(async () => {
    w = await startBotWorld({ noBot: true });
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });
  afterAll(() => w?.stop());

  it('webhook mode: Telegram’s deliveries carry the secret and are answered; a request without it is refused', async () => {
    const port = await freePort();
    const secret = 'hook-secret-0123456789';
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    const config = {
      ...w.config,
      BOT_MODE: 'webhook' as const,
      BOT_WEBHOOK_URL: url,
      BOT_WEBHOOK_SECRET: secret,
      BOT_HTTP_PORT: port,
    };
    bot = await startBot({ ...w.botDeps, config });
    expect(w.tg.webhookInfo()).toMatchObject({ url, secretToken: secret });

    const user = w.user('en');
    expect(textOf(await w.send(user, '/help'))).toContain('FACEIT CS2 analysis bot');
    const delivery = await w.tg.waitFor(() => w.tg.webhookDeliveries().find((d) => d.ok));
    expect(delivery).toMatchObject({ secretTokenSent: true, status: 200 });

    const forged = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          update_id: 999_999,
          message: {
            message_id: 1,
            date: 0,
            chat: { id: 42, type: 'private' },
            from: { id: 42, is_bot: false, first_name: 'X' },
            text: '/start',
          },
        }),
      });
    expect((await forged({})).status).toBe(401);
    expect((await forged({ 'X-Telegram-Bot-Api-Secret-Token': 'wrong' })).status).toBe(401);
    expect(await w.repos.users.get(42)).toBeNull();
  });

  it('a webhook configuration without a secret is refused at start-up', async () => {
    const config = {
      ...w.config,
      BOT_MODE: 'webhook' as const,
      BOT_WEBHOOK_URL: 'https://bot.example/hook',
      BOT_WEBHOOK_SECRET: undefined,
    };
    await expect(startBot({ ...w.botDeps, config })).rejects.toThrow(/BOT_WEBHOOK_SECRET/);
  });

  describe('long polling', () => {
    beforeEach(async () => {
      bot = await startBot(w.botDeps);
    });

    it('auto-retry rides out an injected Telegram 429 (retry_after respected)', async () => {
      const user = w.user('ru');
      w.tg.failNext('sendMessage', {
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        retry_after: 1,
      });
      const started = Date.now();
      const reply = await w.send(user, '/help');
      expect(textOf(reply)).toContain('Бот анализа FACEIT CS2');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const sends = w.tg.calls('sendMessage').filter((c) => c.params.chat_id === user.id);
      expect(sends.map((c) => c.status)).toEqual([429, 200]);
    });

    it('groups: commands with the bot’s @name work, other bots’ commands and chatter are ignored', async () => {
      const [player] = w.faceit.control.findPlayers({ minMatches: 30, hasCs2: true, limit: 1 });
      const user = w.user('en');
      const groupId = -Math.floor(1e9 + Math.random() * 1e9);
      const inGroup = { chatId: groupId, chatType: 'group' as const };
      const profile = await w.send(user, `/profile@${BOT_USERNAME} ${player.nickname}`, inGroup);
      expect(textOf(profile)).toContain(`👤 ${player.nickname}`);
      const settings = await w.send(user, `/settings@${BOT_USERNAME}`, inGroup);
      expect(textOf(settings)).toBe('This works in a private chat with me.');
      expect(settings.replyMarkup?.inline_keyboard?.[0][0].url).toBe(`https://t.me/${BOT_USERNAME}`);

      const before = w.tg.botMessages(groupId).length;
      w.tg.sendUserMessage({ from: user, text: `/profile@other_bot ${player.nickname}`, ...inGroup });
      w.tg.sendUserMessage({ from: user, text: player.nickname, ...inGroup });
      w.tg.sendUserMessage({
        from: user,
        text: 'gg https://www.faceit.com/en/cs2/room/1-00000000-0000-4000-8000-000000000000',
        ...inGroup,
      });
      const help = await w.send(user, `/help@${BOT_USERNAME}`, inGroup);
      expect(textOf(help)).toContain('FACEIT CS2 analysis bot');
      expect(w.tg.botMessages(groupId).length).toBe(before + 1);
      expect(await w.repos.faceitAccounts.get(user.id)).toBeNull();
    });

    it('/healthz reports PostgreSQL, Redis, Temporal and every tier; /metrics serves Prometheus text', async () => {
      const health = await fetch(`http://127.0.0.1:${bot!.httpPort}/healthz`);
      expect(health.status).toBe(200);
      const report = (await health.json()) as { ok: boolean; tiers: Array<{ tier: string; ok: boolean }> };
      expect(report).toMatchObject({ ok: true, database: true, redis: true, temporal: true });
      expect(report.tiers.map((t) => [t.tier, t.ok])).toEqual([
        ['critical', true],
        ['high', true],
        ['default', true],
        ['low', true],
      ]);
      await w.send(w.user('en'), '/help');
      const scrape = async () => {
        const res = await fetch(`http://127.0.0.1:${bot!.httpPort}/metrics`);
        expect(res.headers.get('content-type')).toContain('text/plain');
        return res.text();
      };
      // The handler's timer stops just after its reply went out.
      let text = await scrape();
      for (let i = 0; i < 20 && !text.includes('bot_update_duration_seconds_count'); i++)
        text = await scrape();
      expect(text).toMatch(/bot_updates_total\{type="message"\} \d+/);
      expect(text).toContain('bot_update_duration_seconds_bucket');
      expect(text).toContain('process_cpu_user_seconds_total');
    });

    it('/healthz answers 503 naming the tier whose workers are down', async () => {
      const check = createHealthCheck(
        { ...w.botDeps, config: { ...w.config, TASK_QUEUE_LOW: `nobody-polls-${Date.now()}` } },
        { tierTimeoutMs: 1500 },
      );
      const report = await check();
      expect(report.ok).toBe(false);
      expect(report.tiers.filter((t) => !t.ok).map((t) => t.tier)).toEqual(['low']);
    });
  });

  it('per-user flood limit in Redis: a burst beyond it gets one notice, the rest is dropped', async () => {
    bot = await startBot({ ...w.botDeps, flood: { limit: 3, timeFrameMs: 10_000 } });
    const user = w.user('ru');
    const other = w.user('ru');
    const first = w.tg.sendUserMessage({ from: user, text: '/help' });
    for (let i = 0; i < 5; i++) w.tg.sendUserMessage({ from: user, text: '/help' });
    const replies = await w.replies(user.id, first.messageId, 4);
    expect(replies.filter((m) => textOf(m).includes('Бот анализа')).length).toBe(3);
    expect(textOf(replies[3])).toContain('Слишком много сообщений');
    expect(textOf(await w.send(other, '/help'))).toContain('Бот анализа');
    expect(await w.redis.exists(`bot:flood:${user.id}`)).toBe(1);
  });

  it('the error boundary: a failure deep inside answers with a friendly message, never a stack trace', async () => {
    const repos = createRepositories(w.pool);
    repos.subscriptions.effective = () =>
      Promise.reject(new Error('relation "subscriptions" is on fire\n    at db.ts:1'));
    bot = await startBot(createBotDeps({ ...w.botDeps, repos }));
    for (const [lang, expected] of [
      ['ru', '⚠️ Что-то пошло не так на моей стороне. Попробуй ещё раз через минуту.'],
      ['en', '⚠️ Something went wrong on my side. Please try again in a minute.'],
    ] as const) {
      const user = w.user(lang);
      const reply = await w.send(user, `/profile somebody`);
      expect(textOf(reply)).toBe(expected);
    }
    // The bot lives on.
    expect(textOf(await w.send(w.user('en'), '/settings'))).toContain('Settings');
  });

  it('a stats workflow that fails (FACEIT down past every retry) gets a clear answer, not an error', async () => {
    const failing = new Proxy(w.client, {
      get(target, prop, receiver) {
        if (prop !== 'workflow') return Reflect.get(target, prop, receiver);
        return new Proxy(target.workflow, {
          get(workflow, name, r) {
            if (name !== 'start') return Reflect.get(workflow, name, r);
            // Started, then failed (FACEIT down past every retry): the workflow ran, FACEIT is to blame.
            return () =>
              Promise.resolve({
                result: () =>
                  Promise.reject(
                    new WorkflowFailedError('Workflow execution timed out', undefined, 'TIMEOUT'),
                  ),
              });
          },
        });
      },
    });
    bot = await startBot({ ...w.botDeps, client: failing });
    const reply = await w.send(w.user('ru'), '/profile somebody');
    expect(textOf(reply)).toBe('⚠️ FACEIT сейчас не отвечает. Попробуй ещё раз через минуту.');
  });

  it('refuses to start without a BOT_TOKEN', async () => {
    await expect(startBot({ ...w.botDeps, config: { ...w.config, BOT_TOKEN: undefined } })).rejects.toThrow(
      /BOT_TOKEN/,
    );
  });
});
