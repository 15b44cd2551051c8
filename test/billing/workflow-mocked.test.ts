import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { current, DAY_MS, grant, FREE, type SubscriptionState } from '../../src/billing/model/subscription';
import type { PaidPlan, Plan } from '../../src/billing/plan';
import { reminderLeadMs } from '../../src/billing/settings';
import {
  subscriptionChangedSignal,
  subscriptionWorkflowId,
  type Notice,
  type SubscriptionTimers,
} from '../../src/billing/workflow-types';
import { subscriptionWorkflow } from '../../src/billing/workflows';
import { testConfig } from '../harness';
import { useMockedWorkflows } from '../harness/time-skipping';

/**
 * The per-user subscription workflow's timers with their real lengths (a 30-day plan, the reminder 3 days before its
 * end) on the time-skipping test server: the days pass in a moment. The activities are mocked over the real
 * subscription rules (src/billing/model) and the test server's clock; what is asserted is what the user notices —
 * which messages arrive, when, and the plan they are on. The same timers end to end (PostgreSQL, the Telegram
 * emulator, shortened durations) are in lifecycle.test.ts.
 */

const QUEUE = `billing-mocked-${randomUUID().slice(0, 8)}`;
const LEAD_MS = reminderLeadMs(testConfig());
const MONTH_MS = 30 * DAY_MS;

/** One user's stored subscription and the messages the workflow had sent them. */
interface Account {
  state: SubscriptionState;
  messages: Array<{ kind: Notice['kind']; plan: PaidPlan; at: number; planThen: Plan }>;
}
const accounts = new Map<number, Account>();

/** The test server's time, which the workflow's timers follow (the activity is scheduled when a timer fires). */
const serverNow = () => new Date(Context.current().info.currentAttemptScheduledTimestampMs);

const activities = {
  // As billing's activity: no reminder when a banked plan follows, nor once it is too late for one.
  async billingSubscriptionTimers(input: { telegramId: number }): Promise<SubscriptionTimers> {
    const now = serverNow();
    const stored = current(accounts.get(input.telegramId)!.state, now);
    if (stored.plan === 'free' || !stored.expiresAt)
      return { plan: stored.plan, endsAt: null, remindAt: null };
    const endsAt = stored.expiresAt.getTime();
    const remindAt = stored.credit ? null : endsAt - LEAD_MS;
    return {
      plan: stored.plan,
      endsAt,
      remindAt: remindAt !== null && remindAt > now.getTime() ? remindAt : null,
    };
  },
  async billingExpire(input: { telegramId: number }) {
    const account = accounts.get(input.telegramId)!;
    const before = account.state;
    const after = current(before, serverNow());
    if (after.plan === before.plan && after.expiresAt?.getTime() === before.expiresAt?.getTime()) return null;
    account.state = after;
    if (before.plan === 'free' || !before.expiresAt) return null;
    return { plan: before.plan, endedAt: before.expiresAt.getTime() };
  },
  async billingNotify(notice: Notice): Promise<'sent'> {
    if (notice.kind !== 'reminder' && notice.kind !== 'expired') throw new Error(`unexpected ${notice.kind}`);
    const account = accounts.get(notice.telegramId)!;
    const now = serverNow();
    account.messages.push({
      kind: notice.kind,
      plan: notice.plan,
      at: now.getTime(),
      planThen: current(account.state, now).plan,
    });
    return 'sent';
  },
};

const server = useMockedWorkflows(QUEUE, activities);

let nextUser = 1;
/** A user who is granted `plan` for `ms` now (server time), and their subscription workflow, started. */
async function subscriber(plan: PaidPlan, ms: number) {
  const telegramId = nextUser++;
  const t0 = await server.env.currentTimeMs();
  const account: Account = { state: grant(FREE, plan, ms, new Date(t0)), messages: [] };
  accounts.set(telegramId, account);
  const handle = await server.env.client.workflow.start(subscriptionWorkflow, {
    workflowId: `${subscriptionWorkflowId(telegramId)}-${randomUUID().slice(0, 8)}`,
    taskQueue: QUEUE,
    args: [{ telegramId }],
  });
  /** Another grant now (a renewal, an upgrade), and the workflow told, as the ledger does after every change. */
  const change = async (p: PaidPlan, more: number) => {
    account.state = grant(account.state, p, more, new Date(await server.env.currentTimeMs()));
    await handle.signal(subscriptionChangedSignal);
  };
  return { t0, account, handle, change };
}

/** `at` is `expected`, or at most a minute later (a timer fires, then its activity is scheduled). */
const atAbout = (at: number, expected: number) => {
  expect(at).toBeGreaterThanOrEqual(expected);
  expect(at).toBeLessThan(expected + 60_000);
};

describe('subscription timers with real durations (time-skipping, mocked activities)', () => {
  it('a month of PREMIUM: one reminder 3 days before the end, then one "ended" message when it ends', async () => {
    expect(LEAD_MS).toBe(3 * DAY_MS);
    const { t0, account, handle } = await subscriber('premium', MONTH_MS);
    await handle.result();
    expect(account.messages.map((m) => [m.kind, m.plan])).toEqual([
      ['reminder', 'premium'],
      ['expired', 'premium'],
    ]);
    const [reminder, ended] = account.messages;
    atAbout(reminder.at, t0 + 27 * DAY_MS);
    expect(reminder.planThen).toBe('premium');
    atAbout(ended.at, t0 + 30 * DAY_MS);
    expect(ended.planThen).toBe('free');
    expect(account.state).toEqual(FREE);
  });

  it('renewed on day 10: nothing at the old end, the reminder and the end move 30 days later', async () => {
    const { t0, account, handle, change } = await subscriber('premium', MONTH_MS);
    await server.env.sleep(10 * DAY_MS);
    await change('premium', MONTH_MS);
    await handle.result();
    expect(account.messages.map((m) => m.kind)).toEqual(['reminder', 'expired']);
    const [reminder, ended] = account.messages;
    atAbout(reminder.at, t0 + 57 * DAY_MS);
    atAbout(ended.at, t0 + 60 * DAY_MS);
    expect(ended.planThen).toBe('free');
  });

  it('PRO bought during PREMIUM: no reminder while PREMIUM is banked; PREMIUM resumes, is reminded, then ends', async () => {
    const { t0, account, handle, change } = await subscriber('premium', MONTH_MS);
    await change('pro', MONTH_MS);
    await handle.result();
    expect(account.messages.map((m) => [m.kind, m.plan, m.planThen])).toEqual([
      ['expired', 'pro', 'premium'],
      ['reminder', 'premium', 'premium'],
      ['expired', 'premium', 'free'],
    ]);
    const [proEnded, reminder, premiumEnded] = account.messages;
    atAbout(proEnded.at, t0 + 30 * DAY_MS);
    // The banked month resumes where PRO ended: its days were kept.
    atAbout(reminder.at, t0 + 57 * DAY_MS);
    atAbout(premiumEnded.at, t0 + 60 * DAY_MS);
  });
});
