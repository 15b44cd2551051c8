/**
 * `npm run bench:analysis [-- --latency-ms 50 --rate 10 --cold 12 --warm 20 --baseline 3 --overload-s 20]`
 *
 * The lobby analysis measured end to end on its own throw-away stack: Temporal, PostgreSQL and Redis through
 * src/services (ephemeral), the FACEIT emulator with FACEIT's real limit (10 req/s per key, 50 ms latency by
 * default), the Telegram emulator, and the workers of every tier in this process. "Latency" is always request →
 * report delivered (the progress message edited into the report, as seen by the Telegram emulator).
 *
 *  - cold: fresh lobbies (no player cached), next to the floor the rate limit allows for the calls made
 *    (calls / rate + one latency), and a sequential baseline in the same run (the old way: one call after another,
 *    no cache);
 *  - warm: new matches of already-seen players (cache);
 *  - first reply: the real bot (src/bot) driven through the Telegram emulator: "/analyze <room>" → the bot's
 *    progress message; if the bot cannot be started, request → first progress-query answer (and it says so);
 *  - duplicates: 9 requesters joining a running analysis and 5 joining the finished one (FACEIT calls they add);
 *  - overload: demand at --overload-factor (5) × the FACEIT budget for --overload-s seconds, PRO and FREE mixed;
 *    p50/p95 per tier, 429s seen by users, every request completed;
 *  - the peak RSS of this process (workers + emulators + driver).
 * Environment equivalents: BENCH_FACEIT_LATENCY_MS, BENCH_FACEIT_RATE. The last stdout line is the result as JSON.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { Api } from 'grammy';
import Redis from 'ioredis';
import { createActivities } from '../src/activities';
import { createActivityDeps } from '../src/activities/deps';
import { createBotDeps } from '../src/bot/deps';
import { startBot } from '../src/bot/run';
import { analyzeLobby, lobbyRejection } from '../src/analysis/model/analyze';
import {
  lifetimeFrom,
  matchInfoFrom,
  playerDetailsFrom,
  recentMatchesFrom,
} from '../src/analysis/model/ingest';
import { renderProgress, renderReport } from '../src/analysis/render';
import {
  analysisWorkflowId,
  getAnalysisProgress,
  queryAnalysisState,
  requestAnalysis,
  type AnalysisRequester,
} from '../src/analysis/client';
import { LIFETIME_BELOW_MATCHES } from '../src/analysis/activities';
import type { PlayerInput } from '../src/analysis/model/types';
import { loadConfig, type Config } from '../src/config';
import { runMigrations } from '../src/db/migrate';
import { createDatabasePool, type DatabasePool } from '../src/db/pool';
import { createRepositories } from '../src/db/repositories';
import { usageDay } from '../src/db/repositories/usage';
import { startFaceitEmulator, type FaceitEmulator, type PlayerSummary } from '../emulators/faceit';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram';
import type { FaceitClient } from '../src/faceit';
import { createLogger } from '../src/logger';
import { startServices } from '../src/services';
import { createTemporalClient } from '../src/temporal/client';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { runWorkers } from '../src/temporal/worker';

const TOKEN = '7100000001:bench-analysis-token';
const REPORT_MARK = /Lobby analysis|Анализ лобби/;

interface Options {
  latencyMs: number;
  rate: number;
  cold: number;
  warm: number;
  baseline: number;
  duplicates: number;
  lateDuplicates: number;
  firstReply: number;
  overloadS: number;
  overloadFactor: number;
  proEveryS: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      'latency-ms': { type: 'string', default: process.env.BENCH_FACEIT_LATENCY_MS ?? '50' },
      rate: { type: 'string', default: process.env.BENCH_FACEIT_RATE ?? '10' },
      cold: { type: 'string', default: '12' },
      warm: { type: 'string', default: '20' },
      baseline: { type: 'string', default: '3' },
      duplicates: { type: 'string', default: '9' },
      'late-duplicates': { type: 'string', default: '5' },
      'first-reply': { type: 'string', default: '10' },
      'overload-s': { type: 'string', default: '20' },
      'overload-factor': { type: 'string', default: '5' },
      'pro-every-s': { type: 'string', default: '4' },
    },
  });
  const n = (k: keyof typeof values) => Number(values[k]);
  return {
    latencyMs: n('latency-ms'),
    rate: n('rate'),
    cold: n('cold'),
    warm: n('warm'),
    baseline: n('baseline'),
    duplicates: n('duplicates'),
    lateDuplicates: n('late-duplicates'),
    firstReply: n('first-reply'),
    overloadS: n('overload-s'),
    overloadFactor: n('overload-factor'),
    proEveryS: n('pro-every-s'),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const round = (x: number, digits = 0) =>
  Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null;

/** Watches the Telegram emulator: when each progress message became the report (or another final text). */
class DeliveryWatcher {
  readonly delivered = new Map<string, { at: number; report: boolean }>();
  readonly firstBotMessage = new Map<number, number>();
  private seq = 0;
  private stopped = false;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly tg: TelegramEmulator) {
    void this.loop();
  }

  private async loop(): Promise<void> {
    let version = this.tg.version();
    while (!this.stopped) {
      version = await this.tg.waitChange(version, 500);
      this.scan();
    }
  }

  scan(): void {
    for (const c of this.tg.calls()) {
      if (c.seq <= this.seq) continue;
      this.seq = c.seq;
      if (!c.ok) continue;
      const chatId = Number(c.params.chat_id);
      if (c.method === 'sendMessage' && !this.firstBotMessage.has(chatId))
        this.firstBotMessage.set(chatId, c.at);
      if (c.method !== 'editMessageText') continue;
      const key = `${chatId}:${Number(c.params.message_id)}`;
      const text = String(c.params.text ?? '');
      if (/⏳|▓|░/.test(text) || this.delivered.has(key)) continue;
      this.delivered.set(key, { at: c.at + (c.durationMs ?? 0), report: REPORT_MARK.test(text) });
    }
    for (const w of this.waiters) w();
  }

  async waitFor(key: string, timeoutMs: number): Promise<{ at: number; report: boolean }> {
    const until = Date.now() + timeoutMs;
    while (!this.delivered.has(key)) {
      if (Date.now() > until) throw new Error(`no delivery for ${key} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          resolve();
        };
        this.waiters.add(done);
        setTimeout(done, 250);
      });
    }
    return this.delivered.get(key)!;
  }

  stop(): void {
    this.stopped = true;
  }
}

interface Stack {
  opts: Options;
  config: Config;
  client: Client;
  pool: DatabasePool;
  faceit: FaceitEmulator;
  faceitClient: FaceitClient;
  tg: TelegramEmulator;
  api: Api;
  watcher: DeliveryWatcher;
  players: PlayerSummary[];
}

let nextTelegramId = 6_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

async function newUser(
  stack: Stack,
  tier: AnalysisRequester['tier'],
): Promise<Omit<AnalysisRequester, 'progressMessageId'>> {
  const repos = createRepositories(stack.pool);
  const telegramId = nextTelegramId++;
  await repos.users.touch({ telegramId, firstName: 'Bench' });
  const day = usageDay('Europe/Moscow');
  await repos.usage.tryConsume(telegramId, day, 1_000);
  return {
    telegramId,
    chatId: telegramId,
    locale: telegramId % 2 ? 'en' : 'ru',
    tier,
    faceitPlayerId: null,
    usageDay: day,
  };
}

/** Ten players nobody has asked about yet (no cache entry anywhere). */
function freshLobbyPlayers(stack: Stack): string[] {
  if (stack.players.length < 10) throw new Error('the emulator world ran out of fresh players');
  return stack.players.splice(0, 10).map((p) => p.playerId);
}

/** The bot's part (progress message first), then the request; resolves with the request time and the key. */
async function ask(stack: Stack, matchId: string, user: Omit<AnalysisRequester, 'progressMessageId'>) {
  const t0 = Date.now();
  const m = await stack.api.sendMessage(user.chatId, renderProgress(0, 10, user.locale));
  const requester = { ...user, progressMessageId: m.message_id };
  const { joined } = await requestAnalysis(stack.client, stack.config, matchId, requester);
  return { t0, joined, requester, key: `${user.chatId}:${m.message_id}` };
}

async function waitIdleBudget(stack: Stack): Promise<void> {
  // Every slot of the shared limiter frees one window after its answer.
  await sleep(Math.ceil(1000 * (Math.max(1, stack.opts.rate) / stack.opts.rate)) + 300);
}

function callsNow(stack: Stack): number {
  return stack.faceit.control.counts().total;
}

async function coldRuns(stack: Stack) {
  const rows: Array<{
    tier: string;
    ms: number;
    calls: number;
    floor: number;
    firstAnswerMs: number;
    players: string[];
  }> = [];
  for (let i = 0; i < stack.opts.cold; i++) {
    await waitIdleBudget(stack);
    const players = freshLobbyPlayers(stack);
    const lobby = await stack.faceit.control.createLobby({ players });
    const tier = i % 2 === 0 ? 'pro' : 'free';
    const user = await newUser(stack, tier);
    const before = callsNow(stack);
    const a = await ask(stack, lobby.matchId, user);
    let firstAnswerMs = NaN;
    while (Number.isNaN(firstAnswerMs)) {
      if (await getAnalysisProgress(stack.client, lobby.matchId)) firstAnswerMs = Date.now() - a.t0;
    }
    const d = await stack.watcher.waitFor(a.key, 60_000);
    if (!d.report) throw new Error(`cold run ${i}: no report delivered`);
    const calls = callsNow(stack) - before;
    const floor = (calls / stack.opts.rate) * 1000 + stack.opts.latencyMs;
    rows.push({ tier, ms: d.at - a.t0, calls, floor, firstAnswerMs, players });
    log(
      `cold ${i + 1}/${stack.opts.cold} (${tier}): ${d.at - a.t0} ms, ${calls} calls, floor ${Math.round(floor)} ms`,
    );
  }
  return rows;
}

/** The old way: every call one after another, no cache, then the same analysis, report and delivery. */
async function baselineRuns(stack: Stack) {
  const out: number[] = [];
  const fc = stack.faceitClient;
  const matches = stack.config.ANALYSIS_MATCHES_PER_PLAYER;
  for (let i = 0; i < stack.opts.baseline; i++) {
    await waitIdleBudget(stack);
    const lobby = await stack.faceit.control.createLobby({ players: freshLobbyPlayers(stack) });
    const user = await newUser(stack, 'free');
    const t0 = Date.now();
    const m = await stack.api.sendMessage(user.chatId, renderProgress(0, 10, user.locale));
    const o = { cache: false, priority: 'default' as const };
    const match = matchInfoFrom(await fc.getMatch(lobby.matchId, o));
    if (lobbyRejection(match)) throw new Error('baseline lobby refused');
    const players: Record<string, PlayerInput> = {};
    for (const r of [...match.factions.faction1.roster, ...match.factions.faction2.roster]) {
      const details = playerDetailsFrom(await fc.getPlayer(r.playerId, o));
      const recent = recentMatchesFrom(
        await fc.getPlayerMatchStats(r.playerId, { offset: 0, limit: matches }, o),
      );
      const lifetime =
        recent.length < Math.min(LIFETIME_BELOW_MATCHES, matches)
          ? lifetimeFrom(await fc.getPlayerStats(r.playerId, o))
          : null;
      players[r.playerId] = { details, recent, lifetime };
    }
    const text = renderReport(analyzeLobby({ match, players }), { locale: user.locale })[0];
    await stack.api.editMessageText(user.chatId, m.message_id, text, { parse_mode: 'HTML' });
    out.push(Date.now() - t0);
    log(`sequential baseline ${i + 1}/${stack.opts.baseline}: ${Date.now() - t0} ms`);
  }
  return out;
}

async function warmRuns(stack: Stack, seen: string[][]) {
  const out: number[] = [];
  const calls: number[] = [];
  for (let i = 0; i < stack.opts.warm; i++) {
    await sleep(150);
    const lobby = await stack.faceit.control.createLobby({ players: seen[i % seen.length] });
    const user = await newUser(stack, i % 2 === 0 ? 'pro' : 'free');
    const before = callsNow(stack);
    const a = await ask(stack, lobby.matchId, user);
    const d = await stack.watcher.waitFor(a.key, 30_000);
    if (!d.report) throw new Error(`warm run ${i}: no report`);
    out.push(d.at - a.t0);
    calls.push(callsNow(stack) - before);
  }
  log(`warm: p50 ${pct(out, 50)} ms, p95 ${pct(out, 95)} ms, calls ${calls.join(',')}`);
  return { ms: out, calls };
}

async function duplicateRun(stack: Stack) {
  await waitIdleBudget(stack);
  const lobby = await stack.faceit.control.createLobby({ players: freshLobbyPlayers(stack) });
  const since = Date.now();
  const first = await ask(stack, lobby.matchId, await newUser(stack, 'free'));
  await sleep(300);
  const joinedWhileRunning = await Promise.all(
    Array.from({ length: stack.opts.duplicates }, async () =>
      ask(stack, lobby.matchId, await newUser(stack, 'free')),
    ),
  );
  await stack.watcher.waitFor(first.key, 60_000);
  for (const a of joinedWhileRunning) await stack.watcher.waitFor(a.key, 60_000);
  const late: number[] = [];
  for (let i = 0; i < stack.opts.lateDuplicates; i++) {
    const a = await ask(stack, lobby.matchId, await newUser(stack, 'pro'));
    const d = await stack.watcher.waitFor(a.key, 30_000);
    if (!a.joined || !d.report) throw new Error('late duplicate was not served by the finished analysis');
    late.push(d.at - a.t0);
  }
  // Anything requested twice in this window is what duplicates cost (one analysis asks for each path once).
  const log_ = stack.faceit.control.requestLog({ since });
  const distinct = new Set(log_.map((e) => e.path)).size;
  const duplicates = stack.opts.duplicates + stack.opts.lateDuplicates;
  const joinedAll = joinedWhileRunning.every((a) => a.joined);
  log(`duplicates: ${log_.length} calls for the lobby, ${distinct} distinct; all joined: ${joinedAll}`);
  return {
    perDuplicate: (log_.length - distinct) / duplicates,
    lateMs: late,
    joinedAll,
    lobbyCalls: log_.length,
  };
}

async function firstReplyRuns(
  stack: Stack,
  seen: string[][],
): Promise<{ mode: 'bot' | 'query'; ms: number[]; note?: string }> {
  let bot: { stop(): Promise<void> } | undefined;
  try {
    const redis = new Redis(stack.config.REDIS_URL ?? '', { maxRetriesPerRequest: 2 });
    const running = await startBot(
      createBotDeps({
        config: { ...stack.config, BOT_HTTP_PORT: 0 },
        logger: createLogger({ pretty: false, level: 'silent' }),
        client: stack.client,
        pool: stack.pool,
        redis,
      }),
    );
    bot = {
      async stop() {
        await running.stop();
        redis.disconnect();
      },
    };
  } catch (err) {
    log(`the bot could not be started (${String(err)}): measuring request → first progress answer instead`);
  }
  const ms: number[] = [];
  try {
    for (let i = 0; i < stack.opts.firstReply; i++) {
      await sleep(400);
      const lobby = await stack.faceit.control.createLobby({ players: seen[i % seen.length] });
      if (bot) {
        const id = nextTelegramId++;
        const t0 = Date.now();
        stack.tg.sendUserMessage({
          from: { id, first_name: 'Bench', language_code: 'en' },
          text: `/analyze ${lobby.roomUrl}`,
        });
        const until = Date.now() + 10_000;
        while (!stack.watcher.firstBotMessage.has(id)) {
          if (Date.now() > until) throw new Error('the bot did not answer /analyze within 10 s');
          await sleep(2);
          stack.watcher.scan();
        }
        ms.push(stack.watcher.firstBotMessage.get(id)! - t0);
        await stack.watcher
          .waitFor(`${id}:${stack.tg.botMessages(id)[0]?.messageId}`, 30_000)
          .catch(() => undefined);
      } else {
        const user = await newUser(stack, 'free');
        const t0 = Date.now();
        await requestAnalysis(stack.client, stack.config, lobby.matchId, { ...user, progressMessageId: 1 });
        while (!(await getAnalysisProgress(stack.client, lobby.matchId))) await sleep(1);
        ms.push(Date.now() - t0);
      }
    }
  } finally {
    await bot?.stop();
  }
  log(`first reply (${bot ? 'bot' : 'query'}): p50 ${pct(ms, 50)} ms, p95 ${pct(ms, 95)} ms`);
  return { mode: bot ? 'bot' : 'query', ms };
}

async function overloadRun(stack: Stack, callsPerCold: number) {
  const { overloadS, overloadFactor, rate, proEveryS } = stack.opts;
  await waitIdleBudget(stack);
  const demandPerS = overloadFactor * rate;
  const lobbiesPerS = demandPerS / callsPerCold;
  const proPerS = 1 / proEveryS;
  const freePerS = Math.max(0, lobbiesPerS - proPerS);
  const arrivals: Array<{ at: number; tier: 'pro' | 'free' }> = [];
  for (let t = 0; t < overloadS * 1000; t += 1000 / freePerS) arrivals.push({ at: t, tier: 'free' });
  for (let t = 500; t < overloadS * 1000; t += proEveryS * 1000) arrivals.push({ at: t, tier: 'pro' });
  arrivals.sort((a, b) => a.at - b.at);
  // Lobbies and users are made up front, so the arrival schedule is not slowed down by set-up work.
  const prepared = await Promise.all(
    arrivals.map(async (a) => ({
      ...a,
      lobby: await stack.faceit.control.createLobby({ players: freshLobbyPlayers(stack) }),
      user: await newUser(stack, a.tier),
    })),
  );
  log(
    `overload: ${prepared.length} lobbies in ${overloadS} s (≈${Math.round(lobbiesPerS * callsPerCold)} calls/s demand ` +
      `vs ${rate}/s budget), PRO every ${proEveryS} s`,
  );
  const before = stack.faceit.control.counts();
  const start = Date.now();
  const results = await Promise.all(
    prepared.map(async (p) => {
      await sleep(Math.max(0, start + p.at - Date.now()));
      const a = await ask(stack, p.lobby.matchId, p.user);
      const d = await stack.watcher.waitFor(a.key, 15 * 60_000).catch(() => undefined);
      const state = await queryAnalysisState(stack.client, analysisWorkflowId(p.lobby.matchId)).catch(
        () => null,
      );
      return {
        tier: p.tier,
        ms: d ? d.at - a.t0 : NaN,
        report: !!d?.report,
        noData: state?.noDataPlayers ?? 0,
        failed: state?.stage === 'failed',
      };
    }),
  );
  const after = stack.faceit.control.counts();
  const lat = (tier: string) => results.filter((r) => r.tier === tier && r.report).map((r) => r.ms);
  const out = {
    requested: results.length,
    completed: results.filter((r) => r.report).length,
    // What a user would notice of FACEIT's limit: an analysis that failed, or players shown without data.
    user_429s: results.filter((r) => r.failed || r.noData > 0).length,
    faceit_429s: after.rateLimited - before.rateLimited,
    faceit_calls: after.total - before.total,
    drain_s: round((Date.now() - start) / 1000, 1),
    pro_p50_ms: pct(lat('pro'), 50),
    pro_p95_ms: pct(lat('pro'), 95),
    default_p50_ms: pct(lat('free'), 50),
    default_p95_ms: pct(lat('free'), 95),
    pro_requests: results.filter((r) => r.tier === 'pro').length,
    free_requests: results.filter((r) => r.tier === 'free').length,
  };
  log(`overload: ${JSON.stringify(out)}`);
  return out;
}

function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 2 ** 20;
}

function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not permitted: the peak then includes start-up, which only overstates it
  }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const opts = options();
  const logger = createLogger({ pretty: false, level: process.env.BENCH_LOG_LEVEL ?? 'error' });
  const suffix = randomUUID().slice(0, 8);
  const base = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error' });
  const services = await startServices(base, {
    logger,
    mode: 'ephemeral',
    databaseName: 'faceit_bench_analysis',
  });
  const stops: Array<() => Promise<unknown>> = [() => services.stop()];
  let rssSampled = 0;
  const rssTimer = setInterval(
    () => (rssSampled = Math.max(rssSampled, process.memoryUsage().rss / 2 ** 20)),
    100,
  );
  try {
    await runMigrations(services.databaseUrl, { logger });
    const faceit = await startFaceitEmulator({
      port: 0,
      seed: `bench-${suffix}`,
      players: 5000,
      latencyMs: opts.latencyMs,
      rateLimit: { limit: opts.rate },
    });
    stops.push(() => faceit.stop());
    const tg = await startTelegramEmulator({ tokens: [TOKEN], autoCreateChats: true });
    stops.push(() => tg.stop());
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      TEMPORAL_ADDRESS: services.temporalAddress,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      FACEIT_API_BASE_URL: faceit.baseUrl,
      FACEIT_API_KEY: faceit.apiKey,
      FACEIT_RATE_LIMIT_PER_SECOND: String(opts.rate),
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TASK_QUEUE_CRITICAL: `bench-critical-${suffix}`,
      TASK_QUEUE_HIGH: `bench-high-${suffix}`,
      TASK_QUEUE_DEFAULT: `bench-default-${suffix}`,
      TASK_QUEUE_LOW: `bench-low-${suffix}`,
    });
    installTemporalRuntime(logger);
    const rssBeforeWorkers = process.memoryUsage().rss / 2 ** 20;
    // The workflow bundle is built in a child process (webpack's memory is not the workers'), like a deployment.
    const bundleDir = mkdtempSync(join(tmpdir(), 'bench-analysis-'));
    stops.push(async () => rmSync(bundleDir, { recursive: true, force: true }));
    const bundlePath = join(bundleDir, 'workflows.js');
    execFileSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `require('./src/temporal/worker').bundleWorkflows().then((b) => require('fs').writeFileSync(${JSON.stringify(bundlePath)}, b.code))`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const deps = await createActivityDeps(config, logger, {
      databaseUrl: services.databaseUrl,
      redisUrl: services.redisUrl,
    });
    stops.push(() => deps.close());
    const workers = await runWorkers({
      config,
      address: services.temporalAddress,
      logger,
      activities: createActivities(deps.deps),
      bundle: { codePath: bundlePath },
    });
    stops.push(() => workers.shutdown());
    const client = await createTemporalClient({
      address: services.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
    });
    stops.push(() => client.connection.close());
    const pool = await createDatabasePool(services.databaseUrl, { maximumPoolSize: 10 });
    stops.push(() => pool.end());
    const watcher = new DeliveryWatcher(tg);
    stops.push(async () => watcher.stop());
    const players = faceit.control.findPlayers({ hasCs2: true, limit: 5000 }).sort(() => Math.random() - 0.5);
    const stack: Stack = {
      opts,
      config,
      client,
      pool,
      faceit,
      faceitClient: deps.deps.faceit,
      tg,
      api: new Api(TOKEN, { apiRoot: tg.apiRoot }),
      watcher,
      players,
    };
    log(
      `stack ready: FACEIT emulator ${opts.rate} req/s, ${opts.latencyMs} ms latency; ${cpus().length} cores`,
    );

    // Warm-up (not measured): first workflow tasks, connections, JIT.
    const warmupLobby = await faceit.control.createLobby({ players: freshLobbyPlayers(stack) });
    await stack.watcher.waitFor(
      (await ask(stack, warmupLobby.matchId, await newUser(stack, 'free'))).key,
      60_000,
    );
    // From here on the peak is the measured work's (start-up is not): Linux resets VmHWM on "5".
    const rssAfterStart = process.memoryUsage().rss / 2 ** 20;
    resetPeakRss();
    rssSampled = rssAfterStart;

    const cold = await coldRuns(stack);
    // The cold lobbies' players are cached now: warm runs and the first-reply runs reuse them in new matches.
    const seen = cold.map((c) => c.players);
    const warm = await warmRuns(stack, seen);
    const baseline = await baselineRuns(stack);
    const dup = await duplicateRun(stack);
    const first = await firstReplyRuns(stack, seen);
    const callsPerCold = pct(
      cold.map((c) => c.calls),
      50,
    );
    const overload = await overloadRun(stack, callsPerCold);

    const coldMs = cold.map((c) => c.ms);
    const medianRun = [...cold].sort((a, b) => a.ms - b.ms)[Math.floor(cold.length / 2)];
    const ratios = cold.map((c) => c.ms / c.floor);
    const proUnloaded = cold.filter((c) => c.tier === 'pro').map((c) => c.ms);
    const result = {
      bench: 'analysis',
      cold_p50_ms: pct(coldMs, 50),
      cold_p95_ms: pct(coldMs, 95),
      floor_ms: round(medianRun.floor),
      cold_vs_floor_p50: round(pct(ratios, 50), 2),
      cold_vs_floor_p95: round(pct(ratios, 95), 2),
      sequential_baseline_ms: pct(baseline, 50),
      warm_p50_ms: pct(warm.ms, 50),
      warm_p95_ms: pct(warm.ms, 95),
      warm_calls: pct(warm.calls, 50),
      first_reply_p50_ms: pct(first.ms, 50),
      first_reply_p95_ms: pct(first.ms, 95),
      first_reply_mode: first.mode,
      first_progress_answer_p50_ms: pct(
        cold.map((c) => c.firstAnswerMs),
        50,
      ),
      first_progress_answer_p95_ms: pct(
        cold.map((c) => c.firstAnswerMs),
        95,
      ),
      calls_per_cold: callsPerCold,
      calls_per_cold_max: Math.max(...cold.map((c) => c.calls)),
      calls_per_duplicate: round(dup.perDuplicate, 2),
      late_duplicate_p95_ms: pct(dup.lateMs, 95),
      overload: { ...overload, pro_unloaded_p95_ms: pct(proUnloaded, 95) },
      worker_rss_peak_mb: Math.round(Math.max(rssSampled, peakRssMb())),
      rss_before_workers_mb: Math.round(rssBeforeWorkers),
      rss_after_start_mb: Math.round(rssAfterStart),
      faceit: { rate_per_s: opts.rate, latency_ms: opts.latencyMs },
      cores: cpus().length,
    };
    printTable(result);
    console.log(JSON.stringify(result));
  } finally {
    clearInterval(rssTimer);
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => log(`stop failed: ${String(err)}`));
  }
}

function printTable(r: {
  cold_p50_ms: number;
  cold_p95_ms: number;
  floor_ms: number | null;
  cold_vs_floor_p95: number | null;
  sequential_baseline_ms: number;
  warm_p50_ms: number;
  warm_p95_ms: number;
  first_reply_p95_ms: number;
  first_reply_mode: string;
  calls_per_cold: number;
  calls_per_cold_max: number;
  calls_per_duplicate: number | null;
  overload: {
    requested: number;
    completed: number;
    user_429s: number;
    pro_p95_ms: number;
    pro_unloaded_p95_ms: number;
    default_p95_ms: number;
  };
  worker_rss_peak_mb: number;
  rss_before_workers_mb: number;
}): void {
  const rows: Array<[string, string, string, boolean]> = [
    ['cold p50 / p95', `${r.cold_p50_ms} / ${r.cold_p95_ms} ms`, '', true],
    [
      'cold vs rate-limit floor (p95)',
      `${r.cold_vs_floor_p95}× (floor ${r.floor_ms} ms)`,
      '≤ 1.3×',
      (r.cold_vs_floor_p95 ?? 99) <= 1.3,
    ],
    ['sequential baseline (old way)', `${r.sequential_baseline_ms} ms`, '', true],
    ['warm p50 / p95', `${r.warm_p50_ms} / ${r.warm_p95_ms} ms`, 'p95 < 500 ms', r.warm_p95_ms < 500],
    [
      `first reply p95 (${r.first_reply_mode})`,
      `${r.first_reply_p95_ms} ms`,
      '< 300 ms',
      r.first_reply_p95_ms < 300,
    ],
    [
      'FACEIT calls per cold lobby',
      `${r.calls_per_cold} (max ${r.calls_per_cold_max})`,
      '≤ 31',
      r.calls_per_cold_max <= 31,
    ],
    ['FACEIT calls per duplicate', `${r.calls_per_duplicate}`, '0', r.calls_per_duplicate === 0],
    [
      'overload: completed / requested',
      `${r.overload.completed} / ${r.overload.requested}`,
      'all',
      r.overload.completed === r.overload.requested,
    ],
    ['overload: 429s seen by users', `${r.overload.user_429s}`, '0', r.overload.user_429s === 0],
    [
      'overload: PRO p95 (unloaded p95)',
      `${r.overload.pro_p95_ms} ms (${r.overload.pro_unloaded_p95_ms} ms)`,
      '≤ 2× unloaded',
      r.overload.pro_p95_ms <= 2 * r.overload.pro_unloaded_p95_ms,
    ],
    ['overload: FREE p95', `${r.overload.default_p95_ms} ms`, 'completes', true],
    [
      'process RSS peak (workers + emulators)',
      `${r.worker_rss_peak_mb} MB (${r.rss_before_workers_mb} MB before workers)`,
      '',
      true,
    ],
  ];
  const w = [34, 34, 14];
  console.log(`${'metric'.padEnd(w[0])}${'value'.padEnd(w[1])}${'target'.padEnd(w[2])}ok`);
  for (const [k, v, t, ok] of rows)
    console.log(`${k.padEnd(w[0])}${v.padEnd(w[1])}${t.padEnd(w[2])}${t ? (ok ? 'yes' : 'NO') : ''}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
