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
 * Each request is judged from the user's chat in the Telegram emulator and the database (bench/chaos-judge.ts):
 *   reported      a report, and no progress bar left in the chat
 *   clear_message a notice (failed / cancelled / undelivered / not started / went wrong), no bar left
 *   stuck         a progress bar still on screen at the end (in flight, or frozen beside a report or a notice)
 *   lost          the bot never answered, or answered something that is neither
 *   duplicates    a message text that arrived twice in the chat
 *   quota_leaked  a unit still charged (daily_usage) for a request that did not get its report
 *   recovery_s    from lifting the fault until every request accepted so far had its outcome
 *   checks        request rows left `pending`, /help asked and answered, and every call whose answer was dropped
 * `postgres-restart-migration` also judges a legacy migration's records (bench/chaos-migration.ts).
 * The last line is JSON: {"scenarios": {"<name>": {...}}}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import {
  startChaosMigration,
  type ChaosFigures,
  type ChaosMigration,
  type MigrationRow,
} from './chaos-migration';
import {
  classifyDropped,
  DroppedSends,
  judge,
  judgeHelp,
  judgeInDatabase,
  pendingRows,
  type DroppedCalls,
  type Sent,
} from './chaos-judge';
import { startFaceitEmulator, type FaceitEmulator } from '../emulators/faceit';
import { startTelegramEmulator, type SimUser, type TelegramEmulator } from '../emulators/telegram';
import { createBotDeps } from '../src/bot/deps';
import { startBot, type RunningBot } from '../src/bot/run';
import { loadConfig } from '../src/config';
import { createDatabasePool, type DatabasePool } from '../src/db/pool';
import { runMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { freePort } from '../dev/services/ports';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../dev/services/postgres';
import { startRedisServer, type RedisServer } from '../dev/services/redis';
import { startTemporalDevServer, type TemporalDevServer } from '../dev/services/temporal';
import { stopAllManaged } from '../dev/services/processes';
import { createTemporalClient } from '../src/temporal/client';
import { installTemporalRuntime } from '../src/temporal/runtime';

const QUICK = process.argv.includes('--quick');
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set(process.argv[i + 1].split(',')) : undefined;
})();
const D = QUICK
  ? {
      before: 8_000,
      pg: 15_000,
      redis: 20_000,
      storm: 15_000,
      after: 10_000,
      settleMax: 240_000,
      legacy: 20_000,
    }
  : {
      before: 20_000,
      pg: 30_000,
      redis: 60_000,
      storm: 30_000,
      after: 20_000,
      settleMax: 420_000,
      legacy: 50_000,
    };
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
    // Production workers refuse the development invoice secret (src/config.ts); the bot here signs with this one.
    BILLING_PAYLOAD_SECRET: 'bench-chaos-payload-secret',
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
    // Each worker process would bind the SDK metrics port (default 9465): the second one, or another run's, fails.
    TEMPORAL_METRICS_PORT: '0',
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

function startLoad(stack: Stack, requests: Sent[], helps: Sent[]) {
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
        const help = stack.tg.sendUserMessage({ from: other, text: '/help' });
        helps.push({ user: other, messageId: help.messageId, at: Date.now() });
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

interface ScenarioResult extends ChaosFigures {
  /** What else was checked: request rows left pending, the /help answers, the calls whose answer was dropped. */
  checks: {
    /** Progress messages frozen on screen because their send's answer was dropped (counted as duplicates). */
    frozen_copies: number;
    pending_rows: number;
    help_asked: number;
    help_answered: number;
    help_duplicates: number;
    /** A /help answered only with "something went wrong" (e.g. the per-update user upsert failed). */
    help_only_error: number;
    /** A /help answered, and beside it "something went wrong" (its reply's answer was dropped). */
    help_error_beside_answer: number;
    dropped?: DroppedCalls;
  };
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
  /** Rows judged after the requests settled, for work other than the users' requests (a migration's records). */
  extraRows?(stack: Stack, liftedAt: number): Promise<Record<string, MigrationRow>>;
}

async function restartPostgres(stack: Stack): Promise<void> {
  stack.pgProxy.down();
  await stack.pg.stop();
  await sleep(D.pg);
  stack.pg = await startPg(stack.root);
  stack.pgProxy.up(portOf(stack.pg.baseUrl));
}

let migration: ChaosMigration | undefined;

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
    inject: restartPostgres,
  },
  {
    // The requests of this scenario's users get the usual row, the migration's records a row of their own.
    name: 'postgres-restart-migration',
    async inject(stack) {
      migration = await startChaosMigration({
        dir: stack.root,
        pool: stack.pool,
        temporalAddress: stack.env.TEMPORAL_ADDRESS,
        taskQueue: 'faceit-low',
        users: D.legacy,
        say,
      });
      // Mid-migration: a tenth of the records committed, most still to come.
      await migration.reached(0.1, 180_000);
      migration.markStop();
      await restartPostgres(stack);
      migration.markBack();
    },
    async extraRows(_stack, liftedAt) {
      return { 'postgres-restart-migration': await migration!.judge(liftedAt, D.settleMax) };
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

/** The judge's DB reads right after a fault: a few tries, then the error (never a silent 0). */
async function withRetries<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(2_000);
    }
  }
}

