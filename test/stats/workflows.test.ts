import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Client } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import type { Config } from '../../src/config';
import type { DatabasePool } from '../../src/db/pool';
import { createRepositories, type Repositories } from '../../src/db/repositories';
import { startFaceitEmulator, type FaceitEmulator, type PlayerSummary } from '../../emulators/faceit';
import { createFaceitClient, type FaceitClient } from '../../src/faceit';
import { statsWorkflowOptions } from '../../src/stats/client';
import {
  compareWorkflow,
  findPlayerWorkflow,
  formWorkflow,
  lastMatchWorkflow,
  matchesWorkflow,
  profileWorkflow,
} from '../../src/stats/workflows';
import type { RunningWorkers } from '../../src/temporal/worker';
import {
  startTestWorkers,
  testConfig,
  testLogger,
  testPool,
  testTemporalClient,
  uniqueTelegramId,
} from '../harness';

/** The stats workflows on real Temporal workers against the FACEIT emulator, without the bot. */
describe('stats workflows', () => {
  let faceit: FaceitEmulator;
  let config: Config;
  let pool: DatabasePool;
  let repos: Repositories;
  let redis: Redis;
  let faceitClient: FaceitClient;
  let workers: RunningWorkers;
  let client: Client;
  let players: PlayerSummary[];

  beforeAll(async () => {
    faceit = await startFaceitEmulator({ seed: randomUUID(), latencyMs: 0 });
    config = testConfig({
      FACEIT_API_BASE_URL: faceit.baseUrl,
      FACEIT_API_KEY: faceit.apiKey,
      FACEIT_REQUEST_TIMEOUT_MS: '2000',
    });
    pool = await testPool();
    repos = createRepositories(pool);
    redis = new Redis(process.env.REDIS_URL ?? '');
    faceitClient = createFaceitClient({
      config,
      redis,
      logger: testLogger,
      keyPrefix: `test:stats:${randomUUID().slice(0, 8)}:`,
      metricsRegistry: null,
      retry: { maxAttempts: 1 },
    });
    workers = await startTestWorkers(
      config,
      createActivities({ config, logger: testLogger, pool, redis, faceit: faceitClient }),
      ['high', 'default'],
    );
    client = await testTemporalClient(config);
    players = faceit.control.findPlayers({ minMatches: 120, hasCs2: true, limit: 4 });
  });
  afterEach(() => faceit.control.clearFaults());
  afterAll(async () => {
    await workers.shutdown();
    await client.connection.close();
    await faceitClient.close();
    redis.disconnect();
    await pool.end();
    await faceit.stop();
  });

  const options = (kind: string, tier: 'free' | 'pro' = 'free') =>
    statsWorkflowOptions(config, { telegramId: uniqueTelegramId(), tier }, kind);

  it('findPlayer: by nickname, Steam64 id and player id; unknown and CS2-less players are answers, not failures', async () => {
    const p = players[0];
    const byNick = await client.workflow.execute(findPlayerWorkflow, {
      ...options('link'),
      args: [{ kind: 'nickname', nickname: p.nickname }],
    });
    expect(byNick).toEqual({
      ok: true,
      value: expect.objectContaining({
        playerId: p.playerId,
        nickname: p.nickname,
        elo: p.elo,
        level: p.level,
        steamId64: p.steamId64,
      }),
    });
    const bySteam = await client.workflow.execute(findPlayerWorkflow, {
      ...options('link'),
      args: [{ kind: 'steam', steamId64: p.steamId64 }],
    });
    expect(bySteam.ok && bySteam.value.playerId).toBe(p.playerId);
    const missing = await client.workflow.execute(findPlayerWorkflow, {
      ...options('link'),
      args: [{ kind: 'nickname', nickname: 'nobody_zz_404' }],
    });
    expect(missing).toEqual({ ok: false, reason: 'not-found' });
    const [noCs2] = faceit.control.findPlayers({ hasCs2: false, limit: 1 });
    const none = await client.workflow.execute(findPlayerWorkflow, {
      ...options('link'),
      args: [{ kind: 'id', playerId: noCs2.playerId }],
    });
    expect(none).toEqual({ ok: false, reason: 'no-cs2' });
    expect((await repos.eloSnapshots.history(p.playerId))[0]).toMatchObject({ elo: p.elo, source: 'link' });
  });

  it('profile: lifetime figures and 5v5 map records; matches, last and form: newest first from one call each', async () => {
    const p = players[1];
    const profile = await client.workflow.execute(profileWorkflow, {
      ...options('profile'),
      args: [{ kind: 'id', playerId: p.playerId }],
    });
    if (!profile.ok) throw new Error('expected the profile');
    expect(profile.value.lifetime?.matches).toBe(p.matches);
    expect(profile.value.lifetime?.recentResults.length).toBe(5);
    expect(profile.value.maps?.length).toBeGreaterThan(3);

    const matches = await client.workflow.execute(matchesWorkflow, {
      ...options('matches'),
      args: [{ playerId: p.playerId, limit: 20 }],
    });
    expect(matches).toHaveLength(20);
    const times = matches.map((m) => m.finishedAt ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(matches[0]).toMatchObject({
      matchId: expect.stringMatching(/^1-/),
      win: expect.any(Boolean),
      kills: expect.any(Number),
    });
    expect(matches.every((m) => m.ownScore !== null && m.opponentScore !== null)).toBe(true);
    expect(
      matches.every((m) => (m.win ? m.ownScore! > m.opponentScore! : m.ownScore! < m.opponentScore!)),
    ).toBe(true);

    const last = await client.workflow.execute(lastMatchWorkflow, {
      ...options('last'),
      args: [{ playerId: p.playerId }],
    });
    expect(last?.line.matchId).toBe(matches[0].matchId);
    expect(last?.scoreboard?.teams.flatMap((t) => t.players)).toHaveLength(10);

    const form = await client.workflow.execute(formWorkflow, {
      ...options('form'),
      args: [{ playerId: p.playerId, limit: 100 }],
    });
    expect(form.matches).toHaveLength(100);
    expect(form.lifetime?.role.sniperKillRate).toEqual(expect.any(Number));
  });

  it('compare: both players resolved in parallel; a missing one is named by its side', async () => {
    const [a, b] = players;
    const sides = await client.workflow.execute(compareWorkflow, {
      ...options('compare'),
      args: [
        [
          { kind: 'nickname', nickname: a.nickname },
          { kind: 'nickname', nickname: 'ghost_zz_1' },
        ],
      ],
    });
    expect(sides.map((s) => s.ok)).toEqual([true, false]);
    const both = await client.workflow.execute(compareWorkflow, {
      ...options('compare'),
      args: [
        [
          { kind: 'id', playerId: a.playerId },
          { kind: 'id', playerId: b.playerId },
        ],
      ],
    });
    expect(both.map((s) => s.ok && s.value.recent.length)).toEqual([20, 20]);
  });

  it('runs on the tier’s queue (PRO → high) and rides out FACEIT 5xx with retries', async () => {
    const p = players[2];
    faceit.control.setFaults({ serverErrorRate: 1, endpoints: ['playerMatchStats'] });
    setTimeout(() => faceit.control.clearFaults(), 1200);
    const opts = options('matches', 'pro');
    const handle = await client.workflow.start(matchesWorkflow, {
      ...opts,
      args: [{ playerId: p.playerId, limit: 5 }],
    });
    expect(await handle.result()).toHaveLength(5);
    const description = await handle.describe();
    expect(description.taskQueue).toBe(config.TASK_QUEUE_HIGH);
    const history = await handle.fetchHistory();
    const failed = history.events?.filter(
      (e) => e.activityTaskFailedEventAttributes || e.activityTaskStartedEventAttributes,
    );
    expect((failed ?? []).some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1)).toBe(true);
  });
});
