import type { PlayerSummary } from '../../emulators/faceit';
import { startBotWorld, textOf, type BotWorld } from './harness';

/** Registration, language choice, referral codes and linking, end to end through both emulators. */
describe('bot: registration and account linking', () => {
  let w: BotWorld;
  let players: PlayerSummary[];
  let noCs2: PlayerSummary;

  beforeAll(async () => {
    w = await startBotWorld();
    players = w.faceit.control.findPlayers({ minMatches: 30, hasCs2: true, limit: 8 });
    noCs2 = w.faceit.control.findPlayers({ hasCs2: false, limit: 1 })[0];
  });
  afterAll(() => w?.stop());

  it('a new user registers with /start (Russian by default), gets the language choice and links by nickname', async () => {
    const ann = w.user('ru');
    const player = players[0];
    const [welcome, prompt] = await w.start(ann);
    expect(textOf(welcome)).toContain('Привет, Аня!');
    expect(welcome.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual([
      'lang:ru',
      'lang:en',
    ]);
    expect(textOf(prompt)).toContain('Пришли свой никнейм на FACEIT');
    expect(JSON.stringify(prompt.replyMarkup?.keyboard)).toContain('👤 Профиль');
    expect(await w.repos.users.get(ann.id)).toMatchObject({ language: 'ru', awaiting_nickname: true });

    const linked = await w.send(ann, player.nickname);
    expect(textOf(linked)).toContain(`✅ Привязан ${player.nickname} — уровень ${player.level}`);
    expect(await w.repos.faceitAccounts.get(ann.id)).toMatchObject({
      faceit_player_id: player.playerId,
      nickname: player.nickname,
      steam_id64: player.steamId64,
    });
    expect((await w.repos.users.get(ann.id))?.awaiting_nickname).toBe(false);
    const [snapshot] = await w.repos.eloSnapshots.history(player.playerId);
    expect(snapshot).toMatchObject({ elo: player.elo, source: 'link' });
  });

  it('a user picks English on /start and links by Steam profile URL; later texts and the keyboard are English', async () => {
    const bob = w.user('ru', { first_name: 'Bob' });
    const player = players[1];
    const [welcome] = await w.start(bob);
    const before = w.tg.botMessages(bob.id).length;
    await w.click(bob, welcome, 'lang:en');
    const [prompt] = await w.replies(bob.id, w.tg.botMessages(bob.id)[before - 1].messageId, 1);
    expect(textOf(w.tg.message(bob.id, welcome.messageId))).toBe('🇬🇧 Language: English.');
    expect(textOf(prompt)).toContain('Send me your FACEIT nickname');
    expect(JSON.stringify(prompt.replyMarkup?.keyboard)).toContain('👤 Profile');
    expect((await w.repos.users.get(bob.id))?.language).toBe('en');

    const linked = await w.send(bob, `/link https://steamcommunity.com/profiles/${player.steamId64}/`);
    expect(textOf(linked)).toContain(`✅ Linked ${player.nickname} — level ${player.level}`);
    expect(await w.repos.faceitAccounts.get(bob.id)).toMatchObject({
      faceit_player_id: player.playerId,
      steam_id64: player.steamId64,
    });
  });

  it('links by FACEIT profile URL and by a bare Steam64 id; a new link replaces the old one', async () => {
    const cid = w.user('en');
    const byUrl = await w.send(
      cid,
      `/link https://www.faceit.com/en/players/${encodeURIComponent(players[2].nickname)}/stats/cs2`,
    );
    expect(textOf(byUrl)).toContain(`Linked ${players[2].nickname}`);
    const bySteam = await w.send(cid, `/link ${players[3].steamId64}`);
    expect(textOf(bySteam)).toContain(`Linked ${players[3].nickname}`);
    expect((await w.repos.faceitAccounts.get(cid.id))?.faceit_player_id).toBe(players[3].playerId);
    expect(textOf(await w.send(cid, '/unlink'))).toBe('Your FACEIT account is unlinked.');
    expect(await w.repos.faceitAccounts.get(cid.id)).toBeNull();
  });

  it('applies a referral code from /start ref_CODE to a new user only, through the referrals repository', async () => {
    const referrer = w.user('ru');
    await w.send(referrer, '/help');
    const code = await w.repos.users.ensureReferralCode(
      referrer.id,
      () => `R${Date.now().toString(36).toUpperCase()}`,
    );

    const newbie = w.user('en');
    const [welcome] = await w.start(newbie, `ref_${code}`);
    expect(textOf(welcome)).toContain('Referral code accepted');
    expect((await w.repos.referrals.get(newbie.id))?.referrer_id).toBe(referrer.id);

    expect(textOf((await w.start(newbie, `ref_${code}`))[0])).toContain('only work for new users');
    expect(textOf((await w.start(w.user('ru'), 'ref_NOSUCHCODE'))[0])).toContain(
      'Такого реферального кода нет',
    );
    expect(textOf((await w.start(referrer, `ref_${code}`))[0])).toContain('только для новых');
    expect(await w.repos.referrals.get(referrer.id)).toBeNull();
  });

  it('escapes HTML in the user name: HTML parse mode never breaks', async () => {
    const evil = w.user('en', { first_name: '<b>Evil</b> & <i>Co' });
    const [welcome] = await w.start(evil);
    expect(textOf(welcome)).toContain('Hi, <b>Evil</b> & <i>Co!');
    expect(welcome.rawText).toContain('&lt;b&gt;Evil&lt;/b&gt; &amp; &lt;i&gt;Co');
  });

  it('/settings: language, time zone (buttons or /timezone) and notifications; /help shows the quota', async () => {
    const user = w.user('ru');
    const settings = await w.send(user, '/settings');
    expect(textOf(settings)).toContain('Часовой пояс: Europe/Moscow');
    expect(textOf(settings)).toContain('Уведомления о матчах: включены');

    await w.click(user, settings, 'set:notif');
    expect(textOf(w.tg.message(user.id, settings.messageId))).toContain('Уведомления о матчах: выключены');
    expect((await w.repos.users.get(user.id))?.notifications_enabled).toBe(false);

    await w.click(user, settings, 'set:tz');
    const picker = w.tg.message(user.id, settings.messageId);
    expect(textOf(picker)).toContain('Выбери часовой пояс');
    const almaty = picker?.replyMarkup?.inline_keyboard?.flat().find((b) => b.text === 'Almaty');
    await w.click(user, settings, String(almaty?.callback_data));
    expect(textOf(w.tg.message(user.id, settings.messageId))).toContain('Часовой пояс: Asia/Almaty');

    const before = w.tg.botMessages(user.id).length;
    await w.click(user, settings, 'set:lang:en');
    expect(textOf(w.tg.message(user.id, settings.messageId))).toContain('Time zone: Asia/Almaty');
    const [confirmation] = await w.replies(user.id, w.tg.botMessages(user.id)[before - 1].messageId, 1);
    expect(textOf(confirmation)).toBe('🇬🇧 Language: English.');
    expect(JSON.stringify(confirmation.replyMarkup?.keyboard)).toContain('⚙️ Settings');

    expect(textOf(await w.send(user, '/timezone Mars/Olympus'))).toContain(
      '«Mars/Olympus» is not a time zone',
    );
    expect(textOf(await w.send(user, '/timezone Asia/Novosibirsk'))).toContain('Time zone: Asia/Novosibirsk');
    expect(await w.repos.users.get(user.id)).toMatchObject({ language: 'en', timezone: 'Asia/Novosibirsk' });
    expect(textOf(await w.send(user, '⚙️ Settings'))).toContain('Time zone: Asia/Novosibirsk');
    expect(textOf(await w.send(user, '❓ Help'))).toContain('Analyses today: 0/5 (FREE)');
    expect(textOf(await w.send(user, 'what?'))).toContain('I did not understand that');
    expect(textOf(await w.send(user, '/frobnicate'))).toContain('I do not know this command');
  });

  const expectations = {
    ru: {
      unknown: 'не найден на FACEIT',
      noCs2: 'нет профиля CS2',
      malformed: 'Не могу разобрать ссылку',
      vanity: 'Короткие ссылки Steam',
      tooLong: 'слишком длинно для никнейма',
      invalid: 'не никнейм FACEIT',
      room: 'Это ссылка на комнату матча',
      usage: 'Отправь /link никнейм',
    },
    en: {
      unknown: 'was not found on FACEIT',
      noCs2: 'has a FACEIT account but no CS2 profile',
      malformed: 'I cannot read that link',
      vanity: 'Custom Steam links',
      tooLong: 'far too long for a nickname',
      invalid: 'is not a FACEIT nickname',
      room: 'That is a match room',
      usage: 'Send /link nickname',
    },
  } as const;

  describe.each(['ru', 'en'] as const)(
    'bad input (%s): a clear answer in the user language, nothing changed',
    (lang) => {
      const say = expectations[lang];
      const garbage = 'ъ#%&'.repeat(50);

      it.each([
        ['an unknown nickname', 'no_such_player_zz', say.unknown],
        ['a malformed URL', 'https://faceit.com/en/teams/', say.malformed],
        ['a non-FACEIT URL', 'https://example.com/players/x', say.malformed],
        ['a Steam vanity URL', 'https://steamcommunity.com/id/gaben', say.vanity],
        ['200 characters of garbage', garbage, say.tooLong],
        ['HTML instead of a nickname', '<script>alert(1)</script>', say.invalid],
        ['a match room instead of a profile', 'https://www.faceit.com/en/cs2/room/1-abc', say.room],
        ['nothing at all', '', say.usage],
      ])('%s', async (_what, input, expected) => {
        const user = w.user(lang);
        await w.repos.users.touch({ telegramId: user.id });
        await w.repos.users.update(user.id, { language: lang });
        const original = await w.repos.faceitAccounts.link(user.id, {
          playerId: players[4].playerId,
          nickname: players[4].nickname,
        });
        const reply = await w.send(user, `/link ${input}`.trim());
        expect(textOf(reply)).toContain(expected);
        if (input.includes('<')) expect(textOf(reply)).toContain('<script>alert(1)</script>');
        expect(await w.repos.faceitAccounts.get(user.id)).toEqual(original);
      });

      it('a player who has no CS2 profile', async () => {
        const user = w.user(lang);
        const reply = await w.send(user, `/link ${noCs2.nickname}`);
        expect(textOf(reply)).toContain(say.noCs2);
        expect(await w.repos.faceitAccounts.get(user.id)).toBeNull();
      });

      it('200 characters of garbage sent as the nickname after /start', async () => {
        const user = w.user(lang);
        await w.start(user);
        expect(textOf(await w.send(user, garbage))).toContain(say.tooLong);
        expect(await w.repos.faceitAccounts.get(user.id)).toBeNull();
        expect((await w.repos.users.get(user.id))?.awaiting_nickname).toBe(true);
      });
    },
  );
});
