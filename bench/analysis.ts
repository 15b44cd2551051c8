/**
 * `npm run bench:analysis [-- --latency-ms 50 --rate 10 --cold 12 --warm 20 --baseline 3 --overload-s 20 --briefs-runs 4]`
 *
 * The lobby analysis measured end to end on its own throw-away stack: Temporal, PostgreSQL and Redis through
 * dev/services (ephemeral), the FACEIT emulator with FACEIT's real limit (10 req/s per key, 50 ms latency by
 * default), the Telegram emulator, the workers of every tier and the real bot (src/bot, long polling) in this
 * process. Every latency is **message in → report out**: the user's `/analyze <room>` goes into the Telegram
 * emulator and the clock stops when the emulator applies the LAST part of the report (bench/bot-driver.ts).
 *
 *  - cold: fresh lobbies (no player cached), next to the rate-limit floor of the calls the lobby had answered
 *    (bench/floor.ts: the limiter's stepped schedule — windows plus the chain of dependent latencies — with the old
 *    straight line calls / rate + one latency printed beside it);
 *  - same calls, one at a time, uncached: this run's plan fetched call after call by the driver (no workflow, no
 *    cache), then rendered and delivered — what the fan-out buys; the old bot's ~500 calls per lobby are quoted;
 *  - warm: new matches of already-seen players (cache);
 *  - first reply: message in → the bot's progress message (checked to be it; a run without a report fails);
 *  - duplicates: 9 requesters joining a running analysis and 5 joining the finished one (FACEIT calls they add);
 *  - overload: demand at --overload-factor (5) × the FACEIT budget for --overload-s seconds, PRO and FREE mixed,
 *    every request a user message to the bot; p50/p95 per plan, 429s seen by users, every request completed;
 *  - the peak RSS of this process (workers + bot + emulators + driver).
 *  - briefs (--briefs-runs 4, 0 = off): bench/briefs.ts on a fresh stack afterwards — pasted link → first roster
 *    content and → full report, READY → brief delivered (webhook and schedule), printed beside the figures above.
 * Environment equivalents: BENCH_FACEIT_LATENCY_MS, BENCH_FACEIT_RATE. The last stdout line is the result as JSON.
 * Any run whose report does not arrive fails the benchmark (non-zero exit).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { Api } from 'grammy';
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
  analysisWorkflowInput,
  getAnalysisProgress,
  queryAnalysisState,
} from '../src/analysis/client';
import { LIFETIME_BELOW_MATCHES } from '../src/analysis/activities';
import type { PlayerInput } from '../src/analysis/model/types';
import type { Config } from '../src/config';
import type { DatabasePool } from '../src/db/pool';
import type { Plan } from '../src/billing/plan';
import { type FaceitEmulator, type LobbyInfo, type PlayerSummary } from '../emulators/faceit';
import type { TelegramEmulator } from '../emulators/telegram';
import type { FaceitClient } from '../src/faceit';
import { budgetOf } from '../src/faceit/rate-limit-types';
import { BotDriver } from './bot-driver';
import { BENCH_BOT_TOKEN, startBenchStack } from './stack';
import { measureBriefs, type BriefsBenchResult } from './briefs';
import { historyCost, ServerRequestCounter } from './temporal-cost';
import { answeredCalls, shapeOf, steppedFloorMs, straightLineMs, type LimiterModel } from './floor';

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
  /** Runs of the briefs section (bench/briefs.ts on its own stack afterwards); 0 leaves it out. */
  briefsRuns: number;
  /** Cold lobbies measured alone for their Temporal cost (history, actions, heartbeats, queries). */
  costRuns: number;
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
      'briefs-runs': { type: 'string', default: '4' },
      'cost-runs': { type: 'string', default: '3' },
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
    briefsRuns: n('briefs-runs'),
    costRuns: n('cost-runs'),
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

interface Stack {
  opts: Options;
  /** The Temporal server's own metrics (its request counters). */
  temporalMetricsUrl?: string;
  config: Config;
  client: Client;
  pool: DatabasePool;
  faceit: FaceitEmulator;
  faceitClient: FaceitClient;
  tg: TelegramEmulator;
  api: Api;
  bot: BotDriver;
  players: PlayerSummary[];
}

