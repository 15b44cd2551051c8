/**
 * /accuracy numbers against a hand-computed set, the two charts as images (size, not blank, labels), and both
 * sent as photos through the bot and the Telegram emulator; /matches shows ELO changes the snapshots know.
 */
import { randomUUID } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import { sql } from 'slonik';
import { chartLabels, type ChartImage } from '../../src/charts';
import { eloChart, reliabilityChart } from '../../src/predictions/charts';
import { eloSeries } from '../../src/predictions/model/elo';
import { eloDeltas } from '../../src/stats/model/elo';
import { reliability, summarise, type ScoredMatch } from '../../src/predictions/model/scores';
import { reliabilityLabels, renderAccuracy } from '../../src/predictions/render';
import type { SimUser } from '../../emulators/telegram';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

/** Four matches scored by hand (faction1's probability, y = faction1 won). */
const HAND: ScoredMatch[] = [
  { elo: 0.6, model: 0.7, faceit: 0.65, y: 1 },
  { elo: 0.55, model: 0.45, faceit: null, y: 0 },
  { elo: 0.3, model: 0.2, faceit: 0.4, y: 1 },
  { elo: 0.5, model: 0.8, faceit: null, y: 0 },
];

describe('accuracy figures', () => {
  it('match a hand computation: Brier, log-loss, favourite win rate for ours, ELO and a coin flip', () => {
    const s = summarise(HAND);
    expect(s.matches).toBe(4);
    // Brier: ours (0.09 + 0.2025 + 0.64 + 0.64) / 4; ELO (0.16 + 0.3025 + 0.49 + 0.25) / 4.
    expect(s.model.brier).toBeCloseTo(0.393125, 10);
    expect(s.elo.brier).toBeCloseTo(0.300625, 10);
    expect(s.coin.brier).toBeCloseTo(0.25, 10);
    // Log-loss: −(ln .7 + ln .55 + ln .2 + ln .2) / 4 and −(ln .6 + ln .45 + ln .3 + ln .5) / 4.
    expect(s.model.logLoss).toBeCloseTo(1.043347, 5);
    expect(s.elo.logLoss).toBeCloseTo(0.801613, 5);
    expect(s.coin.logLoss).toBeCloseTo(Math.LN2, 10);
    // Favourites: ours right on 1 and 2, wrong on 3 and 4; ELO right on 1 only, no favourite at 0.5.
    expect(s.model).toMatchObject({ decided: 4, favouriteWins: 2, favouriteWinRate: 0.5 });
    expect(s.elo).toMatchObject({ decided: 3, favouriteWins: 1 });
    // FACEIT's own, on the two matches whose room carried it: (0.1225 + 0.36) / 2, −(ln .65 + ln .4) / 2.
    expect(s.faceit).toMatchObject({ n: 2, decided: 2, favouriteWins: 1 });
    expect(s.faceit.brier).toBeCloseTo(0.24125, 10);
    expect(s.faceit.logLoss).toBeCloseTo(0.673537, 5);
    expect(s.small).toBe(true);
  });

  it('compares ours with ELO alone: an interval on the paired difference, and a verdict only from 100 matches', () => {
    // 200 matches where ours is sharper and right: 0.75 for the winner where ELO says 0.6.
    const sharp: ScoredMatch[] = Array.from({ length: 200 }, (_, i) => {
      const y = (i % 5 === 0 ? 0 : 1) as 0 | 1;
      return { elo: 0.6, model: i % 5 === 0 ? 0.6 : 0.75, faceit: null, y };
    });
    const s = summarise(sharp);
    expect(s.vsElo.n).toBe(200);
    expect(s.vsElo.brier.high).toBeLessThan(0);
    expect(s.vsElo.verdict).toBe('better');
    expect(s.vsFaceit).toBeNull();
    expect(s.confident.model).toEqual({ calls: 200, wins: 160, rate: 0.8 });
    const en = renderAccuracy('en', s, null);
    expect(en).toContain(
      '<b>Better than ELO alone (recalibrated)</b> in Brier and log-loss: both intervals are below zero.',
    );
    expect(en).not.toContain('mostly luck');
    expect(renderAccuracy('ru', s, null)).toContain('<b>Лучше, чем «только ELO (перекалиброванный)»</b>');

    // 120 matches where ours is ELO plus noise either way: the interval includes zero.
    const noisy: ScoredMatch[] = Array.from({ length: 120 }, (_, i) => ({
      elo: 0.6,
      model: i % 2 === 0 ? 0.65 : 0.55,
      faceit: 0.6,
      y: (i % 4 < 2 ? 1 : 0) as 0 | 1,
    }));
    const n = summarise(noisy);
    expect(n.vsElo.verdict).toBe('indistinguishable');
    expect(n.vsFaceit?.verdict).toBe('indistinguishable');
    expect(renderAccuracy('en', n, null)).toContain(
      '<b>Not yet distinguishable from ELO alone (recalibrated)</b>: the interval includes zero.',
    );
    expect(renderAccuracy('ru', n, null)).toContain(
      '<b>Пока не отличить от варианта «собственная вероятность FACEIT»</b>: интервал включает ноль.',
    );
  });

  it('folds the reliability diagram onto the favourite', () => {
    const bins = reliability(HAND.map((m) => ({ p: m.model, y: m.y })));
    // favourites at 0.7 (won), 0.55 (won), 0.8 (lost), 0.8 (lost)
    expect(bins.map((b) => b.n)).toEqual([1, 0, 1, 2, 0]);
    expect(bins[3]).toMatchObject({ predicted: 0.8, observed: 0 });
    expect(bins[2]).toMatchObject({ observed: 1 });
  });
});

