/**
 * Pre-match briefs and the progressive report, measured end to end (`npm run bench:briefs`):
 *
 * - READY → brief delivered: a tracked player's match goes READY in the FACEIT emulator; the webhook reaches the
 *   handler, and three chats (two private, one group) each get the lobby report in their brief. Measured per chat
 *   (report applied in the message) and per match (the last of the three). Same again without webhooks: a monitoring
 *   cycle finds the match on the player's history page (and its extra FACEIT calls are counted).
 * - Match created → brief delivered (in time for the veto): FACEIT's `match_object_created` for a VOTING match whose
 *   rosters are filled in `--rosters-after-ms` later (default 2 s); the brief's watch polls the room until they
 *   appear, then three chats get the report during the vote. Measured per chat and per match from the creation,
 *   to compare with the veto's length (the emulator has no vote clock: FACEIT's BO1 vote is six captain bans in
 *   turn, so it is measured in a real room, not here); then the CONFIGURING webhook and the time until every brief
 *   shows the picked map.
 * - Pasted link: a user pastes a room link to the bot; time to the first roster content (every nickname of both
 *   teams on screen: the progressive report) and to the full report (its last part applied, the lobby card or the
 *   text) — the pasted-link latency the briefs compare to.
 *
 * Everything real but FACEIT and Telegram (the emulators, with the FACEIT latency and rate of bench:analysis).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createBriefsRepository } from '../src/briefs';
import { mapLabel } from '../src/faceit';
import { createRepositories } from '../src/db/repositories';
import { type LobbyInfo } from '../emulators/faceit';
import { createMonitoringRepository } from '../src/monitoring/repository';
import { createFaceitWebhookHandler } from '../src/monitoring/webhook';
import type { MonitoringCycleResult } from '../src/monitoring/workflows';
import { BotDriver } from './bot-driver';
import { startBenchStack } from './stack';

const SECRET = 'bench-briefs-webhook-secret';

export interface BriefsBenchResult {
  bench: 'briefs';
  pasted_link_first_roster_p50_ms: number;
  pasted_link_first_roster_p95_ms: number;
  pasted_link_report_p50_ms: number;
  pasted_link_report_p95_ms: number;
  created_to_brief_per_chat_p50_ms: number;
  created_to_brief_per_chat_p95_ms: number;
  created_to_brief_all3_p50_ms: number;
  created_to_brief_all3_p95_ms: number;
  configuring_to_map_edit_all3_p50_ms: number;
  configuring_to_map_edit_all3_p95_ms: number;
  rosters_after_ms: number;
  /** The veto's length is not emulated (no vote clock): compare with a real room's. */
  veto_length_s: null;
  ready_to_brief_webhook_per_chat_p50_ms: number;
  ready_to_brief_webhook_per_chat_p95_ms: number;
  ready_to_brief_webhook_all3_p50_ms: number;
  ready_to_brief_webhook_all3_p95_ms: number;
  faceit_calls_per_briefed_match_3_chats: number;
  schedule_cycle_start_to_brief_per_chat_p50_ms: number;
  schedule_cycle_start_to_brief_per_chat_p95_ms: number;
  schedule_briefs_sent: number;
  schedule_players_checked: number;
  schedule_calls: number;
  schedule_brief_history_calls: number;
  runs: number;
  faceit: { rate_per_s: number; latency_ms: number };
  cores: number;
}

