/**
 * A worker killed between the payment and the credit still credits exactly once. The bot (in this process) hands
 * the successful_payment to the payment workflow; the workflow runs here too, on a worker without activities; the
 * activity runs in a forked worker process that SIGKILLs itself inside the credit (before or after COMMIT). Temporal
 * retries the activity on a healthy worker started afterwards.
 */
import path from 'node:path';
import { createBillingActivities } from '../../src/billing/activities';
import { createTelegramApi } from '../../src/telegram/api';
import { startBotWorld, type BotWorld } from '../bot/harness';
import { testLogger } from '../harness';
import {
  forkActivityWorker,
  startLocalWorkers,
  type ForkedWorker,
  type LocalWorkers,
} from '../harness/crash-worker';
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
  let workers: LocalWorkers;

  const billingActivities = () =>
    createBillingActivities({
      config: w.config,
      logger: testLogger,
      pool: w.pool,
      telegram: createTelegramApi(w.config),
    });

  function forkCrashingWorker(crashAt: string): ForkedWorker {
    return forkActivityWorker(path.join(__dirname, 'fixtures', 'activity-worker.ts'), {
      NODE_ENV: 'test',
      TASK_QUEUE_CRITICAL: w.config.TASK_QUEUE_CRITICAL,
      BOT_TOKEN: w.config.BOT_TOKEN,
      TELEGRAM_API_ROOT: w.config.TELEGRAM_API_ROOT,
      CRASH_AT: crashAt,
    });
  }

  beforeAll(async () => {
    // The world's own workers leave the critical queue (billing's) to this test.
    w = await startBotWorld({ workerTiers: ['high', 'default', 'low'] });
    workers = await startLocalWorkers(w.config, 'critical', testLogger);
    await workers.start({ workflows: true });
  });
  afterAll(async () => {
    await workers?.close();
    await w?.stop();
  });

  it.each([
    ['before-commit', 0],
    ['after-commit', 1],
  ])(
    'killed %s: after the restart the payment is credited once, with one confirmation',
    async (crashAt, rowsAtCrash) => {
      const user = w.user('en');
      const { ready, exited: gone } = forkCrashingWorker(crashAt);
      await ready;

      const invoice = await requestInvoice(w, user, 'premium', 'month');
      const paid = await w.tg.payInvoice({ from: user, chatId: user.id, messageId: invoice.messageId });
      expect(paid.answer.ok).toBe(true);
      const paidAt = Date.now();
      expect(await gone).toBe('SIGKILL');

      // The crash: nothing committed (before) or everything committed but never reported (after); no message yet.
      expect(await paymentsOf(w, user.id)).toHaveLength(rowsAtCrash);
      expect(botTexts(w, user.id, CONFIRMED)).toEqual([]);

      const restarted = Date.now();
      const healthy = await workers.start({ activities: billingActivities() });
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
      await workers.stop(healthy);
    },
  );
});
