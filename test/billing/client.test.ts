/** The billing client API the admin slice builds on: grant, revoke, describe, refund of an unknown charge. */
import type { Client } from '@temporalio/client';
import { sql } from 'slonik';
import { createBillingActivities } from '../../src/billing/activities';
import {
  describeSubscription,
  grantPlan,
  refundPayment,
  revokePlan,
  type BillingClientDeps,
} from '../../src/billing';
import type { DatabasePool } from '../../src/db/pool';
import { createRepositories } from '../../src/db/repositories';
import type { RunningWorkers } from '../../src/temporal/worker';
import {
  startTestWorkers,
  testConfig,
  testLogger,
  testPool,
  testTemporalClient,
  uniqueTelegramId,
} from '../harness';

const DAY = 86_400_000;

describe('billing client API', () => {
  let pool: DatabasePool;
  let client: Client;
  let workers: RunningWorkers;
  let deps: BillingClientDeps;

  beforeAll(async () => {
    const config = testConfig();
    pool = await testPool();
    client = await testTemporalClient(config);
    workers = await startTestWorkers(config, createBillingActivities({ config, logger: testLogger, pool }), [
      'critical',
    ]);
    deps = { config, logger: testLogger, pool, client };
  });
  afterAll(async () => {
    await workers.shutdown();
    await client.connection.close();
    await pool.end();
  });

  async function newUser(): Promise<number> {
    const id = uniqueTelegramId();
    await createRepositories(pool).users.touch({ telegramId: id });
    return id;
  }

  it('grants extend from the expiry, a higher plan banks the lower one, revoke ends everything', async () => {
    const id = await newUser();
    const before = Date.now();
    const first = await grantPlan(deps, {
      telegramId: id,
      plan: 'premium',
      days: 30,
      source: 'admin',
      actorId: 1,
    });
    expect(first).toMatchObject({ ok: true, plan: 'premium', credit: null });
    const second = await grantPlan(deps, {
      telegramId: id,
      plan: 'premium',
      days: 10,
      source: 'admin',
      actorId: 1,
    });
    if (!first.ok || !second.ok) throw new Error('grant refused');
    expect(second.expiresAt!.getTime() - first.expiresAt!.getTime()).toBe(10 * DAY);

    const pro = await grantPlan(deps, { telegramId: id, plan: 'pro', days: 5, source: 'admin', actorId: 1 });
    if (!pro.ok) throw new Error('grant refused');
    expect(pro.plan).toBe('pro');
    expect(pro.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 5 * DAY);
    const described = await describeSubscription(deps, id);
    expect(described).toMatchObject({ plan: 'pro', source: 'admin', credit: { plan: 'premium' } });
    expect(Math.round(described.credit!.days!)).toBe(40);

    expect(await revokePlan(deps, { telegramId: id, actorId: 1, reason: 'test' })).toEqual({
      revoked: true,
      previousPlan: 'pro',
    });
    expect(await describeSubscription(deps, id)).toEqual({
      plan: 'free',
      expiresAt: null,
      source: null,
      credit: null,
    });
    const kinds = await pool.anyFirst(sql.unsafe`
      SELECT kind FROM subscription_events WHERE telegram_id = ${id} ORDER BY id`);
    expect(kinds).toEqual(['grant', 'grant', 'grant', 'revoke']);
    // The user's subscription workflow is running (one per user, re-armed by each change).
    const described2 = await client.workflow.getHandle(`subscription-${id}`).describe();
    expect(['RUNNING', 'COMPLETED']).toContain(described2.status.name);
  });

  it('refuses unknown users and nonsense durations, and knows no unknown charge', async () => {
    expect(
      await grantPlan(deps, { telegramId: uniqueTelegramId(), plan: 'pro', days: 3, source: 'admin' }),
    ).toEqual({
      ok: false,
      reason: 'unknown-user',
    });
    const id = await newUser();
    expect(await grantPlan(deps, { telegramId: id, plan: 'pro', days: -1, source: 'admin' })).toEqual({
      ok: false,
      reason: 'bad-days',
    });
    expect(await refundPayment(deps, { chargeId: 'stxNOPE' })).toEqual({ status: 'unknown-charge' });
  });
});
