import { sql } from 'slonik';
import { z } from 'zod';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import { MAX_TRACKED_PER_CHAT } from '../../src/monitoring';
import { createMonitoringRepository } from '../../src/monitoring/repository';
import { freshDatabase } from '../monitoring/helpers';

/** Issue 14, point 8: the players-per-chat cap holds under concurrent /track commands. */
describe('the tracked-players cap cannot be raced', () => {
  let pool: DatabasePool;
  beforeAll(async () => {
    pool = await createDatabasePool(await freshDatabase(), { maximumPoolSize: 10 });
  });
  afterAll(() => pool?.end());

  it('25 concurrent /track inserts for one chat leave exactly the cap tracked', async () => {
    const repo = createMonitoringRepository(pool);
    const chatId = -100500;
    await repo.upsertChat({ chatId, type: 'group', title: 'Race', language: 'en' });
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        repo.track(chatId, { playerId: `race-player-${i}`, nickname: `racer${i}` }, 42, MAX_TRACKED_PER_CHAT),
      ),
    );
    const stored = await pool.oneFirst(
      sql.type(
        z.object({ n: z.number() }),
      )`SELECT count(*)::int AS n FROM tracked_players WHERE chat_id = ${chatId}`,
    );
    expect(stored).toBe(MAX_TRACKED_PER_CHAT);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(MAX_TRACKED_PER_CHAT);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(25 - MAX_TRACKED_PER_CHAT);
    // A player already on the full list is still "already tracked", not refused.
    expect(
      await repo.track(chatId, { playerId: 'race-player-0', nickname: 'racer0' }, 42, MAX_TRACKED_PER_CHAT),
    ).toBe('exists');
  });
});
