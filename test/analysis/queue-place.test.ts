import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

/**
 * FREE requests waiting behind PRO ones in the shared FACEIT budget: the progress message says the place in the queue
 * and an estimated wait (instead of a bar that does not move), in Russian and English, and the report still arrives.
 */

jest.setTimeout(180_000);

describe('queue place in the progress message', () => {
  let w: BotWorld;
  beforeAll(async () => {
    // A small budget (3 calls/s) so two PRO lobbies (~31 calls each) hold it for several seconds.
    w = await startBotWorld({
      env: { FACEIT_RATE_LIMIT_PER_SECOND: '3' },
      faceit: { latencyMs: 50 },
    });
  });
  afterAll(() => w?.stop());

  it('a FREE request behind PRO ones shows its place and a wait, then gets its report (ru and en)', async () => {
    const pros = [w.user('en'), w.user('en')];
    for (const pro of pros) {
      await w.repos.users.touch({ telegramId: pro.id, firstName: pro.first_name });
      await w.repos.subscriptions.grant(pro.id, 'pro', 3, 'admin_grant');
    }
    for (const pro of pros) {
      const lobby = await w.faceit.control.createLobby({ status: 'READY' });
      await w.send(pro, lobby.roomUrl);
    }
    // The PRO analyses now hold the budget; two FREE users paste links behind them.
    const free = { ru: w.user('ru'), en: w.user('en') };
    const lobbies = {
      ru: await w.faceit.control.createLobby({ status: 'READY' }),
      en: await w.faceit.control.createLobby({ status: 'READY' }),
    };
    const progress = {
      ru: await w.send(free.ru, lobbies.ru.roomUrl),
      en: await w.send(free.en, lobbies.en.roomUrl),
    };
    const queueText = {
      ru: /🚦 Очередь к FACEIT: впереди (\d+) запросов \(PRO первыми\), примерно (\d+) с/,
      en: /🚦 In the FACEIT queue: (\d+) requests ahead \(PRO first\), about (\d+) s/,
    };
    for (const lang of ['ru', 'en'] as const) {
      const shown = await w.tg.waitFor(
        () =>
          queueText[lang].exec(textOf(w.tg.message(progress[lang].chatId, progress[lang].messageId))) ??
          undefined,
        { timeoutMs: 30_000, describe: () => w.tg.transcript(progress[lang].chatId) },
      );
      const ahead = Number(shown[1]);
      const seconds = Number(shown[2]);
      expect(ahead).toBeGreaterThan(0);
      // The estimate follows the budget: requests ahead over 3 calls a second.
      expect(seconds).toBe(Math.max(1, Math.ceil(ahead / 3)));
    }
    // Waiting is not losing: each FREE user still gets the report, in their language, in the same message.
    for (const lang of ['ru', 'en'] as const) {
      const report = await w.tg.waitFor(
        () => {
          const text = textOf(w.tg.message(progress[lang].chatId, progress[lang].messageId));
          return /(Анализ лобби|Lobby analysis)/.test(text) ? text : undefined;
        },
        { timeoutMs: 120_000, describe: () => w.tg.transcript(progress[lang].chatId) },
      );
      expect(report).toContain(lang === 'ru' ? 'Анализ лобби' : 'Lobby analysis');
      expect(report).not.toMatch(/🚦/);
    }
  });
});
