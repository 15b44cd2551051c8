import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Api } from 'grammy';
import { Redis } from 'ioredis';
import { Client as PgClient } from 'pg';
import { sql } from 'slonik';
import { z } from 'zod';
import type { ActivityDeps } from '../../src/activities';
import type { Config, QueueTier } from '../../src/config';
import { runMigrations } from '../../src/db/migrate';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import { type FaceitEmulator, type LobbyInfo, startFaceitEmulator } from '../../emulators/faceit';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';
import { createFaceitClient, type FaceitClient } from '../../src/faceit';
import { createMonitoringActivities, type MonitoringActivityOptions } from '../../src/monitoring/activities';
import { createMonitoringRepository, type MonitoringRepository } from '../../src/monitoring/repository';
import type { MonitoringCycleInput, MonitoringCycleResult } from '../../src/monitoring/workflows';
import { createTelegramApi } from '../../src/telegram/api';
import type { RunningWorkers } from '../../src/temporal/worker';
import { startTestWorkers, testConfig, testLogger, testTemporalClient } from '../harness';

/**
 * The monitoring tests' world: a fresh database of their own (the cycle polls every due player in the database, so
 * other suites' rows must not be there), the FACEIT and Telegram emulators, a FACEIT client with its own Redis
 * budget keys, and real Temporal workers on this file's task queues.
 */

export const BOT_TOKEN = '777000111:monitoring-test-token';
export const WEBHOOK_SECRET = 'faceit-webhook-secret-for-tests';

