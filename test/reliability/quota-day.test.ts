import { quotaDay } from '../../src/billing/quota';
import { usageDay } from '../../src/db/repositories/usage';
import { startBotWorld, type BotWorld } from '../bot/harness';

/**
 * The daily quota counts in the service's day (DEFAULT_TIMEZONE), whatever time zone the user picked: hopping from
 * UTC+14 to UTC−12 must not open a second "today" with a fresh quota.
 */
describe('the quota day does not follow the user’s time zone', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w?.stop());

  it('a request from a user at UTC−11 is charged to the service’s day', async () => {
    const user = w.user('en');
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { timezone: 'Pacific/Pago_Pago' });
    const [player] = w.faceit.control.findPlayers({ hasCs2: true, minMatches: 20, limit: 1 });
    const match = await w.faceit.control.createLobby({ players: [player.playerId] });
    await w.send(user, `/analyze ${match.roomUrl}`);
    const serviceDay = quotaDay(w.config);
    expect(await w.repos.usage.used(user.id, serviceDay)).toBe(1);
    const theirDay = usageDay('Pacific/Pago_Pago');
    if (theirDay !== serviceDay) expect(await w.repos.usage.used(user.id, theirDay)).toBe(0);
  });
});