export interface BriefsBenchOptions {
  runs: number;
  /** The VOTING match's rosters appear this long after creation. */
  rostersAfterMs?: number;
  latencyMs: number;
  rate: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const log = (line: string) => process.stderr.write(`[bench:briefs] ${line}\n`);

/** Runs the whole measurement on its own throw-away stack and returns the figures (bench:analysis prints them too). */
export async function measureBriefs({
  runs: RUNS,
  latencyMs: LATENCY_MS,
  rate: RATE,
  rostersAfterMs: ROSTERS_AFTER_MS = 2_000,
}: BriefsBenchOptions): Promise<BriefsBenchResult> {
  const s = await startBenchStack({
    name: 'briefs',
    rate: RATE,
    latencyMs: LATENCY_MS,
    env: { FACEIT_WEBHOOK_SECRET: SECRET },
  });
  try {
    const { config, logger, client, pool, faceit, tg } = s;
    const handler = createFaceitWebhookHandler({ config, logger, pool, temporal: client }, { settleMs: 0 });
    const server = createServer((req, res) => {
      handler(req, res)
        .then((handled) => {
          if (!handled) res.writeHead(404).end();
        })
        .catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    s.onStop(() => new Promise((resolve) => server.close(resolve)));
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/faceit`;

    const repos = createRepositories(pool);
    const monitoring = createMonitoringRepository(pool);
    const briefs = createBriefsRepository(pool);
    const players = faceit.control
      .findPlayers({ hasCs2: true, minMatches: 30, limit: 5000 })
      .sort(() => Math.random() - 0.5);
    let nextId = 7_200_000_000 + Math.floor(Math.random() * 1e6) * 100;
    let nextGroup = -(2_000_000_000 + Math.floor(Math.random() * 1e6) * 100);

    /** A player tracked with briefs on by two private chats (en, ru) and a group. */
    async function trackedBy3(): Promise<{ playerId: string; nickname: string; chats: number[] }> {
      const p = players.shift()!;
      const chats: number[] = [];
      for (const [type, language] of [
        ['private', 'en'],
        ['private', 'ru'],
        ['group', 'en'],
      ] as const) {
        const userId = nextId++;
        await repos.users.touch({ telegramId: userId, firstName: 'Bench' });
        await repos.users.update(userId, { language });
        const chatId = type === 'private' ? userId : nextGroup--;
        if (type === 'group')
          tg.registerChat({ id: chatId, type: 'group', title: 'Bench', admins: [userId] });
        await monitoring.upsertChat({ chatId, type, title: type === 'group' ? 'Bench' : null, language });
        await monitoring.track(chatId, { playerId: p.playerId, nickname: p.nickname }, userId, 1_000_000);
        await briefs.setAutoBrief(chatId, true);
        chats.push(chatId);
      }
      return { playerId: p.playerId, nickname: p.nickname, chats };
    }

    /** Epoch ms at which the chat's brief showed the report (its team names), or undefined on time-out. */
    async function reportIn(
      chatId: number,
      lobby: LobbyInfo,
      timeoutMs = 60_000,
    ): Promise<number | undefined> {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const m = tg.botMessages(chatId).find((x) => (x.text ?? '').includes(lobby.teams.faction2.name));
        if (m && /(Lobby analysis|Анализ лобби)/.test(m.text ?? '')) return Date.now();
        await sleep(20);
      }
      return undefined;
    }

    function runCycle(): Promise<MonitoringCycleResult> {
      return client.workflow.execute('monitoringCycleWorkflow', {
        taskQueue: config.TASK_QUEUE_LOW,
        workflowId: `bench-briefs-cycle-${randomUUID()}`,
        args: [{}],
        workflowExecutionTimeout: '5 minutes',
      });
    }

    // Warm-up (not measured): one pasted link.
    {
      const lobby = await faceit.control.createLobby({
        players: players.splice(0, 10).map((p) => p.playerId),
      });
      tg.sendUserMessage({ from: { id: nextId++, first_name: 'Warm' }, text: lobby.roomUrl });
      await sleep(8_000);
    }
    log(`stack ready: FACEIT ${RATE} req/s, ${LATENCY_MS} ms; ${RUNS} runs each`);

    // 1. Pasted link: first roster content (the progress message) and the full report. The report opens with the
    // lobby card (a photo captioned with the header; the progress message is deleted) or, with the card off, the
    // progress message edited into its first part: BotDriver reads both, as bench:analysis does, and counts the
    // report as delivered when its last part is applied (the request's own record says it is complete).
    const driver = new BotDriver(tg, pool);
    s.onStop(async () => driver.stop());
    const firstRoster: number[] = [];
    const pasted: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const lobby = await faceit.control.createLobby({
        players: players.splice(0, 10).map((p) => p.playerId),
      });
      const names = [...lobby.teams.faction1.players, ...lobby.teams.faction2.players].map((p) => p.nickname);
      const user = { id: nextId++, first_name: 'Bench', language_code: i % 2 ? 'ru' : 'en' };
      const t0 = Date.now();
      const sent = tg.sendUserMessage({ from: user, text: lobby.roomUrl });
      let settled = false;
      const delivered = driver
        .report({ user, matchId: lobby.matchId, t0, userMessageId: sent.messageId }, 60_000)
        .catch((err: unknown) => {
          log(`pasted link ${i + 1}: no full report: ${String(err)}`);
          return undefined;
        })
        .finally(() => (settled = true));
      let roster: number | undefined;
      while (!settled && roster === undefined) {
        const progress = tg.botMessages(user.id).find((x) => x.messageId > sent.messageId);
        const text = progress?.text ?? '';
        if (names.every((n) => text.includes(n))) roster = Date.now() - t0;
        await sleep(10);
      }
      const report = (await delivered)?.ms;
      if (roster !== undefined) firstRoster.push(roster);
      if (report !== undefined) pasted.push(report);
      log(`pasted link ${i + 1}: first roster ${roster} ms, full report ${report} ms`);
      await sleep(1_200);
    }

    // 2. READY through the webhook: three chats, one analysis.
    faceit.control.setWebhook({ url: webhookUrl, secret: SECRET });
    const webhookPerChat: number[] = [];
    const webhookAll: number[] = [];
    let webhookCalls = 0;
    for (let i = 0; i < RUNS; i++) {
      const p = await trackedBy3();
      const before = faceit.control.counts().total;
      const t0 = Date.now();
      const lobby = await faceit.control.createLobby({ players: [p.playerId], status: 'READY' });
      const at = await Promise.all(p.chats.map((c) => reportIn(c, lobby)));
      const ok = at.filter((x): x is number => x !== undefined).map((x) => x - t0);
      webhookPerChat.push(...ok);
      if (ok.length === 3) webhookAll.push(Math.max(...ok));
      webhookCalls += faceit.control.counts().total - before;
      log(`webhook ${i + 1}: briefs after ${ok.join(' / ')} ms`);
      await sleep(1_200);
    }
    // 2b. Match created (VOTING, rosters filled in later) → brief during the vote; then the map is picked.
    const createdPerChat: number[] = [];
    const createdAll: number[] = [];
    const mapEditAll: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const p = await trackedBy3();
      const t0 = Date.now();
      const lobby = await faceit.control.createLobby({
        players: [p.playerId],
        status: 'VOTING',
        rostersAfterMs: ROSTERS_AFTER_MS,
      });
      const at = await Promise.all(p.chats.map((c) => reportIn(c, lobby)));
      const ok = at.filter((x): x is number => x !== undefined).map((x) => x - t0);
      createdPerChat.push(...ok);
      if (ok.length === 3) createdAll.push(Math.max(...ok));
      const t1 = Date.now();
      await faceit.control.setMatchStatus(lobby.matchId, 'CONFIGURING');
      const label = mapLabel(lobby.map);
      const edited = await Promise.all(
        p.chats.map(async (c) => {
          const until = Date.now() + 60_000;
          while (Date.now() < until) {
            const m = tg.botMessages(c).find((x) => (x.text ?? '').includes(lobby.teams.faction2.name));
            if (m && (m.text ?? '').includes(`: ${label}`)) return Date.now();
            await sleep(20);
          }
          return undefined;
        }),
      );
      const done = edited.filter((x): x is number => x !== undefined).map((x) => x - t1);
      if (done.length === 3) mapEditAll.push(Math.max(...done));
      log(`created ${i + 1}: briefs after ${ok.join(' / ')} ms; map edit after ${done.join(' / ')} ms`);
      await sleep(1_200);
    }
    faceit.control.setWebhook(null);

    // 3. READY found by the schedule's history check (no webhooks).
    const tracked = [];
    for (let i = 0; i < RUNS; i++) tracked.push(await trackedBy3());
    await pool.query(
      (await import('slonik')).sql
        .unsafe`UPDATE player_watch SET next_check_at = now() - interval '1 second'`,
    );
    await runCycle(); // first sight: cursors only
    const lobbies: LobbyInfo[] = [];
    for (const p of tracked)
      lobbies.push(await faceit.control.createLobby({ players: [p.playerId], status: 'READY' }));
    await pool.query(
      (await import('slonik')).sql
        .unsafe`UPDATE player_watch SET next_check_at = now() - interval '1 second'`,
    );
    const t0 = Date.now();
    const cycle = await runCycle();
    const schedulePerChat: number[] = [];
    const scheduleAll: number[] = [];
    for (const [i, p] of tracked.entries()) {
      const at = await Promise.all(p.chats.map((c) => reportIn(c, lobbies[i])));
      const ok = at.filter((x): x is number => x !== undefined).map((x) => x - t0);
      schedulePerChat.push(...ok);
      if (ok.length === 3) scheduleAll.push(Math.max(...ok));
    }

    const result: BriefsBenchResult = {
      bench: 'briefs',
      pasted_link_first_roster_p50_ms: pct(firstRoster, 50),
      pasted_link_first_roster_p95_ms: pct(firstRoster, 95),
      pasted_link_report_p50_ms: pct(pasted, 50),
      pasted_link_report_p95_ms: pct(pasted, 95),
      created_to_brief_per_chat_p50_ms: pct(createdPerChat, 50),
      created_to_brief_per_chat_p95_ms: pct(createdPerChat, 95),
      created_to_brief_all3_p50_ms: pct(createdAll, 50),
      created_to_brief_all3_p95_ms: pct(createdAll, 95),
      configuring_to_map_edit_all3_p50_ms: pct(mapEditAll, 50),
      configuring_to_map_edit_all3_p95_ms: pct(mapEditAll, 95),
      rosters_after_ms: ROSTERS_AFTER_MS,
      veto_length_s: null,
      ready_to_brief_webhook_per_chat_p50_ms: pct(webhookPerChat, 50),
      ready_to_brief_webhook_per_chat_p95_ms: pct(webhookPerChat, 95),
      ready_to_brief_webhook_all3_p50_ms: pct(webhookAll, 50),
      ready_to_brief_webhook_all3_p95_ms: pct(webhookAll, 95),
      faceit_calls_per_briefed_match_3_chats: Math.round((webhookCalls / RUNS) * 10) / 10,
      schedule_cycle_start_to_brief_per_chat_p50_ms: pct(schedulePerChat, 50),
      schedule_cycle_start_to_brief_per_chat_p95_ms: pct(schedulePerChat, 95),
      schedule_briefs_sent: cycle.briefs ?? 0,
      schedule_players_checked: cycle.checked,
      schedule_calls: cycle.calls,
      schedule_brief_history_calls: cycle.briefCalls ?? 0,
      runs: RUNS,
      faceit: { rate_per_s: RATE, latency_ms: LATENCY_MS },
      cores: cpus().length,
    };
    return result;
  } finally {
    await s.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '8' },
      'latency-ms': { type: 'string', default: process.env.BENCH_FACEIT_LATENCY_MS ?? '50' },
      rate: { type: 'string', default: '10' },
      'rosters-after-ms': { type: 'string', default: '2000' },
    },
  });
  const result = await measureBriefs({
    runs: Number(values.runs),
    latencyMs: Number(values['latency-ms']),
    rate: Number(values.rate),
    rostersAfterMs: Number(values['rosters-after-ms']),
  });
  console.log(JSON.stringify(result));
}

// Run as a script (`npm run bench:briefs`); bench/analysis.ts imports measureBriefs instead.
if (require.main === module)
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
