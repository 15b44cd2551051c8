/**
 * `npm run bench:monitoring [-- --players 10000 --small 1000 --latency-ms 100 --sample-s 60 --active 0.05 --full]`
 *
 * How many tracked players one FACEIT API key keeps fresh, computed and measured. Its own throw-away stack:
 * Temporal, PostgreSQL and Redis through dev/services (ephemeral), the FACEIT emulator with FACEIT's real limit
 * (10 requests/s per key) and latency, the Telegram emulator, and the real monitoring workflows and activities on a
 * LOW-tier worker in this process. Tracked players are seeded straight into the database with their cursors already
 * set (a steady state, not first sights).
 *
 *  1. arithmetic: calls per interval, the share monitoring plans for, players per cycle, the adaptive capacity;
 *  2. naive, --small players all due, no cap: one full cycle, measured;
 *  3. naive, --players all due, no cap: measured for --sample-s seconds and extrapolated (--full: run it to the end);
 *  4. adaptive steady state, --players: next checks spread by how recently each player played (the emulator's
 *     own histories), --active of them finish a match first (notifications, ELO lookups); one scheduled cycle with
 *     the real plan (budget cap, deadline), measured;
 *  5. adaptive catch-up, --players all due at once (after an outage or a bulk import): scheduled cycles run one after
 *     another until every player of the backlog has been checked (--backlog-cycles caps it), each measured — work
 *     spread over cycles, never piled up.
 * FACEIT calls and 429s are the FACEIT emulator's own counts (reset before each measured cycle), not the
 * workflow's counters; the workflow's own count is printed beside them. The last stdout line is the result as JSON.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { sql } from 'slonik';
import { z } from 'zod';
import { loadConfig } from '../src/config';
import { runMigrations } from '../src/db/migrate';
import { createDatabasePool, type DatabasePool } from '../src/db/pool';
import { startFaceitEmulator } from '../emulators/faceit';
import { startTelegramEmulator } from '../emulators/telegram';
import { createFaceitClient } from '../src/faceit';
import { createLogger } from '../src/logger';
import { createMonitoringActivities } from '../src/monitoring/activities';
import {
  cadenceIntervals,
  capacity,
  dueShare,
  MONITORING_DEFAULTS,
  planCycle,
} from '../src/monitoring/settings';
import type { MonitoringCycleInput, MonitoringCycleResult } from '../src/monitoring/workflows';
import { startServices } from '../dev/services';
import { createTelegramApi } from '../src/telegram/api';
import { createTemporalClient } from '../src/temporal/client';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { runWorkers } from '../src/temporal/worker';

const TOKEN = '7100000002:bench-monitoring-token';
const MIN = 60_000;

function options() {
  const { values } = parseArgs({
    options: {
      players: { type: 'string', default: '10000' },
      small: { type: 'string', default: '1000' },
      'latency-ms': { type: 'string', default: '100' },
      'sample-s': { type: 'string', default: '60' },
      active: { type: 'string', default: '0.05' },
      rate: { type: 'string', default: '10' },
      'interval-min': { type: 'string', default: '10' },
      full: { type: 'boolean', default: false },
      'backlog-cycles': { type: 'string', default: '10' },
    },
  });
  return {
    players: Number(values.players),
    small: Number(values.small),
    latencyMs: Number(values['latency-ms']),
    sampleS: Number(values['sample-s']),
    active: Number(values.active),
    rate: Number(values.rate),
    intervalMin: Number(values['interval-min']),
    full: values.full === true,
    backlogCycles: Number(values['backlog-cycles']),
  };
}

const fmtMin = (ms: number) => `${(ms / MIN).toFixed(1)} min`;
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const o = options();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false });
  installTemporalRuntime(logger);
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  console.log('starting Temporal, PostgreSQL, Redis, the FACEIT and Telegram emulators…');
  const services = await startServices(base, { logger, mode: 'ephemeral', databaseName: 'bench_monitoring' });
  const stops: Array<() => Promise<unknown>> = [() => services.stop()];
  try {
    await runMigrations(services.databaseUrl, { logger });
    const faceitEmulator = await startFaceitEmulator({
      seed: 'bench-monitoring',
      players: Math.max(o.players + 2_000, 5_000),
      latencyMs: o.latencyMs,
      latencyJitterMs: Math.round(o.latencyMs / 2),
      rateLimit: { limit: o.rate },
    });
    stops.push(() => faceitEmulator.stop());
    const tg = await startTelegramEmulator({ tokens: [TOKEN], autoCreateChats: true, limits: false });
    stops.push(() => tg.stop());
    const suffix = randomUUID().slice(0, 8);
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      FACEIT_API_BASE_URL: faceitEmulator.baseUrl,
      FACEIT_API_KEY: faceitEmulator.apiKey,
      FACEIT_RATE_LIMIT_PER_SECOND: String(o.rate),
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      MONITORING_INTERVAL_MINUTES: String(o.intervalMin),
      TASK_QUEUE_LOW: `bench-low-${suffix}`,
      WORKER_CONCURRENCY_LOW: '20',
    });
    const pool = await createDatabasePool(services.databaseUrl, { maximumPoolSize: 20 });
    stops.push(() => pool.end());
    const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 2 });
    stops.push(async () => redis.disconnect());
    const faceit = createFaceitClient({
      config,
      redis,
      logger,
      keyPrefix: `bench:${suffix}:`,
      metricsRegistry: null,
    });
    stops.push(() => faceit.close());
    const activities = createMonitoringActivities(
      { config, logger, pool, redis, faceit, telegram: createTelegramApi(config) },
      { redisPrefix: `bench:${suffix}:mon:` },
    );
    const workers = await runWorkers({
      config,
      address: services.temporalAddress,
      logger,
      activities,
      tiers: ['low'],
    });
    stops.push(() => workers.shutdown());
    const client = await createTemporalClient({
      address: services.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
    });
    stops.push(() => client.connection.close());

    // ---------------------------------------------------------------- 1. arithmetic
    const cap = capacity({ perSecond: o.rate, intervalMinutes: o.intervalMin });
    const plan = planCycle(config);
    const intervalMs = o.intervalMin * MIN;
    console.log(`\n== Capacity of one API key (${o.rate} req/s, ${o.intervalMin}-minute interval)`);
    console.log(`FACEIT calls per interval:              ${cap.callsPerInterval}`);
    console.log(
      `monitoring's planned share (${MONITORING_DEFAULTS.budgetShare * 100}%):       ${cap.monitoringCalls} ` +
        `(the rest for users, who also outrank it)`,
    );
    console.log(`calls per check (stats page + ELO when new): ~${MONITORING_DEFAULTS.callsPerCheck}`);
    console.log(`players checked per cycle (the cap):     ${cap.playersPerCycle}`);
    console.log(
      `everyone every interval, whole budget:   ${cap.playersWholeBudget} (no user traffic at all)`,
    );

    // Seed the tracked players (cursor = their newest match, an ELO snapshot, polling state).
    const world = faceitEmulator.control.world;
    const seeded = world.players.filter((p) => !p.noCs2 && world.matchCount(p) > 0).slice(0, o.players);
    const now = Date.now();
    const rows = seeded.map((p) => {
      const newest = world.history(p, 1)[0];
      return {
        id: p.id,
        nickname: p.nickname,
        elo: world.elo(p),
        matchId: newest.matchId,
        finishedAt: newest.finishedAt,
      };
    });
    await seed(pool, rows);
    const ages = rows.map((r) => now - r.finishedAt);
    const share = dueShare(ages);
    const bands = new Map<number, number>();
    for (const age of ages)
      bands.set(cadenceIntervals(-age, 0), (bands.get(cadenceIntervals(-age, 0)) ?? 0) + 1);
    const adaptiveCapacity = Math.floor(cap.playersPerCycle / share);
    console.log(
      `\nemulator's players by cadence (checked every k intervals): ` +
        [...bands.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([k, n]) => `k=${k}: ${((100 * n) / ages.length).toFixed(0)}%`)
          .join(', '),
    );
    console.log(
      `due per cycle with adaptive cadence:     ${(share * 100).toFixed(1)}% of the tracked players`,
    );
    console.log(`tracked players one key keeps fresh:     ~${adaptiveCapacity} (cap / due share)`);

    const runCycle = (input: MonitoringCycleInput) =>
      client.workflow.execute('monitoringCycleWorkflow', {
        taskQueue: config.TASK_QUEUE_LOW,
        workflowId: `bench-monitoring-${randomUUID()}`,
        args: [input],
        workflowExecutionTimeout: '2 hours',
      }) as Promise<MonitoringCycleResult>;
    /** One cycle, with what the FACEIT emulator itself saw during it (its counters are reset first). */
    const measuredCycle = async (input: MonitoringCycleInput) => {
      faceitEmulator.control.resetCounters({ rateWindows: true });
      const { ms, result } = await timed(() => runCycle(input));
      const seen = faceitEmulator.control.counts();
      return { ms, result, faceitCalls: seen.total, faceit429s: seen.rateLimited };
    };
    const unlimited = { maxPlayers: 1_000_000, deadlineMs: 24 * 3_600_000 };
    const ids = rows.map((r) => r.id);

    // ---------------------------------------------------------------- 2. naive, small
    await setDue(pool, ids.slice(0, o.small), ids);
    console.log(`\n== Naive: ${o.small} tracked players, all due, no cap`);
    const small = await measuredCycle({ overrides: unlimited });
    const smallRate = small.result.checked / (small.ms / 1000);
    console.log(
      `cycle: ${fmtS(small.ms)} for ${small.result.checked} players (${smallRate.toFixed(2)} players/s, ` +
        `${small.faceitCalls} FACEIT calls and ${small.faceit429s} 429s seen by the emulator)`,
    );

    // ---------------------------------------------------------------- 3. naive, large
    await setDue(pool, ids, ids);
    console.log(
      `\n== Naive: ${o.players} tracked players, all due, no cap${o.full ? '' : ` (sampled for ${o.sampleS} s)`}`,
    );
    const large = await measuredCycle({
      overrides: o.full ? unlimited : { maxPlayers: 1_000_000, deadlineMs: o.sampleS * 1000 },
    });
    const largeRate = large.result.checked / (large.ms / 1000);
    const largeMs = o.full ? large.ms : (o.players / largeRate) * 1000;
    console.log(
      `${o.full ? 'measured' : 'extrapolated from'} ${large.result.checked} checks in ${fmtS(large.ms)} ` +
        `(${largeRate.toFixed(2)} players/s): a full cycle takes ${fmtMin(largeMs)} — ` +
        `${largeMs > intervalMs ? `longer than the ${o.intervalMin}-minute interval: naive polling cannot keep up` : 'within the interval'}`,
    );

    // ---------------------------------------------------------------- 4. adaptive, steady state
    console.log(
      `\n== Adaptive: ${o.players} tracked players, steady state, ${Math.round(o.active * 100)}% just played`,
    );
    await spreadByCadence(pool, rows, intervalMs);
    const activeIds = new Set<string>();
    const lobbies = Math.round((o.players * o.active) / 10);
    for (let i = 0; i < lobbies; i++) {
      const picks = seeded.slice(i * 10, i * 10 + 10);
      const lobby = await faceitEmulator.control.createLobby({
        players: picks.map((p) => p.id),
        status: 'ONGOING',
      });
      await faceitEmulator.control.finishMatch(lobby.matchId);
      for (const p of picks) activeIds.add(p.id);
    }
    await pool.query(sql.unsafe`
      UPDATE player_watch SET next_check_at = now() - interval '1 second'
      WHERE faceit_player_id = ANY(${sql.array([...activeIds], 'text')})`);
    const dueNow = await countDue(pool);
    const steady = await measuredCycle({});
    const perCheck = steady.faceitCalls / Math.max(1, steady.result.checked);
    console.log(
      `due: ${dueNow} (${((100 * dueNow) / o.players).toFixed(1)}%); checked ${steady.result.checked} in ` +
        `${fmtS(steady.ms)}; ${steady.faceitCalls} FACEIT calls seen by the emulator ` +
        `(${perCheck.toFixed(2)} per check; ${steady.faceit429s} 429s; the workflow counted ${steady.result.calls} ` +
        `uncached calls); ${steady.result.notified} notifications; stopped: ${steady.result.stoppedBy}; ` +
        `deferred ${steady.result.deferred}`,
    );

    // ---------------------------------------------------------------- 5. adaptive, catch-up
    console.log(`\n== Adaptive: ${o.players} tracked players all due at once (outage, bulk import)`);
    await setDue(pool, ids, ids);
    const backlogSince = new Date();
    const cycles: Array<Awaited<ReturnType<typeof measuredCycle>> & { left: number }> = [];
    // Scheduled cycles back to back (the Schedule would start one every interval; each must fit in it) until
    // every player of the backlog has been checked once.
    for (let left = o.players; left > 0 && cycles.length < o.backlogCycles;) {
      const cycle = await measuredCycle({});
      left = await countNotCheckedSince(pool, ids, backlogSince);
      cycles.push({ ...cycle, left });
      console.log(
        `cycle ${cycles.length}: checked ${cycle.result.checked} (cap ${plan.maxPlayers}) in ${fmtMin(cycle.ms)} ` +
          `(stopped: ${cycle.result.stoppedBy}; ${cycle.ms <= intervalMs ? 'within' : 'LONGER than'} the ` +
          `${o.intervalMin}-minute interval); ${cycle.faceitCalls} FACEIT calls, ${cycle.faceit429s} 429s ` +
          `(emulator); backlog left: ${left}`,
      );
    }
    const backlogLeft = cycles.at(-1)?.left ?? o.players;
    console.log(
      backlogLeft === 0
        ? `the backlog cleared in ${cycles.length} cycles, the longest ${fmtMin(Math.max(...cycles.map((c) => c.ms)))}`
        : `the backlog did NOT clear in ${cycles.length} cycles: ${backlogLeft} players never checked`,
    );

    const result = {
      perSecond: o.rate,
      intervalMinutes: o.intervalMin,
      latencyMs: o.latencyMs,
      callsPerInterval: cap.callsPerInterval,
      monitoringCalls: cap.monitoringCalls,
      playersPerCycle: cap.playersPerCycle,
      playersWholeBudget: cap.playersWholeBudget,
      dueSharePerCycle: Number(share.toFixed(4)),
      adaptiveCapacity,
      naiveSmall: {
        players: o.small,
        ms: small.ms,
        playersPerSecond: Number(smallRate.toFixed(2)),
        faceitCalls: small.faceitCalls,
        faceit429s: small.faceit429s,
      },
      naiveLarge: {
        players: o.players,
        measured: o.full,
        sampleMs: large.ms,
        checked: large.result.checked,
        faceitCalls: large.faceitCalls,
        faceit429s: large.faceit429s,
        playersPerSecond: Number(largeRate.toFixed(2)),
        fullCycleMs: Math.round(largeMs),
      },
      adaptiveSteady: {
        players: o.players,
        due: dueNow,
        checked: steady.result.checked,
        ms: steady.ms,
        // The FACEIT emulator's count; the workflow's own (uncached calls it made) beside it.
        calls: steady.faceitCalls,
        callsPerCheck: Number(perCheck.toFixed(2)),
        workflowCountedCalls: steady.result.calls,
        faceit429s: steady.faceit429s,
        notified: steady.result.notified,
        deferred: steady.result.deferred,
      },
      adaptiveCatchUp: {
        players: o.players,
        checked: cycles[0]?.result.checked ?? 0,
        ms: cycles[0]?.ms ?? 0,
        stoppedBy: cycles[0]?.result.stoppedBy ?? null,
        deferred: cycles[0]?.result.deferred ?? 0,
        // Measured: the cycles actually run until every backlog player was checked (0 left), not a division.
        backlogCycles: cycles.length,
        backlogLeft,
        cycles: cycles.map((c) => ({
          checked: c.result.checked,
          ms: c.ms,
          stoppedBy: c.result.stoppedBy,
          faceitCalls: c.faceitCalls,
          faceit429s: c.faceit429s,
          left: c.left,
        })),
      },
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = Date.now();
  const result = await fn();
  return { ms: Date.now() - started, result };
}

