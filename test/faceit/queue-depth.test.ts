import { startFaceitEmulator, type FaceitEmulator } from '../../emulators/faceit';
import { createFaceitClient, faceitQueueDepth } from '../../src/faceit';
import { clientConfig, connectRedis, silentLogger, uniquePrefix } from './helpers';

/** The shared FACEIT budget's queues as a waiting user's progress message reads them (real Redis). */
describe('FACEIT queue depth', () => {
  let emulator: FaceitEmulator;
  beforeAll(async () => {
    emulator = await startFaceitEmulator({ seed: 'queue-depth', latencyMs: 5 });
  });
  afterAll(() => emulator?.stop());

  it('counts the callers waiting per tier while the budget is saturated, and none once it drains', async () => {
    const redis = connectRedis();
    const prefix = uniquePrefix('queue');
    const client = createFaceitClient({
      config: clientConfig(emulator.baseUrl, { FACEIT_RATE_LIMIT_PER_SECOND: '1' }),
      redis,
      logger: silentLogger(),
      keyPrefix: prefix,
      metricsRegistry: null,
    });
    try {
      const ids = emulator.control.findPlayers({ hasCs2: true, limit: 8 }).map((p) => p.playerId);
      expect(await faceitQueueDepth(redis, prefix)).toEqual({ critical: 0, high: 0, default: 0, low: 0 });
      // One request a second: PRO (high) and FREE (default) callers pile up behind the first.
      const calls = ids.map((id, i) =>
        client.getPlayer(id, { priority: i < 4 ? 'high' : 'default', cache: false, maxWaitMs: 30_000 }),
      );
      let seen = await faceitQueueDepth(redis, prefix);
      for (let i = 0; i < 40 && !(seen && seen.high >= 2 && seen.default >= 3); i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await faceitQueueDepth(redis, prefix);
      }
      expect(seen?.high).toBeGreaterThanOrEqual(2);
      expect(seen?.default).toBeGreaterThanOrEqual(3);
      await Promise.all(calls);
      expect(await faceitQueueDepth(redis, prefix)).toEqual({ critical: 0, high: 0, default: 0, low: 0 });
    } finally {
      await client.close();
      redis.disconnect();
    }
  });
});