/** Ten players nobody has asked about yet (no cache entry anywhere). */
function freshLobbyPlayers(stack: Stack): string[] {
  if (stack.players.length < 10) throw new Error('the emulator world ran out of fresh players');
  return stack.players.splice(0, 10).map((p) => p.playerId);
}

/** A user on `plan` writes `/analyze <room>` to the bot; resolves once the whole report has been applied. */
async function analyzeThroughBot(stack: Stack, lobby: LobbyInfo, plan: Plan, timeoutMs: number) {
  const user = await stack.bot.user(plan, Math.random() < 0.5 ? 'en' : 'ru');
  const run = stack.bot.analyze(user, lobby.roomUrl, lobby.matchId);
  return { run, delivered: stack.bot.report(run, timeoutMs) };
}

async function waitIdleBudget(stack: Stack): Promise<void> {
  // Every slot of the shared limiter frees one window (+ one latency) after it was taken.
  await sleep(
    Math.ceil(1000 * (Math.max(1, stack.opts.rate) / stack.opts.rate)) + stack.opts.latencyMs + 300,
  );
}

function callsNow(stack: Stack): number {
  return stack.faceit.control.counts().total;
}

function limiterModel(stack: Stack): LimiterModel {
  return { ...budgetOf(stack.opts.rate), latencyMs: stack.opts.latencyMs };
}

async function coldRuns(stack: Stack) {
  const rows: Array<{
    plan: Plan;
    ms: number;
    calls: number;
    answered: number;
    floor: number;
    straight: number;
    firstReplyMs: number;
    firstAnswerMs: number;
    parts: number;
    telegram429s: number;
    faceitStartMs: number;
    faceitSpanMs: number;
    players: string[];
  }> = [];
  for (let i = 0; i < stack.opts.cold; i++) {
    await waitIdleBudget(stack);
    const players = freshLobbyPlayers(stack);
    const lobby = await stack.faceit.control.createLobby({ players });
    const plan: Plan = i % 2 === 0 ? 'pro' : 'free';
    const since = Date.now();
    const before = callsNow(stack);
    const { run, delivered } = await analyzeThroughBot(stack, lobby, plan, 60_000);
    // Message in → the workflow answers its first progress query (the workflow side of the first reply).
    delivered.catch(() => undefined); // awaited below; a failure there ends the benchmark
    let firstAnswerMs = NaN;
    while (Number.isNaN(firstAnswerMs)) {
      if (await getAnalysisProgress(stack.client, lobby.matchId)) firstAnswerMs = Date.now() - run.t0;
      else if (Date.now() - run.t0 > 60_000)
        throw new Error(`cold run ${i}: no analysis workflow after 60 s`);
      else await sleep(5);
    }
    const d = await delivered;
    const calls = callsNow(stack) - before;
    // The lobby is analysed alone: everything FACEIT saw since the message is this lobby's.
    const requests = stack.faceit.control.requestLog({ since });
    const shape = shapeOf(requests);
    // Where the time went: message in → first FACEIT request; first request → last answer (vs the floor); the rest
    // (workflow compute, delivery, Telegram) up to the last part.
    const arrivals = requests.map((e) => e.at);
    const faceitStartMs = Math.min(...arrivals) - run.t0;
    const faceitSpanMs = Math.max(...arrivals) + stack.opts.latencyMs - Math.min(...arrivals);
    const answered = answeredCalls(shape);
    const floor = steppedFloorMs(shape, limiterModel(stack));
    const straight = straightLineMs(answered, stack.opts.rate, stack.opts.latencyMs);
    rows.push({
      plan,
      ms: d.ms,
      calls,
      answered,
      floor,
      straight,
      firstReplyMs: d.firstReplyMs,
      firstAnswerMs,
      parts: d.parts,
      telegram429s: d.telegram429s,
      faceitStartMs,
      faceitSpanMs,
      players,
    });
    log(
      `cold ${i + 1}/${stack.opts.cold} (${plan}): ${d.ms} ms (${d.parts} parts, first reply ${d.firstReplyMs} ms, ` +
        `${d.telegram429s} Telegram 429s), ${answered} calls answered ` +
        `(${shape.lifetime} lifetime, ${shape.rateLimited} 429s), stepped floor ${floor} ms, ` +
        `straight line ${Math.round(straight)} ms; FACEIT from +${faceitStartMs} ms for ${faceitSpanMs} ms`,
    );
  }
  return rows;
}

