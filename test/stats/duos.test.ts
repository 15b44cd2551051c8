/**
 * /duos: a player's best and worst duo partners over his recent matches, from one /history page. The pure summary on
 * FACEIT's real recorded page (a five-stack and two others), then through the bot on the FACEIT emulator with
 * matches played on purpose (won with one partner, lost with another), in both languages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseBody } from '../../src/faceit/schemas';
import { duoSummary } from '../../src/stats/model/duos';
import { toDuoMatch } from '../../src/stats/model/mappers';
import { renderDuos } from '../../src/stats/render/duos';
import { SAMPLES_DIR } from '../analysis/samples';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

const OWNER = 'd9579b29-bb71-4188-9d83-637104e8c8af'; // csourcerer, in every item of the recorded page

describe('duo partners from the recorded /history page', () => {
  const page = parseBody(
    'playerHistory',
    JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'player_history.json'), 'utf8')),
  );
  const history = page.items.flatMap((i) => toDuoMatch(i, OWNER) ?? []);

  it('counts matches and wins together from each side, and ranks with shrinkage', () => {
    expect(history).toHaveLength(20);
    const s = duoSummary(history);
    expect(s).toMatchObject({ matches: 20, winRate: 0.5 });
    // Counted by hand on the recorded page: a five-stack of 20 matches (10 won), puNishersan 17 (8), FlashyV2 3 (2).
    expect(s.partners.map((p) => [p.nickname, p.matches, p.wins])).toEqual([
      ['Darwin', 20, 10],
      ['DepleX', 20, 10],
      ['Emerse', 20, 10],
      ['puNishersan', 17, 8],
      ['FlashyV2', 3, 2],
    ]);
    // Exactly their own 50 % with the stack: neither best nor worst; 2–1 is a little better, 8–9 a little worse.
    expect(s.best.map((p) => p.nickname)).toEqual(['FlashyV2']);
    expect(s.worst.map((p) => p.nickname)).toEqual(['puNishersan']);
    const en = renderDuos('en', 'csourcerer', s);
    expect(en).toContain('👥 Duo partners of <b>csourcerer</b>: last 20 matches, 50% won');
    expect(en).toContain('• <b>FlashyV2</b>: 2W–1L together (67%)');
    expect(en).toContain('• <b>puNishersan</b>: 8W–9L together (47%)');
    expect(renderDuos('ru', 'csourcerer', s)).toContain('Хуже всего с');
  });

  it('never counts a match whose result is unknown, nor a partner seen twice', () => {
    const live = history.map((m, i) => (i < 18 ? { ...m, won: null } : m));
    const s = duoSummary(live);
    expect(s.matches).toBe(2);
    expect(s.partners).toEqual([]);
    expect(renderDuos('en', 'csourcerer', s)).toContain('no duo partner yet');
  });
});

describe('/duos through the bot', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w?.stop());

  it('names the partner they win with and the one they lose with, with the records', async () => {
    const control = w.faceit.control;
    const players = control.findPlayers({ hasCs2: true, minMatches: 30, limit: 400 });
    const me = players[0];
    // The partners must share no match with `me` in the emulator's own (random) history, so that their records
    // below are exactly the matches played here. Asked of the emulator directly: the bot's cache stays cold.
    const page = (await (
      await fetch(`${w.faceit.baseUrl}/players/${me.playerId}/history?game=cs2&offset=0&limit=100`, {
        headers: { Authorization: `Bearer ${w.faceit.apiKey}` },
      })
    ).json()) as { items: Array<{ teams: Record<string, { players: Array<{ player_id: string }> }> }> };
    expect(page.items.length).toBeGreaterThan(0);
    const metBefore = new Set(
      page.items.flatMap((m) => Object.values(m.teams).flatMap((t) => t.players.map((p) => p.player_id))),
    );
    const pool = players.slice(1).filter((p) => !metBefore.has(p.playerId));
    const [good, bad] = pool;
    let next = 2;
    expect(pool.length).toBeGreaterThanOrEqual(2 + 14 * 8);
    const fresh = (n: number) => pool.slice(next, (next += n)).map((p) => p.playerId);
    for (const [partner, winner] of [
      [good, 'faction1'],
      [bad, 'faction2'],
    ] as const) {
      // Seven each: more than any partner the emulator's own history gives them, so both make the lists.
      for (let i = 0; i < 7; i++) {
        const lobby = await control.createLobby({ players: [me.playerId, partner.playerId, ...fresh(8)] });
        await control.finishMatch(lobby.matchId, { winner });
      }
    }
    const user = w.user('en');
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { language: 'en' });
    await w.repos.faceitAccounts.link(user.id, { playerId: me.playerId, nickname: me.nickname });
    const text = textOf(await w.send(user, '/duos'));
    expect(text).toContain(`Duo partners of ${me.nickname}`);
    const best = text.slice(text.indexOf('Best with'), text.indexOf('Worst with'));
    const worst = text.slice(text.indexOf('Worst with'));
    expect(best).toContain(`${good.nickname}: 7W–0L together (100%)`);
    expect(worst).toContain(`${bad.nickname}: 0W–7L together (0%)`);

    // By nickname, in Russian; a nickname FACEIT does not know gets a friendly answer.
    const ru = w.user('ru');
    await w.repos.users.touch({ telegramId: ru.id, firstName: ru.first_name });
    await w.repos.users.update(ru.id, { language: 'ru' });
    const byName = textOf(await w.send(ru, `/duos ${me.nickname}`));
    expect(byName).toContain(`Напарники ${me.nickname}`);
    expect(byName).toContain(`${good.nickname}: 7W–0L вместе`);
    expect(textOf(await w.send(ru, '/duos no_such_player_zz'))).toContain(
      'Игрок «no_such_player_zz» не найден на FACEIT',
    );
  });
});