describe('ELO changes from snapshots', () => {
  it('brackets each match alone, else says nothing', () => {
    const m = (id: string, at: number) => ({ matchId: id, finishedAt: at });
    const s = (elo: number, at: number) => ({ elo, at, matchId: null });
    const matches = [m('c', 300), m('b', 200), m('a', 100)];
    const deltas = eloDeltas(matches, [s(1000, 50), s(1020, 150), s(1000, 250), s(990, 400)]);
    expect(deltas.get('a')).toBe(20);
    expect(deltas.get('b')).toBe(-20);
    expect(deltas.get('c')).toBe(-10);
    // No snapshot between b and c: c's change is unknown (b's "after" is c's "before").
    const sparse = eloDeltas(matches, [s(1000, 50), s(1020, 150), s(990, 400)]);
    expect(sparse.has('b')).toBe(false);
    expect(sparse.has('c')).toBe(false);
  });
});

/** Width and height from the PNG header, and the share of non-white pixels of the drawing. */
function inspect(image: ChartImage) {
  expect(image.png.subarray(1, 4).toString('ascii')).toBe('PNG');
  const width = image.png.readUInt32BE(16);
  const height = image.png.readUInt32BE(20);
  const { pixels } = new Resvg(image.svg, { background: '#ffffff' }).render();
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4)
    if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) ink++;
  return { width, height, ink: ink / (pixels.length / 4) };
}

describe('chart images', () => {
  it('draws the reliability diagram with its labels', () => {
    const image = reliabilityChart(
      {
        ours: reliability(HAND.map((m) => ({ p: m.model, y: m.y }))),
        elo: reliability(HAND.map((m) => ({ p: m.elo, y: m.y }))),
      },
      reliabilityLabels('en', 4),
    );
    const { width, height, ink } = inspect(image);
    expect([width, height]).toEqual([960, 540]);
    expect(ink).toBeGreaterThan(0.005);
    expect(ink).toBeLessThan(0.5);
    const labels = chartLabels(image.svg);
    expect(labels).toEqual(
      expect.arrayContaining(['Reliability: predicted vs actual', "Bot's model", 'ELO only']),
    );
    expect(labels).toContain('Predicted chance of the favourite');
  });

  it('draws the ELO history in Russian', () => {
    const now = Date.UTC(2026, 10, 20);
    const series = eloSeries([
      { elo: 2000, at: now, matchId: null },
      { elo: 2025, at: now + 3_600_000, matchId: '1-a' },
      { elo: 2001, at: now + 7_200_000, matchId: '1-b' },
    ]);
    expect(series).not.toBeNull();
    const image = eloChart(
      series!,
      { title: 'ELO — Тест', subtitle: '3 снимка', elo: 'ELO', match: 'Снимок у матча' },
      'Europe/Moscow',
    );
    const { width, ink } = inspect(image);
    expect(width).toBe(960);
    expect(ink).toBeGreaterThan(0.005);
    expect(chartLabels(image.svg)).toEqual(expect.arrayContaining(['ELO — Тест', 'Снимок у матча']));
  });
});

