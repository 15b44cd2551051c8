import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'slonik';
import { z } from 'zod';
import { FACEIT_WEBHOOK_SECRET_HEADER, createFaceitWebhookHandler } from '../../src/monitoring/webhook';
import type { MonitoringMatchResult } from '../../src/monitoring/workflows';
import { testLogger } from '../harness';
import {
  botTexts,
  type MonitoringEnv,
  newUserId,
  pickPlayers,
  playMatch,
  runCycle,
  startMonitoringEnv,
  track,
  WEBHOOK_SECRET,
} from './helpers';

/** FACEIT webhooks: the emulator posts them to the handler mounted in a plain node:http server. */
describe('FACEIT webhooks', () => {
  let env: MonitoringEnv;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    env = await startMonitoringEnv();
    await env.startWorkers();
    const handler = createFaceitWebhookHandler(
      { config: env.config, logger: testLogger, pool: env.pool, temporal: env.client },
      { settleMs: 0, retryDelayMs: 500 },
    );
    server = createServer((req, res) => {
      handler(req, res)
        .then((handled) => {
          if (!handled) res.writeHead(404).end();
        })
        .catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/faceit`;
  });
  afterAll(async () => {
    env?.emulator.control.setWebhook(null);
    await new Promise((resolve) => server?.close(resolve));
    await env?.stop();
  });

  async function trackedPlayer() {
    const [p] = pickPlayers(env, 1);
    const chat = newUserId();
    await track(env, chat, p);
    await runCycle(env); // first sight: the cursor
    return { p, chat };
  }

  it('rejects a wrong or missing secret, and anything but POST', async () => {
    const { p, chat } = await trackedPlayer();
    env.emulator.control.setWebhook({ url, secret: 'not-the-secret' });
    const match = await playMatch(env, [p.nickname]);
    const delivery = env.emulator.control.webhookDeliveries().find((d) => d.matchId === match.matchId);
    expect(delivery?.status).toBe(401);

    const body = JSON.stringify({
      event: 'match_status_finished',
      payload: { id: match.matchId, teams: [] },
    });
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url.replace('/faceit', '/other'), { method: 'POST', body })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 500));
    expect(botTexts(env, chat)).toEqual([]);
  });

  it('with the right secret, a finished match is announced without a polling cycle', async () => {
    const { p, chat } = await trackedPlayer();
    env.emulator.control.setWebhook({ url, secret: WEBHOOK_SECRET });
    const started = Date.now();
    const match = await playMatch(env, [p.nickname]);
    const delivery = env.emulator.control.webhookDeliveries().find((d) => d.matchId === match.matchId);
    expect(delivery?.status).toBe(202);

    const message = await env.tg.waitForBotMessage(
      chat,
      (m) => (m.rawText ?? '').includes(match.matchId),
      15_000,
    );
    console.log(`webhook → notification in ${Date.now() - started} ms`);
    expect(message.rawText).toContain(p.nickname);
    const result: MonitoringMatchResult = await env.client.workflow
      .getHandle(`monitoring-finished-${match.matchId}`)
      .result();
    expect(result).toMatchObject({ notified: 1, missing: [] });

    // FACEIT delivering the same event again changes nothing.
    const again = await fetch(url, {
      method: 'POST',
      headers: { [FACEIT_WEBHOOK_SECRET_HEADER]: WEBHOOK_SECRET, 'content-type': 'application/json' },
      body: JSON.stringify({
        event: 'match_status_finished',
        payload: { id: match.matchId, teams: [{ roster: [{ id: p.playerId }] }] },
      }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(botTexts(env, chat)).toHaveLength(1);
  });

  it('match_status_ready records the pre-match ELO of tracked players; matches without them are ignored', async () => {
    const [p] = pickPlayers(env, 1);
    await track(env, newUserId(), p); // never checked yet: no ELO snapshot
    await env.pool.query(sql.unsafe`
      UPDATE player_watch SET next_check_at = now() + interval '3 hours' WHERE faceit_player_id = ${p.playerId}`);
    env.emulator.control.setWebhook({ url, secret: WEBHOOK_SECRET });
    const lobby = await env.emulator.control.createLobby({ players: [p.nickname] });
    const delivery = env.emulator.control.webhookDeliveries().find((d) => d.matchId === lobby.matchId);
    expect(delivery).toMatchObject({ event: 'match_status_ready', status: 202 });
    await env.client.workflow.getHandle(`monitoring-ready-${lobby.matchId}`).result();
    const snapshots = await env.pool.any(sql.type(
      z.object({ source: z.string(), match_id: z.string().nullable() }),
    )`
      SELECT source, match_id FROM player_elo_snapshots WHERE faceit_player_id = ${p.playerId} AND source = 'webhook'`);
    expect(snapshots.map((s) => s.match_id)).toEqual([lobby.matchId]);
    const nextCheck = await env.pool.oneFirst(sql.type(z.object({ next_check_at: z.date() }))`
      SELECT next_check_at FROM player_watch WHERE faceit_player_id = ${p.playerId}`);
    expect(nextCheck.getTime()).toBeLessThanOrEqual(Date.now() + 25 * 60_000);

    const [stranger] = pickPlayers(env, 1);
    const other = await env.emulator.control.createLobby({ players: [stranger.nickname] });
    expect(env.emulator.control.webhookDeliveries().find((d) => d.matchId === other.matchId)?.status).toBe(
      200,
    );
  });
});
