import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import type { Config } from '../../src/config';
import { startBot, type RunningBot } from '../../src/bot/run';
import { freePort } from '../faceit/helpers';
import type { SimUser, StoredMessage } from '../../emulators/telegram';
import { BOT_TOKEN, startBotWorld, textOf, type BotWorld } from './harness';
import { startProxy, type TestProxy } from './webhook-proxy';

/**
 * Webhook mode with two replicas behind a proxy, Telegram (the emulator) delivering over parallel connections and
 * redelivering whatever is not answered 2xx: the answer comes when the update is stored, not when it is handled; a
 * redelivery is handled once whichever replica it reaches; one user's updates stay in order across replicas; and an
 * update a replica accepted survives that replica being SIGKILLed.
 */
const SECRET = 'replicas-webhook-secret-0123456789';
const HELP = 'FACEIT CS2 analysis bot';
const kind = (text: string) =>
  text.includes(HELP) ? 'help' : text.startsWith('⚙️ Settings') ? 'settings' : text.slice(0, 40);
const isSettings = (m: StoredMessage) => kind(textOf(m)) === 'settings';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('bot: webhook mode with replicas', () => {
  let w: BotWorld;
  let proxy: TestProxy;
  let replicas: RunningBot[] = [];
  let ports: number[] = [];
  let webhookConfig: Config;

  beforeAll(async () => {
    w = await startBotWorld({ noBot: true });
    ports = [await freePort(), await freePort()];
    proxy = await startProxy(ports);
    webhookConfig = {
      ...w.config,
      BOT_MODE: 'webhook',
      BOT_WEBHOOK_URL: `${proxy.url}/telegram/webhook`,
      BOT_WEBHOOK_SECRET: SECRET,
      BOT_UPDATE_LEASE_MS: 2_000,
      BOT_UPDATE_SWEEP_MS: 200,
    };
    for (const port of ports)
      replicas.push(await startBot({ ...w.botDeps, config: { ...webhookConfig, BOT_HTTP_PORT: port } }));
  });
  afterEach(() => proxy.use(ports));
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    replicas = [];
    await proxy?.close();
    await w?.stop();
  });

  const kinds = (chatId: number) => w.tg.botMessages(chatId).map((m) => kind(textOf(m)));
  const count = (chatId: number, k: string) => kinds(chatId).filter((x) => x === k).length;
  const acceptedAt = (updateId: number) =>
    w.tg.waitFor(() => w.tg.webhookDeliveries().find((d) => d.updateId === updateId && d.ok));
  const updateIdOf = (sent: { messageId: number }, chatId: number) =>
    w.tg.pendingUpdates().find((u) => {
      const message = u.message as { chat: { id: number }; message_id: number } | undefined;
      return message?.chat.id === chatId && message.message_id === sent.messageId;
    })?.update_id;
  /** The user writes; resolves with the update's id (taken while Telegram still holds it). */
  const write = (user: SimUser, text: string) => {
    const sent = w.tg.sendUserMessage({ from: user, text });
    const id = updateIdOf(sent, user.id);
    if (id === undefined) throw new Error('the update left the emulator before its id was read');
    return id;
  };
  const updateRow = z.object({ update_id: z.number(), outcome: z.string().nullable(), attempts: z.number() });
  const claimRow = z.object({ claimed_by: z.string().nullable() });
  const updateRows = (ids: number[]) =>
    w.pool.any(sql.type(updateRow)`
      SELECT update_id, outcome, attempts FROM telegram_updates
      WHERE bot_id = ${Number(BOT_TOKEN.split(':')[0])} AND update_id = ANY(${sql.array(ids, 'int8')})
      ORDER BY update_id`);
  const waitForClaim = async (id: number) => {
    for (let i = 0; i < 100; i++) {
      const row = await w.pool.maybeOne(sql.type(claimRow)`
        SELECT claimed_by FROM telegram_updates
        WHERE bot_id = ${Number(BOT_TOKEN.split(':')[0])} AND update_id = ${id}`);
      if (row?.claimed_by) return row.claimed_by;
      await sleep(100);
    }
    throw new Error(`update ${id} was never claimed`);
  };
  const sum = async (name: string, label: string) => {
    let total = 0;
    for (const r of replicas) {
      const metric = await r.app.metrics.registry.getSingleMetric(name)?.get();
      total += metric?.values.find((v) => v.labels.result === label)?.value ?? 0;
    }
    return total;
  };

  it('answers Telegram as soon as the update is stored, before the handler (a slow Telegram) finishes', async () => {
    const user = w.user('en');
    w.tg.delayNext('sendMessage', 3_000);
    const id = write(user, '/help');
    const delivery = await acceptedAt(id);
    const reply = await w.tg.waitForBotMessage(user.id, HELP, 15_000);
    const send = await w.tg.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === user.id);
    expect(textOf(reply)).toContain(HELP);
    expect(delivery.answeredAt! - delivery.at).toBeLessThan(1_000);
    // The 200 left while the reply was still on its way (the handler held by the slow sendMessage).
    expect(delivery.answeredAt!).toBeLessThan(send.at + send.durationMs - 1_500);
  });

  it('handles an update Telegram redelivers (its answer was lost) once, though it reached both replicas', async () => {
    const user = w.user('en');
    const duplicatesBefore = await sum('bot_webhook_updates_total', 'duplicate');
    const routedBefore = proxy.routed.length;
    proxy.dropNextAnswers(1);
    const id = write(user, '/help');
    await acceptedAt(id);
    const attempts = w.tg.webhookDeliveries().filter((d) => d.updateId === id);
    expect(attempts.map((d) => [d.attempt, d.ok])).toEqual([
      [1, false],
      [2, true],
    ]);
    // Both attempts were stored-or-refused by different replicas.
    expect(new Set(proxy.routed.slice(routedBefore)).size).toBe(2);
    await w.tg.waitForBotMessage(user.id, HELP, 15_000);
    // Time for a second handling to show, were there one.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(count(user.id, 'help')).toBe(1);
    expect(await sum('bot_webhook_updates_total', 'duplicate')).toBe(duplicatesBefore + 1);
  });

  it('keeps one user’s updates in order across replicas, while another user is not held up', async () => {
    const ann = w.user('en');
    const bob = w.user('en');
    // Ann's first reply is slow to send; her next updates reach the other replica meanwhile (a human's pace apart).
    w.tg.delayNext('sendMessage', 2_500);
    write(ann, '/help');
    await sleep(300);
    write(ann, '/settings');
    await sleep(300);
    write(ann, '/help');
    await sleep(300);
    write(bob, '/help');
    const bobReply = await w.tg.waitForBotMessage(bob.id, HELP, 15_000);
    const annReplies = await w.replies(ann.id, 0, 3);
    expect(annReplies.map((m) => kind(textOf(m)))).toEqual(['help', 'settings', 'help']);
    // Bob's lane is his own: answered while Ann's first reply was still held.
    const annFirst = await w.tg.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === ann.id);
    const bobSend = await w.tg.waitForCall('sendMessage', (c) => c.ok && c.params.chat_id === bob.id);
    expect(bobSend.at + bobSend.durationMs).toBeLessThan(annFirst.at + annFirst.durationMs);
    expect(textOf(bobReply)).toContain(HELP);
    // Ann's updates reached both replicas.
    expect(new Set(proxy.routed.slice(-4)).size).toBe(2);
  });

  it('an update a replica accepted survives that replica being SIGKILLed before handling it', async () => {
    const port = await freePort();
    const spawnedAt = Date.now();
    const child = await spawnReplica(
      webhookConfig,
      port,
      () => (w.tg.webhookInfo()?.setAt ?? 0) >= spawnedAt,
    );
    try {
      proxy.use([port]);
      const user = w.user('en');
      // Warmed up: the replica has answered once.
      write(user, '/help');
      await w.tg.waitForBotMessage(user.id, HELP, 30_000);
      // The replica starts on /help, whose reply Telegram is slow to take; /settings waits behind it in her lane.
      // (Held longer than today's 8 s answer deadline of the webhook, so an answer given only then is caught too.)
      w.tg.delayNext('sendMessage', 10_000);
      const first = write(user, '/help');
      await acceptedAt(first);
      // The replica is handling it (its lease taken, its reply on the way to a slow Telegram).
      expect(await waitForClaim(first)).toContain(`-${child.process.pid}-`);
      await sleep(1_000);
      const second = write(user, '/settings');
      // Telegram has its 200: from now on the update is the bot's to keep.
      await acceptedAt(second);
      child.process.kill('SIGKILL');
      await child.exited;
      proxy.use(ports);

      await w.tg.waitForBotMessage(user.id, isSettings, 30_000);
      let rows = await updateRows([first, second]);
      for (let i = 0; i < 50 && rows.some((r) => r.outcome === null); i++) {
        await sleep(100);
        rows = await updateRows([first, second]);
      }
      // The one in progress when the replica died is handled again (at least once); the one it had only accepted, once.
      expect(rows).toEqual([
        { update_id: first, outcome: 'handled', attempts: 2 },
        { update_id: second, outcome: 'handled', attempts: 1 },
      ]);
      const order = kinds(user.id);
      expect(order.slice(0, 3)).toEqual(['help', 'help', 'settings']);
      expect(count(user.id, 'settings')).toBe(1);
      // The dead replica's request had reached Telegram: its reply lands too. That one update is the declared
      // at-least-once case (docs/delivery.md); nothing accepted is lost.
      await w.tg.waitForCall(
        'sendMessage',
        (c) => c.params.chat_id === user.id && c.durationMs >= 10_000,
        20_000,
      );
      expect(count(user.id, 'help')).toBe(3);
    } finally {
      child.process.kill('SIGKILL');
    }
  }, 120_000);
});