/**
 * What one cold analysis costs on Temporal Cloud: cold lobbies through the bot, one at a time and with nothing else
 * running (the bench does not poll them), counted by the server: billable actions in the history, its size, and
 * the heartbeats and queries its request counters saw meanwhile (the bot's progress updates included).
 */
async function costRuns(stack: Stack) {
  if (stack.opts.costRuns <= 0 || !stack.temporalMetricsUrl) return undefined;
  const counter = new ServerRequestCounter(stack.temporalMetricsUrl);
  await counter.start(1_000);
  const runs: Array<{ workflowId: string }> = [];
  for (let i = 0; i < stack.opts.costRuns; i++) {
    await waitIdleBudget(stack);
    const lobby = await stack.faceit.control.createLobby({ players: freshLobbyPlayers(stack) });
    await (
      await analyzeThroughBot(stack, lobby, i % 2 === 0 ? 'pro' : 'free', 60_000)
    ).delivered;
    runs.push({ workflowId: analysisWorkflowId(lobby.matchId) });
  }
  // The last progress poll and the delivery's heartbeats land just after the report.
  await sleep(1_500);
  const requests = await counter.stop();
  const history = await historyCost(stack.client, runs);
  const per = (x: number) => round(x / runs.length, 1) ?? 0;
  const cost = {
    runs: runs.length,
    history_events: per(history.events),
    history_actions: per(history.actions),
    heartbeats: per(requests.heartbeats),
    queries: per(requests.queries),
    billable_actions: per(history.actions + requests.heartbeats + requests.queries),
    history_bytes: Math.round(history.bytes / runs.length),
  };
  log(`temporal cost per cold analysis: ${JSON.stringify(cost)}`);
  return cost;
}

/**
 * Same calls, one at a time, uncached: this run's plan (match, then per player details, recent matches and — for a
 * thin window — lifetime stats) fetched one after another by the driver, then rendered and delivered by editing a
 * progress message. Not the old bot (which made ~500 calls per lobby; that figure is quoted, not measured).
 */
async function oneAtATimeRuns(stack: Stack) {
  const out: number[] = [];
  const fc = stack.faceitClient;
  // The workflow's own plan: matches per player and the lifetime policy ('always', or only for a thin window).
  const plan = analysisWorkflowInput(stack.config, 'bench', 'default');
  const matches = plan.matchesPerPlayer;
  for (let i = 0; i < stack.opts.baseline; i++) {
    await waitIdleBudget(stack);
    const lobby = await stack.faceit.control.createLobby({ players: freshLobbyPlayers(stack) });
    const chatId = (await stack.bot.user('free', 'en')).id;
    const t0 = Date.now();
    const m = await stack.api.sendMessage(chatId, renderProgress(0, 10, 'en'));
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
        plan.lifetime === 'always' || recent.length < Math.min(LIFETIME_BELOW_MATCHES, matches)
          ? lifetimeFrom(await fc.getPlayerStats(r.playerId, o))
          : null;
      players[r.playerId] = { details, recent, lifetime };
    }
    const texts = renderReport(analyzeLobby({ match, players }), { locale: 'en' });
    await stack.api.editMessageText(chatId, m.message_id, texts[0], { parse_mode: 'HTML' });
    for (const text of texts.slice(1)) await stack.api.sendMessage(chatId, text, { parse_mode: 'HTML' });
    out.push(Date.now() - t0);
    log(`same calls, one at a time, uncached ${i + 1}/${stack.opts.baseline}: ${Date.now() - t0} ms`);
  }
  return out;
}

