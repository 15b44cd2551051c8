/**
 * `npm run rehearse [-- --minutes 5] [-- --faults bot-kill,worker-kill-critical,...] [-- --keep]`
 *
 * The production topology on this one machine, no Docker, from `npm run build`'s output, under a mixed load with
 * one fault at a time (docs/production.md describes the same topology for operators):
 *   Temporal    the real server binary (deploy/versions.json; built once from the Go module proxy, cached) on its own
 *               PostgreSQL, schema by its SQL tool, deploy/temporal/{docker.yaml,dynamicconfig/docker.yaml}, namespace
 *               with an explicit retention and the custom search attributes
 *   workers     one `node dist/worker.js` per queue tier (WORKER_TIERS)
 *   bots        two `node dist/bot/main.js` in webhook mode behind nginx
 *   Redis       a primary, a replica and three Sentinels (REDIS_SENTINELS)
 *   PostgreSQL  the app's own
 *   emulators   FACEIT, and Telegram delivering updates to the webhook through nginx (parallel connections up to
 *               max_connections, redelivery on a non-2xx answer or a timeout) — in this process, which also judges
 * Load: new users linking, asking for profiles, pasting rooms (cold, warm, duplicates; FREE and PRO), inline queries,
 * paying in Stars, tracking players (the monitoring schedule runs every minute), and one broadcast to 2,000 users.
 * Faults, one at a time, each with its recovery timed (from lifting the fault until every action accepted so far
 * has its outcome and a fresh /help is answered). Judged like bench/chaos-judge.ts. The last stdout line is JSON.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Api } from 'grammy';
import { temporal } from '@temporalio/proto';
import { historyCost, ServerRequestCounter } from '../temporal-cost';
import { Load, pendingAnalysisRows } from './load';
import { ensureNginx, startProxy, type Proxy } from './nginx';
import { AppProcesses, ProcSampler } from './procs';
import { SENTINEL_NAME, startRedisTopology, type RedisTopology } from './redis';
import {
  ensureTemporalBinaries,
  setupNamespace,
  setupTemporalSchema,
  startTemporalServer,
  TEMPORAL_VERSION,
  type TemporalServer,
} from './temporal';
import { startFaceitEmulator } from '../../emulators/faceit';
import { startTelegramEmulator, type SimUser } from '../../emulators/telegram';
import { broadcastResult, createBroadcastRepository, startBroadcast } from '../../src/broadcast';
import { loadConfig, QUEUE_TIERS, taskQueueFor, type QueueTier } from '../../src/config';
import { runMigrations } from '../../src/db/migrate';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import { createRepositories } from '../../src/db/repositories';
import { createLogger } from '../../src/logger';
import { freePort, waitUntil } from '../../dev/services/ports';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../dev/services/postgres';
import { stopAllManaged } from '../../dev/services/processes';
import { createTemporalClient } from '../../src/temporal/client';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { alertRules, metricNames, PENDING_METRICS, PROMETHEUS_OWN } from '../../dev/alert-rules';

const FAULTS = [
  'bot-kill',
  ...QUEUE_TIERS.map((t) => `worker-kill-${t}`),
  'temporal-restart',
  'postgres-restart',
  'redis-failover',
  'redis-lost',
  'proxy-stop-20s',
] as const;
type FaultName = (typeof FAULTS)[number];

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    faults: { type: 'string', default: FAULTS.join(',') },
    'every-ms': { type: 'string', default: '1500' },
    recipients: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(args.minutes);
const FAULT_LIST = args.faults.split(',').filter(Boolean) as FaultName[];
for (const f of FAULT_LIST)
  if (!FAULTS.includes(f)) throw new Error(`unknown fault ${f}: one of ${FAULTS.join(', ')}`);
const EVERY_MS = Number(args['every-ms']);
const RECIPIENTS = Number(args.recipients);
const SETTLE_MAX_MS = 180_000;

const BOT_TOKEN = '7000000888:REHEARSE-bot-token';
const WEBHOOK_SECRET = 'rehearse-webhook-secret';
const ADMIN_ID = 5_000_000_001;
const BROADCAST_TEXT = 'Rehearsal broadcast: the season starts';
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', pretty: false });
const started = Date.now();
const say = (s: string) =>
  process.stderr.write(
    `[rehearse ${new Date().toISOString().slice(11, 19)} +${Math.round((Date.now() - started) / 1000)}s] ${s}\n`,
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FaultResult {
  name: string;
  lost: number;
  duplicates: number;
  stuck: number;
  recovery_s: number;
}

interface Topology {
  root: string;
  temporal: TemporalServer;
  temporalPg: EmbeddedPostgresServer;
  appPg: EmbeddedPostgresServer;
  appPgPort: number;
  appPgDir: string;
  redis: RedisTopology;
  proxy: Proxy;
  procs: AppProcesses;
  env: Record<string, string>;
  botPorts: number[];
  workerPorts: Record<QueueTier, number>;
  pool: DatabasePool;
}

async function main(): Promise<void> {
  say(`Temporal ${TEMPORAL_VERSION}; ${MINUTES} min of load; faults: ${FAULT_LIST.join(', ') || 'none'}`);
  const bins = ensureTemporalBinaries(say);
  if (bins.builtInS) say(`built the Temporal server in ${bins.builtInS} s`);
  const nginx = ensureNginx(say);
  const root = join('/var/tmp', `faceit-rehearse-${process.pid}`);
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);

  // Temporal on its own PostgreSQL.
  const temporalPg = await startEmbeddedPostgres({
    dir: join(root, 'temporal-pg'),
    logger: log,
    persistent: true,
  });
  const tpg = new URL(temporalPg.baseUrl);
  const pgTarget = { host: '127.0.0.1', port: Number(tpg.port), user: tpg.username, password: tpg.password };
  setupTemporalSchema(bins, pgTarget);
  // A second set-up is what compose's job does on every start: it must change nothing.
  setupTemporalSchema(bins, pgTarget);
  const temporalLog: string[] = [];
  const temporalServer = await startTemporalServer({
    bins,
    pg: pgTarget,
    logger: log,
    onLine: (l) => {
      temporalLog.push(l);
      if (temporalLog.length > 50) temporalLog.shift();
    },
  });
  await setupNamespace(temporalServer.address, 'default', 7);
  say(`Temporal server ${TEMPORAL_VERSION} on ${temporalServer.address} (PostgreSQL ${pgTarget.port})`);

  // The app's PostgreSQL, on a fixed port so a restart keeps the address.
  const appPgPort = await freePort();
  const appPgDir = join(root, 'app-pg');
  const appPg = await startEmbeddedPostgres({
    dir: appPgDir,
    logger: log,
    persistent: true,
    port: appPgPort,
  });
  await appPg.createDatabase('faceit_bot');
  const databaseUrl = appPg.databaseUrl('faceit_bot');
  await runMigrations(databaseUrl, { logger: log });

  const redis = await startRedisTopology({ dir: join(root, 'redis'), logger: log });
  say(`Redis: primary ${await redis.primaryPort()}, a replica, Sentinels ${redis.sentinels}`);

  const faceit = await startFaceitEmulator({ seed: 'rehearse', latencyMs: 20, players: 6_000 });
  const tg = await startTelegramEmulator({
    tokens: [BOT_TOKEN],
    limits: false,
    autoCreateChats: true,
    // Telegram keeps redelivering for hours; enough here to outlast the 20 s proxy stop.
    webhookMaxAttempts: 12,
    webhookRetryBaseMs: 500,
  });

  const botPorts = [await freePort(), await freePort()];
  const workerPorts = Object.fromEntries(
    await Promise.all(QUEUE_TIERS.map(async (t) => [t, await freePort()] as const)),
  ) as Record<QueueTier, number>;
  const proxy = await startProxy({ bin: nginx, dir: join(root, 'nginx'), upstreams: botPorts, logger: log });
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_NAMESPACE: 'default',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_SENTINELS: redis.sentinels,
    REDIS_SENTINEL_NAME: SENTINEL_NAME,
    REDIS_URL: '',
    BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    BOT_MODE: 'webhook',
    BOT_WEBHOOK_URL: `${proxy.url}/telegram/webhook`,
    BOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    FACEIT_API_BASE_URL: faceit.baseUrl,
    FACEIT_API_KEY: faceit.apiKey,
    FACEIT_REQUEST_TIMEOUT_MS: '5000',
    BILLING_PAYLOAD_SECRET: 'rehearse-billing-secret-0123456789',
    ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
    QUOTA_FREE_PER_DAY: '1000',
    MONITORING_INTERVAL_MINUTES: '1',
    TEMPORAL_METRICS_PORT: '0',
    TELEGRAM_CLAIM_LEASE_MS: '20000',
    TELEGRAM_SEND_TIMEOUT_MS: '8000',
  };
  const procs = new AppProcesses(say);
  const startWorker = (t: QueueTier) =>
    procs.start(`worker-${t}`, 'worker', 'dist/worker.js', {
      ...env,
      WORKER_TIERS: t,
      WORKER_HTTP_PORT: String(workerPorts[t]),
    });
  const startBotReplica = (i: number) =>
    procs.start(`bot-${i + 1}`, 'bot', 'dist/bot/main.js', { ...env, BOT_HTTP_PORT: String(botPorts[i]) });
  for (const t of QUEUE_TIERS) startWorker(t);
  installTemporalRuntime(log);
  const client = await createTemporalClient({ address: temporalServer.address, namespace: 'default' });
  const config = loadConfig({ ...process.env, ...env, BOT_HTTP_PORT: '0' });
  await waitPollers(client, config);
  say('a worker polls every tier');
  startBotReplica(0);
  startBotReplica(1);
  for (const port of botPorts)
    await waitUntil('bot replica', () => httpOk(`http://127.0.0.1:${port}/healthz`), 90_000);
  const hook = tg.bot(BOT_TOKEN).webhookInfo();
  if (!hook?.url.startsWith(proxy.url))
    throw new Error(`the bots did not set the webhook: ${JSON.stringify(hook)}`);
  say(`two bot replicas behind nginx ${proxy.url}; webhook max_connections ${hook.maxConnections}`);

  const pool = await createDatabasePool(databaseUrl, { maximumPoolSize: 4 });
  const topo: Topology = {
    root,
    temporal: temporalServer,
    temporalPg,
    appPg,
    appPgPort,
    appPgDir,
    redis,
    proxy,
    procs,
    env,
    botPorts,
    workerPorts,
    pool,
  };

  const sampler = new ProcSampler(() => [
    { kind: 'temporal-server', pid: temporalServer.pid() },
    ...[...procs.list.values()].map((p) => ({ kind: p.kind, pid: p.child.pid ?? -1 })),
    ...redis.pids().data.map((pid) => ({ kind: 'redis', pid })),
    ...redis.pids().sentinels.map((pid) => ({ kind: 'redis-sentinel', pid })),
    { kind: 'nginx', pid: proxy.pid() },
    { kind: 'rehearsal (emulators, load, judge)', pid: process.pid },
    ...postgresPids(root),
  ]);
  sampler.start();
  const serverMetrics = new ServerRequestCounter(temporalServer.metricsUrl);
  await serverMetrics.start();

  // 2,000 users who once talked to the bot: the broadcast's audience.
  const repos = createRepositories(pool);
  const audience: number[] = [];
  for (let i = 0; i < RECIPIENTS; i++) audience.push(4_000_000_000 + i);
  for (const id of audience) await repos.users.touch({ telegramId: id, firstName: 'Audience' });
  await repos.users.touch({ telegramId: ADMIN_ID, firstName: 'Admin' });

  const load = new Load(tg, faceit, pool, say);
  const stopWatch = load.watchReports();
  const loadMs = MINUTES * 60_000;
  const loadEnd = Date.now() + loadMs;
  load.start(EVERY_MS);
  say(`load: one action every ${EVERY_MS} ms for ${MINUTES} min`);

  // The broadcast starts a fifth into the load (and runs through some of the faults).
  const broadcast = (async () => {
    await sleep(loadMs / 5);
    const repo = createBroadcastRepository(pool);
    const progress = await new Api(BOT_TOKEN, { apiRoot: tg.apiRoot }).sendMessage(ADMIN_ID, 'starting…');
    const draft = await repo.createDraft({
      adminId: ADMIN_ID,
      text: BROADCAST_TEXT,
      entities: null,
      source: null,
    });
    await repo.confirm(
      draft.id,
      { chatId: ADMIN_ID, messageId: progress.message_id },
      `broadcast-${draft.id}`,
    );
    const size = await repo.audienceSize({ kind: 'all' });
    await startBroadcast(client, config, { broadcastId: draft.id, adminId: ADMIN_ID });
    say(`broadcast #${draft.id} to ${size} users started`);
    return { id: draft.id, size, startedAt: Date.now() };
  })();

  // Faults, evenly spread over the load, one at a time.
  const faults: Array<FaultResult & { from: number; to: number }> = [];
  const slot = FAULT_LIST.length ? loadMs / (FAULT_LIST.length + 1) : loadMs;
  await sleep(Math.min(slot, 30_000));
  const givenUp = new Set<(typeof load.actions)[number]>();
  for (const name of FAULT_LIST) {
    const from = Date.now();
    say(`${name}: injecting`);
    const detail = await inject(topo, name, { startWorker, startBotReplica });
    const liftedAt = Date.now();
    // Actions an earlier fault left open (judged at the end) do not hold this fault's recovery.
    const caught = load.actions.filter((a) => a.at <= liftedAt && !givenUp.has(a));
    const probe = helpProbe(tg);
    let recoveredAt: number | undefined;
    for (const until = liftedAt + SETTLE_MAX_MS; Date.now() < until; await sleep(500)) {
      if (load.open(caught) === 0 && probe.answered()) {
        recoveredAt = Date.now();
        break;
      }
      if ((Date.now() - liftedAt) % 30_000 < 500) say(`${name}: ${load.openByKind(caught)} still open`);
    }
    if (recoveredAt === undefined) for (const a of caught) if (load.open([a]) > 0) givenUp.add(a);
    const recovery = recoveredAt === undefined ? -1 : Math.round((recoveredAt - liftedAt) / 100) / 10;
    say(`${name}: lifted${detail ? ` (${detail})` : ''}; recovered in ${recovery} s`);
    faults.push({ name, lost: 0, duplicates: 0, stuck: 0, recovery_s: recovery, from, to: 0 });
    const wait = Math.max(0, from + slot - Date.now());
    if (Date.now() + wait < loadEnd) await sleep(wait);
  }
  for (let i = 0; i < faults.length; i++) faults[i].to = faults[i + 1]?.from ?? Number.MAX_SAFE_INTEGER;
  await sleep(Math.max(0, loadEnd - Date.now()));
  await load.stop();
  say(`load stopped: ${load.actions.length} actions; settling`);

  const b = await broadcast;
  const settleUntil = Date.now() + SETTLE_MAX_MS;
  while (Date.now() < settleUntil && load.open() > 0) await sleep(1_000);
  const report = await Promise.race([
    broadcastResult(client, b.id).then((r) => r as unknown),
    sleep(Math.max(0, settleUntil - Date.now())).then(() => undefined),
  ]);
  for (const until = Date.now() + 60_000; Date.now() < until; await sleep(1_000))
    if ((await pendingAnalysisRows(pool, load.actions).catch(() => -1)) === 0) break;
  stopWatch();

  // Judging.
  const totals = { accepted: 0, reported: 0, lost: 0, duplicates: 0, clear_message: 0, stuck: 0 };
  const byKind: Record<string, Record<string, number>> = {};
  let shown = 0;
  for (const a of load.actions) {
    const j = load.judge(a);
    totals.accepted++;
    totals[j.verdict]++;
    totals.duplicates += j.duplicates;
    const k = (byKind[a.kind] ??= {
      accepted: 0,
      reported: 0,
      clear_message: 0,
      stuck: 0,
      lost: 0,
      duplicates: 0,
    });
    k.accepted++;
    k[j.verdict]++;
    k.duplicates += j.duplicates;
    const fault = faults.find((f) => a.at >= f.from && a.at < f.to);
    if (fault) {
      if (j.verdict === 'lost') fault.lost++;
      if (j.verdict === 'stuck') fault.stuck++;
      fault.duplicates += j.duplicates;
    }
    if ((j.verdict === 'lost' || j.verdict === 'stuck' || j.duplicates) && shown++ < 5)
      say(`  transcript of ${a.user.id}:\n${tg.transcript(a.user.id).slice(0, 1500)}`);
    if (j.verdict === 'lost' || j.verdict === 'stuck' || j.duplicates)
      say(
        `  ${a.kind} of ${a.user.id} at +${Math.round((a.at - started) / 1000)}s: ${j.verdict}, ${j.duplicates} dup`,
      );
  }
  // The broadcast, from what Telegram received: every audience chat exactly once.
  const copies = new Map<number, number>();
  for (const c of tg.calls('sendMessage'))
    if (c.ok && c.params.text === BROADCAST_TEXT)
      copies.set(Number(c.params.chat_id), (copies.get(Number(c.params.chat_id)) ?? 0) + 1);
  const bcast = {
    audience: b.size,
    delivered: audience.filter((id) => copies.has(id)).length,
    missing: audience.filter((id) => !copies.has(id)).length,
    doubled: [...copies.values()].filter((n) => n > 1).length,
    report,
  };
  totals.accepted++;
  if (bcast.missing === 0) totals.reported++;
  else totals.lost++;
  totals.duplicates += bcast.doubled;
  const pendingRows = await pendingAnalysisRows(pool, load.actions).catch(() => -1);

  const latencies = load.actions
    .filter((a) => a.kind.startsWith('analysis') && a.reportedAt)
    .map((a) => a.reportedAt! - a.at)
    .sort((x, y) => x - y);
  const pct = (p: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : 0;
  const alerting = await alertMetrics(topo);
  const histories = await historyCost(client, { query: `WorkflowType = 'lobbyAnalysisWorkflow'` });
  const metrics = await serverMetrics.stop();
  const peaks = sampler.stop();
  const analyses = Math.max(1, histories.count);
  const perAnalysis = {
    history: Math.round((histories.actions / analyses) * 10) / 10,
    heartbeats: Math.round((metrics.heartbeats / analyses) * 10) / 10,
    queries: Math.round((metrics.queries / analyses) * 10) / 10,
  };

  const result = {
    temporal: { version: TEMPORAL_VERSION, persistence: 'postgres' },
    bot_replicas: botPorts.length,
    worker_processes: QUEUE_TIERS.length,
    requests: {
      accepted: totals.accepted,
      reported: totals.reported,
      lost: totals.lost,
      duplicates: totals.duplicates,
    },
    faults: faults.map(({ name, lost, duplicates, stuck, recovery_s }) => ({
      name,
      lost,
      duplicates,
      stuck,
      recovery_s,
    })),
    analysis_p50_ms: pct(0.5),
    analysis_p95_ms: pct(0.95),
    temporal_actions_per_analysis:
      Math.round((perAnalysis.history + perAnalysis.heartbeats + perAnalysis.queries) * 10) / 10,
    history_bytes_per_analysis: Math.round(histories.bytes / analyses),
    peak: peaks,
  };

  console.log(
    `rehearsal ${new Date(started).toISOString()} – ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${'action'.padEnd(22)}${['accepted', 'reported', 'clear_message', 'stuck', 'lost', 'duplicates'].map((c) => c.padStart(14)).join('')}`,
  );
  for (const [kind, k] of Object.entries(byKind))
    console.log(
      `${kind.padEnd(22)}${['accepted', 'reported', 'clear_message', 'stuck', 'lost', 'duplicates'].map((c) => String(k[c]).padStart(14)).join('')}`,
    );
  console.log(`broadcast: ${JSON.stringify({ ...bcast, report: undefined })}`);
  console.log(`broadcast workflow's report: ${JSON.stringify(report ?? 'none before the settle deadline')}`);
  // A recipient with no copy: every call Telegram saw for that chat (what the broadcast tried, and the answers).
  for (const id of audience.filter((chat) => !copies.has(chat)).slice(0, 5)) {
    const tried = tg
      .calls()
      .filter((c) => Number(c.params.chat_id) === id)
      .map(
        (c) =>
          `${c.method} ${c.status}${c.dropped ? ' dropped' : ''}${c.description ? ` ${c.description}` : ''}`,
      );
    console.log(
      `  no copy for ${id}: ${tried.length ? tried.join('; ') : 'Telegram saw no call for this chat'}`,
    );
  }
  console.log(`analysis request rows left pending: ${pendingRows}`);
  console.log(
    `${'fault'.padEnd(22)}${['lost', 'duplicates', 'stuck', 'recovery_s'].map((c) => c.padStart(12)).join('')}`,
  );
  for (const f of result.faults)
    console.log(
      `${f.name.padEnd(22)}${[f.lost, f.duplicates, f.stuck, f.recovery_s].map((c) => String(c).padStart(12)).join('')}`,
    );
  console.log(
    `Temporal actions per analysis: ${perAnalysis.history} in its history (start, updates, signals, activities with retries, timers, markers, children, search-attribute upserts) + ` +
      `${perAnalysis.heartbeats} heartbeats + ${perAnalysis.queries} queries (server-wide counts ÷ ${histories.count} analyses); ${histories.bytes} history bytes in all`,
  );
  console.log(
    `${'process kind'.padEnd(36)}${['rss_mb', 'cpu_pct', 'processes'].map((c) => c.padStart(12)).join('')}`,
  );
  for (const [kind, p] of Object.entries(peaks))
    console.log(
      `${kind.padEnd(36)}${[p.rss_mb, p.cpu_pct, p.processes].map((c) => String(c).padStart(12)).join('')}`,
    );
  console.log(
    `alert rules (deploy/prometheus/alerts.yml): ${alerting.named} metrics named, ` +
      (alerting.missing.length
        ? `NOT exported by any running bot or worker: ${alerting.missing.join(', ')}`
        : 'each exported by the running bots or workers') +
      (alerting.pending.length ? ` (pending in another slice: ${alerting.pending.join(', ')})` : '') +
      `; at the end dependency_up ${JSON.stringify(alerting.dependencyUp)}, task_queue_pollers ${JSON.stringify(alerting.pollers)}`,
  );
  console.log(JSON.stringify(result));

  // Down, in reverse.
  setTimeout(() => process.exit(0), 30_000).unref();
  await procs.stopAll();
  await client.connection.close().catch(() => undefined);
  await pool.end().catch(() => undefined);
  await faceit.stop().catch(() => undefined);
  await tg.stop().catch(() => undefined);
  await stopAllManaged().catch(() => undefined);
  if (!args.keep) rmSync(root, { recursive: true, force: true });
  else writeFileSync(join(root, 'result.json'), JSON.stringify(result));
  process.exit(0);
}

async function inject(
  t: Topology,
  name: FaultName,
  start: { startWorker: (tier: QueueTier) => unknown; startBotReplica: (i: number) => unknown },
): Promise<string | undefined> {
  switch (name) {
    case 'bot-kill': {
      await t.procs.kill('bot-1');
      // The other replica takes the traffic; the supervisor restarts this one a little later.
      await sleep(10_000);
      start.startBotReplica(0);
      await waitUntil('bot-1', () => httpOk(`http://127.0.0.1:${t.botPorts[0]}/healthz`), 90_000);
      return undefined;
    }
    case 'temporal-restart': {
      const ms = await t.temporal.restart('SIGTERM');
      return `serving again ${Math.round(ms / 100) / 10} s after SIGTERM`;
    }
    case 'postgres-restart': {
      await t.appPg.stop();
      await sleep(10_000);
      t.appPg = await startEmbeddedPostgres({
        dir: t.appPgDir,
        logger: log,
        persistent: true,
        port: t.appPgPort,
      });
      return 'down 10 s';
    }
    case 'redis-failover': {
      const ms = await t.redis.killPrimary();
      await t.redis.restartKilled();
      return `Sentinel promoted the replica in ${Math.round(ms / 100) / 10} s`;
    }
    case 'redis-lost':
      await t.redis.loseAll(5_000);
      return 'both data servers killed, back empty after 5 s';
    case 'proxy-stop-20s':
      await t.proxy.stopFor(20_000);
      return undefined;
    default: {
      const tier = name.replace('worker-kill-', '') as QueueTier;
      await t.procs.kill(`worker-${tier}`);
      start.startWorker(tier);
      return undefined;
    }
  }
}

/** A /help from a new user right after a fault is lifted: answered means the front door works again. */
function helpProbe(tg: Awaited<ReturnType<typeof startTelegramEmulator>>) {
  const user: SimUser = {
    id: 5_900_000_000 + Math.floor(Math.random() * 1e8),
    first_name: 'Probe',
    language_code: 'en',
  };
  const sent = tg.sendUserMessage({ from: user, text: '/help' });
  return { answered: () => tg.botMessages(user.id).some((m) => m.messageId > sent.messageId) };
}

