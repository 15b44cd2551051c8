import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import Redis from 'ioredis';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';
import { broadcastResult, createBroadcastActivities, startBroadcast } from '../../src/broadcast';
import type { Config } from '../../src/config';
import type { DatabasePool } from '../../src/db/pool';
import { testConfig, testLogger, testPool, testTemporalClient } from '../harness';
import { forkActivityWorker, startLocalWorkers, type LocalWorkers } from '../harness/crash-worker';
import { confirmedBroadcast, copiesPerChat, deliveryStatuses, seedRecipients } from './helpers';

/**
 * Exactly one copy per recipient across a real crash. The activity worker is a separate process that SIGKILLs itself
 * right after Telegram accepted a message and before the outcome was recorded; the workflow runs in this process. The
 * batch's heartbeat times out, Temporal retries it on the worker started afterwards, and the broadcast finishes.
 */
describe('a broadcast worker killed mid-send', () => {
  const TOKEN = '7000000009:TEST-broadcast-crash';
  let tg: TelegramEmulator;
  let config: Config;
  let pool: DatabasePool;
  let redis: Redis;
  let client: Client;
  let workers: LocalWorkers;
  const pacerKey = `test:broadcast:${randomUUID().slice(0, 8)}:pacer`;

  beforeAll(async () => {
    tg = await startTelegramEmulator({ tokens: [TOKEN], limits: { global: { burst: 300, perSecond: 300 } } });
    config = testConfig({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      BROADCAST_RATE_PER_SECOND: '100',
    });
    pool = await testPool();
    redis = new Redis(process.env.REDIS_URL!);
    client = await testTemporalClient(config);
    workers = await startLocalWorkers(config, 'low', testLogger);
    await workers.start({ workflows: true });
  });
  afterAll(async () => {
    await workers?.close();
    await client?.connection.close();
    redis?.disconnect();
    await pool?.end();
    await tg?.stop();
  });

  it('resumes after the restart and nobody gets a second copy; the lost answer is counted as unconfirmed', async () => {
    const ids = await seedRecipients(pool, tg, 400);
    const blocked = ids.filter((_, i) => i % 50 === 3);
    for (const id of blocked) tg.blockChat(id);
    const { broadcastId, adminId } = await confirmedBroadcast(pool, tg, TOKEN, { text: 'Crash-proof hello' });

    const crashing = forkActivityWorker(path.join(__dirname, 'fixtures', 'activity-worker.ts'), {
      TASK_QUEUE_LOW: config.TASK_QUEUE_LOW,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      BROADCAST_RATE_PER_SECOND: '100',
      BROADCAST_PACER_KEY: pacerKey,
      CRASH_AFTER: '150',
    });
    await crashing.ready;

    // One lane, one stream: the killed send is the only one in flight, so the outcome below is exact.
    await startBroadcast(client, config, {
      broadcastId,
      adminId,
      lanes: 1,
      streams: 1,
      heartbeatTimeoutMs: 2_000,
    });
    expect(await crashing.exited).toBe('SIGKILL');
    const crashedOn = Number(crashing.crashes[0]?.telegramId);
    expect(crashedOn).toBeGreaterThan(0);
    // Telegram has the message; the database only has the claim.
    const matches = (m: { text?: string }) => m.text === 'Crash-proof hello';
    expect(copiesPerChat(tg, [crashedOn], matches).get(crashedOn)).toBe(1);
    expect((await deliveryStatuses(pool, broadcastId)).get(crashedOn)).toBe('claimed');

    const healthy = await workers.start({
      activities: createBroadcastActivities(
        { config, logger: testLogger, pool, redis },
        { pacerKey, metricsRegistry: null },
      ),
    });
    const report = await broadcastResult(client, broadcastId);
    // The next test's killed worker must be the only one serving the queue when its broadcast starts.
    await workers.stop(healthy);

    const statuses = await deliveryStatuses(pool, broadcastId);
    const copies = copiesPerChat(tg, ids, matches);
    expect([...copies.values()].filter((n) => n > 1)).toEqual([]);
    for (const id of ids) {
      const expected = blocked.includes(id) ? 0 : 1;
      expect([id, copies.get(id), statuses.get(id)]).toEqual([
        id,
        expected,
        blocked.includes(id) ? 'blocked' : id === crashedOn ? 'uncertain' : 'sent',
      ]);
    }
    expect(report).toMatchObject({ status: 'completed', uncertain: 1, blocked: blocked.length, notSent: 0 });
    expect(report.sent + report.failed + report.blocked + report.uncertain).toBe(report.total);
    expect(report.sent).toBeGreaterThanOrEqual(ids.length - blocked.length - 1);
  }, 120_000);

  it('leaves the recipients whose sends were waiting for the send budget pending, not unconfirmed, when killed', async () => {
    // English speakers only: not the first test's 400 recipients.
    const ids = await seedRecipients(pool, tg, 60, { language: 'en' });
    const { broadcastId, adminId } = await confirmedBroadcast(pool, tg, TOKEN, {
      text: 'Budgeted hello',
      audience: { kind: 'language', language: 'en' },
    });
    // Ten lanes against a budget of 4 sends a second: at any moment nine of them are waiting for a slot.
    const worker = forkActivityWorker(path.join(__dirname, 'fixtures', 'activity-worker.ts'), {
      TASK_QUEUE_LOW: config.TASK_QUEUE_LOW,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      BROADCAST_RATE_PER_SECOND: '100',
      BROADCAST_PACER_KEY: pacerKey,
      SEND_BUDGET_PER_SECOND: '4',
    });
    await worker.ready;
    const started = Date.now();
    await startBroadcast(client, config, {
      broadcastId,
      adminId,
      lanes: 10,
      streams: 1,
      heartbeatTimeoutMs: 2_000,
    });
    const matches = (m: { text?: string }) => m.text === 'Budgeted hello';
    const sentSoFar = () => [...copiesPerChat(tg, ids, matches).values()].filter((n) => n > 0).length;
    while (sentSoFar() < 6) {
      expect(Date.now() - started).toBeLessThan(30_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    // At most the one send between its slot and Telegram's answer holds a claim; the waiting lanes held none.
    const claimed = [...(await deliveryStatuses(pool, broadcastId)).values()].filter((s) => s === 'claimed');
    expect(claimed.length).toBeLessThanOrEqual(1);

    await workers.start({
      activities: createBroadcastActivities(
        { config, logger: testLogger, pool, redis },
        { pacerKey, metricsRegistry: null },
      ),
    });
    const report = await broadcastResult(client, broadcastId);
    const copies = copiesPerChat(tg, ids, matches);
    expect([...copies.values()].filter((n) => n > 1)).toEqual([]);
    expect(report.uncertain).toBeLessThanOrEqual(1);
    expect(ids.filter((id) => copies.get(id) !== 1).length).toBeLessThanOrEqual(report.uncertain);
    expect(report).toMatchObject({ status: 'completed', notSent: 0 });
  }, 120_000);
});
