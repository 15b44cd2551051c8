import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import type { SimUser, StoredMessage } from '../../emulators/telegram';
import { queryAnalysisState } from '../../src/analysis/client';
import { uniqueTelegramId } from '../harness';
import { newGroupId } from '../monitoring/helpers';
import { briefWorkflowId } from '../../src/briefs/client';
import { FACEIT_WEBHOOK_SECRET_HEADER } from '../../src/monitoring/webhook';
import { type BriefsWorld, startBriefsWorld, WEBHOOK_SECRET } from './world';

/**
 * Pre-match briefs end to end: chats tracking a player get the lobby analysis of the player's match by themselves,
 * once per chat, from one shared analysis; the brief is edited with the result when the match is over.
 */

const FIRST_LINE = { en: 'Pre-match brief:', ru: 'Сводка перед матчем:' };

jest.setTimeout(120_000);

describe('pre-match briefs', () => {
  let w: BriefsWorld;
  let used = 0;

  beforeAll(async () => {
    w = await startBriefsWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  const user = (language: 'ru' | 'en'): SimUser => {
    const id = uniqueTelegramId();
    return { id, first_name: language === 'ru' ? 'Аня' : 'Ann', username: `u${id}`, language_code: language };
  };

  function player() {
    const all = w.faceit.control.findPlayers({ hasCs2: true, minMatches: 40, limit: 200 });
    return all[used++];
  }

  /**
   * Four chats tracking one player: A tracks themselves (briefs on by default), B tracks them by nickname and turns
   * briefs on, group G turns them on, group H leaves them off (the default in groups).
   */
  async function fourChats(nickname: string) {
    const a = user('en');
    const b = user('ru');
    const adminG = user('en');
    const adminH = user('en');
    const g = newGroupId();
    const h = newGroupId();
    w.tg.registerChat({ id: g, type: 'group', title: 'Team G', admins: [adminG.id] });
    w.tg.registerChat({ id: h, type: 'group', title: 'Team H', admins: [adminH.id] });

    expect(await w.say(a, `/link ${nickname}`)).toContain(nickname);
    expect(await w.say(a, '/track')).toContain(nickname);
    expect(await w.say(b, `/track ${nickname}`)).toContain(nickname);
    expect(await w.say(b, '/brief вкл')).toContain('Сводки перед матчем включены');
    expect(await w.say(adminG, `/track ${nickname}`, { id: g, type: 'group' })).toContain(nickname);
    const member = user('en');
    expect(await w.say(member, '/brief on', { id: g, type: 'group' })).toContain('Only group admins');
    expect(await w.say(adminG, '/brief on', { id: g, type: 'group' })).toContain('briefs are on');
    expect(await w.say(adminH, `/track ${nickname}`, { id: h, type: 'group' })).toContain(nickname);
    return { a, b, g, h, briefed: [a.id, b.id, g] };
  }

  const briefOf = (chatId: number, locale: 'en' | 'ru'): StoredMessage | undefined =>
    w.tg.botMessages(chatId).find((m) => (m.text ?? '').includes(FIRST_LINE[locale]));

  /** Waits until the chat's brief shows the report (the shared analysis delivered into it). */
  async function reportIn(chatId: number, locale: 'en' | 'ru', team: string): Promise<StoredMessage> {
    return w.tg.waitFor(
      () => {
        const m = briefOf(chatId, locale);
        return m && (m.text ?? '').includes(team) ? m : undefined;
      },
      { timeoutMs: 60_000, describe: () => w.tg.transcript(chatId) },
    );
  }

  const briefRows = (matchId: string) =>
    w.pool.any(sql.type(z.object({ chat_id: z.number(), status: z.string() }))`
      SELECT chat_id, status FROM notifications_sent WHERE match_id = ${matchId} AND kind = 'brief'
      ORDER BY chat_id`);

  it('a READY webhook briefs each chat once, from one analysis; /analyze later costs no FACEIT call', async () => {
    const p = player();
    const chats = await fourChats(p.nickname);
    w.faceit.control.setWebhook({ url: w.webhookUrl, secret: WEBHOOK_SECRET });
    w.faceit.control.resetCounters();

    const lobby = await w.faceit.control.createLobby({ players: [p.nickname], status: 'READY' });
    const team = lobby.teams.faction1.name;
    const a = await reportIn(chats.a.id, 'en', team);
    const b = await reportIn(chats.b.id, 'ru', team);
    const g = await reportIn(chats.g, 'en', team);
    expect(a.text).toContain('not counted against your daily quota');
    expect(b.text).toContain('не расходует дневной лимит');
    expect(g.rawText).toContain(`<b>${p.nickname}</b>`);
    // The report is written from the tracked player's side.
    expect(a.text).toContain(p.nickname);

    // The group that left briefs off got nothing; every briefed chat got exactly one message about the match.
    expect(briefOf(chats.h, 'en')).toBeUndefined();
    for (const [chat, locale] of [
      [chats.a.id, 'en'],
      [chats.b.id, 'ru'],
      [chats.g, 'en'],
    ] as const) {
      expect(w.tg.botMessages(chat).filter((m) => (m.text ?? '').includes(FIRST_LINE[locale]))).toHaveLength(
        1,
      );
    }
    expect((await briefRows(lobby.matchId)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);

    // One analysis for the three chats.
    const state = await queryAnalysisState(w.client, `analysis-${lobby.matchId}`);
    expect(state?.requesters).toHaveLength(3);
    expect(state?.faceitCalls).toBeLessThanOrEqual(31);
    const counts = w.faceit.control.counts();
    expect(counts.byEndpoint.match).toBe(1);
    // The analysis' calls, plus at most the READY webhook's pre-match ELO of the tracked player.
    expect(counts.total).toBeLessThanOrEqual((state?.faceitCalls ?? 0) + 1);

    // A brief takes no quota unit.
    const usage = await w.pool.maybeOneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT COALESCE(sum(analyses), 0)::int AS n FROM daily_usage WHERE telegram_id = ${chats.a.id}`);
    expect(usage ?? 0).toBe(0);

    // A later /analyze of the same match joins the lingering analysis: no FACEIT call at all.
    const before = w.faceit.control.counts().total;
    const sent = w.tg.sendUserMessage({ from: chats.a, text: `/analyze ${lobby.roomUrl}` });
    await w.tg.waitFor(
      () =>
        w.tg
          .botMessages(chats.a.id)
          .find((m) => m.messageId > sent.messageId && (m.text ?? '').includes(team)),
      { timeoutMs: 30_000, describe: () => w.tg.transcript(chats.a.id) },
    );
    expect(w.faceit.control.counts().total).toBe(before);

    // Another sighting of the same match (the schedule's check while it is live) sends nothing new.
    await w.faceit.control.setMatchStatus(lobby.matchId, 'ONGOING');
    await w.makeDue([p.playerId]);
    const cycle = await w.runCycle();
    expect(cycle.briefCalls).toBeGreaterThanOrEqual(1);
    expect(cycle.briefs).toBe(0);
    expect(await briefRows(lobby.matchId)).toHaveLength(3);

    // The match ends: every brief is edited with the result, and the outcome is stored for /accuracy.
    const finished = await w.faceit.control.finishMatch(lobby.matchId, { winner: 'faction2' });
    const winner = finished.teams.faction2.name;
    for (const [chat, locale, won] of [
      [chats.a.id, 'en', 'won'],
      [chats.b.id, 'ru', 'Победила'],
      [chats.g, 'en', 'won'],
    ] as const) {
      const edited = await w.tg.waitFor(
        () => {
          const m = briefOf(chat, locale);
          return m && (m.text ?? '').includes(`${won}`) && (m.text ?? '').includes('🏁') ? m : undefined;
        },
        { timeoutMs: 60_000, describe: () => w.tg.transcript(chat) },
      );
      expect(edited.text).toContain(winner);
      expect(edited.text).toMatch(/favourite|фаворит/i);
    }
    const outcome = await w.pool.one(
      sql.type(
        z.object({ actual_winner: z.string().nullable(), predicted_winner: z.string().nullable() }),
      )`SELECT actual_winner, predicted_winner FROM match_analyses WHERE match_id = ${lobby.matchId}`,
    );
    expect(outcome.actual_winner).toBe('faction2');
  });

  it("without webhooks, the schedule finds the live match on the player's history page and briefs once", async () => {
    w.faceit.control.setWebhook(null);
    const p = player();
    const chats = await fourChats(p.nickname);
    await w.makeDue();
    await w.runCycle(); // first sight of the player: cursors only
    w.faceit.control.resetCounters();

    const lobby = await w.faceit.control.createLobby({ players: [p.nickname], status: 'READY' });
    await w.makeDue([p.playerId]);
    const cycle = await w.runCycle();
    expect(cycle.briefs).toBe(3);
    expect(cycle.briefCalls).toBe(1);
    // The history page is counted with monitoring's calls.
    expect(cycle.calls).toBeGreaterThanOrEqual(2);
    const team = lobby.teams.faction1.name;
    await reportIn(chats.a.id, 'en', team);
    await reportIn(chats.b.id, 'ru', team);
    await reportIn(chats.g, 'en', team);
    expect(briefOf(chats.h, 'en')).toBeUndefined();
    const state = await queryAnalysisState(w.client, `analysis-${lobby.matchId}`);
    expect(state?.requesters).toHaveLength(3);
    expect(w.faceit.control.counts().byEndpoint.match).toBe(1);

    // The next check of the still-live match: the claims hold.
    await w.makeDue([p.playerId]);
    expect((await w.runCycle()).briefs).toBe(0);
    expect(await briefRows(lobby.matchId)).toHaveLength(3);
  });

  it('a webhook roster alone briefs nobody: FACEIT must confirm the match and the player in it (issue 22, item 11)', async () => {
    const p = player();
    const a = user('en');
    expect(await w.say(a, `/link ${p.nickname}`)).toContain(p.nickname);
    expect(await w.say(a, '/track')).toContain(p.nickname);
    w.faceit.control.setWebhook(null);
    // A real lobby without the player, and a match id FACEIT does not know: both claimed to have them in the roster.
    const other = await w.faceit.control.createLobby({ status: 'READY' });
    const unknown = `1-${randomUUID()}`;
    for (const [matchId, reason] of [
      [unknown, 'not-found'],
      [other.matchId, 'not-in-roster'],
    ] as const) {
      const res = await fetch(w.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [FACEIT_WEBHOOK_SECRET_HEADER]: WEBHOOK_SECRET },
        body: JSON.stringify({
          event: 'match_status_configuring',
          payload: { id: matchId, teams: [{ roster: [{ id: p.playerId }] }] },
        }),
      });
      expect(res.status).toBe(202);
      const outcome = await w.client.workflow.getHandle(briefWorkflowId(matchId)).result();
      expect(outcome).toMatchObject({ sent: 0, unconfirmed: reason });
      expect(await briefRows(matchId)).toEqual([]);
    }
    expect(briefOf(a.id, 'en')).toBeUndefined();
  });

  it('the brief switch: /brief shows it, the button flips it in place, members of a group cannot', async () => {
    const p = player();
    const admin = user('en');
    const g = newGroupId();
    w.tg.registerChat({ id: g, type: 'group', title: 'Team', admins: [admin.id] });
    await w.say(admin, `/track ${p.nickname}`, { id: g, type: 'group' });
    const tracked = w.tg.lastBotMessage(g)!;
    const button = tracked.replyMarkup?.inline_keyboard?.flat().find((b) => b.text.includes('briefs'));
    expect(button?.text).toContain('off');
    const { callbackQueryId } = w.tg.clickButton({
      chatId: g,
      messageId: tracked.messageId,
      data: (button as { callback_data: string }).callback_data,
      from: admin,
    });
    const answer = await w.tg.waitForCallbackAnswer(callbackQueryId, 10_000);
    expect(answer.text).toContain('briefs are on');
    expect(w.tg.message(g, tracked.messageId)?.replyMarkup?.inline_keyboard?.flat()[0].text).toContain('on');
    expect(await w.say(admin, '/brief', { id: g, type: 'group' })).toContain('briefs are on');
  });
});