async function runScenario(
  stack: Stack,
  scenario: Scenario,
): Promise<Record<string, ScenarioResult | MigrationRow>> {
  const requests: Sent[] = [];
  const helps: Sent[] = [];
  const seqAtStart = stack.tg.calls().at(-1)?.seq ?? 0;
  const dropped = new DroppedSends(stack.tg);
  const load = startLoad(stack, requests, helps);
  await sleep(D.before);
  say(`${scenario.name}: injecting`);
  await scenario.inject(stack);
  stack.tg.setStorm(undefined);
  const liftedAt = Date.now();
  say(`${scenario.name}: lifted`);
  // Recovery: until every request accepted before the fault was lifted has its outcome.
  const caught = requests.slice();
  const open = (list: Sent[]) =>
    list.filter((r) => ['stuck', 'lost'].includes(judge(stack.tg, r, dropped).verdict)).length;
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
  // The rows too: every request's row is settled right after its outcome is shown (a killed worker's retry later;
  // two minutes is past any activity's timeout and first retries).
  for (const until = Date.now() + 120_000; Date.now() < until; await sleep(1_000)) {
    const pending = await pendingRows(stack.pool, requests).catch(() => -1);
    if (pending === 0) break;
  }
  const result: ScenarioResult = {
    accepted: 0,
    reported: 0,
    clear_message: 0,
    stuck: 0,
    lost: 0,
    duplicates: 0,
    quota_leaked: 0,
    recovery_s: 0,
    checks: {
      frozen_copies: 0,
      pending_rows: 0,
      help_asked: 0,
      help_answered: 0,
      help_duplicates: 0,
      help_only_error: 0,
      help_error_beside_answer: 0,
    },
  };
  for (const r of requests) {
    const j = judge(stack.tg, r, dropped);
    // Every pasted link counts: one the bot never answered is accepted work that vanished ("lost").
    result.accepted++;
    result[j.verdict]++;
    result.duplicates += j.duplicates;
    result.checks.frozen_copies += j.frozenCopies;
    if (j.unrecognised) say(`${scenario.name}: unrecognised outcome for ${r.user.id}: ${j.unrecognised}`);
    const db = await withRetries(() => judgeInDatabase(stack.pool, r, j.verdict));
    result.quota_leaked! += db.leaked;
    result.checks.pending_rows += db.pending;
  }
  for (const h of helps) {
    const j = judgeHelp(stack.tg, h);
    result.checks.help_asked++;
    if (j.answered) result.checks.help_answered++;
    result.checks.help_duplicates += j.duplicates;
    if (j.onlyError) result.checks.help_only_error++;
    if (j.errorBesideHelp) result.checks.help_error_beside_answer++;
  }
  if ((stack.tg.calls()[0]?.seq ?? 0) > seqAtStart + 1)
    say(`${scenario.name}: the emulator's call log was trimmed`);
  const drops = classifyDropped(stack.tg, seqAtStart, requests, helps, dropped);
  if (Object.values(drops).some((v) => typeof v === 'number' && v > 0)) result.checks.dropped = drops;
  result.recovery_s = recoveredAt === undefined ? -1 : Math.round((recoveredAt - liftedAt) / 100) / 10;
  if (!scenario.extraRows) return { [scenario.name]: result };
  return { ...(await scenario.extraRows(stack, liftedAt)), [`${scenario.name}/requests`]: result };
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`starting the stack (${QUICK ? 'quick' : 'full'} durations)`);
  const stack = await startStack();
  const results: Record<string, ScenarioResult | MigrationRow> = {};
  try {
    for (const scenario of SCENARIOS) {
      if (ONLY && !ONLY.has(scenario.name)) continue;
      for (const [name, row] of Object.entries(await runScenario(stack, scenario))) {
        results[name] = row;
        say(`${name}: ${JSON.stringify(row)}`);
      }
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

function printResults(results: Record<string, ScenarioResult | MigrationRow>, started: number): void {
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
  const pad = (s: string | number | null, n: number) =>
    String(s === null ? 'n/a' : s === -1 ? '(not met)' : s).padStart(n);
  console.log(`${'scenario'.padEnd(38)}${cols.map((c) => pad(c, 14)).join('')}`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(38)}${cols.map((c) => pad(r[c], 14)).join('')}`);
  }
  for (const [name, r] of Object.entries(results)) {
    const details = 'migration' in r ? r.migration : r.checks;
    console.log(`  ${name}: ${JSON.stringify(details)}`);
  }
  console.log(`total ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(JSON.stringify({ scenarios: results }));
}

main().catch((err) => {
  console.error(err);
  void stopAllManaged().finally(() => process.exit(1));
});
