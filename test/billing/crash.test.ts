/**
 * A worker killed between the payment and the credit still credits exactly once. The bot (in this process) hands
 * the successful_payment to the payment workflow; the workflow runs here too, on a worker without activities; the
 * activity runs in a forked worker process that SIGKILLs itself inside the credit (before or after COMMIT). Temporal
 * retries the activity on a healthy worker started afterwards.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createBillingActivities } from '../../src/billing/activities';
import { createTelegramApi } from '../../src/telegram/api';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { startBotWorld, type BotWorld } from '../bot/harness';
import { testLogger } from '../harness';
import {
  botTexts,
  CONFIRMED,
  DAY_MS,
  eventsOf,
  paymentsOf,
  requestInvoice,
  settle,
  subscriptionOf,
} from './helpers';

describe('billing: a worker killed between payment and credit', () => {
  let w: BotWorld;
  let connection: NativeConnection;
  const workers: Worker[] = [];
  const runs: Array<Promise<void>> = [];

  async function startWorker(options: { workflows?: boolean; activities?: boolean }): Promise<Worker> {
    const worker = await Worker.create({
      connection,
      namespace: w.config.TEMPORAL_NAMESPACE,
      taskQueue: w.config.TASK_QUEUE_CRITICAL,
      ...(options.workflows ? { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } } : {}),
      ...(options.activities
        ? {
            activities: createBillingActivities({
              config: w.config,
              logger: testLogger,
              pool: w.pool,
              telegram: createTelegramApi(w.config),
            }),
          }
        : {}),
    });
    workers.push(worker);
    runs.push(worker.run());
    return worker;
  }

  function forkCrashingWorker(crashAt: string): ChildProcess {
    return fork(path.join(__dirname, 'fixtures', 'activity-worker.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        TASK_QUEUE_CRITICAL: w.config.TASK_QUEUE_CRITICAL,
        BOT_TOKEN: w.config.BOT_TOKEN,
        TELEGRAM_API_ROOT: w.config.TELEGRAM_API_ROOT,
        CRASH_AT: crashAt,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  const message = (child: ChildProcess, type: string) =>
    new Promise<void>((resolve, reject) => {
      child.on('message', (m: { type: string }) => m.type === type && resolve());
      child.once('exit', (code, signal) =>
        reject(new Error(`worker exited (${code ?? signal}) before "${type}"`)),
      );
    });
  const exited = (child: ChildProcess) =>
    new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );

  beforeAll(async () => {
    // The world's own workers leave the critical queue (billing's) to this test.
    w = await startBotWorld({ workerTiers: ['high', 'default', 'low'] });
    installTemporalRuntime(testLogger);
    connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    await startWorker({ workflows: true });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.allSettled(runs);
    await connection?.close();
    await w?.stop();
  });

  it.each([
    ['before-commit', 0],
    ['after-commit', 1],
  ])(
    'killed %s: after the restart the payment is credited once, with one confirmation',
    async (crashAt, rowsAtCrash) => {
      const user = w.user('en');
      const child = forkCrashingWorker(crashAt);
      const gone = exited(child);
      await message(child, 'ready');

      const invoice = await requestInvoice(w, user, 'premium', 'month');
      const paid = await w.tg.payInvoice({ from: user, chatId: user.id, messageId: invoice.messageId });
      expect(paid.answer.ok).toBe(true);
      const paidAt = Date.now();
      expect(await gone).toBe('SIGKILL');

      // The crash: nothing committed (before) or everything committed but never reported (after); no message yet.
      expect(await paymentsOf(w, user.id)).toHaveLength(rowsAtCrash);
      expect(botTexts(w, user.id, CONFIRMED)).toEqual([]);

      const restarted = Date.now();
      const healthy = await startWorker({ activities: true });
      await w.tg.waitForBotMessage(user.id, CONFIRMED, 60_000);
      console.log(`${crashAt}: credited and confirmed ${Date.now() - restarted} ms after the restart`);
      await settle(2_000);
      expect(await paymentsOf(w, user.id)).toEqual([
        { telegram_payment_charge_id: paid.chargeId, tier: 'premium', amount: 199, refunded_at: null },
      ]);
      expect(await eventsOf(w, user.id)).toEqual(['payment']);
      const sub = await subscriptionOf(w, user.id);
      expect(sub?.tier).toBe('premium');
      // 30 days from the first (crashed) or the retried credit, never 60.
      expect(sub!.expires_at!.getTime()).toBeGreaterThanOrEqual(paidAt + 30 * DAY_MS - 5_000);
      expect(sub!.expires_at!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
      expect(botTexts(w, user.id, CONFIRMED)).toHaveLength(1);
      healthy.shutdown();
      await runs[workers.indexOf(healthy)];
    },
  );
});
