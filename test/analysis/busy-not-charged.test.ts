import { quotaDay } from '../../src/billing';
import { faceitQueueDepth } from '../../src/faceit';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

/**
 * Issue 24, item 3 — busy, not charged: when the FACEIT queue ahead would make a FREE request wait more than
 * ANALYSIS_BUSY_WAIT_S, the bot says so with the estimate before the daily unit is taken, and the user chooses: wait
 * in line (the unit is taken then and the report arrives) or not now (nothing is taken). Through the real bot.
 */

jest.setTimeout(180_000);

describe('busy, not charged', () => {
  let w: BotWorld;
  beforeAll(async () => {
    // 2 calls/s: two PRO lobbies (~31 calls each) queue ~30 s of FACEIT work, over the 10 s threshold.
    w = await startBotWorld({
      env: { FACEIT_RATE_LIMIT_PER_SECOND: '2', ANALYSIS_BUSY_WAIT_S: '10' },
      faceit: { latencyMs: 20 },
    });
  });
  afterAll(() => w?.stop());

  /** Polls the shared limiter's queues (calls waiting on critical, high and default) until `ok`. */
  async function queueUntil(ok: (ahead: number) => boolean, what: string): Promise<void> {
    const until = Date.now() + 60_000;
    for (;;) {
      const d = await faceitQueueDepth(w.redis, w.botDeps.faceitKeyPrefix);
      if (d && ok(d.critical + d.high + d.default)) return;
      if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const used = (telegramId: number) => w.repos.usage.used(telegramId, quotaDay(w.config));
  const buttons = (m: { replyMarkup?: unknown }) =>
    (
      (m.replyMarkup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> })
        ?.inline_keyboard ?? []
    ).flat();

  it('tells a FREE user the wait before taking the unit; "not now" takes nothing, "wait" queues and reports', async () => {
    const pros = [w.user('en'), w.user('en')];
    for (const pro of pros) {
      await w.repos.users.touch({ telegramId: pro.id, firstName: pro.first_name });
      await w.repos.subscriptions.grant(pro.id, 'pro', 3, 'admin_grant');
    }
    for (const pro of pros) {
      const lobby = await w.faceit.control.createLobby({ status: 'READY' });
      const reply = await w.send(pro, lobby.roomUrl);
      // A PRO request is never asked: its tier goes first.
      expect(textOf(reply)).not.toMatch(/FACEIT is busy/);
    }
    await queueUntil((ahead) => ahead >= 30, 'the PRO lobbies queue their calls');

    // Russian FREE user: asked with the estimate, says "not now": nothing taken, no analysis.
    const ru = w.user('ru');
    const lobbyRu = await w.faceit.control.createLobby({ status: 'READY' });
    const noticeRu = await w.send(ru, lobbyRu.roomUrl);
    const busyRu =
      /FACEIT сейчас перегружен\. Анализ подождёт в очереди примерно (\d+) мин \(впереди (\d+) запросов/;
    expect(textOf(noticeRu)).toMatch(busyRu);
    const estimate = busyRu.exec(textOf(noticeRu));
    expect(Number(estimate![2])).toBeGreaterThan(20);
    expect(Number(estimate![1])).toBe(Math.ceil(Math.ceil(Number(estimate![2]) / 2) / 60));
    expect(textOf(noticeRu)).toContain('Дневной анализ пока не списан');
    expect(await used(ru.id)).toBe(0);
    const [wait, later] = buttons(noticeRu);
    expect([wait.text, later.text]).toEqual(['⏳ Подождать в очереди', '✖️ Не сейчас']);

    // Somebody else cannot answer for them.
    const stranger = w.user('ru');
    const { callbackQueryId } = w.tg.clickButton({
      chatId: noticeRu.chatId,
      messageId: noticeRu.messageId,
      data: later.callback_data!,
      from: stranger,
    });
    expect((await w.tg.waitForCallbackAnswer(callbackQueryId, 30_000)).text).toBe(
      'Выбрать может только тот, кто запросил анализ.',
    );

    await w.click(ru, noticeRu, later.callback_data!);
    await w.tg.waitFor(
      () => (/ничего не списано/.test(textOf(w.tg.message(ru.id, noticeRu.messageId))) ? true : undefined),
      { timeoutMs: 10_000, describe: () => w.tg.transcript(ru.id) },
    );
    expect(buttons(w.tg.message(ru.id, noticeRu.messageId)!)).toEqual([]);
    expect(await used(ru.id)).toBe(0);
    expect(w.tg.botMessages(ru.id).filter((m) => m.messageId > noticeRu.messageId)).toEqual([]);

    // English FREE user: asked, chooses to wait: the unit is taken now, and the report arrives.
    const en = w.user('en');
    const lobbyEn = await w.faceit.control.createLobby({ status: 'READY' });
    const noticeEn = await w.send(en, lobbyEn.roomUrl);
    expect(textOf(noticeEn)).toMatch(
      /FACEIT is busy right now\. Your analysis would wait about \d+ min in the queue \(\d+ requests ahead/,
    );
    expect(textOf(noticeEn)).toContain('Your daily analysis is not used yet');
    expect(await used(en.id)).toBe(0);
    await w.click(en, noticeEn, buttons(noticeEn)[0].callback_data!);
    const [progress] = await w.replies(en.id, noticeEn.messageId, 1);
    expect(textOf(w.tg.message(en.id, noticeEn.messageId))).toContain('In line: the analysis starts below.');
    expect(textOf(progress)).toMatch(/1\/5/);
    expect(await used(en.id)).toBe(1);
    const report = await w.tg.waitFor(
      () => {
        const text = textOf(w.tg.message(en.id, progress.messageId));
        return /Lobby analysis/.test(text) ? text : undefined;
      },
      { timeoutMs: 120_000, describe: () => w.tg.transcript(en.id) },
    );
    expect(report).toContain('Lobby analysis');
    expect(await used(en.id)).toBe(1);

    // Once the queue has drained, a FREE request goes straight in, as before.
    await queueUntil((ahead) => ahead < 5, 'the queue drains');
    const calm = w.user('en');
    const lobbyCalm = await w.faceit.control.createLobby({ status: 'READY' });
    const direct = await w.send(calm, lobbyCalm.roomUrl);
    expect(textOf(direct)).not.toMatch(/FACEIT is busy/);
    expect(await used(calm.id)).toBe(1);
  });
});