describe('bot: /accuracy, /elo, the profile button and /matches ELO changes', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w?.stop());

  async function registered(lang: 'ru' | 'en'): Promise<SimUser> {
    const user = w.user(lang);
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { language: lang });
    return user;
  }
  const photoAfter = (chatId: number, afterId: number) =>
    w.tg.waitForBotMessage(chatId, (m) => m.messageId > afterId && m.photo !== undefined, 30_000);

  it('/accuracy: the hand-computed set as "matches you asked about", then the reliability diagram', async () => {
    const user = await registered('en');
    for (const [i, m] of HAND.entries()) {
      const matchId = `1-${randomUUID()}`;
      const winner = m.y === 1 ? 'faction1' : 'faction2';
      await w.pool.query(sql.unsafe`
        INSERT INTO match_analyses (match_id, workflow_id, status, faction1_win_probability,
          faction1_model_win_probability, faction1_faceit_win_probability, predicted_winner, outcome,
          actual_winner, outcome_source, outcome_recorded_at, result, completed_at)
        VALUES (${matchId}, 'test', 'completed', ${m.elo}, ${m.model}, ${m.faceit ?? null},
          ${m.model === 0.5 ? null : (m.model ?? 0) > 0.5 ? 'faction1' : 'faction2'}, 'finished', ${winner},
          'poll', now() + ${i} * interval '1 second', '{}'::jsonb, now())`);
      // The scored prediction is the pre-match snapshot (a READY room, no start time yet).
      await w.pool.query(sql.unsafe`
        INSERT INTO match_predictions (match_id, workflow_id, room_status, own_result_seen,
          faction1_elo_win_probability, faction1_model_win_probability, faction1_faceit_win_probability)
        VALUES (${matchId}, 'test', 'READY', false, ${m.elo}, ${m.model}, ${m.faceit ?? null})`);
      await w.pool.query(sql.unsafe`
        INSERT INTO analysis_requests (match_id, telegram_id, chat_id, progress_message_id, tier, usage_day, status)
        VALUES (${matchId}, ${user.id}, ${user.id}, ${i + 1}, 'free', current_date, 'delivered')`);
    }
    const reply = await w.send(user, '/accuracy');
    const text = textOf(reply);
    const mine = text.slice(text.indexOf('Matches you asked about'));
    expect(mine).toContain('Matches scored: 4');
    expect(mine).toContain('Favourite won: ours 50% (2/4) · ELO 33% (1/3)');
    expect(mine).toContain('Brier (lower is better): ours 0.393 · ELO 0.301 · coin flip 0.250');
    expect(mine).toContain('Log-loss (lower is better): ours 1.043 · ELO 0.802 · coin flip 0.693');
    expect(mine).toContain(
      "FACEIT's own probability, on the 2 matches whose room carried it: favourite won 50% (1/2) · Brier 0.241 · log-loss 0.674",
    );
    // Calls of 60 % or more: ours 0.7 won, 0.8 (faction2) and 0.8 lost; ELO 0.6 won, 0.7 (faction2) lost.
    expect(mine).toContain('Calls of 60% or more that came true: ours 33% (1/3) · ELO 50% (1/2)');
    // Paired Brier differences −0.07, −0.1, +0.15, +0.39: mean +0.0925 ± 1.96 · 0.1138 (sd 0.2275 / √4).
    expect(mine).toContain(
      'Ours − ELO alone (recalibrated), 4 matches (95% interval; below zero = ours is better): Brier +0.093 [−0.130, +0.315]',
    );
    // Too few matches to mean anything, and it says so.
    expect(mine).toContain(
      'Too few matches to mean anything (4; about 100 are needed): not yet distinguishable from ELO alone (recalibrated).',
    );
    expect(mine).toContain(
      "Ours − FACEIT's own probability, 2 matches (95% interval; below zero = ours is better): Brier",
    );
    expect(mine).toContain('Only 4 matches: differences this small are mostly luck');
    const all = Number(/All analysed matches\nMatches scored: (\d+)/.exec(text)?.[1]);
    expect(all).toBeGreaterThanOrEqual(4);
    const photo = await photoAfter(user.id, reply.messageId);
    expect(photo.photo).toMatchObject({ width: 960, height: 540, source: 'upload' });
    expect(photo.photo?.sizeBytes).toBeGreaterThan(10_000);
    expect(photo.caption).toContain('Reliability diagram');
  });

  it('/accuracy in Russian for a user who asked about nothing yet', async () => {
    const user = await registered('ru');
    const text = textOf(await w.send(user, '/accuracy'));
    expect(text).toContain('Как часто бот прав');
    expect(text).toContain('Матчи, о которых спрашивали вы');
    expect(text).toContain('Пока нет ни одного оценённого матча');
    // Russian text of the small-sample note and the FACEIT line, on the hand-computed set.
    const ru = renderAccuracy('ru', summarise(HAND), null);
    expect(ru).toContain('Всего 4 матчей: такие малые различия — в основном удача');
    expect(ru).toContain('Собственная вероятность FACEIT, на 2 матчах');
    expect(ru).toContain('Прогнозы от 60%, которые сбылись: наша <b>33% (1/3)</b> · ELO <b>50% (1/2)</b>');
    expect(ru).toContain(
      '<b>Слишком мало матчей, чтобы что-то значить</b> (4; нужно около 100): пока не отличить от варианта «только ELO (перекалиброванный)».',
    );
  });

  it('/elo and the /profile button send the ELO chart; /matches shows the change of a bracketed match', async () => {
    const [player] = w.faceit.control.findPlayers({ minMatches: 30, hasCs2: true, limit: 1 });
    const user = await registered('en');
    await w.repos.faceitAccounts.link(user.id, { playerId: player.playerId, nickname: player.nickname });

    // Snapshots around the newest match: before it (after the previous one ended) and after it.
    const list = await w.faceitClient.getPlayerMatchStats(player.playerId, { offset: 0, limit: 5 });
    const [newest, previous, third] = list.items.map((i) => i.finishedAt ?? 0);
    // 1500 before the third match ended: it brackets nothing alone (the second match has no "before" of its own).
    for (const [elo, at] of [
      [1500, third - 60_000],
      [1480, (previous + newest) / 2],
      [1503, newest + 60_000],
    ] as const) {
      await w.pool.query(sql.unsafe`
        INSERT INTO player_elo_snapshots (faceit_player_id, elo, source, observed_at)
        VALUES (${player.playerId}, ${elo}, 'monitoring', ${sql.timestamp(new Date(at))})`);
    }

    const matches = textOf(await w.send(user, '/matches 3'));
    const lines = matches.split('\n').filter((l) => /^(🟩|🟥|▫️)/u.test(l));
    expect(lines[0]).toContain('· ELO +23');
    expect(lines.slice(1).join('\n')).not.toContain('· ELO ');

    const sent = await w.send(user, '/elo');
    const chart = sent.photo ? sent : await photoAfter(user.id, sent.messageId);
    expect(chart.photo).toMatchObject({ width: 960, height: 540 });
    expect(chart.caption).toContain(player.nickname);
    expect(chart.caption).toContain('1500 → 1503');

    const profile = await w.send(user, '/profile');
    const markup = profile.replyMarkup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    const data = (markup?.inline_keyboard ?? [])
      .flat()
      .find((b) => b.callback_data?.startsWith('elo:'))?.callback_data;
    expect(data).toBe(`elo:${player.playerId}:${player.nickname}`);
    await w.click(user, profile, data ?? '');
    const fromButton = await photoAfter(user.id, profile.messageId);
    expect(fromButton.caption).toContain(player.nickname);

    // A linked player the bot never saw: no chart, and a word on why.
    const [unseen, other] = w.faceit.control.findPlayers({ hasCs2: true, limit: 60 }).slice(50);
    const stranger = await registered('en');
    await w.repos.faceitAccounts.link(stranger.id, { playerId: unseen.playerId, nickname: unseen.nickname });
    expect(textOf(await w.send(stranger, '/elo'))).toContain(`No ELO history for ${unseen.nickname}`);
    // By nickname: the lookup itself records his ELO, so the chart has its first point.
    const byName = await w.send(stranger, `/elo ${other.nickname}`);
    const first = byName.photo ? byName : await photoAfter(stranger.id, byName.messageId);
    expect(first.caption).toContain(other.nickname);
  });
});