async function warmRuns(stack: Stack, seen: string[][]) {
  const out: number[] = [];
  const calls: number[] = [];
  let telegram429s = 0;
  for (let i = 0; i < stack.opts.warm; i++) {
    await sleep(150);
    const lobby = await stack.faceit.control.createLobby({ players: seen[i % seen.length] });
    const before = callsNow(stack);
    const { delivered } = await analyzeThroughBot(stack, lobby, i % 2 === 0 ? 'pro' : 'free', 30_000);
    const d = await delivered;
    out.push(d.ms);
    calls.push(callsNow(stack) - before);
    if (process.env.BENCH_TRACE) {
      log(
        `warm ${i + 1}: ${d.ms} ms: ${d.timeline.map((c) => `${c.method}@${c.startMs}+${c.durationMs}`).join(' ')}`,
      );
      log(`  history: ${await historyTimeline(stack.client, lobby.matchId)}`);
    }
    telegram429s += d.telegram429s;
  }
  if (process.env.BENCH_TRACE) {
    const { register } = await import('prom-client');
    const render = (await register.getSingleMetric('analysis_card_render_seconds')?.get())?.values ?? [];
    const sum = render.find((v) => (v as { metricName?: string }).metricName?.endsWith('_sum'))?.value ?? 0;
    const count =
      render.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count'))?.value ?? 0;
    log(`lobby cards rendered: ${count}, mean ${count ? Math.round((sum / count) * 1000) : 0} ms`);
  }
  log(
    `warm: p50 ${pct(out, 50)} ms, p95 ${pct(out, 95)} ms, calls ${calls.join(',')}, ` +
      `Telegram 429s ${telegram429s}`,
  );
  return { ms: out, calls, telegram429s };
}

/** The workflow's events as offsets from its start, activity names beside their scheduling (BENCH_TRACE). */
async function historyTimeline(client: Client, matchId: string): Promise<string> {
  const history = await client.workflow.getHandle(analysisWorkflowId(matchId)).fetchHistory();
  const events = history.events ?? [];
  const t0 = Number(events[0]?.eventTime?.seconds ?? 0) * 1000 + (events[0]?.eventTime?.nanos ?? 0) / 1e6;
  return events
    .map((e) => {
      const at = Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6 - t0;
      const type = String(e.eventType ?? '');
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      return `${type}${name ? `(${name})` : ''}@${Math.round(at)}`;
    })
    .join(' ');
}

async function duplicateRun(stack: Stack) {
  await waitIdleBudget(stack);
  const lobby = await stack.faceit.control.createLobby({ players: freshLobbyPlayers(stack) });
  const since = Date.now();
  const first = await analyzeThroughBot(stack, lobby, 'free', 60_000);
  await sleep(300);
  const joining = await Promise.all(
    Array.from({ length: stack.opts.duplicates }, () => analyzeThroughBot(stack, lobby, 'free', 60_000)),
  );
  await first.delivered;
  for (const a of joining) await a.delivered;
  const late: number[] = [];
  for (let i = 0; i < stack.opts.lateDuplicates; i++) {
    const a = await analyzeThroughBot(stack, lobby, 'pro', 30_000);
    late.push((await a.delivered).ms);
  }
  // Anything requested twice in this window is what duplicates cost (one analysis asks for each path once).
  const log_ = stack.faceit.control.requestLog({ since });
  const distinct = new Set(log_.map((e) => e.path)).size;
  const duplicates = stack.opts.duplicates + stack.opts.lateDuplicates;
  // Everyone who asked is a requester of the one workflow of this match.
  const progress = await getAnalysisProgress(stack.client, lobby.matchId).catch(() => null);
  const joinedAll = (progress?.requesters.length ?? 0) === 1 + duplicates;
  log(`duplicates: ${log_.length} calls for the lobby, ${distinct} distinct; all joined: ${joinedAll}`);
  return {
    perDuplicate: (log_.length - distinct) / duplicates,
    lateMs: late,
    joinedAll,
    lobbyCalls: log_.length,
  };
}

