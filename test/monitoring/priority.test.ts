import { createFaceitClient, type FaceitClient } from '../../src/faceit';
import { testLogger } from '../harness';
import {
  botTexts,
  makeDue,
  type MonitoringEnv,
  newUserId,
  pickPlayers,
  playMatch,
  runCycle,
  startMonitoringEnv,
  track,
} from './helpers';

/**
 * Monitoring shares the FACEIT budget (10 requests/s, through Redis) with user requests and asks at low priority:
 * while user analyses hold the budget, its calls wait, and the users' latency stays what the limit allows.
 */
describe('monitoring under a saturated FACEIT budget', () => {
  let env: MonitoringEnv;
  let users: FaceitClient;

  beforeAll(async () => {
    env = await startMonitoringEnv({ latencyMs: 50 });
    await env.startWorkers();
    // A second process's client would look the same: same Redis keys, so one budget.
    users = createFaceitClient({
      config: env.config,
      redis: env.redis,
      logger: testLogger,
      keyPrefix: env.faceitPrefix,
      metricsRegistry: null,
    });
  });
  afterAll(async () => {
    await users?.close();
    await env?.stop();
  });

  /** Six cold lobby analyses' worth of high-priority calls at once (60 calls: 6 s of the whole budget). */
  async function userBurst(playerIds: string[]): Promise<{ totalMs: number; latencies: number[] }> {
    const started = Date.now();
    const latencies = await Promise.all(
      playerIds.map(async (id) => {
        await users.getPlayerMatchStats(id, { limit: 30 }, { priority: 'high', cache: false });
        return Date.now() - started;
      }),
    );
    return { totalMs: Date.now() - started, latencies };
  }

  it('serves low-priority monitoring calls after the high-priority ones, without slowing the users down', async () => {
    const tracked = pickPlayers(env, 10);
    const chat = newUserId();
    for (const p of tracked) await track(env, chat, p);
    await runCycle(env); // first sight for all of them
    const userPlayers = pickPlayers(env, 120).map((p) => p.playerId);

    env.emulator.control.resetCounters({ rateWindows: true });
    const alone = await userBurst(userPlayers.slice(0, 60));

    const played = await playMatch(env, [tracked[0].nickname]);
    await makeDue(
      env,
      tracked.map((p) => p.playerId),
    );
    await new Promise((r) => setTimeout(r, 1_100)); // a fresh rate window
    env.emulator.control.resetCounters({ rateWindows: true });
    const burst = userBurst(userPlayers.slice(60, 120));
    await new Promise((r) => setTimeout(r, 300)); // the users' calls are queued in Redis
    const cycleStarted = Date.now();
    const cycle = runCycle(env);
    const loaded = await burst;
    const result = await cycle;
    const cycleMs = Date.now() - cycleStarted;

    const log = env.emulator.control.requestLog({ limit: 1_000 });
    const playerOf = (path: string) => path.split('/')[4]?.split('?')[0] ?? '';
    const trackedIds = new Set(tracked.map((p) => p.playerId));
    const burstIds = new Set(userPlayers.slice(60, 120));
    const userRequests = log.filter((e) => burstIds.has(playerOf(e.path)));
    const monitoringRequests = log.filter((e) => trackedIds.has(playerOf(e.path)));
    const lastUser = Math.max(...userRequests.map((e) => e.at));
    const firstMonitoring = Math.min(...monitoringRequests.map((e) => e.at));
    // Work-conserving: in the users' last window, slots they no longer need may go to monitoring — never earlier.
    const window = 1_000 + 100;
    console.log(
      `users alone: ${alone.totalMs} ms; users with monitoring running: ${loaded.totalMs} ms; ` +
        `monitoring: ${monitoringRequests.length} calls, the first ${firstMonitoring - lastUser} ms after the ` +
        `users' last call; cycle ${cycleMs} ms`,
    );

    expect(userRequests).toHaveLength(60);
    expect(monitoringRequests.length).toBeGreaterThanOrEqual(10);
    expect(firstMonitoring).toBeGreaterThanOrEqual(lastUser - window);
    expect(loaded.totalMs).toBeLessThanOrEqual(alone.totalMs * 1.15 + 300);
    expect(env.emulator.control.counts().rateLimited).toBe(0);
    // Monitoring waited, then did its work.
    expect(result.checked).toBeGreaterThanOrEqual(10);
    expect(botTexts(env, chat).some((t) => t.includes(played.matchId))).toBe(true);
  });
});
