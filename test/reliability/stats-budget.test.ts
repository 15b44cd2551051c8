import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

/**
 * Issue 14, point 8: one user cannot spend the shared FACEIT budget with /profile, /compare and /form. With a budget
 * of 6 units an hour, /compare (4) and /profile (2) go through, the next /profile is refused with a friendly
 * message, and another user is not affected.
 */
describe('the per-user FACEIT cost budget of the stats commands', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld({ env: { STATS_USER_BUDGET_PER_HOUR: '6' } });
  });
  afterAll(() => w?.stop());

  it('refuses a user past their budget, in their language, and leaves others alone', async () => {
    const [a, b] = w.faceit.control.findPlayers({ minMatches: 20, hasCs2: true, limit: 2 });
    const user = w.user('en');
    expect(textOf(await w.send(user, `/compare ${a.nickname} ${b.nickname}`))).toContain(a.nickname);
    expect(textOf(await w.send(user, `/profile ${a.nickname}`))).toContain(`👤 ${a.nickname}`);
    const refused = textOf(await w.send(user, `/profile ${a.nickname}`));
    expect(refused).toMatch(/You have used your FACEIT lookups for now\. Please try again in \d+ min\./);
    // Not a FACEIT error, and non-FACEIT commands still answer.
    expect(textOf(await w.send(user, '/help'))).toContain('FACEIT CS2 analysis bot');

    const other = w.user('ru');
    expect(textOf(await w.send(other, `/profile ${b.nickname}`))).toContain(`👤 ${b.nickname}`);
    await w.send(other, `/compare ${a.nickname} ${b.nickname}`);
    expect(textOf(await w.send(other, `/profile ${b.nickname}`))).toContain('Лимит запросов к FACEIT');
  });
});

/**
 * Issue 22, item 8: every command that costs FACEIT calls counts against the same budget — /last (2 units),
 * /matches, /link, /elo <nick> and /track <nick> (1 each) had none. With 6 units, three /last go through; the fourth
 * is refused with the budget's message and no FACEIT call, and so is each of the others.
 */
describe('the per-user FACEIT budget of /last, /matches, /link, /elo <nick> and /track <nick>', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld({ env: { STATS_USER_BUDGET_PER_HOUR: '6' } });
  });
  afterAll(() => w?.stop());

  it('refuses the fourth /last and then every FACEIT-costing command, without a FACEIT call', async () => {
    const [player, other] = w.faceit.control.findPlayers({ minMatches: 20, hasCs2: true, limit: 2 });
    const user = w.user('en');
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { language: 'en' });
    await w.repos.faceitAccounts.link(user.id, { playerId: player.playerId, nickname: player.nickname });
    const budgetMessage = /You have used your FACEIT lookups for now\. Please try again in \d+ min\./;

    for (let i = 0; i < 3; i++) {
      const reply = textOf(await w.send(user, '/last'));
      expect(reply).not.toMatch(budgetMessage);
      expect(reply).toContain(player.nickname);
    }
    const calls = w.faceit.control.counts().total;
    expect(textOf(await w.send(user, '/last'))).toMatch(budgetMessage);
    for (const command of [
      '/matches',
      `/link ${other.nickname}`,
      `/elo ${other.nickname}`,
      `/track ${other.nickname}`,
    ]) {
      expect(textOf(await w.send(user, command))).toMatch(budgetMessage);
    }
    expect(w.faceit.control.counts().total).toBe(calls);
    // Nothing changed: still linked to the same account, nothing tracked.
    expect((await w.repos.faceitAccounts.get(user.id))?.faceit_player_id).toBe(player.playerId);

    // Another user is not affected.
    const fresh = w.user('en');
    await w.repos.users.touch({ telegramId: fresh.id, firstName: fresh.first_name });
    await w.repos.users.update(fresh.id, { language: 'en' });
    await w.repos.faceitAccounts.link(fresh.id, { playerId: other.playerId, nickname: other.nickname });
    expect(textOf(await w.send(fresh, '/last'))).not.toMatch(budgetMessage);
  });
});
