/**
 * `npm run bench:broadcast [-- --recipients 5000 --rate 25 --kill-at 0.4 --blocked 0.02 --throttled 0.02
 *   --batches-per-run 30 --heartbeat-ms <default: the workflow's, 3000> --lanes <sends in flight, default from the rate>]`
 *
 * A broadcast to `--recipients` users at the configured rate (BROADCAST_RATE_PER_SECOND, default 25/s) with the
 * activity worker SIGKILLed from outside once `--kill-at` of the recipients are done, and a new worker process
 * started right after. Its own throw-away stack: Temporal, PostgreSQL and Redis through dev/services (ephemeral),
 * the Telegram emulator with Telegram's limits (about 30 messages/s per bot, 1/s per chat), `--blocked` of the users
 * answering 403 and `--throttled` answering 429 (retry_after 1 s) twice before accepting. The workflow runs in this
 * process; the sends in the child processes.
 *
 * Measured from what the Telegram emulator received: achieved send rate (whole run, kill included, and the
 * steady rate outside the crash gap) against the configured limit, duplicates (chats with two copies), unconfirmed
 * (sends in flight at the kill: reported, never resent; how many of them reached Telegram), lost (reachable
 * recipients without a copy that the report does not name as unconfirmed), the peak 1-second window, the crash gap
 * and what it is made of, and the workflow report.
 * The last stdout line is the result as JSON.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Api } from 'grammy';
import { sql } from 'slonik';
import { z } from 'zod';
import { startTelegramEmulator } from '../emulators/telegram';
import { broadcastResult, createBroadcastRepository, startBroadcast } from '../src/broadcast';
import { loadConfig } from '../src/config';
import { runMigrations } from '../src/db/migrate';
import { createDatabasePool } from '../src/db/pool';
import { createLogger } from '../src/logger';
import { startServices } from '../dev/services';
import { createTemporalClient } from '../src/temporal/client';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { bundleWorkflows } from '../src/temporal/worker';
import { forkActivityWorker } from '../test/harness/crash-worker';
import { NativeConnection, Worker } from '@temporalio/worker';

const TOKEN = '7100000003:bench-broadcast-token';
const TEXT = 'Bench broadcast: season update';

function options() {
  const { values } = parseArgs({
    options: {
      recipients: { type: 'string', default: '5000' },
      rate: { type: 'string', default: process.env.BROADCAST_RATE_PER_SECOND ?? '25' },
      'kill-at': { type: 'string', default: '0.4' },
      blocked: { type: 'string', default: '0.02' },
      throttled: { type: 'string', default: '0.02' },
      'batches-per-run': { type: 'string', default: '30' },
      'heartbeat-ms': { type: 'string' },
      lanes: { type: 'string' },
    },
  });
  return {
    recipients: Number(values.recipients),
    rate: Number(values.rate),
    killAt: Number(values['kill-at']),
    blocked: Number(values.blocked),
    throttled: Number(values.throttled),
    batchesPerRun: Number(values['batches-per-run']),
    heartbeatMs: values['heartbeat-ms'] ? Number(values['heartbeat-ms']) : undefined,
    lanes: values.lanes ? Number(values.lanes) : undefined,
  };
}

async function main(): Promise<void> {
  const o = options();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false });
  installTemporalRuntime(logger);
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  console.log('starting Temporal, PostgreSQL, Redis and the Telegram emulator…');
  const services = await startServices(base, { logger, mode: 'ephemeral', databaseName: 'bench_broadcast' });
  const stops: Array<() => Promise<unknown>> = [() => services.stop()];
  const children: ChildProcess[] = [];
  try {
    await runMigrations(services.databaseUrl, { logger });
    // Telegram's limits as the emulator models them: ~30/s per bot, 1/s per private chat (burst 5).
    const tg = await startTelegramEmulator({ tokens: [TOKEN] });
    stops.push(() => tg.stop());
    const suffix = randomUUID().slice(0, 8);
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      BROADCAST_RATE_PER_SECOND: String(o.rate),
      TASK_QUEUE_LOW: `bench-low-${suffix}`,
      TEMPORAL_ADDRESS: services.temporalAddress,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      BROADCAST_PACER_KEY: `bench:${suffix}:pacer`,
    };
    const config = loadConfig(env);
    const pool = await createDatabasePool(services.databaseUrl, { maximumPoolSize: 5 });
    stops.push(() => pool.end());

    // Recipients: users in PostgreSQL, open chats in the emulator; some blocked, some throttled.
    const ids = Array.from({ length: o.recipients }, (_, i) => 6_100_000_000 + i);
    await pool.query(sql.unsafe`
      INSERT INTO users (telegram_id, first_name, language, last_active_at)
      SELECT id, 'Recipient', 'ru', now() FROM unnest(${sql.array(ids, 'int8')}::int8[]) AS id`);
    const every = (share: number) => (share > 0 ? Math.round(1 / share) : Infinity);
    const blocked = new Set(ids.filter((_, i) => i % every(o.blocked) === 1));
    const throttled = new Set(ids.filter((_, i) => i % every(o.throttled) === 2));
    for (const id of ids) {
      tg.registerChat({ id, type: 'private', first_name: 'Recipient' });
      if (blocked.has(id)) tg.blockChat(id);
      if (throttled.has(id))
        tg.failChat(
          id,
          { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 },
          2,
        );
    }
    const adminId = 6_099_999_999;
    tg.registerChat({ id: adminId, type: 'private', first_name: 'Operator' });
    await pool.query(
      sql.unsafe`INSERT INTO users (telegram_id, first_name, language) VALUES (${adminId}, 'Op', 'en')`,
    );

    // The workflow worker here; the activity workers in child processes that can be killed.
    const connection = await NativeConnection.connect({ address: services.temporalAddress });
    const workflowWorker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TASK_QUEUE_LOW,
      workflowBundle: await bundleWorkflows(),
    });
    const workflowRun = workflowWorker.run();
    stops.push(async () => {
      workflowWorker.shutdown();
      await workflowRun;
      await connection.close();
    });
    // The activity worker of test/broadcast/crash.test.ts, without its crash hook: killed from outside here.
    const forkWorker = async () => {
      const worker = forkActivityWorker(
        path.join(__dirname, '../test/broadcast/fixtures/activity-worker.ts'),
        {
          ...env,
          TEST_LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        },
      );
      children.push(worker.child);
      await worker.ready;
      return worker.child;
    };
    const first = await forkWorker();
    const client = await createTemporalClient({
      address: services.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
    });
    stops.push(() => client.connection.close());

    const repo = createBroadcastRepository(pool);
    const progressMessage = await new Api(TOKEN, { apiRoot: tg.apiRoot }).sendMessage(adminId, 'starting…');
    const draft = await repo.createDraft({ adminId, text: TEXT, entities: null, source: null });
    await repo.confirm(
      draft.id,
      { chatId: adminId, messageId: progressMessage.message_id },
      `broadcast-${draft.id}`,
    );
    const audience = await repo.audienceSize({ kind: 'all' });
    console.log(
      `broadcast #${draft.id} to ${audience} users at ${o.rate}/s; the activity worker is killed at ${o.killAt * 100}%`,
    );

    const started = Date.now();
    await startBroadcast(client, config, {
      broadcastId: draft.id,
      adminId,
      ...(o.heartbeatMs ? { heartbeatTimeoutMs: o.heartbeatMs } : {}),
      batchesPerRun: o.batchesPerRun,
      ...(o.lanes ? { lanes: o.lanes } : {}),
    });
    // Kill from outside at a random moment once enough is done: whatever was in flight is in flight.
    const killAfter = Math.round(audience * o.killAt);
    let killedAt = 0;
    let replacementReadyMs = 0;
    while (!killedAt) {
      const done = tg.calls('sendMessage').filter((c) => c.ok && Number(c.params.chat_id) !== adminId).length;
      if (done >= killAfter) {
        await new Promise((r) => setTimeout(r, Math.random() * 200));
        first.kill('SIGKILL');
        killedAt = Date.now();
        console.log(
          `killed the activity worker after ${done} messages (${((killedAt - started) / 1000).toFixed(1)} s)`,
        );
        await forkWorker();
        replacementReadyMs = Date.now() - killedAt;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    const report = await broadcastResult(client, draft.id);
    const elapsedMs = Date.now() - started;

    // What Telegram received.
    const sends = tg
      .calls('sendMessage')
      .filter((c) => c.ok && Number(c.params.chat_id) !== adminId && c.params.text === TEXT);
    const copies = new Map<number, number>();
    for (const c of sends)
      copies.set(Number(c.params.chat_id), (copies.get(Number(c.params.chat_id)) ?? 0) + 1);
    const reachable = ids.filter((id) => !blocked.has(id));
    const duplicates = [...copies.values()].filter((n) => n > 1).length;
    // Unconfirmed: claimed and in flight when the worker died, so the answer was lost. Never sent again (the Bot API
    // cannot say whether the first request arrived); the emulator tells which of them did reach Telegram.
    const unconfirmed = await pool.anyFirst(sql.type(z.object({ telegram_id: z.number() }))`
      SELECT telegram_id FROM broadcast_deliveries WHERE broadcast_id = ${draft.id} AND status = 'uncertain'`);
    const unconfirmedDelivered = unconfirmed.filter((id) => copies.get(id) === 1).length;
    const unconfirmedSet = new Set(unconfirmed);
    const noCopy = reachable.filter((id) => !copies.get(id));
    const lost = noCopy.filter((id) => !unconfirmedSet.has(id)).length;
    const times = sends.map((c) => c.at).sort((a, b) => a - b);
    const spanS = (times.at(-1)! - times[0]) / 1000;
    const achieved = sends.length / spanS;
    // The steady rate: the span without the crash gap (the longest pause between two sends).
    let gapMs = 0;
    let gapEnd = 0;
    for (let i = 1; i < times.length; i++) {
      if (times[i] - times[i - 1] > gapMs) [gapMs, gapEnd] = [times[i] - times[i - 1], times[i]];
    }
    const steady = sends.length / (spanS - gapMs / 1000);
    // Every call Telegram received for the broadcast (403s and 429s take a slot of the rate too).
    const attempts = tg
      .calls('sendMessage')
      .filter((c) => Number(c.params.chat_id) !== adminId && c.params.text === TEXT);
    const attemptsSpanS =
      (Math.max(...attempts.map((c) => c.at)) - Math.min(...attempts.map((c) => c.at))) / 1000;
    const callsSteady = attempts.length / (attemptsSpanS - gapMs / 1000);
    // When the retried batch sent again (the end of the gap; a request in flight at the kill may land just after it).
    const resumedAfterKillMs = gapEnd - killedAt;
    let peak = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    const calls429 = tg.calls('sendMessage').filter((c) => c.status === 429).length;
    const calls403 = tg.calls('sendMessage').filter((c) => c.status === 403).length;

    const rows: Array<[string, string, string]> = [
      ['recipients (audience)', String(audience), ''],
      ['blocked (403) / throttled (429 ×2)', `${blocked.size} / ${throttled.size}`, ''],
      ['messages delivered', String(sends.length), `${reachable.length} reachable`],
      ['configured rate', `${o.rate}/s`, ''],
      [
        'achieved rate, whole run (kill included)',
        `${achieved.toFixed(2)}/s = ${((achieved / o.rate) * 100).toFixed(1)} %`,
        '≥ 90 %',
      ],
      [
        'achieved rate, outside the crash gap',
        `${steady.toFixed(2)}/s = ${((steady / o.rate) * 100).toFixed(1)} %`,
        '',
      ],
      [
        'Telegram calls incl. 403/429, outside the gap',
        `${callsSteady.toFixed(2)}/s = ${((callsSteady / o.rate) * 100).toFixed(1)} %`,
        `${attempts.length} calls`,
      ],
      [
        'crash gap (longest pause between sends)',
        `${(gapMs / 1000).toFixed(1)} s`,
        `heartbeat timeout ${(o.heartbeatMs ?? 3000) / 1000} s`,
      ],
      [
        'kill → replacement worker polling / → sending again',
        `${(replacementReadyMs / 1000).toFixed(1)} s / ${(resumedAfterKillMs / 1000).toFixed(1)} s`,
        '',
      ],
      ['peak sends in any 1 s window (as received)', String(peak), '≤ 30 (Telegram, per bot)'],
      ['429 answers (retried after retry_after) / 403', `${calls429} / ${calls403}`, ''],
      ['duplicates (chats with 2+ copies)', String(duplicates), '0'],
      [
        'unconfirmed (in flight at the kill, not resent)',
        String(unconfirmed.length),
        `${unconfirmedDelivered} reached Telegram, ${unconfirmed.length - unconfirmedDelivered} did not; 1 copy at most`,
      ],
      [
        'reachable recipients without a copy',
        String(noCopy.length),
        `${noCopy.length - lost} of them reported unconfirmed`,
      ],
      ['lost (no copy, not reported unconfirmed)', String(lost), '0'],
      [
        'report: sent / blocked / failed / unconfirmed',
        `${report.sent} / ${report.blocked} / ${report.failed} / ${report.uncertain}`,
        '',
      ],
      ['workflow runs (continue-as-new)', String(report.runs ?? 1), ''],
      ['wall time', `${(elapsedMs / 1000).toFixed(1)} s`, ''],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log('');
    for (const [k, v, t] of rows) console.log(`${k.padEnd(w0)}  ${v.padEnd(w1)}  ${t}`);
    console.log(
      JSON.stringify({
        bench: 'broadcast',
        recipients: audience,
        configured_rate: o.rate,
        achieved_rate: Number(achieved.toFixed(2)),
        achieved_share: Number((achieved / o.rate).toFixed(3)),
        steady_rate: Number(steady.toFixed(2)),
        steady_share: Number((steady / o.rate).toFixed(3)),
        calls_steady_rate: Number(callsSteady.toFixed(2)),
        crash_gap_ms: gapMs,
        heartbeat_timeout_ms: o.heartbeatMs ?? 3000,
        replacement_ready_ms: replacementReadyMs,
        resumed_after_kill_ms: resumedAfterKillMs,
        peak_per_second: peak,
        delivered: sends.length,
        reachable: reachable.length,
        duplicates,
        unconfirmed: unconfirmed.length,
        unconfirmed_delivered: unconfirmedDelivered,
        no_copy: noCopy.length,
        lost,
        rate_limited_429: calls429,
        report: { ...report },
        worker_killed: true,
        elapsed_ms: elapsedMs,
      }),
    );
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
