import { freePort } from '../faceit/helpers';
import { createBotDeps } from '../../src/bot/deps';
import { startBot, type RunningBot } from '../../src/bot/run';
import { isTransientFailure } from '../../src/bot/webhook';
import { createDatabasePool } from '../../src/db/pool';
import { createRepositories } from '../../src/db/repositories';
import { startBotWorld, textOf, type BotWorld } from './harness';

/**
 * Webhook mode when handling an update fails (what the rehearsal's PostgreSQL restart showed: updates answered 200
 * and then lost, the user never told). A dependency that is unreachable before the bot said anything: Telegram is
 * asked to redeliver (503), and the update is handled once when it is back. Any other failure: the error boundary
 * tells the user, as in long polling.
 */
describe('bot: webhook deliveries redelivered or failing', () => {
  let w: BotWorld;
  let bot: RunningBot | undefined;
  let other: RunningBot | undefined;

  beforeAll(async () => {
    w = await startBotWorld({ noBot: true });
  });
  afterEach(async () => {
    await bot?.stop();
    await other?.stop();
    bot = other = undefined;
  });
  afterAll(() => w?.stop());

  const SECRET = 'hook-secret-0123456789';
  async function webhookBot(repos: ReturnType<typeof createRepositories> = w.repos, port?: number) {
    port ??= await freePort();
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    const config = {
      ...w.config,
      BOT_MODE: 'webhook' as const,
      BOT_WEBHOOK_URL: url,
      BOT_WEBHOOK_SECRET: SECRET,
      BOT_HTTP_PORT: port,
    };
    return startBot(createBotDeps({ ...w.botDeps, config, repos }));
  }

  /** What slonik throws when PostgreSQL refuses connections (it is restarting). */
  async function unreachableDatabase(): Promise<unknown> {
    const port = await freePort();
    return createDatabasePool(`postgres://postgres:x@127.0.0.1:${port}/gone`, { maximumPoolSize: 1 }).then(
      () => new Error('expected a refused connection'),
      (err: unknown) => err,
    );
  }

  it('PostgreSQL unreachable before any reply: 503, Telegram redelivers, the update is answered once', async () => {
    const refused = await unreachableDatabase();
    expect(isTransientFailure(refused)).toBe(true);
    const repos = createRepositories(w.pool);
    const touch = repos.users.touch.bind(repos.users);
    let failures = 2;
    repos.users.touch = (user) => (failures-- > 0 ? Promise.reject(refused) : touch(user));
    bot = await webhookBot(repos);

    const user = w.user('en');
    const since = lastUpdateId();
    const help = await w.send(user, '/help');
    expect(textOf(help)).toContain('FACEIT CS2 analysis bot');
    await new Promise((r) => setTimeout(r, 500));
    const answers = w.tg.botMessages(user.id);
    expect(answers.map(textOf)).toEqual([textOf(help)]);
    const deliveries = w.tg.webhookDeliveries().filter((d) => d.updateId > since);
    expect(deliveries.map((d) => d.status)).toEqual([503, 503, 200]);
  });

  it('any other failure: 200 and the user gets the friendly error message in their language', async () => {
    const repos = createRepositories(w.pool);
    repos.subscriptions.effective = () => Promise.reject(new Error('relation "subscriptions" is on fire'));
    bot = await webhookBot(repos);
    const user = w.user('en');
    const since = lastUpdateId();
    const reply = await w.send(user, '/profile somebody');
    expect(textOf(reply)).toBe('⚠️ Something went wrong on my side. Please try again in a minute.');
    const deliveries = w.tg.webhookDeliveries().filter((d) => d.updateId > since);
    expect(deliveries.map((d) => d.status)).toEqual([200]);
  });

  it('an update delivered to two replicas at once, and again later, is handled once', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    bot = await webhookBot(w.repos, portA);
    other = await webhookBot(w.repos, portB);
    const user = w.user('en');
    // The chat exists in Telegram: the user wrote before.
    const first = await w.send(user, '/help');
    const updateId = 900_000_000 + Math.floor(Math.random() * 1e8);
    const update = {
      update_id: updateId,
      message: {
        message_id: first.messageId + 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: { id: user.id, is_bot: false, first_name: user.first_name, language_code: 'en' },
        text: '/help',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    };
    const deliver = (port: number) =>
      fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
        body: JSON.stringify(update),
      }).then((r) => r.status);
    const before = w.tg.botMessages(user.id).length;
    const statuses = await Promise.all([deliver(portA), deliver(portB)]);
    // One replica handles it; the other finds it being handled (503: try later) or already done (200).
    expect(statuses).toContain(200);
    expect(statuses.every((st) => st === 200 || st === 503)).toBe(true);
    await w.tg.waitFor(() => w.tg.botMessages(user.id).length > before || undefined);
    // Telegram tries the one answered 503 again, later: dropped, answered 200.
    expect(await deliver(portB)).toBe(200);
    expect(await deliver(portA)).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const answers = w.tg.botMessages(user.id).slice(before);
    expect(answers.map(textOf)).toEqual([textOf(first)]);
  });

  /** Deliveries of updates sent after this (one test at a time, no other traffic). */
  function lastUpdateId(): number {
    return Math.max(0, ...w.tg.webhookDeliveries().map((d) => d.updateId));
  }
});
