/**
 * The pre-match briefs' world: a database of its own (the monitoring cycle checks every due player in it), both
 * emulators, real workers of every tier with all the real activities (a brief joins the real shared analysis), the
 * bot itself (its commands set the auto-brief switch), and the FACEIT webhook handler in a plain HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Client } from '@temporalio/client';
import { sql } from 'slonik';
import { createActivities, type ActivityDeps } from '../../src/activities';
import { createBotDeps } from '../../src/bot/deps';
import { startBot, type RunningBot } from '../../src/bot/run';
import type { Config } from '../../src/config';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import { startFaceitEmulator, type FaceitEmulator } from '../../emulators/faceit';
import { startTelegramEmulator, type SimUser, type TelegramEmulator } from '../../emulators/telegram';
import { createFaceitClient, type FaceitClient } from '../../src/faceit';
import { createFaceitWebhookHandler } from '../../src/monitoring/webhook';
import type { MonitoringCycleResult } from '../../src/monitoring/workflows';
import { createTelegramApi } from '../../src/telegram/api';
import type { RunningWorkers } from '../../src/temporal/worker';
import { startTestWorkers, testConfig, testLogger, testTemporalClient } from '../harness';
import { freshDatabase } from '../monitoring/helpers';

export const BOT_TOKEN = '7000000777:briefs-test-token';
export const WEBHOOK_SECRET = 'briefs-webhook-secret';

export interface BriefsWorld {
  config: Config;
  tg: TelegramEmulator;
  faceit: FaceitEmulator;
  faceitClient: FaceitClient;
  pool: DatabasePool;
  client: Client;
  workers: RunningWorkers;
  bot: RunningBot;
  webhookUrl: string;
  /** The user writes `text` in a chat; resolves with the bot's first answer. */
  say(user: SimUser, text: string, chat?: { id: number; type: 'group' }): Promise<string>;
  makeDue(playerIds?: string[]): Promise<void>;
  runCycle(): Promise<MonitoringCycleResult>;
  stop(): Promise<void>;
}

export async function startBriefsWorld(
  options: { seed?: string; config?: Record<string, string> } = {},
): Promise<BriefsWorld> {
  const databaseUrl = await freshDatabase();
  const tg = await startTelegramEmulator({
    tokens: [BOT_TOKEN],
    botUsername: 'faceit_briefs_bot',
    botFirstName: 'FACEIT Briefs',
    autoCreateChats: true,
    limits: false,
  });
  const faceit = await startFaceitEmulator({ seed: options.seed ?? randomUUID(), latencyMs: 5 });
  const config = testConfig({
    DATABASE_URL: databaseUrl,
    BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    FACEIT_API_BASE_URL: faceit.baseUrl,
    FACEIT_API_KEY: faceit.apiKey,
    FACEIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    FACEIT_REQUEST_TIMEOUT_MS: '5000',
    BOT_HTTP_PORT: '0',
    ...options.config,
  });
  const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 8 });
  const redis = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: 2 });
  const faceitClient = createFaceitClient({
    config,
    redis,
    logger: testLogger,
    keyPrefix: `test:briefs:${randomUUID().slice(0, 8)}:`,
    metricsRegistry: null,
  });
  const client = await testTemporalClient(config);
  const deps: ActivityDeps = {
    config,
    logger: testLogger,
    pool,
    redis,
    faceit: faceitClient,
    telegram: createTelegramApi(config),
    temporal: client,
  };
  const workers = await startTestWorkers(config, createActivities(deps));
  const bot = await startBot(
    createBotDeps({
      config,
      logger: testLogger,
      client,
      pool,
      redis,
      flood: { limit: 1000, timeFrameMs: 1000 },
    }),
  );
  // The webhook handler as the bot mounts it, but checking a finished match at once (no 20 s settle).
  const handler = createFaceitWebhookHandler(
    { config, logger: testLogger, pool, temporal: client },
    { settleMs: 0, retryDelayMs: 500 },
  );
  const server: Server = createServer((req, res) => {
    handler(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/faceit`;

  return {
    config,
    tg,
    faceit,
    faceitClient,
    pool,
    client,
    workers,
    bot,
    webhookUrl,
    async say(user, text, chat) {
      const sent = tg.sendUserMessage({ from: user, text, chatId: chat?.id, chatType: chat?.type });
      const m = await tg.waitForBotMessage(chat?.id ?? user.id, (x) => x.messageId > sent.messageId, 30_000);
      return m.text ?? '';
    },
    async makeDue(playerIds) {
      await pool.query(sql.unsafe`
        UPDATE player_watch SET next_check_at = now() - interval '1 second'
        ${playerIds ? sql.fragment`WHERE faceit_player_id = ANY(${sql.array(playerIds, 'text')})` : sql.fragment``}`);
    },
    runCycle() {
      return client.workflow.execute('monitoringCycleWorkflow', {
        taskQueue: config.TASK_QUEUE_LOW,
        workflowId: `test-briefs-cycle-${randomUUID()}`,
        args: [{}],
        workflowExecutionTimeout: '2 minutes',
      });
    },
    async stop() {
      faceit.control.setWebhook(null);
      await new Promise((resolve) => server.close(resolve));
      await bot.stop();
      await workers.shutdown();
      await client.connection.close();
      await faceitClient.close();
      redis.disconnect();
      await pool.end();
      await faceit.stop();
      await tg.stop();
    },
  };
}
