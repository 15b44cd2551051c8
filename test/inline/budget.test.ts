import type { SimUser } from '../../emulators/telegram';
import { type BotWorld, startBotWorld } from '../bot/harness';

/**
 * The per-user FACEIT budget of inline mode (INLINE_FACEIT_BUDGET_PER_HOUR): a user who used it up gets a friendly
 * inline result saying to try later, in their language, at no FACEIT cost; other users are not affected.
 */

jest.setTimeout(120_000);

const TELEGRAM_LIMIT_MS = 10_000;

describe('inline FACEIT budget', () => {
  let w: BotWorld;

  beforeAll(async () => {
    // 4 calls an hour: two profile cards (2 calls each).
    w = await startBotWorld({ env: { INLINE_FACEIT_BUDGET_PER_HOUR: '4' } });
  });
  afterAll(() => w?.stop());

  async function ask(user: SimUser, query: string) {
    const { inlineQueryId } = w.tg.sendInlineQuery({ from: user, query });
    const answer = await w.tg.waitForInlineAnswer(inlineQueryId, TELEGRAM_LIMIT_MS);
    return { answer, shown: answer.shown ?? [] };
  }

  it('reads the budget from the configuration', () => {
    expect(w.config.INLINE_FACEIT_BUDGET_PER_HOUR).toBe(4);
  });

  it('over budget: a friendly note (en, ru) instead of a look-up; other users still get cards', async () => {
    const players = w.faceit.control.findPlayers({ hasCs2: true, minMatches: 40, limit: 60 }).slice(10);
    for (const [language, note] of [
      ['en', 'Too many look-ups in a short time — try again in a few minutes.'],
      ['ru', 'Слишком много запросов подряд — попробуйте через несколько минут.'],
    ] as const) {
      const user = w.user(language);
      // Within the budget: two profile cards.
      for (const p of [players.shift()!, players.shift()!]) {
        const { shown } = await ask(user, p.nickname);
        expect(shown).toHaveLength(1);
        expect(shown[0].title).toContain(p.nickname);
      }
      // The third costs FACEIT nothing and answers with the note, a valid result the user can even send.
      const third = players.shift()!;
      const before = w.faceit.control.counts().total;
      const { shown, answer } = await ask(user, third.nickname);
      expect(answer.answered).toBe(true);
      expect(shown).toHaveLength(1);
      expect(shown[0].title).toContain(note);
      expect(shown[0].text).toContain(note);
      expect(w.faceit.control.counts().total).toBe(before);
      // Not cached for anyone: another user asking the same gets the card.
      const other = await ask(w.user(language), third.nickname);
      expect(other.shown[0].title).toContain(third.nickname);
    }
  });
});
