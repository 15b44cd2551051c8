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
