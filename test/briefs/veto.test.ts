/**
 * Briefs in time for the veto, on the emulators with real workers: FACEIT's `match_object_created` (rosters still
 * empty at creation) starts a watch that polls the room until they appear, the brief arrives during VOTING with the
 * likely bans and our picks, and the CONFIGURING webhook (the vote is over) edits it to the picked map's outlook.
 * Monitoring is not blinded by a /history page with an item of another shape: the live match (`results: null`) is
 * read, an unreadable item is skipped and counted. Without webhooks, /brief says briefs may come late.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import type { SimUser, StoredMessage } from '../../emulators/telegram';
import { createAnalysisRepository } from '../../src/analysis/repository';
import { mapLabel } from '../../src/faceit';
import { uniqueTelegramId } from '../harness';
import { startBotWorld, textOf } from '../bot/harness';
import { type BriefsWorld, startBriefsWorld, WEBHOOK_SECRET } from './world';

jest.setTimeout(150_000);

const user = (language: 'ru' | 'en'): SimUser => {
  const id = uniqueTelegramId();
  return { id, first_name: 'Ann', username: `u${id}`, language_code: language };
};

describe('briefs during the map vote', () => {
  let w: BriefsWorld;
  let used = 0;
  beforeAll(async () => {
    w = await startBriefsWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  const player = () => w.faceit.control.findPlayers({ hasCs2: true, minMatches: 40, limit: 200 })[used++];
  const briefOf = (chatId: number, first: string): StoredMessage | undefined =>
    w.tg.botMessages(chatId).find((m) => (m.text ?? '').includes(first));
  const waitBrief = (chatId: number, first: string, has: (text: string) => boolean) =>
    w.tg.waitFor(
      () => {
        const m = briefOf(chatId, first);
        return m && has(m.text ?? '') ? m : undefined;
      },
      { timeoutMs: 90_000, describe: () => w.tg.transcript(chatId) },
    );

  async function trackingUser(language: 'ru' | 'en', nickname: string): Promise<SimUser> {
    const u = user(language);
    expect(await w.say(u, `/link ${nickname}`)).toContain(nickname);
    expect(await w.say(u, '/track')).toContain(nickname);
    return u;
  }

  it('match_object_created without rosters: polled until they appear, briefed during VOTING, edited when the map is picked', async () => {
    const p = player();
    const en = await trackingUser('en', p.nickname);
    const ru = await trackingUser('ru', p.nickname);
    // With webhooks on, /brief promises nothing about lateness.
    expect(await w.say(en, '/brief')).not.toContain('may come late');
    w.faceit.control.setWebhook({ url: w.webhookUrl, secret: WEBHOOK_SECRET });
    w.faceit.control.resetCounters();

    const lobby = await w.faceit.control.createLobby({
      players: [p.nickname],
      status: 'VOTING',
      rostersAfterMs: 3_000,
    });
    const created = w.faceit.control.webhookDeliveries().find((d) => d.matchId === lobby.matchId);
    expect(created).toMatchObject({ event: 'match_object_created', status: 202 });
    const team = lobby.teams.faction1.name;

    // The report arrives while the vote goes on: no map yet, the likely bans and our advice in words.
    const voting = await waitBrief(en.id, 'Pre-match brief:', (t) => t.includes(team));
    expect(voting.text).toContain('Map not picked yet');
    expect(voting.text).toMatch(/will likely ban: /);
    expect(voting.text).toContain('💡');
    expect(voting.text).toMatch(/💡 .*(ban |pick |no map is a likely edge)/u);
    const votingRu = await waitBrief(ru.id, 'Сводка перед матчем:', (t) => t.includes(team));
    expect(votingRu.text).toContain('💡');
    expect(w.faceit.control.lobby(lobby.matchId).status).toBe('VOTING');
    // The room was asked more than once: its rosters were empty at first.
    const roomCalls = w.faceit.control
      .requestLog({ endpoint: 'match', limit: 1000 })
      .filter((e) => e.path.includes(lobby.matchId));
    expect(roomCalls.length).toBeGreaterThanOrEqual(2);
    const briefs = await w.pool.any(sql.type(z.object({ chat_id: z.number() }))`
      SELECT chat_id FROM notifications_sent WHERE match_id = ${lobby.matchId} AND kind = 'brief'`);
    expect(briefs).toHaveLength(2);

    // The vote ends (CONFIGURING webhook): the same messages now show the picked map's outlook.
    await w.faceit.control.setMatchStatus(lobby.matchId, 'CONFIGURING');
    const label = mapLabel(lobby.map);
    const picked = await waitBrief(en.id, 'Pre-match brief:', (t) => t.includes(`🗺 Map: ${label}`));
    expect(picked.messageId).toBe(voting.messageId);
    expect(picked.text).not.toContain('will likely ban');
    const pickedRu = await waitBrief(ru.id, 'Сводка перед матчем:', (t) => t.includes(label));
    expect(pickedRu.messageId).toBe(votingRu.messageId);
    const stored = await createAnalysisRepository(w.pool).loadAnalysis(lobby.matchId);
    expect(stored?.pickedMap).toBe(lobby.map);
    expect(stored?.maps[0]).toMatchObject({ map: lobby.map, picked: true });
    expect(stored?.modelInputs?.faction1.map_win_rate).not.toBeNull();
    // Still one brief per chat.
    expect(w.tg.botMessages(en.id).filter((m) => (m.text ?? '').includes('Pre-match brief:'))).toHaveLength(
      1,
    );
  });

  it('an odd /history item does not blind monitoring: the live match (results: null) is read, the odd one skipped and counted', async () => {
    w.faceit.control.setWebhook(null);
    const p = player();
    const u = await trackingUser('en', p.nickname);
    await w.makeDue([p.playerId]);
    await w.runCycle(); // first sight: cursors only
    const before = w.faceitClient.stats().endpoints.playerHistory.skippedItems;
    w.faceit.control.setFaults({ oddHistoryItem: true, endpoints: ['playerHistory'] });
    try {
      const lobby = await w.faceit.control.createLobby({ players: [p.nickname], status: 'READY' });
      await w.makeDue([p.playerId]);
      const cycle = await w.runCycle();
      expect(cycle.briefCalls).toBe(1);
      expect(cycle.briefs).toBe(1);
      await waitBrief(u.id, 'Pre-match brief:', (t) => t.includes(lobby.teams.faction1.name));
      // A longer page: the odd item is left out, the live match and the others are read, and it is counted.
      const page = await w.faceitClient.getPlayerHistory(
        p.playerId,
        { offset: 0, limit: 5 },
        { cache: false },
      );
      expect(page.items).toHaveLength(4);
      expect(page.items[0]).toMatchObject({ match_id: lobby.matchId, status: 'ready', results: null });
      expect(page.skippedItems).toBe(1);
      expect(w.faceitClient.stats().endpoints.playerHistory.skippedItems).toBeGreaterThan(before);
    } finally {
      w.faceit.control.clearFaults();
    }
  });
});

describe('/brief without FACEIT webhooks', () => {
  it('says briefs may come late, in both languages', async () => {
    const world = await startBotWorld();
    try {
      const nick = world.faceit.control.findPlayers({ hasCs2: true, limit: 1 })[0].nickname;
      for (const [lang, late] of [
        ['en', 'a brief may come late, after the map vote'],
        ['ru', 'сводка может прийти поздно'],
      ] as const) {
        const u = world.user(lang);
        await world.send(u, `/track ${nick}`);
        expect(textOf(await world.send(u, lang === 'en' ? '/brief on' : '/brief вкл'))).toContain(late);
      }
    } finally {
      await world.stop();
    }
  });
});
