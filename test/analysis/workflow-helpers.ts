/**
 * Shared by the lobby-analysis workflow tests: the FACEIT and Telegram emulators, activity deps pointing at them,
 * workers on unique task queues, users with quota, and a stand-in for the bot's part (progress message first).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Api, InlineKeyboard } from 'grammy';
import { sql } from 'slonik';
import { z } from 'zod';
import { createActivities } from '../../src/activities';
import { createActivityDeps } from '../../src/activities/deps';
import {
  createAnalysisActivities,
  type AnalysisActivities,
  type AnalysisActivityDeps,
} from '../../src/analysis/activities';
import { renderProgress } from '../../src/analysis/render';
import {
  getAnalysisProgress,
  requestAnalysis,
  type AnalysisProgress,
  type AnalysisRequester,
} from '../../src/analysis/client';
import type { Config } from '../../src/config';
import type { DatabasePool } from '../../src/db/pool';
import { createRepositories } from '../../src/db/repositories';
import { usageDay } from '../../src/db/repositories/usage';
import {
  startFaceitEmulator,
  type CreateLobbyOptions,
  type FaceitEmulator,
  type FaceitEmulatorOptions,
} from '../../emulators/faceit';
import { startTelegramEmulator } from '../../emulators/telegram';
import type { TelegramEmulator } from '../../emulators/telegram';
import { startOutcomeWatch } from '../../src/predictions';
import type { RunningWorkers } from '../../src/temporal/worker';
import {
  startTestWorkers,
  testConfig,
  testLogger,
  testPool,
  testTemporalClient,
  uniqueTelegramId,
} from '../harness';
import { sampleLobby } from './samples';

export const BOT_TOKEN = '7000000001:analysis-test-token';

export interface AnalysisStack {
  config: Config;
  client: Client;
  pool: DatabasePool;
  faceit: FaceitEmulator;
  tg: TelegramEmulator;
  /** The bot's own API client (sends progress messages like the bot does). */
  api: Api;
  workers?: RunningWorkers;
  closeDeps?: () => Promise<void>;
  startWorkers(): Promise<RunningWorkers>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function startAnalysisStack(
  options: { faceit?: FaceitEmulatorOptions; env?: Record<string, string>; workers?: boolean } = {},
): Promise<AnalysisStack> {
  const ratePerSecond = options.faceit?.rateLimit?.limit ?? 50;
  const faceit = await startFaceitEmulator({
    port: 0,
    seed: randomUUID(),
    players: 800,
    latencyMs: 5,
    ...options.faceit,
    rateLimit: { limit: ratePerSecond, ...options.faceit?.rateLimit },
  });
  const tg = await startTelegramEmulator({ tokens: [BOT_TOKEN], autoCreateChats: true });
  const config = testConfig({
    FACEIT_API_BASE_URL: faceit.baseUrl,
    FACEIT_API_KEY: faceit.apiKey,
    FACEIT_RATE_LIMIT_PER_SECOND: String(ratePerSecond),
    FACEIT_REQUEST_TIMEOUT_MS: '3000',
    BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    ...options.env,
  });
  const client = await testTemporalClient(config);
  const pool = await testPool();
  const api = new Api(BOT_TOKEN, { apiRoot: tg.apiRoot });
  let activities: object | undefined;
  const stack: AnalysisStack = {
    config,
    client,
    pool,
    faceit,
    tg,
    api,
    async startWorkers() {
      if (!stack.closeDeps) {
        const deps = await createActivityDeps(config, testLogger, {
          databaseUrl: process.env.DATABASE_URL ?? '',
          redisUrl: process.env.REDIS_URL ?? '',
        });
        stack.closeDeps = deps.close;
        activities = createActivities(deps.deps);
      }
      stack.workers = await startTestWorkers(config, activities ?? {});
      return stack.workers;
    },
    async stopWorkers() {
      await stack.workers?.shutdown();
      stack.workers = undefined;
    },
    async close() {
      await stack.stopWorkers();
      await stack.closeDeps?.();
      await client.connection.close();
      await pool.end();
      await tg.stop();
      await faceit.stop();
    },
  };
  if (options.workers !== false) await stack.startWorkers();
  return stack;
}

/** A stack without workers whose analysis activities a test calls itself, as Temporal would call (or retry) them. */
export interface DirectAnalysisStack extends AnalysisStack {
  /** The analysis activities on real deps (the outcome watch on the stack's low queue). */
  acts: AnalysisActivities;
  /** Another set of them with some deps replaced (e.g. a card renderer that fails). */
  activitiesWith(overrides: Partial<AnalysisActivityDeps>): AnalysisActivities;
  /** Computes and stores the recorded sample lobby's analysis under a new match id, and returns that id. */
  storedAnalysis(): Promise<string>;
}

