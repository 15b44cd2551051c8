/**
 * `npm run chaos [-- --quick] [-- --only <scenario,...>]`: the real local stack under a steady stream of users, with
 * one fault injected at a time, and what every accepted request ended as.
 *
 * Stack: a Temporal dev server with its state in a file (restarted on the same port), embedded PostgreSQL and
 * redis-server (each behind a TCP proxy on a fixed port, so a restarted server on a new port is the same address to
 * the apps), two worker processes (`src/worker.ts`, SIGKILLed and restarted), the bot in this process, and both
 * emulators (FACEIT with fault controls, Telegram with 429/5xx storms and dropped-after-accept connections).
 *
 * Users: every LOAD_EVERY_MS a new user pastes a fresh lobby's room link (and a /help from someone else).
 * Per scenario: load for a while, inject the fault, lift it, keep loading, then wait until everything settles.
 * Each request is judged from the user's chat in the Telegram emulator and the database:
 *   reported      the progress message became the report
 *   clear_message it became a notice (failed / cancelled / undelivered / not started, unit refunded)
 *   stuck         still a progress bar when the run ends
 *   lost          accepted (a progress message) but no trace of an outcome, or the bot never answered
 *   duplicates    a report part that arrived twice
 *   quota_leaked  a unit still charged for a request that did not get its report
 *   recovery_s    from lifting the fault until every request accepted so far had its outcome
 * The last line is JSON: {"scenarios": {"<name>": {...}}}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { sql } from 'slonik';
import { z } from 'zod';
import { startFaceitEmulator, type FaceitEmulator } from '../emulators/faceit';
import { startTelegramEmulator, type SimUser, type TelegramEmulator } from '../emulators/telegram';
import { createBotDeps } from '../src/bot/deps';
import { startBot, type RunningBot } from '../src/bot/run';
import { loadConfig } from '../src/config';
import { createDatabasePool, type DatabasePool } from '../src/db/pool';
import { runMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { freePort } from '../src/services/ports';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../src/services/postgres';
import { startRedisServer, type RedisServer } from '../src/services/redis';
import { startTemporalDevServer, type TemporalDevServer } from '../src/services/temporal';
import { stopAllManaged } from '../src/services/processes';
import { createTemporalClient } from '../src/temporal/client';
import { installTemporalRuntime } from '../src/temporal/runtime';

const QUICK = process.argv.includes('--quick');
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set(process.argv[i + 1].split(',')) : undefined;
})();
const D = QUICK
  ? { before: 8_000, pg: 15_000, redis: 20_000, storm: 15_000, after: 10_000, settleMax: 240_000 }
  : { before: 20_000, pg: 30_000, redis: 60_000, storm: 30_000, after: 20_000, settleMax: 420_000 };
const LOAD_EVERY_MS = 4_000;
const BOT_TOKEN = '7000000777:CHAOS-bot-token';
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', pretty: false });
const say = (s: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

// ---------------------------------------------------------------------------------------------------------- proxy

/** A TCP proxy on a fixed port; `down()` drops every connection and refuses new ones until `up(target)`. */
async function startProxy(target: number) {
  let upstream: number | undefined = target;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (upstream === undefined) return void client.destroy();
    const server = connect(upstream, '127.0.0.1');
    sockets.add(client).add(server);
    const close = () => {
      client.destroy();
      server.destroy();
      sockets.delete(client);
      sockets.delete(server);
    };
    client.on('error', close).on('close', close);
    server.on('error', close).on('close', close);
    client.pipe(server).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    down() {
      upstream = undefined;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    up(to: number) {
      upstream = to;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Proxy = Awaited<ReturnType<typeof startProxy>>;
const portOf = (url: string) => Number(new URL(url).port);

// ---------------------------------------------------------------------------------------------------------- stack

interface Stack {
  root: string;
  temporal: TemporalDevServer;
  temporalPort: number;
  pg: EmbeddedPostgresServer;
  pgProxy: Proxy;
  redisServer: RedisServer;
  redisProxy: Proxy;
  databaseUrl: string;
  redisUrl: string;
  faceit: FaceitEmulator;
  tg: TelegramEmulator;
  pool: DatabasePool;
  workers: ChildProcess[];
  bot: RunningBot;
  env: Record<string, string>;
}

async function startPg(root: string) {
  return startEmbeddedPostgres({ dir: join(root, 'postgres'), logger: log, persistent: true });
}

function startWorker(env: Record<string, string>, name: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker.ts'], {
    env: { ...process.env, ...env, WORKER_HTTP_PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => {
    const line = d.toString();
    if (/fatal|Error:/i.test(line)) say(`${name}: ${line.trim().slice(0, 300)}`);
  });
  return child;
}

async function waitWorkersPolling(stack: Stack): Promise<void> {
  const client = await createTemporalClient({ address: stack.env.TEMPORAL_ADDRESS, namespace: 'default' });
  try {
    for (const until = Date.now() + 180_000; Date.now() < until;) {
      const r = await client.workflowService
        .describeTaskQueue({ namespace: 'default', taskQueue: { name: 'faceit-default' }, taskQueueType: 1 })
        .catch(() => undefined);
      if ((r?.pollers?.length ?? 0) >= stack.workers.filter((w) => w.exitCode === null).length) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    throw new Error('workers did not start polling within 3 minutes');
  } finally {
    await client.connection.close();
  }
}

async function startStack(): Promise<Stack> {
  const root = mkdtempSync(join(tmpdir(), 'faceit-chaos-'));
  chmodSync(root, 0o755);
  const temporalPort = await freePort();
  const temporal = await startTemporalDevServer({
    logger: log,
    namespace: 'default',
    dbFile: join(root, 'temporal.db'),
    preferredPort: temporalPort,
  });
  const pg = await startPg(root);
  await pg.createDatabase('chaos');
  const pgProxy = await startProxy(portOf(pg.baseUrl));
  const databaseUrl = pg.databaseUrl('chaos').replace(`:${portOf(pg.baseUrl)}/`, `:${pgProxy.port}/`);
  await runMigrations(databaseUrl, { logger: log });
  const redisServer = await startRedisServer({ logger: log });
  const redisProxy = await startProxy(portOf(redisServer.url));
  const redisUrl = `redis://127.0.0.1:${redisProxy.port}`;
  const faceit = await startFaceitEmulator({ seed: 'chaos', latencyMs: 20, players: 8000 });
  const tg = await startTelegramEmulator({ tokens: [BOT_TOKEN], limits: false });
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    FACEIT_API_BASE_URL: faceit.baseUrl,
    FACEIT_API_KEY: faceit.apiKey,
    FACEIT_REQUEST_TIMEOUT_MS: '5000',
    TELEGRAM_CLAIM_LEASE_MS: '20000',
    TELEGRAM_SEND_TIMEOUT_MS: '8000',
    MONITORING_INTERVAL_MINUTES: '600',
    QUOTA_FREE_PER_DAY: '50',
    DATABASE_POOL_SIZE: '6',
  };
  const config = loadConfig({ ...process.env, ...env, BOT_HTTP_PORT: '0', TEMPORAL_RPC_TIMEOUT_MS: '8000' });
  const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 6 });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  installTemporalRuntime(log);
  const client = await createTemporalClient({ address: temporal.address, namespace: 'default' });
  const bot = await startBot(
    createBotDeps({
      config,
      logger: log,
      client,
      pool,
      redis,
      flood: { limit: 1000, timeFrameMs: 1000 },
      reconcile: { olderThanMs: 90_000, everyMs: 15_000 },
      progressPollMs: 1_500,
    }),
  );
  const stack: Stack = {
    root,
    temporal,
    temporalPort,
    pg,
    pgProxy,
    redisServer,
    redisProxy,
    databaseUrl,
    redisUrl,
    faceit,
    tg,
    pool,
    workers: [startWorker(env, 'worker-1'), startWorker(env, 'worker-2')],
    bot,
    env,
  };
  say('waiting for two worker processes to poll');
  await waitWorkersPolling(stack);
  return stack;
}

// ---------------------------------------------------------------------------------------------------------- load

interface Request {
  user: SimUser;
  messageId: number;
  at: number;
}

const usedPlayers = new Set<string>();
let userSeq = 0;

async function freshRoom(stack: Stack): Promise<string> {
  const players = stack.faceit.control
    .findPlayers({ hasCs2: true, limit: 10_000 })
    .filter((p) => !usedPlayers.has(p.playerId))
    .slice(0, 10)
    .map((p) => p.playerId);
  if (players.length < 10) throw new Error('the FACEIT emulator world ran out of fresh players');
  for (const id of players) usedPlayers.add(id);
  const lobby = await stack.faceit.control.createLobby({ players });
  return `https://www.faceit.com/en/cs2/room/${lobby.matchId}`;
}

function startLoad(stack: Stack, requests: Request[]) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const id = 900_000_000 + (Date.now() % 1_000_000) * 100 + (userSeq++ % 100);
      const user: SimUser = { id, first_name: 'Chaos', username: `chaos${id}`, language_code: 'en' };
      try {
        const room = await freshRoom(stack);
        const sent = stack.tg.sendUserMessage({ from: user, text: room });
        requests.push({ user, messageId: sent.messageId, at: Date.now() });
        const other: SimUser = { ...user, id: id + 50, username: `chaoshelp${id}` };
        stack.tg.sendUserMessage({ from: other, text: '/help' });
      } catch (err) {
        say(`load: ${String(err)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, LOAD_EVERY_MS));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------- judging

type Verdict = 'reported' | 'clear_message' | 'stuck' | 'lost';
const NOTICE =
  /could not be (completed|started|delivered)|cancelled|not counted|unavailable|answering slowly|went wrong/i;
const PROGRESS = /[▓░]/;

function judge(stack: Stack, r: Request): { verdict: Verdict; duplicates: number } {
  const mine = stack.tg.botMessages(r.user.id).filter((m) => m.messageId > r.messageId);
  const texts = mine.map((m) => m.text ?? '');
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  const duplicates = [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  if (!mine.length) return { verdict: 'lost', duplicates };
  const first = mine[0].text ?? '';
  if (PROGRESS.test(first) && mine.length === 1) return { verdict: 'stuck', duplicates };
  if (texts.some((t) => t.includes('Lobby analysis') && !PROGRESS.test(t)))
    return { verdict: 'reported', duplicates };
  if (texts.some((t) => NOTICE.test(t))) return { verdict: 'clear_message', duplicates };
  return { verdict: PROGRESS.test(first) ? 'stuck' : 'lost', duplicates };
}

async function quotaLeaked(stack: Stack, r: Request, verdict: Verdict): Promise<number> {
  const used = await stack.pool.maybeOneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT COALESCE(SUM(analyses), 0)::int AS n FROM daily_usage WHERE telegram_id = ${r.user.id}`);
  return Math.max(0, (used ?? 0) - (verdict === 'reported' ? 1 : 0));
}

interface ScenarioResult {
  accepted: number;
  reported: number;
  clear_message: number;
  stuck: number;
  lost: number;
  duplicates: number;
  quota_leaked: number;
  recovery_s: number;
}

// ---------------------------------------------------------------------------------------------------------- faults

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function killWorker(stack: Stack, i: number, name: string): Promise<void> {
  stack.workers[i].kill('SIGKILL');
  await sleep(2_000);
  stack.workers[i] = startWorker(stack.env, name);
}

interface Scenario {
  name: string;
  /** Runs the fault; resolves when it is lifted. */
  inject(stack: Stack): Promise<void>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'worker-kill-fanout',
    async inject(stack) {
      // The fan-out is most of an analysis: kill one worker while several are fetching players.
      await killWorker(stack, 0, 'worker-1');
    },
  },
  {
    name: 'worker-kill-delivery',
    async inject(stack) {
      // Wait for a delivery in flight (a report being edited in), then kill the worker serving it.
      const calls = stack.tg.calls('editMessageText').length;
      for (const until = Date.now() + 30_000; Date.now() < until; await sleep(50)) {
        const edits = stack.tg.calls('editMessageText').slice(calls);
        if (edits.some((c) => /Lobby analysis/.test(String(c.params.text)))) break;
      }
      await killWorker(stack, 1, 'worker-2');
    },
  },
  {
    name: 'postgres-restart-30s',
    async inject(stack) {
      stack.pgProxy.down();
      await stack.pg.stop();
      await sleep(D.pg);
      stack.pg = await startPg(stack.root);
      stack.pgProxy.up(portOf(stack.pg.baseUrl));
    },
  },
  {
    name: 'temporal-restart',
    async inject(stack) {
      await stack.temporal.stop();
      await sleep(3_000);
      stack.temporal = await startTemporalDevServer({
        logger: log,
        namespace: 'default',
        dbFile: join(stack.root, 'temporal.db'),
        preferredPort: stack.temporalPort,
      });
    },
  },
  {
    name: 'redis-down-60s',
    async inject(stack) {
      stack.redisProxy.down();
      await stack.redisServer.stop();
      await sleep(D.redis);
      stack.redisServer = await startRedisServer({ logger: log });
      stack.redisProxy.up(portOf(stack.redisServer.url));
    },
  },
  {
    name: 'faceit-5xx-30pct',
    async inject(stack) {
      stack.faceit.control.setFaults({ serverErrorRate: 0.3 });
      await sleep(D.storm);
      stack.faceit.control.clearFaults();
    },
  },
  {
    name: 'faceit-429-storm',
    async inject(stack) {
      stack.faceit.control.setFaults({ rateLimitStorm: { durationMs: D.storm / 2, retryAfterS: 2 } });
      await sleep(D.storm);
      stack.faceit.control.clearFaults();
    },
  },
  {
    name: 'telegram-429',
    async inject(stack) {
      stack.tg.setStorm({
        rate: 0.3,
        error: { error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 },
      });
      await sleep(D.storm);
      stack.tg.setStorm(undefined);
    },
  },
  {
    name: 'telegram-5xx',
    async inject(stack) {
      stack.tg.setStorm({ rate: 0.3, error: { error_code: 502, description: 'Bad Gateway' } });
      await sleep(D.storm);
      stack.tg.setStorm(undefined);
    },
  },
  {
    name: 'telegram-drop-after-accept',
    async inject(stack) {
      // The workers' sends only (the report parts): a dropped answer there is the one ambiguous case.
      stack.tg.setStorm({ rate: 0.3, methods: ['sendMessage', 'editMessageText'] });
      await sleep(D.storm);
      stack.tg.setStorm(undefined);
    },
  },
];