/** A bot replica in its own process (`src/bot/main.ts`, as production runs it). */
async function spawnReplica(
  config: Config,
  port: number,
  /** True once the replica is up (it set the webhook, the last step of its start). */
  ready: () => boolean,
): Promise<{ process: ChildProcess; exited: Promise<unknown>; output: () => string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/bot/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      BOT_TOKEN,
      TELEGRAM_API_ROOT: config.TELEGRAM_API_ROOT,
      TASK_QUEUE_CRITICAL: config.TASK_QUEUE_CRITICAL,
      TASK_QUEUE_HIGH: config.TASK_QUEUE_HIGH,
      TASK_QUEUE_DEFAULT: config.TASK_QUEUE_DEFAULT,
      TASK_QUEUE_LOW: config.TASK_QUEUE_LOW,
      BOT_MODE: 'webhook',
      BOT_WEBHOOK_URL: config.BOT_WEBHOOK_URL,
      BOT_WEBHOOK_SECRET: config.BOT_WEBHOOK_SECRET,
      BOT_HTTP_PORT: String(port),
      BOT_UPDATE_LEASE_MS: String(config.BOT_UPDATE_LEASE_MS),
      BOT_UPDATE_SWEEP_MS: String(config.BOT_UPDATE_SWEEP_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the replica exited:\n${out}`);
    if (ready()) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the replica did not start:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { process: child, exited, output: () => out };
}