async function seed(
  pool: DatabasePool,
  rows: Array<{ id: string; nickname: string; elo: number; matchId: string; finishedAt: number }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 2_000) {
    const part = rows.slice(i, i + 2_000);
    const tuples = sql.unnest(
      part.map((r, j) => [
        8_000_000_000 + i + j,
        r.id,
        r.nickname,
        r.elo,
        r.matchId,
        new Date(r.finishedAt).toISOString(),
      ]),
      ['int8', 'text', 'text', 'int4', 'text', 'timestamptz'],
    );
    await pool.transaction(async (tx) => {
      await tx.query(sql.unsafe`
        INSERT INTO chats (chat_id, type, language) SELECT v.chat_id, 'private', 'en'
        FROM ${tuples} AS v(chat_id, player_id, nickname, elo, match_id, finished_at)`);
      await tx.query(sql.unsafe`
        INSERT INTO tracked_players (chat_id, faceit_player_id, nickname, cursor_match_id, cursor_finished_at, last_checked_at)
        SELECT v.chat_id, v.player_id, v.nickname, v.match_id, v.finished_at, now()
        FROM ${tuples} AS v(chat_id, player_id, nickname, elo, match_id, finished_at)`);
      await tx.query(sql.unsafe`
        INSERT INTO player_watch (faceit_player_id, last_match_id, last_played_at, last_checked_at, next_check_at)
        SELECT v.player_id, v.match_id, v.finished_at, now(), now() + interval '1 day'
        FROM ${tuples} AS v(chat_id, player_id, nickname, elo, match_id, finished_at)`);
      await tx.query(sql.unsafe`
        INSERT INTO player_elo_snapshots (faceit_player_id, elo, source, observed_at)
        SELECT v.player_id, v.elo, 'monitoring', now() - interval '1 minute'
        FROM ${tuples} AS v(chat_id, player_id, nickname, elo, match_id, finished_at)`);
    });
  }
}