async function httpOk(url: string): Promise<void> {
  const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
}

async function waitPollers(
  client: Awaited<ReturnType<typeof createTemporalClient>>,
  config: ReturnType<typeof loadConfig>,
): Promise<void> {
  for (const tier of QUEUE_TIERS) {
    await waitUntil(
      `a worker polling ${tier}`,
      async () => {
        const r = await client.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueueFor(config, tier) },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        });
        if (!r.pollers?.length) throw new Error('no poller yet');
      },
      180_000,
    );
  }
}

/**
 * Every metric the alert rules name, looked up in what the bots and workers serve on /metrics (prom-client prints a
 * TYPE line for each registered metric, observed or not), with the probes' readings at the end of the run.
 */
async function alertMetrics(t: Topology) {
  const ports = [...t.botPorts, ...Object.values(t.workerPorts)];
  const texts = await Promise.all(
    ports.map((port) =>
      fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) })
        .then((r) => r.text())
        .catch(() => ''),
    ),
  );
  const exported = new Set(texts.flatMap((text) => [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1])));
  const named = new Set(alertRules().flatMap((a) => metricNames(a.expr)));
  const wanted = [...named].filter((n) => !PROMETHEUS_OWN.has(n));
  const sample = (name: string, key: string) => {
    const out: Record<string, number> = {};
    for (const text of texts)
      for (const m of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))) {
        const label = new RegExp(`${key}="([^"]*)"`).exec(m[1])?.[1] ?? '?';
        out[label] = Math.min(out[label] ?? Infinity, Number(m[2]));
      }
    return out;
  };
  return {
    named: wanted.length,
    missing: wanted.filter((n) => !exported.has(n) && !PENDING_METRICS.has(n)),
    pending: wanted.filter((n) => !exported.has(n) && PENDING_METRICS.has(n)),
    /** The lowest reading of any process, per dependency. */
    dependencyUp: sample('dependency_up', 'dependency'),
    /** The lowest reading of any process, per tier (workflow and activity pollers together). */
    pollers: sample('task_queue_pollers', 'tier'),
  };
}

/** PostgreSQL's postmasters (their pid files), by which cluster they serve. */
function postgresPids(root: string): Array<{ kind: string; pid: number }> {
  const out: Array<{ kind: string; pid: number }> = [];
  for (const [kind, dir] of [
    ['postgres (Temporal)', 'temporal-pg'],
    ['postgres (app)', 'app-pg'],
  ]) {
    try {
      const pid = Number(readFileSync(join(root, dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid) out.push({ kind, pid });
    } catch {
      // restarting
    }
  }
  return out;
}

main().catch((err: unknown) => {
  console.error(err);
  void stopAllManaged().finally(() => process.exit(1));
});
