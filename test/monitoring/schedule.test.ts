import { randomUUID } from 'node:crypto';
import type { ScheduleHandle } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { ensureMonitoringSchedule } from '../../src/monitoring/schedule';
import type { MonitoringCycleResult } from '../../src/monitoring/workflows';
import {
  botTexts,
  makeDue,
  type MonitoringEnv,
  newUserId,
  pickPlayers,
  playMatch,
  startMonitoringEnv,
  track,
} from './helpers';

/** The Temporal Schedule: idempotent set-up, SKIP, catch-up window, pausable, and a triggered cycle notifies. */
describe('monitoring schedule', () => {
  let env: MonitoringEnv;
  let handle: ScheduleHandle;
  const scheduleId = `test-monitoring-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    env = await startMonitoringEnv();
    await env.startWorkers();
    handle = env.client.schedule.getHandle(scheduleId);
  });
  afterAll(async () => {
    await handle?.delete().catch(() => undefined);
    await env?.stop();
  });

  /** Runs one cycle now, through the schedule, and waits for it. */
  async function trigger(): Promise<MonitoringCycleResult> {
    const before = (await handle.describe()).info.numActionsTaken;
    await handle.trigger();
    for (let i = 0; i < 100; i++) {
      const d = await handle.describe();
      if (d.info.numActionsTaken > before) {
        const { workflowId } = d.info.recentActions[d.info.recentActions.length - 1].action.workflow;
        return env.client.workflow.getHandle(workflowId).result();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the schedule took no action');
  }

  it('is created once, with the interval, SKIP overlap and a catch-up window, on the LOW queue', async () => {
    expect(await ensureMonitoringSchedule(env.client, env.config, { scheduleId })).toMatchObject({
      action: 'created',
    });
    expect(await ensureMonitoringSchedule(env.client, env.config, { scheduleId })).toMatchObject({
      action: 'unchanged',
    });
    const d = await handle.describe();
    expect(d.spec.intervals?.map((i) => Number(i.every))).toEqual([10 * 60_000]);
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.policies.catchupWindow).toBe(10 * 60_000);
    expect(d.action).toMatchObject({
      workflowType: 'monitoringCycleWorkflow',
      taskQueue: env.config.TASK_QUEUE_LOW,
    });
    expect(d.state.paused).toBe(false);
    expect(d.info.nextActionTimes.length).toBeGreaterThan(0);
  });

  it("keeps an operator's pause when the interval changes at the next start", async () => {
    await handle.pause('FACEIT incident');
    const faster = loadConfig({ ...process.env, ...pick(env), MONITORING_INTERVAL_MINUTES: '5' });
    expect(await ensureMonitoringSchedule(env.client, faster, { scheduleId })).toMatchObject({
      action: 'updated',
      paused: true,
    });
    const d = await handle.describe();
    expect(d.spec.intervals?.map((i) => Number(i.every))).toEqual([5 * 60_000]);
    expect(d.state).toMatchObject({ paused: true, note: 'FACEIT incident' });
    await handle.unpause('resolved');
    await ensureMonitoringSchedule(env.client, env.config, { scheduleId });
  });

  it('a triggered cycle sets the cursor first, then announces the next match', async () => {
    const [p] = pickPlayers(env, 1);
    const chat = newUserId();
    await track(env, chat, p);
    const first = await trigger();
    expect(first.checked).toBeGreaterThanOrEqual(1);
    expect(botTexts(env, chat)).toEqual([]);

    const match = await playMatch(env, [p.nickname]);
    await makeDue(env, [p.playerId]);
    const second = await trigger();
    expect(second).toMatchObject({ notified: 1, stoppedBy: 'done' });
    expect(botTexts(env, chat)[0]).toContain(match.matchId);
  });
});

/** The test config's task queues and service URLs, as environment variables. */
function pick(env: MonitoringEnv): Record<string, string> {
  const c = env.config;
  return {
    TASK_QUEUE_CRITICAL: c.TASK_QUEUE_CRITICAL,
    TASK_QUEUE_HIGH: c.TASK_QUEUE_HIGH,
    TASK_QUEUE_DEFAULT: c.TASK_QUEUE_DEFAULT,
    TASK_QUEUE_LOW: c.TASK_QUEUE_LOW,
  };
}
