import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import Redis from 'ioredis';
import { sql } from 'slonik';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';
import {
  broadcastResult,
  broadcastWorkflowId,
  createBroadcastActivities,
  type BroadcastActivities,
  startBroadcast,
} from '../../src/broadcast';
import type { Config } from '../../src/config';
import type { DatabasePool } from '../../src/db/pool';
import type { RunningWorkers } from '../../src/temporal/worker';
import { startTestWorkers, testConfig, testLogger, testPool, testTemporalClient } from '../harness';
import { confirmedBroadcast, copiesPerChat, deliveryStatuses, seedRecipients } from './helpers';

/**
 * The send batch's heartbeat timeout is short (3 s) so that a killed worker's batch moves on quickly. A batch that
 * is alive but waiting — here for a `retry_after` much longer than that — must not be taken for dead (a second
 * attempt would only waste time; the claims keep it from sending twice). While it waits the recipient is not claimed
 * (Telegram refused the message), so a worker dying or a batch cancelled in the wait leaves it to be sent later
 * instead of "unconfirmed" and never sent.
 */
describe('broadcast batches waiting for retry_after', () => {
  const TOKEN = '7000000011:TEST-broadcast-heartbeat';
  const TEXT = 'Heartbeat hello';
  let tg: TelegramEmulator;
  let config: Config;
  let pool: DatabasePool;
  let redis: Redis;
  let client: Client;
  let workers: RunningWorkers;
  const pacerKey = `test:broadcast:${randomUUID().slice(0, 8)}:pacer`;
  const activities = () =>
    createBroadcastActivities(
      { config, logger: testLogger, pool, redis },
      { pacerKey, metricsRegistry: null },
    );

  beforeAll(async () => {
    tg = await startTelegramEmulator({ tokens: [TOKEN], limits: { global: { burst: 300, perSecond: 300 } } });
    config = testConfig({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: tg.apiRoot, BROADCAST_RATE_PER_SECOND: '50' });
    pool = await testPool();
    redis = new Redis(process.env.REDIS_URL!);
    client = await testTemporalClient(config);
    workers = await startTestWorkers(config, activities(), ['low']);
  });
  afterAll(async () => {
    await workers?.shutdown();
    await client?.connection.close();
    redis?.disconnect();
    await pool?.end();
    await tg?.stop();
  });

  /** A confirmed broadcast to the PRO users (these recipients, and any other test file's PRO users). */
  async function proBroadcast(count: number) {
    const ids = await seedRecipients(pool, tg, count);
    await pool.query(sql.unsafe`
      INSERT INTO subscriptions (telegram_id, tier, expires_at, source)
      SELECT id, 'pro', now() + interval '30 days', 'admin_grant' FROM unnest(${sql.array(ids, 'int8')}::int8[]) AS id`);
    const { broadcastId, adminId } = await confirmedBroadcast(pool, tg, TOKEN, {
      text: TEXT,
      audience: { kind: 'plan', plan: 'pro' },
    });
    return { ids, adminId, broadcastId };
  }

  const sendCalls = (chatId: number) =>
    tg.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chatId);

  it('a batch asleep in a retry_after of 7 s (heartbeat timeout 3 s) is not timed out, and everyone gets one copy', async () => {
    const { ids, adminId, broadcastId } = await proBroadcast(6);
    const throttled = ids[2];
    tg.failChat(
      throttled,
      { error_code: 429, description: 'Too Many Requests: retry after 7', retry_after: 7 },
      1,
    );

    // The workflow's default heartbeat timeout (3 s), one batch at a time.
    await startBroadcast(client, config, { broadcastId, adminId, streams: 1 });
    const report = await broadcastResult(client, broadcastId);

    const calls = sendCalls(throttled);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(7_000);
    const copies = copiesPerChat(tg, ids, (m) => m.text === TEXT);
    for (const id of ids) expect([id, copies.get(id)]).toEqual([id, 1]);
    expect(report).toMatchObject({ status: 'completed', uncertain: 0, notSent: 0 });

    // Every send batch ended in its first attempt: no heartbeat timeout, no retry.
    const history = await client.workflow.getHandle(broadcastWorkflowId(broadcastId)).fetchHistory();
    const events = history.events ?? [];
    const started = events.flatMap((e) =>
      e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : [],
    );
    expect(started.length).toBeGreaterThanOrEqual(3);
    expect(new Set(started)).toEqual(new Set([1]));
    expect(events.filter((e) => e.activityTaskTimedOutEventAttributes)).toEqual([]);
    expect(
      events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'broadcastSendBatch')
        ?.activityTaskScheduledEventAttributes?.heartbeatTimeout?.seconds,
    ).toEqual(expect.objectContaining({ low: 3 }));
  }, 60_000);

  it('while it waits it keeps heartbeating and the recipient is pending; cancelled, it ends at once, unsent', async () => {
    const { ids, broadcastId } = await proBroadcast(1);
    await activities().broadcastPrepare({ broadcastId });
    const [chat] = ids;
    tg.failChat(
      chat,
      { error_code: 429, description: 'Too Many Requests: retry after 30', retry_after: 30 },
      1,
    );

    const env = new MockActivityEnvironment({ attempt: 1, heartbeatTimeoutMs: 3_000 });
    const beats: number[] = [];
    env.on('heartbeat', () => beats.push(Date.now()));
    const running = env.run(activities().broadcastSendBatch, {
      broadcastId,
      limit: 10,
      from: chat,
      to: chat,
    });
    const deadline = Date.now() + 10_000;
    while (!sendCalls(chat).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sendCalls(chat).map((c) => c.status)).toEqual([429]);
    const asleepSince = Date.now();
    await new Promise((r) => setTimeout(r, 2_600));
    // At least every 500 ms during the wait (the worker flushes them to the server every second).
    expect(beats.filter((t) => t >= asleepSince).length).toBeGreaterThanOrEqual(4);
    // Telegram refused it, so the claim is given back for the wait: a worker killed now leaves the recipient to be
    // sent later, not "unconfirmed".
    expect((await deliveryStatuses(pool, broadcastId)).get(chat)).toBe('pending');

    const cancelledAt = Date.now();
    env.cancel();
    const result = (await running) as Awaited<ReturnType<BroadcastActivities['broadcastSendBatch']>>;
    expect(Date.now() - cancelledAt).toBeLessThan(2_000);
    expect(result).toMatchObject({ sent: 0, uncertain: 0, released: 1 });
    expect(result.remaining).toBeGreaterThanOrEqual(1);
    expect((await deliveryStatuses(pool, broadcastId)).get(chat)).toBe('pending');
    expect(sendCalls(chat).map((c) => c.status)).toEqual([429]);
    expect(tg.botMessages(chat).filter((m) => m.text === TEXT)).toEqual([]);
  }, 30_000);
});
