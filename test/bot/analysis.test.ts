import type { LobbyInfo, PlayerSummary } from '../../emulators/faceit';
import type { SimUser, StoredMessage } from '../../emulators/telegram';
import { usageDay } from '../../src/db/repositories/usage';
import { startBotWorld, textOf, type BotWorld } from './harness';

/**
 * /analyze end to end: progress message with Cancel, live progress edits, the lobby workflow's final report,
 * cancellation with the quota unit given back, joining a running analysis, the daily quota, refusals.
 * Telegram's flood limits are on: progress edits must stay within them.
 */
describe('bot: lobby analysis', () => {
  let w: BotWorld;
  let players: PlayerSummary[];
  const QUOTA = 3;

  beforeAll(async () => {
    w = await startBotWorld({
      env: { QUOTA_FREE_PER_DAY: String(QUOTA), FACEIT_RATE_LIMIT_PER_SECOND: '5' },
      // Slow enough that an analysis takes a few seconds: progress is visible and a cancel lands midway.
      faceit: { latencyMs: 120 },
      telegramLimits: {},
    });
    players = w.faceit.control.findPlayers({ minMatches: 50, hasCs2: true, limit: 5 });
  });
  afterAll(() => w?.stop());

  async function linkedUser(lang: 'ru' | 'en', player?: PlayerSummary): Promise<SimUser> {
    const user = w.user(lang);
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { language: lang });
    if (player)
      await w.repos.faceitAccounts.link(user.id, { playerId: player.playerId, nickname: player.nickname });
    return user;
  }

  const used = (user: SimUser) => w.repos.usage.used(user.id, usageDay('Europe/Moscow'));
  const isProgress = (text: string | undefined) => (text ?? '').startsWith('⏳');
  /** The message once the workflow has replaced the progress bar. */
  const settled = (m: StoredMessage) =>
    w.tg.waitFor(
      () => {
        const now = w.tg.message(m.chatId, m.messageId);
        return now && !isProgress(now.text) ? now : undefined;
      },
      { timeoutMs: 60_000, describe: () => w.tg.transcript(m.chatId) },
    );
  const progressEdits = (m: StoredMessage) =>
    w.tg
      .calls('editMessageText')
      .filter((c) => c.params.chat_id === m.chatId && c.params.message_id === m.messageId)
      .filter((c) => isProgress(String(c.params.text)));

  let lobby: LobbyInfo;

  it('a pasted room link: progress with Cancel at once, the bar advances, the report replaces it (ru)', async () => {
    const user = await linkedUser('ru', players[0]);
    lobby = await w.faceit.control.createLobby({ players: [players[0].playerId] });
    const progress = await w.send(user, `смотри ${lobby.roomUrl}`);
    expect(textOf(progress)).toContain('⏳');
    expect(textOf(progress)).toContain('0/10');
    expect(textOf(progress)).toContain(`Анализов сегодня: 1/${QUOTA} (FREE)`);
    expect(progress.replyMarkup?.inline_keyboard?.[0][0]).toMatchObject({
      text: '✖️ Отменить',
      callback_data: `an:x:${lobby.matchId}:${user.id}`,
    });

    const report = await settled(progress);
    expect(textOf(report)).toContain('Анализ лобби');
    expect(textOf(report)).toContain(`Вы играете за ${lobby.teams.faction1.name}`);
    for (const p of lobby.teams.faction2.players) expect(textOf(report)).toContain(p.nickname);

    const edits = progressEdits(progress);
    const done = edits.map((c) => Number(/(\d+)\/10/.exec(String(c.params.text))?.[1]));
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBe(done.length);
    // Never faster than Telegram allows: at least a second between progress edits, and no 429 at all.
    for (let i = 1; i < edits.length; i++) expect(edits[i].at - edits[i - 1].at).toBeGreaterThanOrEqual(990);
    expect(w.tg.calls('editMessageText').filter((c) => c.status === 429)).toEqual([]);
    expect(await used(user)).toBe(1);
  });

  it('joining an analysis of the same match costs no FACEIT call but still counts towards the quota (en)', async () => {
    const user = await linkedUser('en');
    const before = w.faceit.control.counts().total;
    const progress = await w.send(user, `/analyze ${lobby.matchId}`);
    const report = await settled(progress);
    expect(textOf(report)).toContain('Lobby analysis');
    expect(w.faceit.control.counts().total).toBe(before);
    expect(await used(user)).toBe(1);

    // Cancel pressed as the report lands (a stale button): the workflow answers "too late", the report stays.
    const { callbackQueryId } = w.tg.clickButton({
      chatId: user.id,
      messageId: progress.messageId,
      data: `an:x:${lobby.matchId}:${user.id}`,
      from: user,
      force: true,
    });
    expect((await w.tg.waitForCallbackAnswer(callbackQueryId, 10_000)).text).toBe(
      'This analysis has already finished.',
    );
    expect(textOf(w.tg.message(user.id, progress.messageId))).toContain('Lobby analysis');
    expect(await used(user)).toBe(1);
  });

  it('Cancel midway stops the analysis and gives the quota unit back (en)', async () => {
    const user = await linkedUser('en', players[1]);
    const other = await w.faceit.control.createLobby({ players: [players[1].playerId] });
    // A slow FACEIT for this one: the fan-out must still be running when the button is pressed, even on a busy CI box.
    w.faceit.control.setLatency(800);
    const progress = await w.send(user, `/analyze ${other.roomUrl}`);
    expect(await used(user)).toBe(1);
    await w.tg.waitFor(() => progressEdits(progress).length > 0 || undefined, { timeoutMs: 20_000 });
    const { callbackQueryId } = w.tg.clickButton({
      chatId: user.id,
      messageId: progress.messageId,
      data: `an:x:${other.matchId}:${user.id}`,
      from: user,
    });
    const answer = await w.tg.waitForCallbackAnswer(callbackQueryId, 10_000);
    w.faceit.control.setLatency(120);
    expect(answer.text).toBe("Analysis cancelled — it does not count towards today's quota.");
    const final = await settled(progress);
    expect(textOf(final)).not.toContain('Lobby analysis');
    expect(final.replyMarkup?.inline_keyboard ?? []).toEqual([]);
    for (let i = 0; i < 50 && (await used(user)) !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await used(user)).toBe(0);
  });

  it('Cancel right away, before the workflow answers queries, is still honoured (ru)', async () => {
    const user = await linkedUser('ru', players[3]);
    const match = await w.faceit.control.createLobby({ players: [players[3].playerId] });
    const progress = await w.send(user, match.roomUrl);
    const { callbackQueryId } = w.tg.clickButton({
      chatId: user.id,
      messageId: progress.messageId,
      data: `an:x:${match.matchId}:${user.id}`,
      from: user,
    });
    expect((await w.tg.waitForCallbackAnswer(callbackQueryId, 10_000)).text).toContain('Анализ отменён');
    expect(textOf(await settled(progress))).not.toContain('Анализ лобби');
    for (let i = 0; i < 50 && (await used(user)) !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await used(user)).toBe(0);
  });

  it('the daily quota: the next request is refused with the numbers, nothing starts (ru)', async () => {
    const user = await linkedUser('ru');
    for (let i = 0; i < QUOTA; i++) await w.repos.usage.tryConsume(user.id, usageDay('Europe/Moscow'), QUOTA);
    const fresh = await w.faceit.control.createLobby();
    const reply = await w.send(user, `/analyze ${fresh.roomUrl}`);
    expect(textOf(reply)).toContain(`Дневной лимит исчерпан: ${QUOTA}/${QUOTA} анализов (FREE)`);
    // No Cancel button (nothing started): the only button offers the upgrade (/subscribe's plans).
    expect(reply.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual(['bill:plans']);
    expect(await w.botDeps.analysis.getAnalysisProgress(w.client, fresh.matchId)).toBeNull();
    expect(await used(user)).toBe(QUOTA);
  });

  it.each(['ru', 'en'] as const)('bad match references (%s): a clear answer, no quota used', async (lang) => {
    const user = await linkedUser(lang);
    const say = lang === 'ru' ? 'Не нашёл здесь матча' : 'I cannot find a match in that';
    expect(textOf(await w.send(user, '/analyze https://www.faceit.com/en/cs2/room/not-a-match'))).toContain(
      say,
    );
    expect(textOf(await w.send(user, `/analyze ${'x'.repeat(200)}`))).toContain(say);
    expect(textOf(await w.send(user, '/analyze <b>1-abc</b>'))).toContain(say);
    expect(textOf(await w.send(user, '/analyze'))).toContain(
      lang === 'ru' ? 'Пришли ссылку на комнату' : 'Send me the match room link',
    );
    expect(await used(user)).toBe(0);
  });

  it.each(['ru', 'en'] as const)(
    'a finished match is refused with the reason and costs no quota (%s)',
    async (lang) => {
      const user = await linkedUser(lang);
      const finished = await w.faceit.control.createLobby({ status: 'FINISHED' });
      const progress = await w.send(user, `/analyze ${finished.roomUrl}`);
      const final = await settled(progress);
      expect(textOf(final)).toContain(
        lang === 'ru' ? 'Этот матч уже завершён' : 'This match is already finished',
      );
      expect(await used(user)).toBe(0);
    },
  );

  it('only the requester can cancel: another group member gets an alert', async () => {
    const owner = await linkedUser('en', players[2]);
    const stranger = await linkedUser('en');
    const groupId = -Math.floor(1e9 + Math.random() * 1e9);
    const match = await w.faceit.control.createLobby({ players: [players[2].playerId] });
    const progress = await w.send(owner, `/analyze@faceit_test_bot ${match.roomUrl}`, {
      chatId: groupId,
      chatType: 'group',
    });
    const { callbackQueryId } = w.tg.clickButton({
      chatId: groupId,
      messageId: progress.messageId,
      data: `an:x:${match.matchId}:${owner.id}`,
      from: stranger,
    });
    const answer = await w.tg.waitForCallbackAnswer(callbackQueryId, 10_000);
    expect(answer).toMatchObject({
      text: 'Only the person who asked for this analysis can cancel it.',
      showAlert: true,
    });
    expect(textOf(await settled(progress))).toContain('Lobby analysis');
  });

  it('forged button data naming the stranger as owner: refused, and the owner’s progress keeps updating', async () => {
    const owner = await linkedUser('en', players[3]);
    const stranger = await linkedUser('en');
    const groupId = -Math.floor(1e9 + Math.random() * 1e9);
    const match = await w.faceit.control.createLobby({ players: [players[3].playerId] });
    const progress = await w.send(owner, `/analyze@faceit_test_bot ${match.roomUrl}`, {
      chatId: groupId,
      chatType: 'group',
    });
    // The analysis is under way (the workflow has the owner's request) when the forged press arrives.
    await w.tg.waitFor(() => progressEdits(progress).length > 0 || undefined, { timeoutMs: 20_000 });
    const { callbackQueryId } = w.tg.clickButton({
      chatId: groupId,
      messageId: progress.messageId,
      data: `an:x:${match.matchId}:${stranger.id}`,
      from: stranger,
      force: true, // a forged callback: no such button exists
    });
    const answer = await w.tg.waitForCallbackAnswer(callbackQueryId, 10_000);
    // The workflow's record of who asked decides (its cancel update's validator refuses: nothing enters the history).
    expect(answer).toMatchObject({
      text: 'Only the person who asked for this analysis can cancel it.',
      showAlert: true,
    });
    // Not cancelled: the report arrives in the owner's progress message.
    expect(textOf(await settled(progress))).toContain('Lobby analysis');
  });
});