export async function startDirectAnalysisStack(
  options: { env?: Record<string, string> } = {},
): Promise<DirectAnalysisStack> {
  const stack = await startAnalysisStack({ workers: false, env: options.env });
  const closeStack = stack.close;
  const deps = await createActivityDeps(stack.config, testLogger, {
    databaseUrl: process.env.DATABASE_URL ?? '',
    redisUrl: process.env.REDIS_URL ?? '',
  });
  const base: AnalysisActivityDeps = {
    ...deps.deps,
    watchOutcome: (client, matchId) => startOutcomeWatch(client, deps.deps.config.TASK_QUEUE_LOW, matchId),
  };
  const acts = createAnalysisActivities(base);
  return Object.assign(stack, {
    acts,
    activitiesWith: (overrides: Partial<AnalysisActivityDeps>) =>
      createAnalysisActivities({ ...base, ...overrides }),
    async storedAnalysis() {
      const lobby = sampleLobby();
      const matchId = `1-${randomUUID()}`;
      const players = Object.fromEntries(
        [...lobby.match.factions.faction1.roster, ...lobby.match.factions.faction2.roster].map((r) => [
          r.playerId,
          lobby.players[r.playerId] ?? null,
        ]),
      );
      // Run as Temporal runs it: inside an activity context whose client starts the match's outcome watch.
      await new MockActivityEnvironment(undefined, { client: stack.client }).run(acts.analysisCompute, {
        matchId,
        workflowId: `analysis-${matchId}`,
        startedAt: Date.now(),
        match: { ...lobby.match, matchId },
        players,
        faceitCalls: 21,
      });
      return matchId;
    },
    async close() {
      await deps.close();
      await closeStack();
    },
  });
}

/** A registered user who has spent one unit of today's quota on this request (as the bot does before asking). */
export async function createUser(
  stack: AnalysisStack,
  options: { locale?: 'ru' | 'en'; tier?: 'free' | 'premium' | 'pro'; faceitPlayerId?: string | null } = {},
): Promise<Omit<AnalysisRequester, 'progressMessageId'>> {
  const repos = createRepositories(stack.pool);
  const telegramId = uniqueTelegramId();
  await repos.users.touch({ telegramId, firstName: 'Tester' });
  const day = usageDay('Europe/Moscow');
  const consumed = await repos.usage.tryConsume(telegramId, day, 5);
  expect(consumed.allowed).toBe(true);
  return {
    telegramId,
    chatId: telegramId,
    locale: options.locale ?? 'ru',
    tier: options.tier ?? 'free',
    faceitPlayerId: options.faceitPlayerId ?? null,
    usageDay: day,
  };
}

const usedPlayers = new WeakMap<AnalysisStack, Set<string>>();

/** A lobby of ten players no earlier lobby of this stack had (so none of them is in the FACEIT client's cache). */
export async function freshLobby(stack: AnalysisStack, options: Omit<CreateLobbyOptions, 'players'> = {}) {
  const used = usedPlayers.get(stack) ?? new Set<string>();
  usedPlayers.set(stack, used);
  const players = stack.faceit.control
    .findPlayers({ hasCs2: true, limit: 10_000 })
    .filter((p) => !used.has(p.playerId))
    .slice(0, 10)
    .map((p) => p.playerId);
  if (players.length < 10) throw new Error('the emulator world ran out of fresh players');
  for (const id of players) used.add(id);
  return stack.faceit.control.createLobby({ ...options, players });
}

export const CANCEL_DATA = 'analysis:cancel';

/** What the bot does: the progress message with a Cancel button first, then the request. */
export async function ask(
  stack: AnalysisStack,
  matchId: string,
  user: Omit<AnalysisRequester, 'progressMessageId'>,
): Promise<{ requester: AnalysisRequester; joined: boolean; askedAt: number }> {
  const askedAt = Date.now();
  const message = await stack.api.sendMessage(user.chatId, renderProgress(0, 10, user.locale), {
    reply_markup: new InlineKeyboard().text(user.locale === 'ru' ? 'Отмена' : 'Cancel', CANCEL_DATA),
  });
  const requester: AnalysisRequester = { ...user, progressMessageId: message.message_id };
  const { joined } = await requestAnalysis(stack.client, stack.config, matchId, requester);
  return { requester, joined, askedAt };
}

export async function waitForProgress(
  stack: AnalysisStack,
  matchId: string,
  predicate: (p: AnalysisProgress) => boolean,
  timeoutMs = 30_000,
): Promise<AnalysisProgress> {
  const until = Date.now() + timeoutMs;
  let last: AnalysisProgress | null = null;
  for (;;) {
    last = await getAnalysisProgress(stack.client, matchId);
    if (last && predicate(last)) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for progress; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** FACEIT calls the emulator answered, per endpoint. */
export function faceitCalls(stack: AnalysisStack) {
  const c = stack.faceit.control.counts();
  return { total: c.total, ...c.byEndpoint, rateLimited: c.rateLimited };
}

export async function requestRow(stack: AnalysisStack, chatId: number, progressMessageId: number) {
  return stack.pool.maybeOne(sql.type(
    z.object({ status: z.string(), tier: z.string(), match_id: z.string() }),
  )`
    SELECT status, tier, match_id FROM analysis_requests
    WHERE chat_id = ${chatId} AND progress_message_id = ${progressMessageId}`);
}

export async function analysisRow(stack: AnalysisStack, matchId: string) {
  return stack.pool.maybeOne(sql.type(
    z.object({
      status: z.string(),
      workflow_id: z.string(),
      refusal_reason: z.string().nullable(),
      predicted_winner: z.string().nullable(),
      faction1_win_probability: z.number().nullable(),
      faceit_calls: z.number().nullable(),
      has_result: z.boolean(),
    }),
  )`
    SELECT status, workflow_id, refusal_reason, predicted_winner, faction1_win_probability::float8 AS faction1_win_probability,
      faceit_calls, result IS NOT NULL AS has_result
    FROM match_analyses WHERE match_id = ${matchId}`);
}

export async function quotaUsed(stack: AnalysisStack, user: { telegramId: number; usageDay: string }) {
  return createRepositories(stack.pool).usage.used(user.telegramId, user.usageDay);
}