/** Only `due` are due now; the rest of `all` much later. */
async function setDue(pool: DatabasePool, due: string[], all: string[]): Promise<void> {
  await pool.query(sql.unsafe`
    UPDATE player_watch SET next_check_at = now() + interval '1 day'
    WHERE faceit_player_id = ANY(${sql.array(all, 'text')})`);
  await pool.query(sql.unsafe`
    UPDATE player_watch SET next_check_at = now() - interval '1 second'
    WHERE faceit_player_id = ANY(${sql.array(due, 'text')})`);
}

/** The steady state: each player's next check at a random point of its cadence (k intervals by recency). */
async function spreadByCadence(
  pool: DatabasePool,
  rows: Array<{ id: string; finishedAt: number }>,
  intervalMs: number,
): Promise<void> {
  const now = Date.now();
  const next = rows.map((r) => {
    const k = cadenceIntervals(r.finishedAt, now);
    // Due in this cycle with probability 1/k: uniformly within the next k intervals, the first one = now.
    const slot = Math.floor(Math.random() * k);
    return [r.id, new Date(slot === 0 ? now - 1000 : now + slot * intervalMs).toISOString()];
  });
  await pool.query(sql.unsafe`
    UPDATE player_watch w SET next_check_at = v.next
    FROM ${sql.unnest(next, ['text', 'timestamptz'])} AS v(id, next) WHERE w.faceit_player_id = v.id`);
}

/** Players of `ids` not checked since `since` (what is left of a backlog). */
function countNotCheckedSince(pool: DatabasePool, ids: string[], since: Date): Promise<number> {
  return pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM player_watch
      WHERE faceit_player_id = ANY(${sql.array(ids, 'text')})
        AND (last_checked_at IS NULL OR last_checked_at < ${sql.timestamp(since)})`,
  );
}

function countDue(pool: DatabasePool): Promise<number> {
  return pool.oneFirst(
    sql.type(
      z.object({ n: z.number() }),
    )`SELECT count(*)::int AS n FROM player_watch WHERE next_check_at <= now()`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
