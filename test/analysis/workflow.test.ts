import { randomUUID } from 'node:crypto';
import { MatchId, Plan, TelegramUserId } from '../../src/temporal/search-attributes';
import {
  analysisWorkflowId,
  getAnalysisProgress,
  parseMatchReference,
  queryAnalysisState,
  requestAnalysis,
} from '../../src/analysis/client';
import { createEloSnapshotsRepository } from '../../src/db/repositories/elo-snapshots';
import { createAnalysisRepository } from '../../src/analysis/repository';
import {
  analysisRow,
  ask,
  createUser,
  freshLobby,
  faceitCalls,
  quotaUsed,
  requestRow,
  startAnalysisStack,
  waitFor,
  waitForProgress,
  type AnalysisStack,
} from './workflow-helpers';

/** The lobby-analysis workflow end to end: real Temporal, PostgreSQL, Redis, FACEIT and Telegram emulators. */
describe('lobby analysis workflow', () => {
  let stack: AnalysisStack;

  beforeAll(async () => {
    stack = await startAnalysisStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.faceit.control.resetCounters());

  const reportOf = (chatId: number, messageId: number) => stack.tg.message(chatId, messageId);

  it('analyses a lobby end to end and delivers the report in Russian and English, each from their side', async () => {
    const lobby = await freshLobby(stack);
    const ourPlayer = lobby.teams.faction2.players[0];
    const ru = await createUser(stack, { locale: 'ru', faceitPlayerId: ourPlayer.playerId });
    const en = await createUser(stack, { locale: 'en', tier: 'pro' });

    const first = await ask(stack, lobby.matchId, ru);
    expect(first.joined).toBe(false);
    const firstAnswer = await getAnalysisProgress(stack.client, lobby.matchId);
    expect(firstAnswer?.matchId).toBe(lobby.matchId);
    const second = await ask(stack, lobby.matchId, en);
    expect(second.joined).toBe(true);

    const done = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');
    expect(done.done).toBe(10);
    expect(done.total).toBe(10);
    expect([...done.donePlayers].sort()).toEqual(
      [...lobby.teams.faction1.players, ...lobby.teams.faction2.players].map((p) => p.nickname).sort(),
    );
    expect(done.elapsedMs).toBeGreaterThan(0);
    expect(done.requesters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ telegramId: ru.telegramId, cancelled: false }),
        expect.objectContaining({ telegramId: en.telegramId, cancelled: false }),
      ]),
    );

    // The progress message itself became the report (no Cancel button left), in each user's language.
    const ruReport = reportOf(ru.chatId, first.requester.progressMessageId);
    expect(ruReport?.text).toContain('Анализ лобби');
    expect(ruReport?.text).toContain('Ваша команда');
    expect(ruReport?.text).toContain(ourPlayer.nickname);
    expect(ruReport?.replyMarkup).toBeUndefined();
    const enReport = reportOf(en.chatId, second.requester.progressMessageId);
    expect(enReport?.text).toContain('Lobby analysis');
    expect(enReport?.text).not.toContain('Your team');
    expect(enReport?.replyMarkup).toBeUndefined();
    for (const user of [ru, en]) {
      const texts = stack.tg.botMessages(user.chatId).map((m) => m.text ?? '');
      expect(texts.join('\n').length).toBeGreaterThan(500);
      expect(texts.every((t) => t.length <= 4096)).toBe(true);
    }

    // FACEIT: one match call, then details, recent matches and lifetime stats (roles, per-map records) for every
    // player — never more than 31.
    const calls = faceitCalls(stack);
    expect(calls.match).toBe(1);
    expect(calls.player).toBe(10);
    expect(calls.playerMatchStats).toBe(10);
    expect(calls.playerStats).toBe(lobby.teams.faction1.players.length + lobby.teams.faction2.players.length);
    expect(calls.total).toBeLessThanOrEqual(31);
    expect(calls.rateLimited).toBe(0);

    // Stored: the analysis with its prediction, both requests, the players' ELO.
    const row = await analysisRow(stack, lobby.matchId);
    expect(row).toMatchObject({
      status: 'completed',
      workflow_id: analysisWorkflowId(lobby.matchId),
      has_result: true,
    });
    expect(row?.predicted_winner).toMatch(/^faction[12]$/);
    expect(row?.faction1_win_probability).toBeGreaterThan(0);
    expect(row?.faceit_calls).toBe(calls.total);
    expect(await requestRow(stack, ru.chatId, first.requester.progressMessageId)).toMatchObject({
      status: 'delivered',
      tier: 'free',
    });
    expect(await requestRow(stack, en.chatId, second.requester.progressMessageId)).toMatchObject({
      status: 'delivered',
      tier: 'pro',
    });
    expect(await quotaUsed(stack, ru)).toBe(1);
    const snapshots = await createEloSnapshotsRepository(stack.pool).history(ourPlayer.playerId);
    expect(snapshots[0]).toMatchObject({ source: 'analysis', match_id: lobby.matchId, elo: ourPlayer.elo });

    // Operators find it by match, user and tier.
    const description = await stack.client.workflow.getHandle(analysisWorkflowId(lobby.matchId)).describe();
    expect(description.typedSearchAttributes.get(MatchId)).toBe(lobby.matchId);
    expect(description.typedSearchAttributes.get(TelegramUserId)).toBe(ru.telegramId);
    expect(description.typedSearchAttributes.get(Plan)).toBe('free');
    expect(description.taskQueue).toBe(stack.config.TASK_QUEUE_DEFAULT);
  });

  it('lets ten requesters share one analysis: the FACEIT cost of one, and zero for a late one', async () => {
    const lobby = await freshLobby(stack);
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createUser(stack, { locale: i % 2 ? 'en' : 'ru' })),
    );
    const asks = await Promise.all(users.map((u) => ask(stack, lobby.matchId, u)));
    expect(asks.filter((a) => !a.joined).length).toBeGreaterThanOrEqual(1);

    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done' && p.requesters.length === 10);
    await waitFor(async () => {
      const rows = await Promise.all(
        asks.map((a) => requestRow(stack, a.requester.chatId, a.requester.progressMessageId)),
      );
      return rows.every((r) => r?.status === 'delivered');
    });
    const cold = faceitCalls(stack);
    expect(cold.match).toBe(1);
    expect(cold.player).toBe(10);
    expect(cold.total).toBeLessThanOrEqual(31);
    for (const a of asks) {
      expect(stack.tg.message(a.requester.chatId, a.requester.progressMessageId)?.text).toMatch(
        /Анализ лобби|Lobby analysis/,
      );
    }

    // The finished analysis is still open: a late requester gets the report at once, at no FACEIT cost.
    const late = await createUser(stack, { locale: 'en' });
    const lateAsk = await ask(stack, lobby.matchId, late);
    expect(lateAsk.joined).toBe(true);
    await stack.tg.waitForBotMessage(late.chatId, 'Lobby analysis', 10_000);
    await waitFor(
      async () =>
        (await requestRow(stack, late.chatId, lateAsk.requester.progressMessageId))?.status === 'delivered',
    );
    expect(Date.now() - lateAsk.askedAt).toBeLessThan(3_000);
    expect(faceitCalls(stack).total).toBe(cold.total);
  });

  it('serves a lobby of players analysed minutes before from the cache in the match activity: one FACEIT call, no per-player activities', async () => {
    const first = await freshLobby(stack);
    const user = await createUser(stack, { locale: 'en' });
    await ask(stack, first.matchId, user);
    await waitForProgress(stack, first.matchId, (p) => p.stage === 'done');
    stack.faceit.control.resetCounters();

    const players = [...first.teams.faction1.players, ...first.teams.faction2.players].map((p) => p.playerId);
    const warm = await stack.faceit.control.createLobby({ players });
    const again = await createUser(stack, { locale: 'en' });
    const asked = await ask(stack, warm.matchId, again);
    await waitFor(
      async () =>
        (await requestRow(stack, again.chatId, asked.requester.progressMessageId))?.status === 'delivered',
    );
    expect(faceitCalls(stack).total).toBe(1);
    const history = await stack.client.workflow.getHandle(analysisWorkflowId(warm.matchId)).fetchHistory();
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(scheduled).not.toContain('analysisFetchPlayer');
    expect(scheduled).toEqual(
      expect.arrayContaining(['analysisFetchMatch', 'analysisCompute', 'analysisDeliver']),
    );
    const state = await queryAnalysisState(stack.client, analysisWorkflowId(warm.matchId));
    expect(state?.done).toBe(10);
    expect(state?.noDataPlayers).toBe(0);
    expect(stack.tg.message(again.chatId, asked.requester.progressMessageId)?.text).toMatch(/Lobby analysis/);
  });

  it('serves the players analysed before from the cache and fans out only for the new ones, with the same report', async () => {
    const first = await freshLobby(stack);
    const user = await createUser(stack, { locale: 'en' });
    await ask(stack, first.matchId, user);
    await waitForProgress(stack, first.matchId, (p) => p.stage === 'done');
    const strangers = await freshLobby(stack);

    const known = first.teams.faction1.players.map((p) => p.playerId);
    const fresh = strangers.teams.faction2.players.map((p) => p.playerId);
    const mixed = await stack.faceit.control.createLobby({ players: [...known, ...fresh] });
    stack.faceit.control.resetCounters();
    const again = await createUser(stack, { locale: 'en' });
    const asked = await ask(stack, mixed.matchId, again);
    await waitFor(
      async () =>
        (await requestRow(stack, again.chatId, asked.requester.progressMessageId))?.status === 'delivered',
    );
    const history = await stack.client.workflow.getHandle(analysisWorkflowId(mixed.matchId)).fetchHistory();
    const fannedOut = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'analysisFetchPlayer')
      .map((e) => e.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data)
      .map(
        (data) => (JSON.parse(Buffer.from(data as Uint8Array).toString()) as { playerId: string }).playerId,
      );
    expect(fannedOut.sort()).toEqual([...fresh].sort());
    // Only the newcomers cost FACEIT calls: the match, and two or three each.
    const calls = faceitCalls(stack).total;
    expect(calls).toBeGreaterThanOrEqual(1 + 2 * fresh.length);
    expect(calls).toBeLessThanOrEqual(1 + 3 * fresh.length);
    const state = await queryAnalysisState(stack.client, analysisWorkflowId(mixed.matchId));
    expect(state?.done).toBe(10);
    expect(state?.noDataPlayers).toBe(0);
    // Each player's line in the report is the one the first analysis showed for them (the stored inputs are whole).
    const reports = createAnalysisRepository(stack.pool);
    const playersOf = async (matchId: string) => {
      const report = await reports.loadAnalysis(matchId);
      const players = [...(report?.teams.faction1.players ?? []), ...(report?.teams.faction2.players ?? [])];
      return new Map(
        players.map((p) => [
          p.playerId,
          { elo: p.elo, matches: p.matches, kd: p.kd, adr: p.adr, form: p.form, maps: p.maps },
        ]),
      );
    };
    const before = await playersOf(first.matchId);
    const after = await playersOf(mixed.matchId);
    expect(after.size).toBe(10);
    for (const id of known) expect(after.get(id)).toEqual(before.get(id));
  });

  it('refuses a finished match, and an unknown one, with a clear message and no player calls', async () => {
    const finished = await freshLobby(stack, { status: 'FINISHED' });
    const user = await createUser(stack, { locale: 'en' });
    const { requester } = await ask(stack, finished.matchId, user);
    const refused = await waitForProgress(
      stack,
      finished.matchId,
      (p) => p.stage === 'refused' && p.elapsedMs > 0,
    );
    expect(refused.refusal).toBe('finished');
    await waitFor(() =>
      (stack.tg.message(user.chatId, requester.progressMessageId)?.text ?? '').includes('already finished'),
    );
    expect(stack.tg.message(user.chatId, requester.progressMessageId)?.replyMarkup).toBeUndefined();
    expect(faceitCalls(stack)).toMatchObject({ total: 1, match: 1 });
    await waitFor(
      async () => (await requestRow(stack, user.chatId, requester.progressMessageId))?.status === 'refused',
    );
    expect((await analysisRow(stack, finished.matchId))?.refusal_reason).toBe('finished');

    const unknown = `1-${randomUUID()}`;
    const ru = await createUser(stack, { locale: 'ru' });
    const second = await ask(stack, unknown, ru);
    const p = await waitForProgress(stack, unknown, (x) => x.stage === 'refused');
    expect(p.refusal).toBe('not-found');
    await waitFor(() =>
      (stack.tg.message(ru.chatId, second.requester.progressMessageId)?.text ?? '').includes('не найден'),
    );
  });

  it('still reports a lobby where a player has no data (unknown to FACEIT) and one has no CS2 profile', async () => {
    const lobby = await freshLobby(stack, { withMissingPlayer: true, withNoCs2Player: true });
    const missing = lobby.teams.faction2.players.find((p) => !p.exists);
    const noCs2 = lobby.teams.faction2.players.find((p) => p.exists && !p.hasCs2);
    expect(missing && noCs2).toBeTruthy();
    const user = await createUser(stack, { locale: 'en' });
    const { requester } = await ask(stack, lobby.matchId, user);
    const done = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');
    expect(done.done).toBe(10);
    const text = stack.tg
      .botMessages(user.chatId)
      .map((m) => m.text ?? '')
      .join('\n');
    expect(text).toContain('Lobby analysis');
    expect(text).toContain(missing?.nickname ?? '?');
    expect(text).toMatch(/no data for 2 players|no data/);
    expect(stack.tg.message(user.chatId, requester.progressMessageId)?.text).toContain('Lobby analysis');
    expect(faceitCalls(stack).total).toBeLessThanOrEqual(31);
  });

  it('runs a PRO request on the high tier and rides out a FACEIT 429 storm and 5xx answers unnoticed', async () => {
    const lobby = await freshLobby(stack);
    const user = await createUser(stack, { locale: 'en', tier: 'pro' });
    stack.faceit.control.setFaults({
      rateLimitStorm: { durationMs: 1_500, retryAfterS: 1 },
      serverErrorRate: 0.2,
    });
    try {
      const { requester } = await ask(stack, lobby.matchId, user);
      await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done', 60_000);
      expect(stack.tg.message(user.chatId, requester.progressMessageId)?.text).toContain('Lobby analysis');
    } finally {
      stack.faceit.control.clearFaults();
    }
    const counts = stack.faceit.control.counts();
    expect(counts.rateLimited).toBeGreaterThan(0);
    expect((counts.byStatus['500'] ?? 0) + (counts.byStatus['503'] ?? 0)).toBeGreaterThan(0);
    const state = await queryAnalysisState(stack.client, analysisWorkflowId(lobby.matchId));
    expect(state).toMatchObject({ stage: 'done', noDataPlayers: 0, tier: 'high' });
    const description = await stack.client.workflow.getHandle(analysisWorkflowId(lobby.matchId)).describe();
    expect(description.taskQueue).toBe(stack.config.TASK_QUEUE_HIGH);
    expect(description.typedSearchAttributes.get(Plan)).toBe('pro');
  });

  it('parses room links and match ids', () => {
    const id = '1-bb13fd78-e183-4d37-8a4b-ceed67da5265';
    expect(parseMatchReference(id)).toBe(id);
    expect(parseMatchReference(` ${id.toUpperCase()} `)).toBe(id);
    expect(parseMatchReference(`https://www.faceit.com/en/cs2/room/${id}`)).toBe(id);
    expect(parseMatchReference(`https://www.faceit.com/ru/cs2/room/${id}/scoreboard`)).toBe(id);
    expect(parseMatchReference(`look: faceit.com/pt-br/cs2/room/${id}?x=1 gl`)).toBe(id);
    expect(parseMatchReference('https://www.faceit.com/en/players/Darwin')).toBeNull();
    expect(parseMatchReference('1-not-a-match')).toBeNull();
    expect(parseMatchReference('')).toBeNull();
  });

  it('rejects a malformed requester before touching Temporal', async () => {
    await expect(
      requestAnalysis(stack.client, stack.config, `1-${randomUUID()}`, {
        telegramId: 1,
        chatId: 1,
        progressMessageId: 0,
        locale: 'ru',
        tier: 'free',
        usageDay: 'today',
      }),
    ).rejects.toThrow();
  });

  it('answers progress queries without growing the history, and reports stage times and FACEIT calls', async () => {
    const lobby = await freshLobby(stack);
    const user = await createUser(stack, { locale: 'en' });
    await ask(stack, lobby.matchId, user);
    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');
    const handle = stack.client.workflow.getHandle(analysisWorkflowId(lobby.matchId));
    const history = await handle.fetchHistory();
    // Polling progress adds nothing to the history.
    const before = history.events?.length ?? 0;
    for (let i = 0; i < 20; i++) await getAnalysisProgress(stack.client, lobby.matchId);
    expect((await handle.fetchHistory()).events?.length).toBe(before);
    expect(before).toBeLessThan(120);
    const state = await queryAnalysisState(stack.client, analysisWorkflowId(lobby.matchId));
    expect(state?.stageAt).toEqual(
      expect.objectContaining({
        'fetching-match': expect.any(Number),
        'fetching-players': expect.any(Number),
        analysing: expect.any(Number),
        delivering: expect.any(Number),
        done: expect.any(Number),
      }),
    );
    expect(state?.faceitCalls).toBe(faceitCalls(stack).total);
    expect(state?.cacheHits).toBe(0);
    await handle.terminate('test over');
  });
});
