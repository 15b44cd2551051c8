import { ApplicationFailure } from '@temporalio/common';
import type { Redis } from 'ioredis';
import { type FaceitEmulator, startFaceitEmulator } from '../../emulators/faceit';
import { type FaceitClientOptions, createFaceitClient } from '../../src/faceit/client';
import {
  FaceitNotFoundError,
  FaceitRateLimitedError,
  FaceitUnauthorizedError,
  FaceitUnavailableError,
  toActivityFailure,
} from '../../src/faceit/errors';
import { capturingLogger, clientConfig, connectRedis, silentLogger, uniquePrefix } from './helpers';

describe('FACEIT client against the emulator (real Redis)', () => {
  let emulator: FaceitEmulator;
  let redis: Redis;
  const clients: Array<{ close(): Promise<void> }> = [];
  const players = () => emulator.control.findPlayers({ minMatches: 30, limit: 200 });

  function client(overrides: Partial<FaceitClientOptions> = {}, env: Record<string, string> = {}) {
    const c = createFaceitClient({
      config: clientConfig(emulator.baseUrl, env),
      redis,
      logger: silentLogger(),
      keyPrefix: uniquePrefix('client'),
      metricsRegistry: null,
      ...overrides,
    });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    emulator = await startFaceitEmulator({ seed: 'client-test', latencyMs: 20 });
    redis = connectRedis();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    emulator.control.clearFaults();
    // Each test's client has its own budget (own key prefix): start every test with a fresh FACEIT window.
    emulator.control.resetCounters({ rateWindows: true });
  });
  afterAll(async () => {
    redis.disconnect();
    await emulator.stop();
  });

  it('coalesces 20 identical concurrent requests into 1 FACEIT call; the cache serves the next one', async () => {
    const faceit = client();
    const id = players()[0].playerId;
    const results = await Promise.all(Array.from({ length: 20 }, () => faceit.getPlayerStats(id)));
    expect(new Set(results.map((r) => r.lifetime.matches)).size).toBe(1);
    expect(emulator.control.counts().byEndpoint.playerStats).toBe(1);
    await faceit.getPlayerStats(id);
    expect(emulator.control.counts().byEndpoint.playerStats).toBe(1);
    const stats = faceit.stats().endpoints.playerStats;
    expect(stats).toMatchObject({ upstreamCalls: 1, misses: 1, coalesced: 19, hits: 1 });
    expect(faceit.stats().limiter).toBe('redis');
  });

  it('coalesces across processes: two clients (own connections, one prefix) make 1 FACEIT call', async () => {
    const keyPrefix = uniquePrefix('cross');
    const a = client({ keyPrefix });
    const b = client({ keyPrefix });
    const id = players()[1].playerId;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).getPlayerMatchStats(id, { limit: 30 })),
    );
    expect(emulator.control.counts().byEndpoint.playerMatchStats).toBe(1);
  });

  it('bypasses the cache on request, and keys requests by their parameters', async () => {
    const faceit = client();
    const id = players()[2].playerId;
    await faceit.getPlayerHistory(id, { limit: 5 });
    await faceit.getPlayerHistory(id, { limit: 5 });
    await faceit.getPlayerHistory(id, { limit: 10 });
    await faceit.getPlayerHistory(id, { limit: 5 }, { cache: false });
    expect(emulator.control.counts().byEndpoint.playerHistory).toBe(3);
  });

  it('with 30% 5xx injected, every call eventually succeeds through retries', async () => {
    const faceit = client({ retry: { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 200 } });
    emulator.control.setFaults({ serverErrorRate: 0.3 });
    const ids = players()
      .slice(10, 40)
      .map((p) => p.playerId);
    const results = await Promise.allSettled(ids.map((id) => faceit.getPlayer(id, { priority: 'high' })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const counts = emulator.control.counts();
    expect((counts.byStatus['500'] ?? 0) + (counts.byStatus['503'] ?? 0)).toBeGreaterThan(0);
    expect(faceit.stats().totals.retries).toBe(counts.total - ids.length);
  });

  it('during a 429 storm, waits follow Retry-After and no 429 reaches the caller', async () => {
    const faceit = client();
    emulator.control.setFaults({ rateLimitStorm: { durationMs: 1_500, retryAfterS: 2 } });
    const started = Date.now();
    const ids = players()
      .slice(40, 45)
      .map((p) => p.playerId);
    const results = await Promise.all(ids.map((id) => faceit.getPlayer(id)));
    const elapsed = Date.now() - started;
    expect(results).toHaveLength(5);
    expect(elapsed).toBeGreaterThanOrEqual(1_950);
    expect(elapsed).toBeLessThan(4_000);
    const limited = emulator.control.counts().rateLimited;
    expect(limited).toBeGreaterThanOrEqual(1);
    // The first 429 paused everybody: the other calls did not hammer the storm.
    expect(limited).toBeLessThanOrEqual(5);
    expect(faceit.stats().totals.rateLimited).toBe(limited);
  });

  it('hands a persisting 429 to the caller as FaceitRateLimitedError with the wait FACEIT asked for', async () => {
    const faceit = client({ retry: { max429Retries: 0 } });
    emulator.control.setFaults({ rateLimitStorm: { durationMs: 5_000, retryAfterS: 3 } });
    const err = await faceit.getPlayer(players()[50].playerId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaceitRateLimitedError);
    expect((err as FaceitRateLimitedError).retryAfterMs).toBe(3_000);
    const failure = toActivityFailure(err) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(3_000);
    expect(failure.type).toBe('FaceitRateLimitedError');
  });

  it('the caller’s AbortSignal aborts the wait for a rate-limit slot', async () => {
    const faceit = client();
    emulator.control.setFaults({ rateLimitStorm: { durationMs: 5_000, retryAfterS: 5 } });
    await faceit.getPlayer(players()[51].playerId, { maxWaitMs: 100 }).catch(() => undefined);
    const started = Date.now();
    const err = await faceit
      .getPlayer(players()[52].playerId, { signal: AbortSignal.timeout(200) })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('the caller’s AbortSignal aborts a request in flight, without cancelling it for other callers', async () => {
    const faceit = client();
    emulator.control.setLatency(400);
    try {
      const id = players()[53].playerId;
      const started = Date.now();
      const impatient = faceit.getPlayer(id, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
      const patient = faceit.getPlayer(id);
      expect(((await impatient) as Error).name).toBe('TimeoutError');
      expect(Date.now() - started).toBeLessThan(300);
      await expect(patient).resolves.toMatchObject({ player_id: id });
      expect(emulator.control.counts().byEndpoint.player).toBe(1);
      const alone = await faceit
        .getPlayer(players()[54].playerId, { signal: AbortSignal.timeout(100) })
        .catch((e: unknown) => e);
      expect((alone as Error).name).toBe('TimeoutError');
    } finally {
      emulator.control.setLatency(20);
    }
  });

  it('times out hanging requests and retries them', async () => {
    const faceit = client(
      { retry: { maxAttempts: 10, baseDelayMs: 10 } },
      { FACEIT_REQUEST_TIMEOUT_MS: '300' },
    );
    emulator.control.setFaults({ hangRate: 0.5 });
    const ids = players()
      .slice(60, 66)
      .map((p) => p.playerId);
    await expect(Promise.all(ids.map((id) => faceit.getPlayer(id)))).resolves.toHaveLength(6);
    expect(emulator.control.requestLog().some((e) => e.fault === 'hang')).toBe(true);
    emulator.control.setFaults({ hangRate: 1 });
    const err = await client(
      { retry: { maxAttempts: 2, baseDelayMs: 10 } },
      { FACEIT_REQUEST_TIMEOUT_MS: '200' },
    )
      .getPlayer(ids[0], { cache: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaceitUnavailableError);
    expect((err as FaceitUnavailableError).reason).toBe('timeout');
    expect((toActivityFailure(err) as ApplicationFailure).nonRetryable).toBe(false);
  });

  it('survives malformed bodies (retried) and the missing-keys mode', async () => {
    const faceit = client({ retry: { maxAttempts: 10, baseDelayMs: 10 } });
    emulator.control.setFaults({ malformedRate: 0.3, endpoints: ['player'] });
    const ids = players()
      .slice(70, 80)
      .map((p) => p.playerId);
    const settled = await Promise.allSettled(ids.map((id) => faceit.getPlayer(id)));
    // Truncated JSON and HTML are retried; a well-formed body of the wrong shape is a BadResponse.
    for (const r of settled)
      if (r.status === 'rejected') expect((r.reason as Error).name).toBe('FaceitBadResponseError');
    expect(settled.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(3);

    emulator.control.setFaults({ missingKeys: true });
    const lobby = await emulator.control.createLobby({ status: 'FINISHED' });
    const id = lobby.teams.faction1.players[0].playerId;
    const sparse = client();
    await sparse.getPlayer(id);
    await sparse.getPlayerStats(id);
    await sparse.getPlayerHistory(id, { limit: 20 });
    await sparse.getPlayerMatchStats(id, { limit: 30 });
    const match = await sparse.getMatch(lobby.matchId);
    expect(match.match_id).toBe(lobby.matchId);
    const stats = await sparse.getMatchStats(lobby.matchId);
    expect(stats.rounds[0].teams.flatMap((t) => t.players)).toHaveLength(10);
    await sparse.searchPlayers({ nickname: lobby.teams.faction1.players[0].nickname });
  });

  it('404 → FaceitNotFoundError (non-retryable), briefly cached', async () => {
    const faceit = client();
    const missing = '00000000-0000-4000-8000-000000000000';
    const err = await faceit.getPlayer(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaceitNotFoundError);
    expect((toActivityFailure(err) as ApplicationFailure).nonRetryable).toBe(true);
    await expect(faceit.getPlayer(missing)).rejects.toBeInstanceOf(FaceitNotFoundError);
    expect(emulator.control.counts().byStatus['404']).toBe(1);
  });

  it('401 → FaceitUnauthorizedError, logged loudly', async () => {
    const { logger, lines } = capturingLogger();
    const faceit = client({ logger }, { FACEIT_API_KEY: 'not-the-key' });
    const err = await faceit.getPlayer(players()[0].playerId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaceitUnauthorizedError);
    expect((toActivityFailure(err) as ApplicationFailure).nonRetryable).toBe(true);
    expect(lines.some((l) => l.level === 50 && String(l.msg).includes('API key'))).toBe(true);
  });

  it('leaves non-FACEIT errors (e.g. cancellation) to Temporal unchanged', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(toActivityFailure(abort)).toBe(abort);
  });
});
