import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import { createRequestReconciler } from '../../src/analysis';
import { usageDay } from '../../src/db/repositories/usage';
import { startBot, type RunningBot } from '../../src/bot/run';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { testLogger } from '../harness';
import { temporalInterceptors } from '../../src/temporal/client';
import { controlBroadcast } from '../../src/broadcast';
import { FACEIT_WEBHOOK_PATH, FACEIT_WEBHOOK_SECRET_HEADER } from '../../src/monitoring/webhook';
import { isTemporalUnavailable } from '../../src/temporal/deadline';

/**
 * A Temporal frontend that accepts connections and never answers (a partition): every bot → Temporal call has a
 * deadline, the user hears that the service is unavailable (not that FACEIT is), their later updates are answered,
 * and an accepted analysis is stored as a pending request that reconciliation fails, refunds and explains.
 */
describe('bot → Temporal in a partition', () => {
  let w: BotWorld;
  let blackhole: Server;
  const sockets: Socket[] = [];
  let partitioned: Client;
  let bot: RunningBot | undefined;
  const RPC_MS = 1_500;
  const ADMIN_ID = 4_000_000_000 + Math.floor(Math.random() * 1_000_000);
  const FACEIT_SECRET = 'partition-webhook-secret';

  beforeAll(async () => {
    w = await startBotWorld({
      noBot: true,
      env: { ADMIN_TELEGRAM_IDS: String(ADMIN_ID), FACEIT_WEBHOOK_SECRET: FACEIT_SECRET },
    });
    blackhole = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const { port } = blackhole.address() as { port: number };
    partitioned = new Client({
      connection: Connection.lazy({ address: `127.0.0.1:${port}`, interceptors: temporalInterceptors() }),
    });
    bot = await startBot({
      ...w.botDeps,
      client: partitioned,
      config: { ...w.config, TEMPORAL_RPC_TIMEOUT_MS: RPC_MS },
      reconcile: false,
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await partitioned?.connection.close();
    for (const s of sockets) s.destroy();
    blackhole?.close();
    await w?.stop();
  });

  it('a stats command fails within the deadline with "service unavailable", and the user’s next update is answered', async () => {
    const user = w.user('en');
    const started = Date.now();
    const reply = await w.send(user, '/profile s1mple');
    expect(Date.now() - started).toBeLessThan(RPC_MS + 5_000);
    expect(textOf(reply)).toContain('The request service is unavailable right now');
    expect(textOf(reply)).not.toContain('FACEIT');
    expect(textOf(await w.send(user, '/help'))).toContain('FACEIT CS2 analysis bot');
  });

  it('/track <nickname> (the monitoring composer) answers within the deadline that the service is unavailable', async () => {
    const user = w.user('en');
    const [player] = w.faceit.control.findPlayers({ hasCs2: true, limit: 1 });
    const started = Date.now();
    const reply = await w.send(user, `/track ${player.nickname}`);
    expect(Date.now() - started).toBeLessThan(RPC_MS + 5_000);
    expect(textOf(reply)).toContain('The request service is unavailable right now');
    expect(
      await w.pool.anyFirst(sql.type(z.object({ faceit_player_id: z.string() }))`
      SELECT faceit_player_id FROM tracked_players WHERE chat_id = ${user.id}`),
    ).toEqual([]);
  });

  it('the FACEIT webhook answers 503 within the deadline (FACEIT retries the delivery)', async () => {
    const chatId = 5_000_000_000 + Math.floor(Math.random() * 1_000_000);
    const [player] = w.faceit.control.findPlayers({ hasCs2: true, limit: 1 });
    await w.pool.query(sql.unsafe`INSERT INTO chats (chat_id, type) VALUES (${chatId}, 'private')`);
    await w.pool.query(sql.unsafe`
      INSERT INTO tracked_players (chat_id, faceit_player_id, nickname) VALUES (${chatId}, ${player.playerId}, ${player.nickname})`);
    for (const event of ['match_status_finished', 'match_status_ready']) {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${bot!.httpPort}${FACEIT_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [FACEIT_WEBHOOK_SECRET_HEADER]: FACEIT_SECRET },
        body: JSON.stringify({
          event,
          payload: { id: `1-${randomUUID()}`, teams: [{ roster: [{ id: player.playerId }] }] },
        }),
      });
      expect(Date.now() - started).toBeLessThan(RPC_MS + 5_000);
      expect(res.status).toBe(503);
    }
  });

  it('an admin refund and a broadcast control fail within the deadline, said in words', async () => {
    const admin = w.user('en', { id: ADMIN_ID });
    const buyer = w.user('en');
    await w.repos.users.touch({ telegramId: buyer.id, firstName: buyer.first_name });
    const chargeId = `partition-${randomUUID()}`;
    await w.pool.query(sql.unsafe`
      INSERT INTO payments (telegram_id, telegram_payment_charge_id, currency, amount, tier, period,
        invoice_payload, expires_at)
      VALUES (${buyer.id}, ${chargeId}, 'XTR', 299, 'pro', 'month', 'p', now() + interval '30 days')`);
    const started = Date.now();
    const reply = textOf(await w.send(admin, `/admin refund ${chargeId}`));
    expect(Date.now() - started).toBeLessThan(RPC_MS + 5_000);
    expect(reply).toContain('Temporal did not answer in time');
    expect(reply).not.toMatch(/DEADLINE|UNAVAILABLE/);

    const controlStarted = Date.now();
    const err = await controlBroadcast(partitioned, 1, 'pause', RPC_MS).catch((e: unknown) => e);
    expect(Date.now() - controlStarted).toBeLessThan(RPC_MS + 5_000);
    expect(isTemporalUnavailable(err)).toBe(true);
  });

  it('an analysis accepted during the partition is kept pending, then failed, refunded and explained by reconciliation', async () => {
    const user = w.user('en');
    const matchId = `1-${randomUUID()}`;
    const day = usageDay('Europe/Moscow');
    const sent = w.tg.sendUserMessage({ from: user, text: `/analyze ${matchId}` });
    const progress = await w.tg.waitForBotMessage(user.id, (m) => m.messageId > sent.messageId, 30_000);
    await w.tg.waitFor(
      () =>
        textOf(w.tg.message(user.id, progress.messageId)).includes('answering slowly') ? true : undefined,
      { timeoutMs: RPC_MS + 10_000 },
    );
    const row = () =>
      w.pool.one(sql.type(z.object({ status: z.string(), progress_message_id: z.number().nullable() }))`
        SELECT status, progress_message_id FROM analysis_requests WHERE match_id = ${matchId}`);
    expect(await row()).toEqual({ status: 'pending', progress_message_id: progress.messageId });
    expect(await w.repos.usage.used(user.id, day)).toBe(1);

    // Temporal is back; the match's workflow never started: the reconciler settles the request.
    const reconciler = createRequestReconciler(
      { pool: w.pool, client: w.client, api: bot!.app.bot.api, logger: testLogger, rpcTimeoutMs: 5_000 },
      { olderThanMs: 0 },
    );
    const result = await reconciler.reconcileOnce();
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect((await row()).status).toBe('failed');
    expect(await w.repos.usage.used(user.id, day)).toBe(0);
    expect(textOf(w.tg.message(user.id, progress.messageId))).toContain('could not be started');
    // A second round changes nothing (settled once).
    await reconciler.reconcileOnce();
    expect(await w.repos.usage.used(user.id, day)).toBe(0);
  });
});
