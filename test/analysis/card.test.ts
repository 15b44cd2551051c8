import { randomUUID } from 'node:crypto';
import { InlineKeyboard } from 'grammy';
import { register } from 'prom-client';
import { sql } from 'slonik';
import type { AnalysisActivities } from '../../src/analysis/activities';
import { renderLobbyCard } from '../../src/analysis/card';
import { analyzeLobby } from '../../src/analysis/model/analyze';
import type { LobbyAnalysis } from '../../src/analysis/model/types';
import { renderCardReport, renderProgress } from '../../src/analysis/render';
import type { AnalysisRequester } from '../../src/analysis/workflow-types';
import { chartLabels } from '../../src/charts';
import { parseHtml } from '../../emulators/telegram';
import { testLogger } from '../harness';
import { sampleLobby } from './samples';
import {
  createUser,
  requestRow,
  startDirectAnalysisStack,
  type DirectAnalysisStack,
} from './workflow-helpers';

/** The analysis of the real recorded FACEIT bodies (test/analysis/samples.ts). */
function sampleAnalysis(): LobbyAnalysis {
  return analyzeLobby({ ...sampleLobby(), asOf: Date.UTC(2026, 11, 1) });
}

const nicknames = (a: LobbyAnalysis) =>
  [...a.teams.faction1.players, ...a.teams.faction2.players].map((p) => p.nickname);

/** The same analysis with a likely party of three and a new account and a smurf signal, as the model marks them. */
function withPartyAndSignals(a: LobbyAnalysis): LobbyAnalysis {
  const copy = structuredClone(a);
  const team = copy.teams.faction2;
  team.parties = [
    {
      members: [team.players[0].playerId, team.players[3].playerId, team.players[4].playerId],
      sharedMatches: 6,
      wonMatches: 4,
    },
  ];
  const signals = {
    accountDays: 20,
    matches: 30,
    high: { kd: 1.6, adr: 95, winRate: null },
    newAccount: true,
  };
  team.players[1].signals = { ...signals, smurf: true };
  team.players[2].signals = { ...signals, smurf: false };
  team.players[1].flags.noData = false;
  team.players[2].flags.noData = false;
  return copy;
}

