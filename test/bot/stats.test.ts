import type { SimUser } from '../../emulators/telegram';
import type { PlayerSummary } from '../../emulators/faceit';
import { startBotWorld, textOf, type BotWorld } from './harness';

/** /profile, /matches, /last, /form and /compare through the bot, the stats workflows and the FACEIT emulator. */
describe('bot: stats commands', () => {
  let w: BotWorld;
  let players: PlayerSummary[];

  beforeAll(async () => {
    w = await startBotWorld();
    players = w.faceit.control.findPlayers({ minMatches: 120, hasCs2: true, limit: 6 });
  });
  afterAll(() => w?.stop());

  const tags = { ru: 'ru-RU', en: 'en-GB' } as const;
  const intl = (lang: 'ru' | 'en', x: number) => new Intl.NumberFormat(tags[lang]).format(x);
  const localTime = (lang: 'ru' | 'en', timeZone: string, ms: number) =>
    new Intl.DateTimeFormat(tags[lang], {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(ms));

  /** A registered user with a linked account, in a language and time zone. */
  async function linkedUser(
    lang: 'ru' | 'en',
    player: PlayerSummary,
    timezone = 'Europe/Moscow',
  ): Promise<SimUser> {
    const user = w.user(lang);
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { language: lang, timezone });
    await w.repos.faceitAccounts.link(user.id, { playerId: player.playerId, nickname: player.nickname });
    return user;
  }

  it.each(['ru', 'en'] as const)(
    '/profile (%s): level, ELO, lifetime figures, streaks, last 5, best and worst maps; records ELO',
    async (lang) => {
      const player = lang === 'ru' ? players[0] : players[1];
      const user = await linkedUser(lang, player);
      const reply = await w.send(user, '/profile');
      const text = textOf(reply);
      const lifetime = (await w.faceitClient.getPlayerStats(player.playerId)).lifetime;
      expect(text).toContain(`👤 ${player.nickname}`);
      if (lang === 'ru') {
        expect(text).toContain(`Уровень ${player.level} · ${intl('ru', player.elo)} ELO`);
        expect(text).toContain(`Матчей: ${intl('ru', lifetime.matches ?? 0)}`);
        expect(text).toMatch(/Серия побед: текущая \d+ · лучшая \d+/);
        expect(text).toMatch(/Последние 5: [🟩🟥]{5}/u);
        expect(text).toMatch(/Лучшая карта: \S+ — винрейт \d+%/);
        expect(text).toMatch(/Худшая карта: \S+ — винрейт \d+%/);
      } else {
        expect(text).toContain(`Level ${player.level} · ${intl('en', player.elo)} ELO`);
        expect(text).toContain(`Matches: ${intl('en', lifetime.matches ?? 0)}`);
        expect(text).toMatch(/K\/D \d\.\d\d · HS \d+% · ADR \d+\.\d/);
        expect(text).toMatch(/Best map: \S+ — \d+% win rate/);
      }
      expect(reply.entities?.find((e) => e.type === 'text_link')?.url).toContain(
        `/players/${encodeURIComponent(player.nickname)}`,
      );
      expect((await w.repos.eloSnapshots.history(player.playerId))[0]).toMatchObject({
        elo: player.elo,
        source: 'profile',
      });
    },
  );

  it('/profile <nickname> of someone else; unknown players and unlinked users get a clear answer', async () => {
    const user = w.user('en');
    expect(textOf(await w.send(user, `/profile ${players[2].nickname}`))).toContain(
      `👤 ${players[2].nickname}`,
    );
    expect(textOf(await w.send(user, '/profile nobody_at_all_zz'))).toContain(
      'Player «nobody_at_all_zz» was not found',
    );
    expect(textOf(await w.send(user, '/profile'))).toContain('Link your FACEIT account first');
    expect(textOf(await w.send(user, '/matches'))).toContain('Link your FACEIT account first');
  });

  it.each([
    ['ru', 'Europe/Moscow'],
    ['en', 'Asia/Almaty'],
  ] as const)(
    '/matches (%s, %s): 5 by default with result, map, score, K-D-A, K/D, ADR, HS%%, local time, room link',
    async (lang, tz) => {
      const player = players[2];
      const user = await linkedUser(lang, player, tz);
      const reply = await w.send(user, '/matches');
      const expected = (await w.faceitClient.getPlayerMatchStats(player.playerId, { limit: 5 })).items;
      const lines = textOf(reply)
        .split('\n')
        .filter((l) => /^[🟩🟥]/u.test(l));
      expect(lines).toHaveLength(5);
      const m = expected[0];
      expect(lines[0]).toContain(`${m.kills}-${m.deaths}-${m.assists}`);
      expect(lines[0]).toContain(localTime(lang, tz, m.finishedAt ?? 0));
      expect(lines[0]).toMatch(lang === 'ru' ? /K\/D \d,\d\d · ADR \d+,\d/ : /K\/D \d\.\d\d · ADR \d+\.\d/);
      expect(lines[0]).toContain(lang === 'ru' ? 'комната' : 'room');
      const links = (reply.entities ?? []).filter((e) => e.type === 'text_link').map((e) => e.url);
      expect(links[0]).toBe(`https://www.faceit.com/${lang}/cs2/room/${m.matchId}`);
      expect(textOf(reply)).toContain(lang === 'ru' ? 'Последние 5 матчей' : 'Last 5 matches');
    },
  );

  it('/matches n: up to 20 (more is cut, and said so); a non-number gets the usage', async () => {
    const user = await linkedUser('ru', players[3]);
    const seven = textOf(await w.send(user, '/matches 7'));
    expect(seven.split('\n').filter((l) => /^[🟩🟥]/u.test(l))).toHaveLength(7);
    const many = textOf(await w.send(user, '/matches 25'));
    expect(many).toContain('(не больше 20 за раз)');
    expect(many.split('\n').filter((l) => /^[🟩🟥]/u.test(l))).toHaveLength(20);
    expect(textOf(await w.send(user, '/matches lots'))).toContain('N от 1 до 20');
  });

  it.each(['ru', 'en'] as const)('/last (%s): the full scoreboard of both teams', async (lang) => {
    const player = players[4];
    const user = await linkedUser(lang, player);
    const reply = await w.send(user, '/last');
    const [last] = (await w.faceitClient.getPlayerMatchStats(player.playerId, { limit: 1 })).items;
    const stats = await w.faceitClient.getMatchStats(last.matchId);
    const text = textOf(reply);
    for (const team of stats.rounds[0].teams) {
      expect(text).toContain(team.teamStats.name ?? '');
      for (const p of team.players) expect(text).toContain(p.nickname ?? '');
    }
    expect(text).toContain(`👤 ${player.nickname}`);
    expect(text).toMatch(lang === 'ru' ? /(победа|поражение)/ : /(win|loss)/);
  });

  it.each(['ru', 'en'] as const)(
    '/form (%s): trend, sessions split by 12 h, per-map results, role; only 20|50|100',
    async (lang) => {
      const user = await linkedUser(lang, players[5]);
      const text = textOf(await w.send(user, lang === 'ru' ? '/form' : '/form 50'));
      if (lang === 'ru') {
        expect(text).toContain(`Форма ${players[5].nickname} — 20 матчей (из последних 20)`);
        expect(text).toMatch(/Тренд: (растёт|падает|стабильно)/);
        expect(text).toMatch(/🗓 \d+ сесси/);
        expect(text).toMatch(/Роль: .+ · стиль:/);
        expect(text).toContain('🗺 Карты:');
        expect(textOf(await w.send(user, '/form 30'))).toContain('/form 100');
      } else {
        expect(text).toContain(`Form of ${players[5].nickname} — 50 matches (of the last 50)`);
        expect(text).toMatch(/Trend: (improving|declining|steady)/);
        expect(text).toMatch(/🗓 \d+ sessions? \(split by 12 h breaks\)/);
        expect(text).toMatch(/Role: .+ · style:/);
      }
    },
  );

  it.each(['ru', 'en'] as const)(
    '/compare (%s): two players side by side; a missing one is named',
    async (lang) => {
      const user = await linkedUser(lang, players[0]);
      const [a, b] = [players[1], players[2]];
      const text = textOf(await w.send(user, `/compare ${a.nickname} ${b.nickname}`));
      expect(text).toContain(`⚖️ ${a.nickname} ${lang === 'ru' ? 'против' : 'vs'} ${b.nickname}`);
      expect(text).toContain(`ELO: ${intl(lang, a.elo)} · ${intl(lang, b.elo)}`);
      const me = textOf(await w.send(user, `/compare ${b.nickname}`));
      expect(me).toContain(`${players[0].nickname}`);
      const missing = textOf(await w.send(user, `/compare ${a.nickname} ghost_player_zz`));
      expect(missing).toContain('ghost_player_zz');
      expect(textOf(await w.send(user, '/compare'))).toContain('/compare');
    },
  );

  it('the main keyboard: its buttons run the commands, in either language’s labels', async () => {
    const user = await linkedUser('ru', players[1]);
    expect(textOf(await w.send(user, '👤 Профиль'))).toContain(`👤 ${players[1].nickname}`);
    expect(textOf(await w.send(user, '📜 Матчи'))).toContain('Последние 5 матчей');
    expect(textOf(await w.send(user, '🕹 Last match'))).toContain(`👤 ${players[1].nickname}`);
    expect(textOf(await w.send(user, '📈 Форма'))).toContain('Форма');
    expect(textOf(await w.send(user, '🎯 Анализ лобби'))).toContain('Пришли ссылку на комнату матча');
  });

  it('a PRO user’s requests run on the high-priority task queue, FREE ones on the default queue', async () => {
    const pro = await linkedUser('en', players[3]);
    await w.repos.subscriptions.grant(pro.id, 'pro', 30, 'admin_grant');
    const free = await linkedUser('en', players[3]);
    await w.send(pro, '/matches 3');
    await w.send(free, '/matches 3');
    const queueOf = async (telegramId: number) => {
      for (let i = 0; i < 50; i++) {
        for await (const wf of w.client.workflow.list({ query: `TelegramUserId = ${telegramId}` }))
          return wf.taskQueue;
        await new Promise((r) => setTimeout(r, 100));
      }
      return undefined;
    };
    expect(await queueOf(pro.id)).toBe(w.config.TASK_QUEUE_HIGH);
    expect(await queueOf(free.id)).toBe(w.config.TASK_QUEUE_DEFAULT);
  });
});