async function runScenario(stack: Stack, scenario: Scenario): Promise<ScenarioResult> {
  const requests: Request[] = [];
  const load = startLoad(stack, requests);
  await sleep(D.before);
  say(`${scenario.name}: injecting`);
  await scenario.inject(stack);
  stack.tg.setStorm(undefined);
  const liftedAt = Date.now();
  say(`${scenario.name}: lifted`);
  // Recovery: until every request accepted before the fault was lifted has its outcome.
  const caught = requests.slice();
  const open = (list: Request[]) =>
    list.filter((r) => ['stuck', 'lost'].includes(judge(stack, r).verdict)).length;
  let recoveredAt: number | undefined;
  const watch = (async () => {
    for (const until = liftedAt + D.settleMax; Date.now() < until; await sleep(500)) {
      if (open(caught) === 0) return void (recoveredAt = Date.now());
    }
  })();
  await sleep(D.after);
  await load.stop();
  // Settle: until every request has an outcome, or the cap.
  for (const until = Date.now() + D.settleMax; Date.now() < until && open(requests) > 0;) await sleep(1_000);
  await watch;
  const result: ScenarioResult = {
    accepted: 0,
    reported: 0,
    clear_message: 0,
    stuck: 0,
    lost: 0,
    duplicates: 0,
    quota_leaked: 0,
    recovery_s: 0,
  };
  for (const r of requests) {
    const j = judge(stack, r);
    // Every pasted link counts: one the bot never answered is accepted work that vanished ("lost").
    result.accepted++;
    result[j.verdict]++;
    result.duplicates += j.duplicates;
    result.quota_leaked += await quotaLeaked(stack, r, j.verdict).catch(() => 0);
  }
  result.recovery_s = recoveredAt === undefined ? -1 : Math.round((recoveredAt - liftedAt) / 100) / 10;
  return result;
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`starting the stack (${QUICK ? 'quick' : 'full'} durations)`);
  const stack = await startStack();
  const results: Record<string, ScenarioResult> = {};
  try {
    for (const scenario of SCENARIOS) {
      if (ONLY && !ONLY.has(scenario.name)) continue;
      results[scenario.name] = await runScenario(stack, scenario);
      say(`${scenario.name}: ${JSON.stringify(results[scenario.name])}`);
    }
  } finally {
    // Results first: a hung cleanup must not swallow them.
    printResults(results, started);
    setTimeout(() => process.exit(0), 20_000).unref();
    stack.pgProxy.down();
    stack.redisProxy.down();
    await stack.bot.stop().catch(() => undefined);
    for (const w of stack.workers) w.kill('SIGKILL');
    await stack.faceit.stop().catch(() => undefined);
    await stack.tg.stop().catch(() => undefined);
    await stopAllManaged().catch(() => undefined);
    rmSync(stack.root, { recursive: true, force: true });
  }
  process.exit(0);
}

function printResults(results: Record<string, ScenarioResult>, started: number): void {
  const cols = [
    'accepted',
    'reported',
    'clear_message',
    'stuck',
    'lost',
    'duplicates',
    'quota_leaked',
    'recovery_s',
  ] as const;
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`${'scenario'.padEnd(28)}${cols.map((c) => pad(c, 14)).join('')}`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(28)}${cols.map((c) => pad(r[c], 14)).join('')}`);
  }
  console.log(`total ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(JSON.stringify({ scenarios: results }));
}

main().catch((err) => {
  console.error(err);
  void stopAllManaged().finally(() => process.exit(1));
});
