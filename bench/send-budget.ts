/**
 * `npm run bench:send-budget [-- --requests 24 --every-ms 1500 --recipients 5000 --warm-lobbies 3
 *   --broadcast-rate <BROADCAST_RATE_PER_SECOND, default 25>]`
 *
 * Issue 24 item 4, the one Telegram send budget: a report's delivery time while a broadcast runs, next to the same
 * without it. On the stack of bench/stack.ts (Temporal dev server, PostgreSQL, Redis, the FACEIT emulator at 10/s
 * and 50 ms, the Telegram emulator with Telegram's limits, workers of every tier and the real bot in this process):
 *
 *  1. `--warm-lobbies` cold lobbies fill the FACEIT cache (not measured);
 *  2. without a broadcast: `--requests` warm analyses, one user message every `--every-ms` (open loop: a request
 *     does not wait for the one before), each timed message in → last report part applied (bench/bot-driver.ts,
 *     as bench:analysis measures it);
 *  3. an admin sends `/broadcast <text>` to the bot and presses Confirm (the product's path) to `--recipients`
 *     users; once it is sending, the same number of warm analyses on the same schedule, then the broadcast runs out.
 *
 * Counted from the Telegram emulator's own log: 429 answers (must be 0), the most calls the budget counts
 * (messages and edits, src/telegram/send-budget.ts) that Telegram applied in any one second (Telegram: about 30 per
 * bot), messages alone, and the broadcast's sends (achieved rate over its run and while the reports ran). The
 * budget's waits by class come from `telegram_send_budget_waits_total`. The last stdout line is the result as JSON.
 * Exits non-zero only when a report or the broadcast does not arrive.
 */
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { register } from 'prom-client';
import { sql } from 'slonik';
import type { ApiCall, SimUser, TelegramEmulator } from '../emulators/telegram';
import type { LobbyInfo } from '../emulators/faceit';
import { broadcastResult, type BroadcastReport } from '../src/broadcast';
import type { DatabasePool } from '../src/db/pool';
import { COUNTED_METHODS } from '../src/telegram/send-budget';
import { BotDriver, type Delivered } from './bot-driver';
import { startBenchStack } from './stack';

