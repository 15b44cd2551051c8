import type { SimUser, StoredMessage } from '../../emulators/telegram';
import { type BotWorld, startBotWorld, textOf } from '../bot/harness';

/**
 * Inline mode end to end (the real bot against the Telegram and FACEIT emulators): `@bot nickname` and
 * `@bot <room link>` answer with valid InlineQueryResults in time, in both languages, HTML escaped; a look-up
 * happens once per query text, not per keystroke.
 */

jest.setTimeout(120_000);

/** Telegram drops an inline answer after about 10 s. */
const TELEGRAM_LIMIT_MS = 10_000;

describe('inline mode', () => {
  let w: BotWorld;

  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w?.stop());

  async function ask(user: SimUser, query: string) {
    const { inlineQueryId } = w.tg.sendInlineQuery({ from: user, query });
    const answer = await w.tg.waitForInlineAnswer(inlineQueryId, TELEGRAM_LIMIT_MS);
    const tookMs = (answer.answeredAt ?? 0) - (answer.createdAt ?? 0);
    expect(tookMs).toBeLessThan(TELEGRAM_LIMIT_MS);
    return { answer, shown: answer.shown ?? [], tookMs };
  }

  const players = () => w.faceit.control.findPlayers({ hasCs2: true, minMatches: 40, limit: 60 });

  it('a nickname: a profile card, in English and Russian, one FACEIT look-up for every keystroke', async () => {
    const p = players()[3];
    const en = w.user('en');
    w.faceit.control.resetCounters();
    // Typing: each prefix is a query of its own; only the last one, after the pause, is looked up.
    const typed = [2, 4, 6].map((n) => w.tg.sendInlineQuery({ from: en, query: p.nickname.slice(0, n) }));
    const { shown, answer } = await ask(en, p.nickname);
    expect(shown).toHaveLength(1);
    expect(shown[0].title).toContain(p.nickname);
    expect(shown[0].title).toContain(`level ${p.level}`);
    expect(shown[0].description).toMatch(/K\/D \d\.\d\d · ADR \d+\.\d · HS \d+% · last 5/);
    expect(shown[0].text).toContain(p.nickname);
    expect(answer.isPersonal).toBe(true);
    for (const q of typed) expect(w.tg.inlineAnswer(q.inlineQueryId)?.answered).toBe(false);
    const calls = w.faceit.control.counts();
    expect(calls.byEndpoint.playerByNickname).toBe(1);

    // The same text again (another user, same language): from the cache, no FACEIT call.
    await ask(w.user('en'), p.nickname);
    expect(w.faceit.control.counts().total).toBe(calls.total);

    // Russian: the card in Russian, decimals with a comma.
    const ru = await ask(w.user('ru'), p.nickname);
    expect(ru.shown[0].title).toContain(`уровень ${p.level}`);
    expect(ru.shown[0].description).toMatch(/K\/D \d,\d\d · ADR \d+,\d · HS \d+% · последние 5/);
    expect(ru.shown[0].rawText).toContain('faceit.com/ru/players/');
  });

  it('a room link: the lobby summary once analysed, else a button that opens the bot', async () => {
    const p = players()[7];
    const lobby = await w.faceit.control.createLobby({ players: [p.playerId] });
    const en = w.user('en');

    const before = await ask(en, lobby.roomUrl);
    expect(before.shown[0].title).toMatch(/Not analysed yet/);
    const button = (before.answer.results?.[0] as { reply_markup: { inline_keyboard: { url: string }[][] } })
      .reply_markup.inline_keyboard[0][0];
    expect(button.url).toBe(`https://t.me/${w.bot!.username}?start=an_${lobby.matchId}`);

    // The button's deep link runs the analysis in the bot.
    const progress: StoredMessage = await w.send(en, `/start an_${lobby.matchId}`);
    expect(textOf(progress)).toMatch(/^⏳/);
    const team1 = lobby.teams.faction1.name;
    await w.tg.waitFor(
      () => {
        const m = w.tg.message(progress.chatId, progress.messageId);
        return m && textOf(m).includes(team1) ? m : undefined;
      },
      { timeoutMs: 60_000, describe: () => w.tg.transcript(progress.chatId) },
    );

    for (const [lang, chance] of [
      ['en', 'win chance'],
      ['ru', 'шанс победы'],
    ] as const) {
      const after = await ask(w.user(lang), `look ${lobby.roomUrl}`);
      expect(after.shown[0].title).toContain(team1);
      expect(after.shown[0].text).toContain(lobby.teams.faction2.name);
      expect(after.shown[0].text).toContain(chance);
      expect(after.shown[0].text).toMatch(/☠️/);
    }
  });

  it('anything else: a note, with the query HTML-escaped', async () => {
    const { shown } = await ask(w.user('en'), '<b>a&b</b>');
    expect(shown[0].title).toContain('«<b>a&b</b>» is neither');
    expect(shown[0].text).toContain('«<b>a&b</b>» is neither');
    expect(shown[0].rawText).toContain('&lt;b&gt;a&amp;b&lt;/b&gt;');
    const ru = await ask(w.user('ru'), 'x');
    expect(ru.shown[0].title).toContain('не никнейм');
  });
});
