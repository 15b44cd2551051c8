/**
 * The lobby card end to end (real Temporal, PostgreSQL and Redis; FACEIT and Telegram emulators, the card on): two
 * requesters of one match in different languages each get the picture first, then the details, and their progress
 * messages go; one analysis serves both.
 */
import { parseHtml } from '../../emulators/telegram';
import { createAnalysisRepository } from '../../src/analysis/repository';
import {
  ask,
  createUser,
  freshLobby,
  requestRow,
  startAnalysisStack,
  waitFor,
  type AnalysisStack,
} from './workflow-helpers';

describe('lobby card through the workflow', () => {
  let stack: AnalysisStack;

  beforeAll(async () => {
    stack = await startAnalysisStack({ env: { ANALYSIS_LOBBY_CARD: 'true' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("opens each requester's report with the card in his language, details after it", async () => {
    const lobby = await freshLobby(stack);
    const en = await createUser(stack, { locale: 'en', tier: 'pro' });
    const ru = await createUser(stack, { locale: 'ru', tier: 'free' });
    const asked = [await ask(stack, lobby.matchId, en), await ask(stack, lobby.matchId, ru)];
    for (const { requester: r } of asked) {
      await waitFor(
        async () => (await requestRow(stack, r.chatId, r.progressMessageId))?.status === 'delivered',
        60_000,
        'the report',
      );
    }
    const analysis = await createAnalysisRepository(stack.pool).loadAnalysis(lobby.matchId);
    const nicks = [
      ...(analysis?.teams.faction1.players ?? []),
      ...(analysis?.teams.faction2.players ?? []),
    ].map((p) => p.nickname);
    expect(nicks).toHaveLength(10);
    for (const { requester: r } of asked) {
      const shown = stack.tg.botMessages(r.chatId).filter((m) => !m.deleted);
      expect(stack.tg.message(r.chatId, r.progressMessageId)?.deleted).toBe(true);
      expect(shown.filter((m) => m.photo)).toHaveLength(1);
      expect(shown[0].photo?.sizeBytes).toBeGreaterThan(20_000);
      expect(shown[0].caption).toContain(r.locale === 'en' ? 'Lobby analysis' : 'Анализ лобби');
      const details = shown.slice(1);
      expect(details.length).toBeGreaterThan(0);
      expect(details.every((m) => (m.text ?? '').length <= 4096)).toBe(true);
      const text = details.map((m) => m.text ?? '').join('\n');
      for (const nick of nicks) expect(text).toContain(nick);
      const raw = details.map((m) => m.rawText ?? '').join('\n');
      expect(parseHtml(raw).entities.filter((e) => e.type === 'expandable_blockquote')).toHaveLength(2);
    }
    // One photo per requester, however the activities ran.
    const photos = stack.tg.calls('sendPhoto').filter((c) => c.ok);
    expect(photos.map((c) => Number(c.params.chat_id)).sort()).toEqual(
      asked.map((a) => a.requester.chatId).sort(),
    );
  });
});