/** Message in → the bot's progress message, on lobbies of cached players; each run must end with its report. */
async function firstReplyRuns(stack: Stack, seen: string[][]): Promise<{ mode: 'bot'; ms: number[] }> {
  const ms: number[] = [];
  for (let i = 0; i < stack.opts.firstReply; i++) {
    await sleep(400);
    const lobby = await stack.faceit.control.createLobby({ players: seen[i % seen.length] });
    const { delivered } = await analyzeThroughBot(stack, lobby, 'free', 30_000);
    ms.push((await delivered).firstReplyMs);
  }
  log(`first reply (bot): p50 ${pct(ms, 50)} ms, p95 ${pct(ms, 95)} ms`);
  return { mode: 'bot', ms };
}

async function overloadRun(stack: Stack, callsPerCold: number) {
  const { overloadS, overloadFactor, rate, proEveryS } = stack.opts;
  await waitIdleBudget(stack);
  const demandPerS = overloadFactor * rate;
  const lobbiesPerS = demandPerS / callsPerCold;
  const proPerS = 1 / proEveryS;
  const freePerS = Math.max(0, lobbiesPerS - proPerS);
  const arrivals: Array<{ at: number; plan: Plan }> = [];
  for (let t = 0; t < overloadS * 1000; t += 1000 / freePerS) arrivals.push({ at: t, plan: 'free' });
  for (let t = 500; t < overloadS * 1000; t += proEveryS * 1000) arrivals.push({ at: t, plan: 'pro' });
  arrivals.sort((a, b) => a.at - b.at);
  // Lobbies and users are made up front, so the arrival schedule is not slowed down by set-up work.
  const prepared = await Promise.all(
    arrivals.map(async (a) => ({
      ...a,
      lobby: await stack.faceit.control.createLobby({ players: freshLobbyPlayers(stack) }),
      user: await stack.bot.user(a.plan, Math.random() < 0.5 ? 'en' : 'ru'),
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
      const run = stack.bot.analyze(p.user, p.lobby.roomUrl, p.lobby.matchId);
      const d = await stack.bot.report(run, 15 * 60_000);
      const state = await queryAnalysisState(stack.client, analysisWorkflowId(p.lobby.matchId)).catch(
        () => null,
      );
      return {
        plan: p.plan,
        ms: d.ms,
        noData: state?.noDataPlayers ?? 0,
        failed: state?.stage === 'failed',
      };
    }),
  );
  const after = stack.faceit.control.counts();
  const lat = (plan: Plan) => results.filter((r) => r.plan === plan).map((r) => r.ms);
  const out = {
    requested: results.length,
    // A run without its report throws above, so reaching here means every request got its whole report.
    completed: results.length,
    // What a user would notice of FACEIT's limit: an analysis that failed, or players shown without data.
    user_429s: results.filter((r) => r.failed || r.noData > 0).length,
    faceit_429s: after.rateLimited - before.rateLimited,
    faceit_calls: after.total - before.total,
    drain_s: round((Date.now() - start) / 1000, 1),
    pro_p50_ms: pct(lat('pro'), 50),
    pro_p95_ms: pct(lat('pro'), 95),
    default_p50_ms: pct(lat('free'), 50),
    default_p95_ms: pct(lat('free'), 95),
    pro_requests: results.filter((r) => r.plan === 'pro').length,
    free_requests: results.filter((r) => r.plan === 'free').length,
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
  // Set at the end of the try: the figures of this stack, printed once it is down.
  let measured!: Parameters<typeof printTable>[0] & Record<string, unknown>;
  let rssSampled = 0;
  let rssBeforeWorkers = 0;
  const rssTimer = setInterval(
    () => (rssSampled = Math.max(rssSampled, process.memoryUsage().rss / 2 ** 20)),
    100,
  );
  const s = await startBenchStack({
    name: 'analysis',
    rate: opts.rate,
    latencyMs: opts.latencyMs,
    beforeWorkers: () => (rssBeforeWorkers = process.memoryUsage().rss / 2 ** 20),
  });
  try {
    const { config, client, pool, faceit, tg } = s;
    const bot = new BotDriver(tg, pool);
    s.onStop(async () => bot.stop());
    const players = faceit.control.findPlayers({ hasCs2: true, limit: 5000 }).sort(() => Math.random() - 0.5);
    const stack: Stack = {
      opts,
      temporalMetricsUrl: s.services.temporalMetricsUrl,
      config,
      client,
      pool,
      faceit,
      faceitClient: s.activityDeps.faceit,
      tg,
      api: new Api(BENCH_BOT_TOKEN, { apiRoot: tg.apiRoot }),
      bot,
      players,
    };
    log(
      `stack ready: FACEIT emulator ${opts.rate} req/s, ${opts.latencyMs} ms latency; ${cpus().length} cores`,
    );

    // Warm-up (not measured): first workflow tasks, connections, JIT.
    const warmupLobby = await faceit.control.createLobby({ players: freshLobbyPlayers(stack) });
    await (
      await analyzeThroughBot(stack, warmupLobby, 'free', 60_000)
    ).delivered;
    // From here on the peak is the measured work's (start-up is not): Linux resets VmHWM on "5".
    const rssAfterStart = process.memoryUsage().rss / 2 ** 20;
    resetPeakRss();
    rssSampled = rssAfterStart;

    const cold = await coldRuns(stack);
    const cost = await costRuns(stack);
    // The cold lobbies' players are cached now: warm runs and the first-reply runs reuse them in new matches.
    const seen = cold.map((c) => c.players);
    const warm = await warmRuns(stack, seen);
    const oneAtATime = await oneAtATimeRuns(stack);
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
    const straightRatios = cold.map((c) => c.ms / c.straight);
    const proUnloaded = cold.filter((c) => c.plan === 'pro').map((c) => c.ms);
    const result = {
      bench: 'analysis',
      cold_p50_ms: pct(coldMs, 50),
      cold_p95_ms: pct(coldMs, 95),
      // The stepped floor (bench/floor.ts) of the median run's answered calls.
      floor_ms: round(medianRun.floor),
      cold_vs_floor_p50: round(pct(ratios, 50), 2),
      cold_vs_floor_p95: round(pct(ratios, 95), 2),
      floor_kind: 'stepped',
      floor_straight_line_ms: round(medianRun.straight),
      cold_vs_straight_line_p50: round(pct(straightRatios, 50), 2),
      cold_vs_straight_line_p95: round(pct(straightRatios, 95), 2),
      // Same calls, one at a time, uncached (kept under its old key for existing readers).
      sequential_baseline_ms: pct(oneAtATime, 50),
      one_at_a_time_uncached_ms: pct(oneAtATime, 50),
      old_bot_calls_per_lobby_quoted: 500,
      warm_p50_ms: pct(warm.ms, 50),
      warm_p95_ms: pct(warm.ms, 95),
      warm_calls: pct(warm.calls, 50),
      warm_telegram_429s: warm.telegram429s,
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
      answered_calls_per_cold: pct(
        cold.map((c) => c.answered),
        50,
      ),
      cold_report_parts_max: Math.max(...cold.map((c) => c.parts)),
      cold_telegram_429s: cold.reduce((n, c) => n + c.telegram429s, 0),
      cold_faceit_start_p50_ms: pct(
        cold.map((c) => c.faceitStartMs),
        50,
      ),
      cold_faceit_span_p50_ms: pct(
        cold.map((c) => c.faceitSpanMs),
        50,
      ),
      cold_first_reply_p95_ms: pct(
        cold.map((c) => c.firstReplyMs),
        95,
      ),
      latency_path: 'bot: message in -> last report part applied',
      calls_per_duplicate: round(dup.perDuplicate, 2),
      late_duplicate_p95_ms: pct(dup.lateMs, 95),
      overload: { ...overload, pro_unloaded_p95_ms: pct(proUnloaded, 95) },
      worker_rss_peak_mb: Math.round(Math.max(rssSampled, peakRssMb())),
      rss_before_workers_mb: Math.round(rssBeforeWorkers),
      rss_after_start_mb: Math.round(rssAfterStart),
      temporal_cost_per_cold: cost,
      faceit: { rate_per_s: opts.rate, latency_ms: opts.latencyMs },
      cores: cpus().length,
    };
    measured = result;
  } finally {
    clearInterval(rssTimer);
    await s.stop();
  }
  printTable(measured);
  if (opts.briefsRuns <= 0) {
    console.log(JSON.stringify(measured));
    return;
  }
  // Briefs and the progressive report, on a fresh stack of their own once this one is down (bench/briefs.ts).
  log(`briefs: ${opts.briefsRuns} runs each (--briefs-runs 0 leaves them out)`);
  const briefs = await measureBriefs({
    runs: opts.briefsRuns,
    latencyMs: opts.latencyMs,
    rate: opts.rate,
  });
  printBriefsTable(briefs);
  console.log(
    JSON.stringify({
      ...measured,
      pasted_link_report_p50_ms: briefs.pasted_link_report_p50_ms,
      pasted_link_report_p95_ms: briefs.pasted_link_report_p95_ms,
      pasted_link_first_roster_p50_ms: briefs.pasted_link_first_roster_p50_ms,
      pasted_link_first_roster_p95_ms: briefs.pasted_link_first_roster_p95_ms,
      ready_to_brief_webhook_p50_ms: briefs.ready_to_brief_webhook_per_chat_p50_ms,
      ready_to_brief_webhook_p95_ms: briefs.ready_to_brief_webhook_per_chat_p95_ms,
      ready_to_brief_schedule_p50_ms: briefs.schedule_cycle_start_to_brief_per_chat_p50_ms,
      ready_to_brief_schedule_p95_ms: briefs.schedule_cycle_start_to_brief_per_chat_p95_ms,
      briefs,
    }),
  );
}

function printBriefsTable(b: BriefsBenchResult): void {
  const rows: Array<[string, string, string]> = [
    [
      'pasted link → first roster p50 / p95',
      `${b.pasted_link_first_roster_p50_ms} / ${b.pasted_link_first_roster_p95_ms} ms`,
      b.pasted_link_first_roster_p95_ms < 500 ? 'yes (< 500 ms)' : 'NO (< 500 ms)',
    ],
    [
      'pasted link → full report p50 / p95',
      `${b.pasted_link_report_p50_ms} / ${b.pasted_link_report_p95_ms} ms`,
      '',
    ],
    [
      'READY (webhook) → brief p50 / p95',
      `${b.ready_to_brief_webhook_per_chat_p50_ms} / ${b.ready_to_brief_webhook_per_chat_p95_ms} ms`,
      '',
    ],
    [
      'READY (schedule) → brief p50 / p95',
      `${b.schedule_cycle_start_to_brief_per_chat_p50_ms} / ${b.schedule_cycle_start_to_brief_per_chat_p95_ms} ms`,
      '',
    ],
    ['FACEIT calls per briefed match (3 chats)', `${b.faceit_calls_per_briefed_match_3_chats}`, ''],
  ];
  for (const [k, v, t] of rows) console.log(`${k.padEnd(42)}${v.padEnd(40)}${t}`);
}

function printTable(r: {
  cold_p50_ms: number;
  cold_p95_ms: number;
  floor_ms: number | null;
  cold_vs_floor_p95: number | null;
  floor_straight_line_ms: number | null;
  cold_vs_straight_line_p95: number | null;
  answered_calls_per_cold: number;
  one_at_a_time_uncached_ms: number;
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
    ['cold p50 / p95 (message in → last part)', `${r.cold_p50_ms} / ${r.cold_p95_ms} ms`, '', true],
    [
      'cold vs stepped floor (p95)',
      `${r.cold_vs_floor_p95}× (floor ${r.floor_ms} ms, ${r.answered_calls_per_cold} calls)`,
      '≤ 1.3×',
      (r.cold_vs_floor_p95 ?? 99) <= 1.3,
    ],
    [
      'cold vs straight line (p95, old formula)',
      `${r.cold_vs_straight_line_p95}× (${r.floor_straight_line_ms} ms)`,
      '',
      true,
    ],
    ['same calls, one at a time, uncached', `${r.one_at_a_time_uncached_ms} ms`, '', true],
    ['old bot: calls per lobby (quoted)', '~500', '', true],
    ['warm p50 / p95', `${r.warm_p50_ms} / ${r.warm_p95_ms} ms`, 'p95 < 500 ms', r.warm_p95_ms < 500],
    [
      `first reply p95 (${r.first_reply_mode}, progress msg)`,
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
  const w = [42, 40, 14];
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
