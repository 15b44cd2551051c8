import path from 'node:path';
import { testLogger } from '../harness';
import {
  forkActivityWorker,
  startLocalWorkers,
  type ForkedWorker,
  type LocalWorkers,
} from '../harness/crash-worker';
import {
  botTexts,
  cursorOf,
  makeDue,
  type MonitoringEnv,
  newUserId,
  notificationRows,
  pickPlayers,
  playMatch,
  runCycle,
  startMonitoringEnv,
  track,
} from './helpers';

/**
 * Exactly one notification per (chat, match) across a real crash: the worker running the check is a separate
 * process that SIGKILLs itself between sending the notification and saving the chat's cursor. Workflows run in
 * this process (a worker without activities), so only the activity worker dies; the batch's heartbeat times out
 * and Temporal retries it on the worker started afterwards.
 */
describe('a worker killed between sending and saving the cursor', () => {
  let env: MonitoringEnv;
  let workers: LocalWorkers;
  const HEARTBEAT_MS = 2_000;
  const LEASE_MS = 4_000;

  function forkCrashingWorker(crashAt: string): ForkedWorker {
    return forkActivityWorker(path.join(__dirname, 'fixtures', 'activity-worker.ts'), {
      NODE_ENV: 'test',
      DATABASE_URL: env.databaseUrl,
      TASK_QUEUE_LOW: env.config.TASK_QUEUE_LOW,
      BOT_TOKEN: env.config.BOT_TOKEN,
      TELEGRAM_API_ROOT: env.config.TELEGRAM_API_ROOT,
      FACEIT_API_BASE_URL: env.config.FACEIT_API_BASE_URL,
      FACEIT_API_KEY: env.config.FACEIT_API_KEY,
      FACEIT_KEY_PREFIX: env.faceitPrefix,
      MONITORING_REDIS_PREFIX: env.redisPrefix,
      CRASH_AT: crashAt,
      TELEGRAM_CLAIM_LEASE_MS: String(LEASE_MS),
    });
  }

  beforeAll(async () => {
    env = await startMonitoringEnv({ env: { TELEGRAM_CLAIM_LEASE_MS: String(LEASE_MS) } });
    workers = await startLocalWorkers(env.config, 'low', testLogger);
    await workers.start({ workflows: true });
  });
  afterAll(async () => {
    await workers?.close();
    await env?.stop();
  });

  // docs/delivery.md: killed after the claim, before the request, the send is resumed once the claim's
  // lease runs out; killed while the request was in flight (after Telegram accepted it), it is never resent and
  // the row is closed as `uncertain` (counted as a possible loss).
  it.each([
    ['afterMarkSent', 'sent', 1, 'sent'],
    ['afterTelegramSend', 'sending', 1, 'uncertain'],
    ['afterClaim', 'claimed', 0, 'sent'],
  ])(
    'killed %s: after the restart the chat still has exactly one notification',
    async (crashAt, rowStatus, textsAtCrash, finalStatus) => {
      const [p] = pickPlayers(env, 1);
      const chat = newUserId();
      await track(env, chat, p);
      const healthy = await workers.start({ activities: env.activities() });
      await runCycle(env, { heartbeatTimeoutMs: HEARTBEAT_MS }); // first sight
      await workers.stop(healthy);
      const firstCursor = (await cursorOf(env, chat, p.playerId))?.cursor_match_id;

      const match = await playMatch(env, [p.nickname]);
      await makeDue(env, [p.playerId]);
      const { ready, exited: gone } = forkCrashingWorker(crashAt);
      await ready;
      const cycle = await env.client.workflow.start('monitoringCycleWorkflow', {
        taskQueue: env.config.TASK_QUEUE_LOW,
        workflowId: `test-monitoring-crash-${crashAt}-${Date.now()}`,
        args: [{ heartbeatTimeoutMs: HEARTBEAT_MS, overrides: { lanes: 1 } }],
        workflowExecutionTimeout: '2 minutes',
      });
      expect(await gone).toBe('SIGKILL');

      // The crash happened before the cursor moved.
      expect(botTexts(env, chat)).toHaveLength(textsAtCrash);
      expect((await cursorOf(env, chat, p.playerId))?.cursor_match_id).toBe(firstCursor);
      expect((await notificationRows(env, chat)).map((r) => [r.match_id, r.status])).toEqual([
        [match.matchId, rowStatus],
      ]);

      const started = Date.now();
      const healthyAgain = await workers.start({ activities: env.activities() });
      const result = await cycle.result();
      console.log(`${crashAt}: the retried batch finished ${Date.now() - started} ms after the restart`);
      expect(result.failedBatches).toBe(0);
      // A retry that came within the dead attempt's lease backed the player off until it ends; the next check after
      // it resolves the claim.
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
      await makeDue(env, [p.playerId]);
      await runCycle(env, { heartbeatTimeoutMs: HEARTBEAT_MS });
      expect(botTexts(env, chat)).toHaveLength(1);
      expect((await cursorOf(env, chat, p.playerId))?.cursor_match_id).toBe(match.matchId);
      expect((await notificationRows(env, chat)).map((r) => [r.match_id, r.status])).toEqual([
        [match.matchId, finalStatus],
      ]);

      // Later cycles do not send it again either.
      await makeDue(env, [p.playerId]);
      await runCycle(env, { heartbeatTimeoutMs: HEARTBEAT_MS });
      expect(botTexts(env, chat)).toHaveLength(1);
      await workers.stop(healthyAgain);
    },
  );
});
