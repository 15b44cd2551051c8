import { sql } from 'slonik';
import { z } from 'zod';
import { signed } from '../../src/monitoring/render';
import {
  botTexts,
  cursorOf,
  eloOf,
  makeDue,
  type MonitoringEnv,
  newGroupId,
  newUserId,
  notificationRows,
  pickPlayers,
  playMatch,
  runCycle,
  startMonitoringEnv,
  track,
} from './helpers';

/** The scheduled cycle end to end: real Temporal, PostgreSQL and Redis; the FACEIT and Telegram emulators. */
describe('monitoring notifications', () => {
  let env: MonitoringEnv;

  beforeAll(async () => {
    env = await startMonitoringEnv();
    await env.startWorkers();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('first sight only sets the cursor; two finished matches give two notifications, in order, once each', async () => {
    const [p] = pickPlayers(env, 1);
    const chat = newUserId();
    await track(env, chat, p);

    const first = await runCycle(env);
    expect(first.checked).toBeGreaterThanOrEqual(1);
    expect(botTexts(env, chat)).toEqual([]);
    const cursor = await cursorOf(env, chat, p.playerId);
    expect(cursor?.cursor_match_id).toMatch(/^1-/);
    expect(cursor?.last_checked_at).toBeInstanceOf(Date);

    const a = await playMatch(env, [p.nickname], { map: 'de_mirage' });
    const b = await playMatch(env, [p.nickname], { map: 'de_nuke' });
    await makeDue(env, [p.playerId]);
    const second = await runCycle(env);
    expect(second.notified).toBe(2);

    const texts = botTexts(env, chat);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Mirage');
    expect(texts[0]).toContain(`https://www.faceit.com/en/cs2/room/${a.matchId}`);
    expect(texts[1]).toContain('Nuke');
    expect(texts[1]).toContain(`https://www.faceit.com/en/cs2/room/${b.matchId}`);
    expect((await cursorOf(env, chat, p.playerId))?.cursor_match_id).toBe(b.matchId);

    // Nothing new: nothing is sent again, however often the player is checked.
    await makeDue(env, [p.playerId]);
    await runCycle(env);
    expect(botTexts(env, chat)).toHaveLength(2);
    expect((await notificationRows(env, chat)).map((r) => [r.match_id, r.status])).toEqual([
      [a.matchId, 'sent'],
      [b.matchId, 'sent'],
    ]);
  });

  it("reports result, map, score, the player's K-D-A, ADR, HS%, multi-kills and the ELO change, in the chat's language", async () => {
    // Five tracked teammates play one match; the notification checked is that of the one with the most kinds of
    // multi-kill in it, so the multi-kill line is always asserted (never skipped because a player had none).
    const team = pickPlayers(env, 5);
    const chats = team.map(() => newUserId());
    for (const [i, p] of team.entries()) await track(env, chats[i], p, { language: 'ru' });
    await runCycle(env); // first sight: cursors and the ELO baseline snapshots
    const before = team.map((p) => eloOf(env, p.playerId));

    const match = await playMatch(
      env,
      team.map((p) => p.nickname),
      { winner: 'faction1', map: 'de_inferno' },
    );
    const lines = await Promise.all(
      team.map(
        async (p) =>
          (await env.faceit.getPlayerMatchStats(p.playerId, { limit: 1 }, { cache: false })).items[0],
      ),
    );
    const multiKills = (l: (typeof lines)[number]) =>
      (
        [
          ['5K', l.pentaKills],
          ['4K', l.quadroKills],
          ['3K', l.tripleKills],
          ['2K', l.doubleKills],
        ] as const
      )
        .filter(([, n]) => (n ?? 0) > 0)
        .map(([label, n]) => `${label}×${n}`);
    const i = lines.reduce(
      (best, l, j) => (multiKills(l).length > multiKills(lines[best]).length ? j : best),
      0,
    );
    const [p, line, chat] = [team[i], lines[i], chats[i]];
    expect(multiKills(line).length).toBeGreaterThan(0);
    const after = eloOf(env, p.playerId);
    expect(after).toBeGreaterThan(before[i]);
    await makeDue(
      env,
      team.map((t) => t.playerId),
    );
    await runCycle(env);

    const [text] = botTexts(env, chat);
    expect(line.matchId).toBe(match.matchId);
    expect(text).toContain('Победа');
    expect(text).toContain('Inferno');
    expect(text).toContain(`<b>${match.score!.faction1}:${match.score!.faction2}</b>`);
    expect(text).toContain(`<b>${p.nickname}</b> — ${line.kills}-${line.deaths}-${line.assists}`);
    // Russian decimals, as /profile writes them.
    expect(text).toContain(`ADR ${line.adr!.toFixed(1).replace('.', ',')}`);
    expect(text).toContain(`faceit.com/ru/cs2/room/${match.matchId}`);
    expect(text).toContain(`HS ${line.headshotsPercent}%`);
    expect(text).toContain(`🔥 ${multiKills(line).join(' · ')}`);
    expect(text).toContain(`ELO ${after} (<b>${signed(after - before[i])}</b>)`);
    expect(text).toContain('Комната матча');
    console.log(`notification:\n${text}`);
  });

  it('respects muted notifications (the cursor moves on silently) and notifies again once unmuted', async () => {
    const [p] = pickPlayers(env, 1);
    const chat = newUserId();
    await track(env, chat, p);
    await runCycle(env);

    await env.pool.query(sql.unsafe`UPDATE chats SET notifications_enabled = FALSE WHERE chat_id = ${chat}`);
    const muted = await playMatch(env, [p.nickname]);
    await makeDue(env, [p.playerId]);
    await runCycle(env);
    expect(botTexts(env, chat)).toEqual([]);
    expect((await cursorOf(env, chat, p.playerId))?.cursor_match_id).toBe(muted.matchId);

    await env.pool.query(sql.unsafe`UPDATE chats SET notifications_enabled = TRUE WHERE chat_id = ${chat}`);
    const heard = await playMatch(env, [p.nickname]);
    await makeDue(env, [p.playerId]);
    await runCycle(env);
    const texts = botTexts(env, chat);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(heard.matchId);
  });

  it("respects the user's own notification setting in a private chat", async () => {
    const [p] = pickPlayers(env, 1);
    const chat = newUserId();
    await env.pool.query(
      sql.unsafe`INSERT INTO users (telegram_id, notifications_enabled) VALUES (${chat}, FALSE)`,
    );
    await track(env, chat, p);
    await runCycle(env);
    await playMatch(env, [p.nickname]);
    await makeDue(env, [p.playerId]);
    await runCycle(env);
    expect(botTexts(env, chat)).toEqual([]);
  });

  it('untracking stops notifications', async () => {
    const [p] = pickPlayers(env, 1);
    const chat = newUserId();
    await track(env, chat, p);
    await runCycle(env);
    expect(await env.repo.untrack(chat, p.playerId)).toBe(true);
    await playMatch(env, [p.nickname]);
    await makeDue(env);
    await runCycle(env);
    expect(botTexts(env, chat)).toEqual([]);
    const watch = await env.pool.maybeOne(
      sql.unsafe`SELECT 1 FROM player_watch WHERE faceit_player_id = ${p.playerId}`,
    );
    expect(watch).toBeNull();
  });

  it('a chat that blocked the bot (403) is marked blocked and is not written to again', async () => {
    const [p] = pickPlayers(env, 1);
    const chat = newUserId();
    await track(env, chat, p);
    await runCycle(env);
    env.tg.blockChat(chat);

    const first = await playMatch(env, [p.nickname]);
    await makeDue(env, [p.playerId]);
    await runCycle(env);
    const blockedAt = await env.pool.oneFirst(
      sql.type(
        z.object({ blocked_at: z.date().nullable() }),
      )`SELECT blocked_at FROM chats WHERE chat_id = ${chat}`,
    );
    expect(blockedAt).toBeInstanceOf(Date);
    expect((await notificationRows(env, chat)).map((r) => [r.match_id, r.status])).toEqual([
      [first.matchId, 'failed'],
    ]);

    const sendsBefore = env.tg.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat).length;
    await playMatch(env, [p.nickname]);
    await makeDue(env, [p.playerId]);
    await runCycle(env);
    const sendsAfter = env.tg.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chat).length;
    expect(sendsAfter).toBe(sendsBefore);
  });

  it('in a group, one notification per match names every tracked player who played it', async () => {
    const [p1, p2] = pickPlayers(env, 2);
    const group = newGroupId();
    const own = newUserId();
    await track(env, group, p1);
    await track(env, group, p2);
    await track(env, own, p2);
    await runCycle(env);

    const match = await playMatch(env, [p1.nickname, p2.nickname]);
    await makeDue(env, [p1.playerId, p2.playerId]);
    await runCycle(env);

    const groupTexts = botTexts(env, group);
    expect(groupTexts).toHaveLength(1);
    expect(groupTexts[0]).toContain(`<b>${p1.nickname}</b>`);
    expect(groupTexts[0]).toContain(`<b>${p2.nickname}</b>`);
    expect(botTexts(env, own)).toHaveLength(1);
    expect((await cursorOf(env, group, p1.playerId))?.cursor_match_id).toBe(match.matchId);
    expect((await cursorOf(env, group, p2.playerId))?.cursor_match_id).toBe(match.matchId);

    await makeDue(env, [p1.playerId, p2.playerId]);
    await runCycle(env);
    expect(botTexts(env, group)).toHaveLength(1);
  });

  it('continues as new when its history grows, and still checks every due player once', async () => {
    const players = pickPlayers(env, 6);
    const chats = players.map(() => newUserId());
    for (const [i, p] of players.entries()) await track(env, chats[i], p);
    const result = await runCycle(env, { overrides: { batchSize: 1, lanes: 1 }, historyLimit: 20 });
    expect(result.runs).toBeGreaterThan(1);
    expect(result.checked).toBeGreaterThanOrEqual(6);
    for (const [i, p] of players.entries()) {
      expect((await cursorOf(env, chats[i], p.playerId))?.last_checked_at).toBeInstanceOf(Date);
    }
  });

  it('spreads work over cycles: a cycle checks at most its cap, most overdue first, and the rest waits', async () => {
    const players = pickPlayers(env, 5);
    for (const p of players) await track(env, newUserId(), p);
    // Staggered due times, in an order unrelated to the ids (the tie-breaker): nobody else is due.
    const overdueMinutes = [30, 50, 10, 40, 20];
    await env.pool.query(sql.unsafe`UPDATE player_watch SET next_check_at = now() + interval '1 day'`);
    for (const [i, p] of players.entries()) {
      await env.pool.query(sql.unsafe`
        UPDATE player_watch SET next_check_at = now() - make_interval(mins => ${overdueMinutes[i]})
        WHERE faceit_player_id = ${p.playerId}`);
    }
    const mostOverdueFirst = players
      .map((p, i) => ({ id: p.playerId, minutes: overdueMinutes[i] }))
      .sort((a, b) => b.minutes - a.minutes)
      .map((p) => p.id);
    expect(await env.repo.countDue()).toBe(5);
    const since = await env.pool.oneFirst(sql.type(z.object({ now: z.date() }))`SELECT now() AS now`);
    const checkedInOrder = () =>
      env.pool.anyFirst(sql.type(z.object({ id: z.string() }))`
        SELECT faceit_player_id AS id FROM player_watch
        WHERE faceit_player_id = ANY(${sql.array(mostOverdueFirst, 'text')})
          AND last_checked_at >= ${sql.timestamp(since)}
        ORDER BY last_checked_at`);

    // One batch of one player at a time, so the order of the checks is the order of the claims.
    const capped = await runCycle(env, { overrides: { maxPlayers: 2, batchSize: 1, lanes: 1 } });
    expect(capped.stoppedBy).toBe('cap');
    expect(capped.taken).toBe(2);
    expect(capped.deferred).toBe(3);
    expect(await checkedInOrder()).toEqual(mostOverdueFirst.slice(0, 2));

    const rest = await runCycle(env, { overrides: { batchSize: 1, lanes: 1 } });
    expect(rest.checked).toBe(3);
    expect(rest.deferred).toBe(0);
    expect(await checkedInOrder()).toEqual(mostOverdueFirst);
  });
});