const BROADCAST_TEXT = 'Bench broadcast: season 3 starts tonight';
const ADMIN: SimUser = { id: 6_099_999_001, first_name: 'Op', username: 'bench_op', language_code: 'en' };
const TELEGRAM_PER_BOT = 30;

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '24' },
      'every-ms': { type: 'string', default: '1500' },
      recipients: { type: 'string', default: '5000' },
      'warm-lobbies': { type: 'string', default: '3' },
      'broadcast-rate': { type: 'string', default: process.env.BROADCAST_RATE_PER_SECOND ?? '25' },
    },
  });
  return {
    requests: Number(values.requests),
    everyMs: Number(values['every-ms']),
    recipients: Number(values.recipients),
    warmLobbies: Number(values['warm-lobbies']),
    broadcastRate: Number(values['broadcast-rate']),
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/** The most of `times` (epoch ms) inside any one-second window [t, t + 1000). */
function peakPerSecond(times: number[]): number {
  const s = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i] - s[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** What Telegram applied in [from, to]: calls the budget counts, messages alone, 429 answers. */
function telegramIn(tg: TelegramEmulator, from: number, to: number) {
  const calls = tg.calls().filter((c) => c.at >= from && c.at <= to && COUNTED_METHODS.has(c.method));
  const applied = calls.filter((c) => c.ok);
  const messages = applied.filter((c) => !c.method.startsWith('edit'));
  return {
    peakCounted: peakPerSecond(applied.map((c) => c.at)),
    peakMessages: peakPerSecond(messages.map((c) => c.at)),
    tooMany: tg.calls().filter((c) => c.at >= from && c.at <= to && c.status === 429).length,
    counted: applied.length,
  };
}

/** A copy the broadcast sent (the admin's preview of the draft, sent before Confirm, is not one). */
const isBroadcastSend = (since: number) => (c: ApiCall) =>
  c.ok && c.method === 'sendMessage' && c.params.text === BROADCAST_TEXT && c.at >= since;

async function seedRecipients(pool: DatabasePool, tg: TelegramEmulator, count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => 6_200_000_000 + i);
  await pool.query(sql.unsafe`
    INSERT INTO users (telegram_id, first_name, language, last_active_at)
    SELECT id, 'Recipient', 'en', now() FROM unnest(${sql.array(ids, 'int8')}::int8[]) AS id`);
  for (const id of ids) tg.registerChat({ id, type: 'private', first_name: 'Recipient' });
}

async function until<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The admin's `/broadcast <text>`, then Confirm on the controls the bot shows: the product's own path. */
async function broadcastThroughBot(
  tg: TelegramEmulator,
): Promise<{ broadcastId: number; confirmedAt: number }> {
  tg.sendUserMessage({ from: ADMIN, text: `/broadcast ${BROADCAST_TEXT}` });
  const { messageId, data } = await until('the broadcast controls', 15_000, () => {
    for (const m of tg.botMessages(ADMIN.id)) {
      const go = m.replyMarkup?.inline_keyboard?.flat().find((b) => b.callback_data?.startsWith('bc:go:'));
      if (go?.callback_data) return { messageId: m.messageId, data: go.callback_data };
    }
    return undefined;
  });
  const confirmedAt = Date.now();
  tg.clickButton({ from: ADMIN, chatId: ADMIN.id, messageId, data });
  return { broadcastId: Number(data.split(':')[2]), confirmedAt };
}

interface Phase {
  delivered: Delivered[];
  from: number;
  to: number;
}

/** `n` warm analyses, one user message every `everyMs` whatever the earlier ones are doing. */
async function warmPhase(
  bot: BotDriver,
  lobby: () => Promise<LobbyInfo>,
  n: number,
  everyMs: number,
): Promise<Phase> {
  const from = Date.now();
  const pending: Array<Promise<Delivered>> = [];
  for (let i = 0; i < n; i++) {
    const l = await lobby();
    const user = await bot.user(i % 2 === 0 ? 'pro' : 'free', i % 2 === 0 ? 'en' : 'ru');
    const report = bot.report(bot.analyze(user, l.roomUrl, l.matchId), 60_000);
    report.catch(() => undefined); // awaited below; a missing report ends the benchmark
    pending.push(report);
    await sleep(everyMs);
  }
  const delivered = await Promise.all(pending);
  return { delivered, from, to: Math.max(...delivered.map((d) => d.at)) };
}

async function budgetWaits(): Promise<Record<string, number>> {
  const metric = register.getSingleMetric('telegram_send_budget_waits_total');
  const values = (await metric?.get())?.values ?? [];
  return Object.fromEntries(values.map((v) => [String(v.labels.class), v.value]));
}

async function main(): Promise<void> {
  const o = options();
  const load = { before: loadavg().map((x) => Number(x.toFixed(2))), after: [] as number[] };
  const s = await startBenchStack({
    name: 'send_budget',
    rate: 10,
    latencyMs: 50,
    env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id), BROADCAST_RATE_PER_SECOND: String(o.broadcastRate) },
  });
  let result: Record<string, unknown>;
  let rows: Array<[string, string, string]>;
  try {
    const { tg, pool, faceit, client, config } = s;
    const bot = new BotDriver(tg, pool);
    s.onStop(async () => bot.stop());
    await seedRecipients(pool, tg, o.recipients);
    const players = faceit.control.findPlayers({ hasCs2: true, limit: 200 }).map((p) => p.playerId);
    const seen: string[][] = [];
    for (let i = 0; i < o.warmLobbies; i++) {
      const lobby = await faceit.control.createLobby({ players: players.slice(i * 10, i * 10 + 10) });
      const user = await bot.user('free', 'en');
      const d = await bot.report(bot.analyze(user, lobby.roomUrl, lobby.matchId), 60_000);
      seen.push(players.slice(i * 10, i * 10 + 10));
      log(`cache warm-up ${i + 1}/${o.warmLobbies}: cold lobby in ${d.ms} ms`);
    }
    let next = 0;
    const warmLobby = () => faceit.control.createLobby({ players: seen[next++ % seen.length] });

    log(`without a broadcast: ${o.requests} warm analyses, one every ${o.everyMs} ms`);
    const waits0 = await budgetWaits();
    const alone = await warmPhase(bot, warmLobby, o.requests, o.everyMs);
    const waits1 = await budgetWaits();
    await sleep(1_000);

    log(`broadcast to ${o.recipients} recipients at ${o.broadcastRate}/s through /broadcast and Confirm`);
    const draftedAt = Date.now();
    const { broadcastId, confirmedAt } = await broadcastThroughBot(tg);
    // The reports start once the broadcast is sending at its pace (its workflow exists by then).
    await until('the broadcast sending', 30_000, () =>
      tg.calls('sendMessage').filter(isBroadcastSend(confirmedAt)).length >= 2 * o.broadcastRate
        ? true
        : undefined,
    );
    const report: Promise<BroadcastReport> = broadcastResult(client, broadcastId);
    report.catch(() => undefined);
    log(`with the broadcast: ${o.requests} warm analyses, one every ${o.everyMs} ms`);
    const waits2 = await budgetWaits();
    const during = await warmPhase(bot, warmLobby, o.requests, o.everyMs);
    const waits3 = await budgetWaits();
    const expectedS = o.recipients / o.broadcastRate;
    const final = await Promise.race([
      report,
      sleep((expectedS * 3 + 60) * 1000).then(() => {
        throw new Error(`broadcast #${broadcastId} did not finish in ${Math.round(expectedS * 3 + 60)} s`);
      }),
    ]);
    const end = Date.now();
    load.after = loadavg().map((x) => Number(x.toFixed(2)));

    const sends = tg.calls('sendMessage').filter(isBroadcastSend(confirmedAt));
    const times = sends.map((c) => c.at);
    const spanS = (Math.max(...times) - Math.min(...times)) / 1000;
    const broadcastRate = sends.length / spanS;
    const sendsDuring = times.filter((t) => t >= during.from && t <= during.to).length;
    const rateDuring = sendsDuring / ((during.to - during.from) / 1000);
    const tAlone = telegramIn(tg, alone.from, alone.to);
    const tDuring = telegramIn(tg, during.from, during.to);
    const tBroadcast = telegramIn(tg, draftedAt, end);
    const whole = telegramIn(tg, 0, end);
    const ms = (p: Phase) => p.delivered.map((d) => d.ms);
    const first = (p: Phase) => p.delivered.map((d) => d.firstReplyMs);
    // Sends of each class that waited for a slot of the budget, within a phase.
    const waited = (from: Record<string, number>, to: Record<string, number>) =>
      Object.fromEntries(['reply', 'notice', 'bulk'].map((c) => [c, (to[c] ?? 0) - (from[c] ?? 0)]));
    const waitsAlone = waited(waits0, waits1);
    const waits = waited(waits2, waits3);
    // Where a report's time goes: message in → its first part at Telegram (bot, workflow, compute), then the
    // delivery of its parts (where the send budget acts).
    const pipeline = (p: Phase) => p.delivered.map((d) => d.reportStartMs);
    const delivery = (p: Phase) => p.delivered.map((d) => d.ms - d.reportStartMs);
    const slowdownP50 = pct(ms(during), 50) - pct(ms(alone), 50);
    const slowdownP95 = pct(ms(during), 95) - pct(ms(alone), 95);
    const fmt = (xs: number[]) => `${pct(xs, 50)} / ${pct(xs, 95)} ms`;
    const mark = (ok: boolean) => (ok ? 'yes' : 'NO');
    rows = [
      [
        'warm report, no broadcast: p50 / p95',
        fmt(ms(alone)),
        `${o.requests} requests, max ${Math.max(...ms(alone))} ms`,
      ],
      [
        'warm report, broadcast running: p50 / p95',
        fmt(ms(during)),
        `${o.requests} requests, max ${Math.max(...ms(during))} ms`,
      ],
      [
        'slowdown by the broadcast p50 / p95',
        `${slowdownP50} / ${slowdownP95} ms`,
        `≤ 200 ms: ${mark(slowdownP95 <= 200)}`,
      ],
      [
        'message in → first report part p50 / p95 (alone | broadcast)',
        `${fmt(pipeline(alone))} | ${fmt(pipeline(during))}`,
        'bot, workflow, compute',
      ],
      [
        'first report part → last part p50 / p95 (alone | broadcast)',
        `${fmt(delivery(alone))} | ${fmt(delivery(during))}`,
        'delivery: where the budget acts',
      ],
      ['first reply p50 / p95 (alone | broadcast)', `${fmt(first(alone))} | ${fmt(first(during))}`, ''],
      [
        'report parts (max)',
        String(Math.max(...[...alone.delivered, ...during.delivered].map((d) => d.parts))),
        '',
      ],
      [
        'broadcast: delivered / recipients',
        `${sends.length} / ${final.total}`,
        `sent ${final.sent}, failed ${final.failed}, blocked ${final.blocked}`,
      ],
      [
        'broadcast: achieved rate (whole run)',
        `${broadcastRate.toFixed(2)}/s`,
        `pacer ${o.broadcastRate}/s, ${spanS.toFixed(1)} s`,
      ],
      ['broadcast: rate while the reports ran', `${rateDuring.toFixed(2)}/s`, `${sendsDuring} sends`],
      [
        'Telegram 429s (alone | with reports | broadcast phase | whole run)',
        [tAlone, tDuring, tBroadcast, whole].map((t) => t.tooMany).join(' | '),
        `0: ${mark(whole.tooMany === 0)}`,
      ],
      [
        'max messages + edits in any 1 s (same windows)',
        [tAlone, tDuring, tBroadcast, whole].map((t) => t.peakCounted).join(' | '),
        `≤ ${TELEGRAM_PER_BOT}: ${mark(whole.peakCounted <= TELEGRAM_PER_BOT)}`,
      ],
      [
        'max messages alone in any 1 s (same windows)',
        [tAlone, tDuring, tBroadcast, whole].map((t) => t.peakMessages).join(' | '),
        `≤ ${TELEGRAM_PER_BOT}: ${mark(whole.peakMessages <= TELEGRAM_PER_BOT)}`,
      ],
      [
        'budget waits reply / notice / bulk (alone | broadcast)',
        `${waitsAlone.reply} / ${waitsAlone.notice} / ${waitsAlone.bulk} | ${waits.reply} / ${waits.notice} / ${waits.bulk}`,
        'sends that waited for a slot',
      ],
      [
        'load average before → after (1 / 5 / 15 min)',
        `${load.before.join(' ')} → ${load.after.join(' ')}`,
        `${cpus().length} cores`,
      ],
    ];
    result = {
      bench: 'send-budget',
      requests_per_phase: o.requests,
      every_ms: o.everyMs,
      report_alone_p50_ms: pct(ms(alone), 50),
      report_alone_p95_ms: pct(ms(alone), 95),
      report_broadcast_p50_ms: pct(ms(during), 50),
      report_broadcast_p95_ms: pct(ms(during), 95),
      slowdown_p50_ms: slowdownP50,
      slowdown_p95_ms: slowdownP95,
      report_start_alone_p50_ms: pct(pipeline(alone), 50),
      report_start_broadcast_p50_ms: pct(pipeline(during), 50),
      delivery_alone_p50_ms: pct(delivery(alone), 50),
      delivery_alone_p95_ms: pct(delivery(alone), 95),
      delivery_broadcast_p50_ms: pct(delivery(during), 50),
      delivery_broadcast_p95_ms: pct(delivery(during), 95),
      first_reply_alone_p95_ms: pct(first(alone), 95),
      first_reply_broadcast_p95_ms: pct(first(during), 95),
      recipients: final.total,
      broadcast_delivered: sends.length,
      broadcast_pacer_per_s: o.broadcastRate,
      broadcast_rate_per_s: Number(broadcastRate.toFixed(2)),
      broadcast_rate_during_reports_per_s: Number(rateDuring.toFixed(2)),
      telegram_sends_per_second_budget: config.TELEGRAM_SENDS_PER_SECOND,
      telegram_429s: whole.tooMany,
      telegram_429s_broadcast_phase: tBroadcast.tooMany,
      peak_counted_per_s_alone: tAlone.peakCounted,
      peak_counted_per_s_with_reports: tDuring.peakCounted,
      peak_counted_per_s: whole.peakCounted,
      peak_counted_per_s_broadcast_phase: tBroadcast.peakCounted,
      peak_messages_per_s: whole.peakMessages,
      budget_waits_alone: waitsAlone,
      budget_waits_during_reports: waits,
      load_before: load.before,
      load_after: load.after,
      cores: cpus().length,
    };
  } finally {
    await s.stop();
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [k, v, t] of rows) console.log(`${k.padEnd(w0)}  ${v.padEnd(w1)}  ${t}`);
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