describe('lobby card: the picture', () => {
  it.each(['en', 'ru'] as const)(
    'draws both teams, the chance beside ELO alone and the maps (%s)',
    (locale) => {
      const a = sampleAnalysis();
      const started = performance.now();
      const card = renderLobbyCard(a, { locale });
      const ms = performance.now() - started;
      // A real PNG of the drawn size, far below Telegram's 10 MB and within its dimension rules.
      expect(card.png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect([card.png.readUInt32BE(16), card.png.readUInt32BE(20)]).toEqual([card.width, card.height]);
      expect(card.width + card.height).toBeLessThan(10_000);
      expect(card.png.length).toBeGreaterThan(20_000);
      expect(card.png.length).toBeLessThan(1_000_000);
      const labels = chartLabels(card.svg);
      for (const nick of nicknames(a)) expect(labels).toContain(nick);
      expect(labels).toEqual(expect.arrayContaining([a.teams.faction1.name, a.teams.faction2.name]));
      const words =
        locale === 'en'
          ? ['Lobby analysis', 'Maps', 'Threat', 'Inferno (picked)']
          : ['Анализ лобби', 'Карты', 'Угроза', 'Inferno (выбрана)'];
      expect(labels).toEqual(expect.arrayContaining(words));
      const chance = a.modelWinProbability ?? a.winProbability;
      expect(labels).toContain(`${Math.round((chance?.faction1 ?? 0) * 100)}%`);
      expect(labels.some((l) => l.startsWith(locale === 'en' ? 'ELO alone: ' : 'Только по ELO: '))).toBe(
        true,
      );
      // The player without data is marked so, not left blank.
      expect(labels).toContain(locale === 'en' ? 'no data' : 'нет данных');
      testLogger.info({ locale, ms: Math.round(ms), bytes: card.png.length }, 'lobby card rendered');
    },
  );

  it('joins a likely party with one bracket and marks new accounts and smurf signals', () => {
    const a = withPartyAndSignals(sampleAnalysis());
    const card = renderLobbyCard(a, { locale: 'en' });
    const labels = chartLabels(card.svg);
    expect(labels).toEqual(expect.arrayContaining(['NEW', 'SMURF?']));
    expect(chartLabels(renderLobbyCard(a, { locale: 'ru' }).svg)).toEqual(
      expect.arrayContaining(['НОВЫЙ', 'СМУРФ?']),
    );
    // The party's three members stand together, in the team's order, so one bracket spans them.
    const team = a.teams.faction2.players.map((p) => p.nickname);
    const rows = labels.filter((l) => team.includes(l));
    expect(rows.slice(0, 3)).toEqual([team[0], team[3], team[4]]);
    expect(card.svg.match(/<path[^>]*stroke="#7048e8"/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
  });

  it("puts the requester's team first and says it is his", () => {
    const a = sampleAnalysis();
    const me = a.teams.faction2.players[0];
    const labels = chartLabels(renderLobbyCard(a, { locale: 'en', perspective: me.playerId }).svg);
    expect(labels).toContain('your team');
    expect(labels.indexOf(a.teams.faction2.name)).toBeLessThan(labels.indexOf(a.teams.faction1.name));
  });
});

describe('lobby card: the texts around it', () => {
  it.each(['en', 'ru'] as const)(
    'a caption within 1024 and details in expandable blockquotes (%s)',
    (locale) => {
      const a = sampleAnalysis();
      const { caption, texts } = renderCardReport(a, { locale });
      expect(caption.length).toBeLessThanOrEqual(1024);
      expect(parseHtml(caption).text).toContain(locale === 'en' ? 'Lobby analysis' : 'Анализ лобби');
      expect(texts.every((t) => t.length <= 4096)).toBe(true);
      const parsed = texts.map((t) => parseHtml(t));
      const quotes = parsed.flatMap((p) => p.entities.filter((e) => e.type === 'expandable_blockquote'));
      expect(quotes).toHaveLength(2);
      const all = parsed.map((p) => p.text).join('\n');
      for (const nick of nicknames(a)) expect(all).toContain(nick);
    },
  );

  it('moves a header too long for a caption into the text', () => {
    const a = sampleAnalysis();
    a.competitionName = 'x'.repeat(1100);
    const { caption, texts } = renderCardReport(a, { locale: 'en' });
    expect(parseHtml(caption).text).toBe('🎯 Lobby analysis');
    expect(texts[0]).toContain('x'.repeat(100));
  });
});

/** The delivery activity with the card on, against the Telegram emulator, retried as Temporal would. */
describe('lobby card: delivery', () => {
  let stack: DirectAnalysisStack;
  let acts: AnalysisActivities;
  let failing: AnalysisActivities;
  const storedAnalysis = () => stack.storedAnalysis();

  beforeAll(async () => {
    stack = await startDirectAnalysisStack({ env: { ANALYSIS_LOBBY_CARD: 'true' } });
    acts = stack.acts;
    failing = stack.activitiesWith({
      renderCard: () => {
        throw new Error('resvg ran out of memory');
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function requester(locale: 'en' | 'ru'): Promise<AnalysisRequester> {
    const user = await createUser(stack, { locale });
    const m = await stack.api.sendMessage(user.chatId, renderProgress(10, 10, locale));
    return { ...user, progressMessageId: m.message_id };
  }

  const visible = (chatId: number) => stack.tg.botMessages(chatId).filter((m) => !m.deleted);
  const photosTo = (chatId: number) =>
    stack.tg.calls('sendPhoto').filter((c) => Number(c.params.chat_id) === chatId && c.ok);
  const fallbacks = async (reason: string) =>
    (await register.getSingleMetric('analysis_card_fallbacks_total')?.get())?.values.find(
      (v) => v.labels.reason === reason,
    )?.value ?? 0;

  it.each(['en', 'ru'] as const)(
    'sends the card first, then the details; the progress message goes (%s)',
    async (locale) => {
      const matchId = await storedAnalysis();
      const r = await requester(locale);
      const result = await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' });
      expect(result.status).toBe('sent');
      const shown = visible(r.chatId);
      expect(shown[0].photo).toMatchObject({ source: 'upload', filename: 'lobby.png', width: 1200 });
      expect(shown[0].photo?.sizeBytes).toBeGreaterThan(20_000);
      expect(shown[0].caption).toContain(locale === 'en' ? 'Lobby analysis' : 'Анализ лобби');
      expect(shown[0].caption).toContain('FlensburgUnited');
      expect(shown.slice(1).every((m) => m.text !== undefined)).toBe(true);
      expect(
        shown
          .slice(1)
          .flatMap((m) => m.entities ?? [])
          .filter((e) => e.type === 'expandable_blockquote'),
      ).toHaveLength(2);
      expect(result.messages).toBe(shown.length);
      // The progress bar with its Cancel button is gone: the card is the report's first message.
      expect(stack.tg.message(r.chatId, r.progressMessageId)?.deleted).toBe(true);
      expect((await requestRow(stack, r.chatId, r.progressMessageId))?.status).toBe('delivered');
      expect((await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).status).toBe(
        'already',
      );
      expect(photosTo(r.chatId)).toHaveLength(1);
    },
  );

  it('never sends the photo twice when a retry follows a failure after it', async () => {
    const matchId = await storedAnalysis();
    const r = await requester('en');
    // The first detail message fails (Telegram 500): the attempt fails after the photo went out.
    stack.tg.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    await expect(acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).rejects.toThrow();
    expect(photosTo(r.chatId)).toHaveLength(1);
    expect((await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).status).toBe('sent');
    // And once more as if the row had not been settled (the attempt died after sending everything).
    await stack.pool.query(
      sql.unsafe`UPDATE analysis_requests SET status = 'pending'
        WHERE chat_id = ${r.chatId} AND progress_message_id = ${r.progressMessageId}`,
    );
    await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' });
    expect(photosTo(r.chatId)).toHaveLength(1);
    const shown = visible(r.chatId);
    expect(shown.filter((m) => m.photo)).toHaveLength(1);
    const texts = shown.filter((m) => m.text !== undefined).map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(shown[0].photo).toBeDefined();
  });

  it('points a progress message Telegram will not delete (over 48 hours old) to the card below', async () => {
    const matchId = await storedAnalysis();
    const user = await createUser(stack, { locale: 'en' });
    const m = await stack.api.sendMessage(user.chatId, renderProgress(10, 10, 'en'), {
      reply_markup: new InlineKeyboard().text('Cancel', 'analysis:cancel'),
    });
    const r: AnalysisRequester = { ...user, progressMessageId: m.message_id };
    const stored = stack.tg.message(r.chatId, r.progressMessageId);
    if (stored) stored.date -= 49 * 3600;
    expect((await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).status).toBe('sent');
    const progress = stack.tg.message(r.chatId, r.progressMessageId);
    expect(progress?.deleted).toBe(false);
    expect(progress?.text).toBe('⬇️ The report is below.');
    expect(progress?.replyMarkup).toBeUndefined();
    expect(visible(r.chatId).filter((x) => x.photo)).toHaveLength(1);
  });

  it('delivers the text report when the card cannot be rendered, and counts it', async () => {
    const matchId = await storedAnalysis();
    const r = await requester('ru');
    const before = await fallbacks('render');
    expect((await failing.analysisDeliver({ matchId, requester: r, outcome: 'report' })).status).toBe('sent');
    expect(await fallbacks('render')).toBe(before + 1);
    expect(photosTo(r.chatId)).toHaveLength(0);
    const progress = stack.tg.message(r.chatId, r.progressMessageId);
    expect(progress?.deleted).toBe(false);
    expect(progress?.text).toContain('Анализ лобби');
    expect((await requestRow(stack, r.chatId, r.progressMessageId))?.status).toBe('delivered');
  });

  it('delivers the text report when Telegram refuses the photo, and counts it', async () => {
    const matchId = await storedAnalysis();
    const r = await requester('en');
    const before = await fallbacks('send');
    stack.tg.failNext('sendPhoto', { error_code: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
    expect((await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).status).toBe('sent');
    expect(await fallbacks('send')).toBe(before + 1);
    expect(visible(r.chatId).some((m) => m.photo)).toBe(false);
    expect(stack.tg.message(r.chatId, r.progressMessageId)?.text).toContain('Lobby analysis');
  });

  it('keeps the text report for a cancellation or a refusal (no card)', async () => {
    const r = await requester('en');
    await acts.analysisDeliver({ matchId: `1-${randomUUID()}`, requester: r, outcome: 'cancelled' });
    expect(photosTo(r.chatId)).toHaveLength(0);
    expect(stack.tg.message(r.chatId, r.progressMessageId)?.deleted).toBe(false);
  });
});
