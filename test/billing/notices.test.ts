import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { GrammyError } from 'grammy';
import { register } from 'prom-client';
import { sql } from 'slonik';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';
import { createBillingActivities, type BillingActivities } from '../../src/billing/activities';
import type { DatabasePool } from '../../src/db/pool';
import { createTelegramApi } from '../../src/telegram/api';
import { createSendClaims } from '../../src/telegram/send-claims';
import { testConfig, testLogger, testPool, uniqueTelegramId } from '../harness';

/**
 * Billing's messages (here a referral reward) go through the shared send claims: a message whose answer was lost is
 * resent and counted, a claim left by an attempt that died before sending is taken over after its lease (it used to
 * be lost for good), and what the old billing_notices table recorded is never sent again.
 */
const TOKEN = '7000000043:TEST-billing-notices';
const LEASE_MS = 1_500;

describe('billing messages: once, and never lost to a crash before the send', () => {
  let tg: TelegramEmulator;
  let pool: DatabasePool;
  let billing: BillingActivities;

  beforeAll(async () => {
    tg = await startTelegramEmulator({ tokens: [TOKEN], autoCreateChats: true, limits: false });
    pool = await testPool();
    const config = testConfig({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_CLAIM_LEASE_MS: String(LEASE_MS),
      TELEGRAM_SEND_TIMEOUT_MS: '5000',
    });
    billing = createBillingActivities({
      config,
      logger: testLogger,
      pool,
      telegram: createTelegramApi(config),
    });
  });
  afterAll(async () => {
    await pool?.end();
    await tg?.stop();
  });

  const reward = (telegramId: number) => ({
    kind: 'referral-new' as const,
    telegramId,
    key: randomUUID(),
    days: 7,
  });
  /** One attempt of the billingNotify activity. */
  const attempt = (notice: ReturnType<typeof reward>) =>
    new MockActivityEnvironment().run(billing.billingNotify, notice);
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );
  async function possibleDuplicates(): Promise<number> {
    const metric = await register.getSingleMetric('telegram_delivery_uncertain_total')?.get();
    return (
      metric?.values.find((v) => v.labels.outcome === 'possible_duplicate' && v.labels.kind === 'billing')
        ?.value ?? 0
    );
  }

  it('a lost answer: the retry sends it again (counted); later attempts send nothing', async () => {
    const user = uniqueTelegramId();
    const notice = reward(user);
    const before = await possibleDuplicates();
    tg.dropAfterAccept('sendMessage');
    const lost = await failure(attempt(notice));
    expect(lost).toBeInstanceOf(Error);
    expect(lost).not.toBeInstanceOf(GrammyError);
    expect(await attempt(notice)).toBe('sent');
    expect(await attempt(notice)).toBe('already-sent');
    expect(tg.botMessages(user)).toHaveLength(2);
    expect(await possibleDuplicates()).toBe(before + 1);
  });

  it('an attempt that died after claiming, before sending: the retry waits out the lease, then sends once', async () => {
    const user = uniqueTelegramId();
    const notice = reward(user);
    const claims = createSendClaims(pool, 'billing', { leaseMs: LEASE_MS });
    expect((await claims.claim(user, `${notice.kind}:${notice.key}`)).state).toBe('mine');

    const held = await failure(attempt(notice));
    expect(held).toBeInstanceOf(ApplicationFailure);
    expect((held as ApplicationFailure).type).toBe('SendClaimHeld');
    expect(tg.botMessages(user)).toHaveLength(0);

    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
    expect(await attempt(notice)).toBe('sent');
    expect(await attempt(notice)).toBe('already-sent');
    expect(tg.botMessages(user)).toHaveLength(1);
    expect(tg.botMessages(user)[0].text).toMatch(/7/);
  });

  it('a notice recorded in billing_notices before the change is not sent again', async () => {
    const user = uniqueTelegramId();
    const notice = reward(user);
    await pool.query(sql.unsafe`
      INSERT INTO billing_notices (telegram_id, kind, key, sent_at) VALUES (${user}, ${notice.kind}, ${notice.key}, now())`);
    expect(await attempt(notice)).toBe('already-sent');
    expect(tg.botMessages(user)).toHaveLength(0);
  });

  it('a user who blocked the bot: "blocked", and nothing is retried', async () => {
    const user = uniqueTelegramId();
    tg.blockChat(user);
    expect(await attempt(reward(user))).toBe('blocked');
    expect(tg.botMessages(user)).toHaveLength(0);
  });
});
