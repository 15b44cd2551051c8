import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Redis } from 'ioredis';
import { type FaceitEmulator, startFaceitEmulator } from '../../emulators/faceit';
import { createAnalysisActivities } from '../../src/analysis/activities';
import { analyzeLobby } from '../../src/analysis/model/analyze';
import type { PlayerInput } from '../../src/analysis/model/types';
import { renderReport } from '../../src/analysis/render';
import { createAnalysisRepository } from '../../src/analysis/repository';
import type { FetchPlayerResult } from '../../src/analysis/workflow-types';
import type { DatabasePool } from '../../src/db/pool';
import { type FaceitClientOptions, createFaceitClient } from '../../src/faceit/client';
import { testPool } from '../harness';
import { clientConfig, connectRedis, silentLogger, uniquePrefix, waitFor } from './helpers';

/**
 * Issue 24, item 2: lifetime and per-map stats are served from the cache past their TTL (stale-while-revalidate) and
 * renewed by one bounded background call on the low tier; ELO and recent matches are never served stale; and a
 * stale answer puts the same numbers in front of the model as the fresh one did, with its age in the report.
 */
describe('FACEIT cache: stale-while-revalidate for lifetime stats (real Redis, emulator)', () => {
  const HOUR = 3_600_000;
  const TTL_LIFETIME_MS = 6 * HOUR; // CACHE_TTL_LIFETIME_STATS_S default
  let emulator: FaceitEmulator;
  let redis: Redis;
  let clock = Date.now();
  const clients: Array<{ close(): Promise<void> }> = [];
  const players = () => emulator.control.findPlayers({ minMatches: 30, limit: 100 });

  function client(env: Record<string, string> = {}, overrides: Partial<FaceitClientOptions> = {}) {
    const c = createFaceitClient({
      config: clientConfig(emulator.baseUrl, env),
      redis,
      logger: silentLogger(),
      keyPrefix: uniquePrefix('stale'),
      metricsRegistry: null,
      now: () => clock,
      ...overrides,
    });
    clients.push(c);
    return c;
  }

  /** A match of `playerId` finishes on FACEIT: their ELO, recent matches and lifetime stats change. */
  async function playMatch(playerId: string): Promise<void> {
    const lobby = await emulator.control.createLobby({ players: [playerId] });
    await emulator.control.finishMatch(lobby.matchId);
  }

  beforeAll(async () => {
    emulator = await startFaceitEmulator({ seed: 'stale-cache-test', latencyMs: 10 });
    redis = connectRedis();
  });
  beforeEach(() => {
    clock = Date.now();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    emulator.control.setLatency(10);
    emulator.control.resetCounters({ rateWindows: true });
  });
  afterAll(async () => {
    redis.disconnect();
    await emulator.stop();
  });

  it('serves a stale entry at once, refreshes it once in the background, then serves the renewed one', async () => {
    const faceit = client();
    const id = players()[0].playerId;
    const fetchedAt: number[] = [];
    const before = await faceit.getPlayerStats(id, { onFetchedAt: (t) => fetchedAt.push(t) });
    const firstFetch = clock;
    await playMatch(id); // FACEIT's lifetime figures move by one match
    clock += TTL_LIFETIME_MS + HOUR; // 7 h later: past the TTL, inside the 72 h stale window

    // FACEIT answers slowly now: the user's call must not wait for the refresh.
    emulator.control.setLatency(1_500);
    const served = await Promise.all(
      Array.from({ length: 5 }, () => faceit.getPlayerStats(id, { onFetchedAt: (t) => fetchedAt.push(t) })),
    );
    expect(faceit.stats().endpoints.playerStats.refreshes).toBe(0); // answered before the refresh came back
    for (const s of served) expect(s.lifetime.matches).toBe(before.lifetime.matches);
    expect(fetchedAt.slice(1)).toEqual(Array(5).fill(firstFetch)); // the age of what was served

    await waitFor(() => faceit.stats().endpoints.playerStats.refreshes === 1, 10_000, 'the refresh');
    expect(emulator.control.counts().byEndpoint.playerStats).toBe(2); // the first fetch + one refresh
    emulator.control.setLatency(10);
    const after = await faceit.getPlayerStats(id, { onFetchedAt: (t) => fetchedAt.push(t) });
    expect(after.lifetime.matches).toBe((before.lifetime.matches ?? 0) + 1);
    expect(fetchedAt.at(-1)).toBe(clock);
    expect(emulator.control.counts().byEndpoint.playerStats).toBe(2);
    expect(faceit.stats().endpoints.playerStats).toMatchObject({
      misses: 1,
      staleHits: 1,
      coalesced: 4,
      hits: 1,
      refreshes: 1,
      refreshesDropped: 0,
    });
  });

  it('past the stale window the entry is fetched again on the caller’s behalf; 0 turns the window off', async () => {
    const id = players()[1].playerId;
    const faceit = client();
    await faceit.getPlayerStats(id);
    clock += TTL_LIFETIME_MS + 73 * HOUR;
    await faceit.getPlayerStats(id);
    expect(faceit.stats().endpoints.playerStats).toMatchObject({ misses: 2, staleHits: 0, refreshes: 0 });

    const off = client({ CACHE_STALE_LIFETIME_STATS_S: '0' });
    await off.getPlayerStats(id);
    clock += TTL_LIFETIME_MS + HOUR;
    await off.getPlayerStats(id);
    expect(off.stats().endpoints.playerStats).toMatchObject({ misses: 2, staleHits: 0 });
  });

  it('a caller that reads the answer as current (allowStale: false, /profile) gets it fetched past the TTL', async () => {
    const faceit = client();
    const id = players()[7].playerId;
    const before = await faceit.getPlayerStats(id);
    await playMatch(id);
    clock += TTL_LIFETIME_MS + HOUR;
    const current = await faceit.getPlayerStats(id, { allowStale: false });
    expect(current.lifetime.matches).toBe((before.lifetime.matches ?? 0) + 1);
    expect(faceit.stats().endpoints.playerStats).toMatchObject({ misses: 2, staleHits: 0, refreshes: 0 });
    // ...and what it fetched is fresh for everybody else.
    await faceit.getPlayerStats(id);
    expect(faceit.stats().endpoints.playerStats).toMatchObject({ hits: 1, staleHits: 0 });
  });

  it('bounds the background refreshes: beyond CACHE_REFRESH_MAX_IN_FLIGHT they are dropped and counted', async () => {
    const faceit = client({ CACHE_REFRESH_MAX_IN_FLIGHT: '2' });
    const ids = players()
      .slice(2, 7)
      .map((p) => p.playerId);
    await Promise.all(ids.map((id) => faceit.getPlayerStats(id)));
    clock += TTL_LIFETIME_MS + HOUR;
    emulator.control.setLatency(1_000);
    await Promise.all(ids.map((id) => faceit.getPlayerStats(id)));
    expect(faceit.stats().endpoints.playerStats).toMatchObject({ staleHits: 5, refreshesDropped: 3 });
    await waitFor(() => faceit.stats().endpoints.playerStats.refreshes === 2, 10_000, 'two refreshes');
    // Five first fetches and two refreshes (plus any retry of a request that timed out on a loaded machine).
    const { retries } = faceit.stats().endpoints.playerStats;
    expect(emulator.control.counts().byEndpoint.playerStats).toBe(5 + 2 + retries);
  });

  it('never serves ELO or recent matches stale: past their TTL they are fetched before they are used', async () => {
    const faceit = client();
    const id = players()[8].playerId;
    const elo = async () => (await faceit.getPlayer(id)).games?.cs2?.faceit_elo;
    const recent = async () => (await faceit.getPlayerMatchStats(id, { limit: 20 })).items[0]?.matchId;
    const eloBefore = await elo();
    const recentBefore = await recent();
    await playMatch(id);
    clock += 5 * 60_000 + 1_000; // just past CACHE_TTL_PLAYER_S / CACHE_TTL_HISTORY_S, far inside any stale window
    const eloAfter = await elo();
    const recentAfter = await recent();
    expect(eloAfter).not.toBe(eloBefore);
    expect(recentAfter).not.toBe(recentBefore);
    const { endpoints } = faceit.stats();
    for (const e of [endpoints.player, endpoints.playerMatchStats]) {
      expect(e).toMatchObject({ misses: 2, staleHits: 0, refreshes: 0 });
    }
  });

  describe('the analysis activity', () => {
    let pool: DatabasePool;
    beforeAll(async () => {
      pool = await testPool();
    });
    afterAll(async () => {
      await pool.end();
    });

    it('puts the same numbers in front of the model from a stale entry as from the fresh one, and says how old', async () => {
      // The analysis activities count cache hits under the client's default key prefix.
      const faceit = client({}, { keyPrefix: 'faceit:' });
      const id = players()[9].playerId;
      const stale = await redis.keys(`faceit:cache:*${id}*`);
      if (stale.length) await redis.del(...stale);
      const acts = createAnalysisActivities({
        config: { TELEGRAM_SEND_TIMEOUT_MS: 5_000, TELEGRAM_CLAIM_LEASE_MS: 60_000 },
        faceit,
        redis,
        pool,
        logger: silentLogger(),
        watchOutcome: async () => undefined,
      });
      const repo = createAnalysisRepository(pool);
      /** One fetch in its own workflow run; the player's data as the compute activity reads it back. */
      const fetch = async (): Promise<FetchPlayerResult & { input: PlayerInput }> => {
        const runId = randomUUID();
        const result: FetchPlayerResult = await new MockActivityEnvironment({
          workflowExecution: { workflowId: 'analysis-1-stale-cache-test', runId },
        }).run(acts.analysisFetchPlayer, {
          matchId: '1-stale-cache-test',
          playerId: id,
          priority: 'default' as const,
          matches: 20,
          lifetime: 'always' as const,
        });
        const input = (await repo.loadPlayerInputs(runId))[id];
        expect(input).toBeDefined();
        return { ...result, input };
      };

      const fresh = await fetch();
      const freshAt = clock;
      expect(fresh).toMatchObject({ calls: 3, hits: 0 });
      clock += TTL_LIFETIME_MS + HOUR; // lifetime stale; ELO and recent matches expired...
      // ...and gone from Redis, as their Redis TTL (real time, not this test's clock) would have removed them.
      const expired = [
        ...(await redis.keys(`faceit:cache:player:*${id}`)),
        ...(await redis.keys(`faceit:cache:playerMatchStats:*${id}*`)),
      ];
      expect(expired).toHaveLength(2);
      await redis.del(...expired);
      const fromStale = await fetch();
      expect(fromStale).toMatchObject({ calls: 2, hits: 1 }); // the lifetime call cost the user nothing
      expect(fromStale.input).toEqual(fresh.input);
      expect(fromStale.input.lifetimeFetchedAt).toBe(freshAt);
      expect(fresh.input.lifetime?.maps?.length).toBeGreaterThan(0);

      // The same lobby analysed at the same moment from either input is the same analysis; analysed when each was
      // fetched, only the age line tells them apart.
      const lobbyOf = (p: PlayerInput, asOf: number) => {
        const roster = (faction: string) => ({
          name: `team_${faction}`,
          roster: [{ playerId: faction === 'a' ? id : 'nobody', nickname: faction, skillLevel: 5 }],
        });
        return analyzeLobby({
          match: {
            matchId: '1-stale-cache-test',
            status: 'READY',
            pickedMap: null,
            factions: { faction1: roster('a'), faction2: roster('b') },
          },
          players: { [id]: p },
          asOf,
        });
      };
      expect(lobbyOf(fromStale.input, clock)).toEqual(lobbyOf(fresh.input, clock));
      const a = lobbyOf(fresh.input, freshAt);
      const b = lobbyOf(fromStale.input, clock);
      expect(b.predictionTerms).toEqual(a.predictionTerms);
      expect(b.maps).toEqual(a.maps);
      expect(a.mapRecordsAgeMs).toBe(0);
      expect(b.mapRecordsAgeMs).toBe(TTL_LIFETIME_MS + HOUR);
      const text = (locale: 'ru' | 'en', x: typeof a) => renderReport(x, { locale }).join('\n');
      expect(text('en', b)).toContain('per-map records updated 7 h ago');
      expect(text('ru', b)).toContain('статистика по картам обновлена 7 ч назад');
      expect(text('en', a)).not.toContain('per-map records updated');
      clock += 48 * HOUR;
      expect(text('en', lobbyOf(fromStale.input, clock))).toContain('per-map records updated 2 d ago');
    });
  });
});