export async function freshDatabase(): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `monitoring_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new PgClient({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return url.toString();
}

export interface MonitoringEnv {
  config: Config;
  databaseUrl: string;
  pool: DatabasePool;
  repo: MonitoringRepository;
  redis: Redis;
  faceit: FaceitClient;
  faceitPrefix: string;
  redisPrefix: string;
  emulator: FaceitEmulator;
  tg: TelegramEmulator;
  api: Api;
  client: Client;
  deps: ActivityDeps;
  activities(options?: MonitoringActivityOptions): ReturnType<typeof createMonitoringActivities>;
  startWorkers(tiers?: readonly QueueTier[], options?: MonitoringActivityOptions): Promise<RunningWorkers>;
  stop(): Promise<void>;
}

export async function startMonitoringEnv(
  options: { latencyMs?: number; env?: Record<string, string>; seed?: string } = {},
): Promise<MonitoringEnv> {
  const databaseUrl = await freshDatabase();
  const emulator = await startFaceitEmulator({
    seed: options.seed ?? 'monitoring',
    latencyMs: options.latencyMs ?? 2,
  });
  const tg = await startTelegramEmulator({ tokens: [BOT_TOKEN], autoCreateChats: true, limits: false });
  const config = testConfig({
    DATABASE_URL: databaseUrl,
    BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    FACEIT_API_BASE_URL: emulator.baseUrl,
    FACEIT_API_KEY: emulator.apiKey,
    FACEIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    FACEIT_REQUEST_TIMEOUT_MS: '5000',
    ...options.env,
  });
  const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 8 });
  const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2 });
  const faceitPrefix = `test:monitoring:${randomUUID().slice(0, 8)}:`;
  const redisPrefix = `${faceitPrefix}mon:`;
  const faceit = createFaceitClient({
    config,
    redis,
    logger: testLogger,
    keyPrefix: faceitPrefix,
    metricsRegistry: null,
  });
  const api = createTelegramApi(config);
  const deps: ActivityDeps = { config, logger: testLogger, pool, redis, faceit, telegram: api };
  const client = await testTemporalClient(config);
  const running: RunningWorkers[] = [];
  const activities = (o: MonitoringActivityOptions = {}) =>
    createMonitoringActivities(deps, { redisPrefix, ...o });
  return {
    config,
    databaseUrl,
    pool,
    repo: createMonitoringRepository(pool),
    redis,
    faceit,
    faceitPrefix,
    redisPrefix,
    emulator,
    tg,
    api,
    client,
    deps,
    activities,
    async startWorkers(tiers = ['default', 'low'], o = {}) {
      const workers = await startTestWorkers(config, activities(o), tiers);
      running.push(workers);
      return workers;
    },
    async stop() {
      for (const w of running.splice(0)) await w.shutdown().catch(() => undefined);
      await client.connection.close();
      await faceit.close();
      redis.disconnect();
      await pool.end();
      await tg.stop();
      await emulator.stop();
    },
  };
}

/** A chat that tracks a player, straight into the database (the commands have their own test). */
export async function track(
  env: MonitoringEnv,
  chatId: number,
  player: { playerId: string; nickname: string },
  options: { type?: 'private' | 'group' | 'supergroup'; language?: 'ru' | 'en' } = {},
): Promise<void> {
  await env.repo.upsertChat({
    chatId,
    type: options.type ?? (chatId > 0 ? 'private' : 'group'),
    title: chatId > 0 ? null : `Group ${chatId}`,
    language: options.language ?? 'en',
  });
  await env.repo.track(chatId, player, chatId > 0 ? chatId : null, 1_000_000);
}

/** Time passes: these players (or all) are due again. */
export async function makeDue(env: MonitoringEnv, playerIds?: string[]): Promise<void> {
  await env.pool.query(sql.unsafe`
    UPDATE player_watch SET next_check_at = now() - interval '1 second'
    ${playerIds ? sql.fragment`WHERE faceit_player_id = ANY(${sql.array(playerIds, 'text')})` : sql.fragment``}`);
}

export function runCycle(
  env: MonitoringEnv,
  input: MonitoringCycleInput = {},
): Promise<MonitoringCycleResult> {
  return env.client.workflow.execute('monitoringCycleWorkflow', {
    taskQueue: env.config.TASK_QUEUE_LOW,
    workflowId: `test-monitoring-cycle-${randomUUID()}`,
    args: [input],
    workflowExecutionTimeout: '2 minutes',
  });
}

/** The player plays a match in the emulator: a lobby around them, finished now (history, stats and ELO change). */
export async function playMatch(
  env: MonitoringEnv,
  players: string[],
  options: { winner?: 'faction1' | 'faction2'; map?: string } = {},
): Promise<LobbyInfo & { eloBefore: Record<string, number | undefined> }> {
  const lobby = await env.emulator.control.createLobby({ players, status: 'ONGOING', map: options.map });
  const eloBefore = Object.fromEntries(
    [...lobby.teams.faction1.players, ...lobby.teams.faction2.players].map((p) => [p.playerId, p.elo]),
  );
  const finished = await env.emulator.control.finishMatch(lobby.matchId, { winner: options.winner });
  return { ...finished, eloBefore };
}

export function eloOf(env: MonitoringEnv, playerId: string): number {
  return env.emulator.control.player(playerId)!.elo;
}

/** Distinct CS2 players with a history, different for every call. */
let picked = 0;
export function pickPlayers(env: MonitoringEnv, n: number): Array<{ playerId: string; nickname: string }> {
  const all = env.emulator.control.findPlayers({ hasCs2: true, minMatches: 40, limit: 400 });
  const out = all.slice(picked, picked + n).map((p) => ({ playerId: p.playerId, nickname: p.nickname }));
  picked += n;
  return out;
}

/** What the bot sent to the chat, as HTML. */
export function botTexts(env: MonitoringEnv, chatId: number): string[] {
  return env.tg.botMessages(chatId).map((m) => m.rawText ?? m.text ?? '');
}

const notificationRow = z.object({
  chat_id: z.number(),
  match_id: z.string(),
  status: z.string(),
  telegram_message_id: z.number().nullable(),
});

export function notificationRows(env: MonitoringEnv, chatId: number) {
  return env.pool.any(sql.type(notificationRow)`
    SELECT chat_id, match_id, status, telegram_message_id FROM notifications_sent
    WHERE chat_id = ${chatId} ORDER BY claimed_at`);
}

const cursorRow = z.object({ cursor_match_id: z.string().nullable(), last_checked_at: z.date().nullable() });

export function cursorOf(env: MonitoringEnv, chatId: number, playerId: string) {
  return env.pool.maybeOne(sql.type(cursorRow)`
    SELECT cursor_match_id, last_checked_at FROM tracked_players
    WHERE chat_id = ${chatId} AND faceit_player_id = ${playerId}`);
}

let chatSeq = 0;
/** A fresh private chat id (the emulator creates chats on first message). */
export function newUserId(): number {
  return 6_100_000_000 + (Date.now() % 1_000_000) * 100 + chatSeq++;
}
export function newGroupId(): number {
  return -(1_000_000 + (Date.now() % 100_000) * 100 + chatSeq++);
}
