import { Redis } from 'ioredis';
import { type FaceitEmulator, startFaceitEmulator } from '../../emulators/faceit';
import { type FaceitClient, createFaceitClient } from '../../src/faceit/client';
import { RedisServer, capturingLogger, clientConfig, freePort, uniquePrefix, waitFor } from './helpers';

/** Redis dies mid-test: calls keep working uncached with a local limiter, and the cache is used again once it is back. */
describe('FACEIT client when Redis goes away', () => {
  let emulator: FaceitEmulator;
  let server: RedisServer;
  let redis: Redis;
  let faceit: FaceitClient;
  const log = capturingLogger('info');

  beforeAll(async () => {
    emulator = await startFaceitEmulator({ seed: 'outage-test', latencyMs: 10 });
    server = new RedisServer(await freePort());
    await server.start();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 100, 500) });
    redis.on('error', () => {});
    faceit = createFaceitClient({
      config: clientConfig(emulator.baseUrl),
      redis,
      logger: log.logger,
      keyPrefix: uniquePrefix('outage'),
      metricsRegistry: null,
    });
  });
  afterAll(async () => {
    await faceit.close();
    redis.disconnect();
    await server.kill();
    await emulator.stop();
  });

  it('keeps answering uncached while Redis is down and uses the cache again when it returns', async () => {
    const id = emulator.control.findPlayers({ minMatches: 30, limit: 1 })[0].playerId;
    const upstream = () => emulator.control.counts().byEndpoint.player;

    await faceit.getPlayer(id);
    await faceit.getPlayer(id);
    expect(upstream()).toBe(1);
    expect(faceit.stats()).toMatchObject({ redis: true, limiter: 'redis' });

    await server.kill();
    await waitFor(() => !faceit.stats().redis, 5_000, 'the client to notice Redis is gone');
    const started = Date.now();
    await faceit.getPlayer(id);
    await faceit.getPlayer(id);
    expect(Date.now() - started).toBeLessThan(1_000); // no hanging on a dead Redis
    expect(upstream()).toBe(3); // uncached
    expect(faceit.stats().limiter).toBe('local');
    const warnings = log.lines.filter((l) => l.level === 40 && String(l.msg).includes('Redis unavailable'));
    expect(warnings).toHaveLength(1); // once per outage

    await server.start();
    await waitFor(() => faceit.stats().redis, 10_000, 'the client to reconnect');
    await faceit.getPlayer(id); // the new Redis is empty: one more call fills it
    await faceit.getPlayer(id);
    await faceit.getPlayer(id);
    expect(upstream()).toBe(4);
    expect(faceit.stats().limiter).toBe('redis');
    expect(log.lines.some((l) => l.level === 30 && String(l.msg).includes('Redis is back'))).toBe(true);
  });
});
