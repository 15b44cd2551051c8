/**
 * The whole system for the bot's end-to-end tests: both emulators in-process (Telegram Bot API, FACEIT Data API),
 * the suite's real Temporal, PostgreSQL and Redis, workers of every tier with the real activities, and the bot
 * itself started exactly like in production (`startBot`), talking to the Telegram emulator.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Client } from '@temporalio/client';
import { createActivities, type ActivityDeps } from '../../src/activities';
import { createBotDeps, type BotDeps } from '../../src/bot/deps';
import { startBot, type RunningBot } from '../../src/bot/run';
import type { Config, QueueTier } from '../../src/config';
import type { DatabasePool } from '../../src/db/pool';
import { createRepositories, type Repositories } from '../../src/db/repositories';
import { startFaceitEmulator, type FaceitEmulator, type FaceitEmulatorOptions } from '../../emulators/faceit';
import {
  startTelegramEmulator,
  type ChatType,
  type FloodLimitsInput,
  type SimUser,
  type StoredMessage,
  type TelegramEmulator,
} from '../../emulators/telegram';
import { createFaceitClient, type FaceitClient } from '../../src/faceit';
import { createTelegramApi } from '../../src/telegram/api';
import type { RunningWorkers } from '../../src/temporal/worker';
import {
  startTestWorkers,
  testConfig,
  testLogger,
  testPool,
  testTemporalClient,
  uniqueTelegramId,
} from '../harness';

export const BOT_TOKEN = '7000000001:TEST-faceit-bot-token';
export const BOT_USERNAME = 'faceit_test_bot';
const REPLY_TIMEOUT_MS = 30_000;

export interface BotWorldOptions {
  /** Extra configuration (e.g. QUOTA_FREE_PER_DAY, BOT_MODE). */
  env?: Record<string, string>;
  faceit?: FaceitEmulatorOptions;
  /** Telegram flood limits of the emulator; off unless a test is about them. */
  telegramLimits?: FloodLimitsInput;
  botDeps?: Partial<BotDeps>;
  /** Skip starting the bot (a test starts its own). */
  noBot?: boolean;
  /** Queue tiers the world's in-process workers serve (all by default); a test brings its own for the rest. */
  workerTiers?: readonly QueueTier[];
}

export interface BotWorld {
  config: Config;
  tg: TelegramEmulator;
  faceit: FaceitEmulator;
  faceitClient: FaceitClient;
  pool: DatabasePool;
  repos: Repositories;
  redis: Redis;
  client: Client;
  workers: RunningWorkers;
  bot?: RunningBot;
  botDeps: BotDeps;
  /** A new Telegram user (unique id) whose client speaks `language`. */
  user(language?: 'ru' | 'en', extra?: Partial<SimUser>): SimUser;
  /** The user writes `text`; resolves with the bot's first message after it. */
  send(user: SimUser, text: string, where?: { chatId?: number; chatType?: ChatType }): Promise<StoredMessage>;
  /** Bot messages in the chat after `afterMessageId` once there are `count` of them. */
  replies(chatId: number, afterMessageId: number, count: number): Promise<StoredMessage[]>;
  /** `/start [payload]`: resolves with both of the bot's answers (greeting with the language choice, prompt). */
  start(user: SimUser, payload?: string): Promise<StoredMessage[]>;
  /** The user presses an inline button; resolves when the callback query is answered. */
  click(user: SimUser, message: StoredMessage, data: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startBotWorld(options: BotWorldOptions = {}): Promise<BotWorld> {
  const tg = await startTelegramEmulator({
    tokens: [BOT_TOKEN],
    botUsername: BOT_USERNAME,
    botFirstName: 'FACEIT Test Bot',
    limits: options.telegramLimits ?? false,
  });
  // A fresh seed per world: lobby ids differ between test files, so no analysis workflow is ever shared.
  const faceit = await startFaceitEmulator({ seed: randomUUID(), latencyMs: 5, ...options.faceit });
  const config = testConfig({
    BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    FACEIT_API_BASE_URL: faceit.baseUrl,
    FACEIT_API_KEY: faceit.apiKey,
    FACEIT_REQUEST_TIMEOUT_MS: '3000',
    BOT_HTTP_PORT: '0',
    ...options.env,
  });
  const pool = await testPool();
  const redis = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: 2 });
  const faceitKeyPrefix = `test:bot:${randomUUID().slice(0, 8)}:`;
  const faceitClient = createFaceitClient({
    config,
    redis,
    logger: testLogger,
    keyPrefix: faceitKeyPrefix,
    metricsRegistry: null,
  });
  const activityDeps: ActivityDeps = {
    config,
    logger: testLogger,
    pool,
    redis,
    faceit: faceitClient,
    telegram: createTelegramApi(config),
  };
  const workers = await startTestWorkers(config, createActivities(activityDeps), options.workerTiers);
  const client = await testTemporalClient(config);
  const repos = createRepositories(pool);
  // The flood limit has its own test; elsewhere a scripted user types faster than any human.
  const flood = { limit: 1000, timeFrameMs: 1000 };
  const botDeps = createBotDeps({
    config,
    logger: testLogger,
    client,
    pool,
    redis,
    repos,
    flood,
    faceitKeyPrefix,
    ...options.botDeps,
  });
  const bot = options.noBot ? undefined : await startBot(botDeps);

  const world: BotWorld = {
    config,
    tg,
    faceit,
    faceitClient,
    pool,
    repos,
    redis,
    client,
    workers,
    bot,
    botDeps,
    user(language = 'ru', extra = {}) {
      const id = uniqueTelegramId();
      return {
        id,
        first_name: language === 'ru' ? 'Аня' : 'Ann',
        username: `u${id}`,
        language_code: language,
        ...extra,
      };
    },
    async send(user, text, where = {}) {
      const chatId = where.chatId ?? user.id;
      const sent = tg.sendUserMessage({ from: user, text, chatId, chatType: where.chatType });
      return tg.waitForBotMessage(chatId, (m) => m.messageId > sent.messageId, REPLY_TIMEOUT_MS);
    },
    replies(chatId, afterMessageId, count) {
      return tg.waitFor(
        () => {
          const list = tg.botMessages(chatId).filter((m) => m.messageId > afterMessageId);
          return list.length >= count ? list : undefined;
        },
        { timeoutMs: REPLY_TIMEOUT_MS, describe: () => tg.transcript(chatId) },
      );
    },
    async start(user, payload) {
      const sent = tg.sendUserMessage({ from: user, text: payload ? `/start ${payload}` : '/start' });
      return world.replies(user.id, sent.messageId, 2);
    },
    async click(user, message, data) {
      const { callbackQueryId } = tg.clickButton({
        chatId: message.chatId,
        messageId: message.messageId,
        data,
        from: user,
      });
      await tg.waitForCallbackAnswer(callbackQueryId, REPLY_TIMEOUT_MS);
    },
    async stop() {
      await bot?.stop();
      await workers.shutdown();
      await client.connection.close();
      await faceitClient.close();
      redis.disconnect();
      await pool.end();
      await faceit.stop();
      await tg.stop();
    },
  };
  return world;
}

/** Visible text of a message (what the user reads). */
export const textOf = (m: StoredMessage | undefined): string => m?.text ?? '';
