/**
 * An admin grant that committed is reported as done even when the signal to the user's subscription workflow fails
 * afterwards (issue 22, item 4): before, the admin read "It did not work", pressed again and granted twice. The
 * signal goes through a closed Temporal client (a real SDK failure) while "Temporal is down"; the bot's reconciler
 * re-arms the timers once it is back.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import { createAdminRepository } from '../../src/admin';
import { testConfig, testTemporalClient, uniqueTelegramId } from '../harness';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { eventsOf, subscriptionOf } from '../billing/helpers';
import { eventually } from '../broadcast/helpers';

describe('admin: a committed grant is done, whatever the signal after it', () => {
  let w: BotWorld;
  let closed: Client;
  let temporalDown = false;
  const adminId = uniqueTelegramId();
  const admin = { id: adminId, first_name: 'Op', username: `op${adminId}`, language_code: 'en' };

  beforeAll(async () => {
    // A client whose connection is closed: every call on it fails as it does when the server is unreachable.
    closed = await testTemporalClient(testConfig());
    await closed.connection.close();
    w = await startBotWorld({
      env: { ADMIN_TELEGRAM_IDS: String(adminId) },
      botDeps: { timerReconcile: { olderThanMs: 0, everyMs: 300 } },
    });
    // The bot's signals go through the closed client while Temporal is "down"; everything else works.
    const real = w.client;
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'workflow') return Reflect.get(target, prop, receiver);
        return new Proxy(target.workflow, {
          get(wf, name) {
            if (name === 'signalWithStart') {
              return (...args: Parameters<Client['workflow']['signalWithStart']>) =>
                temporalDown ? closed.workflow.signalWithStart(...args) : wf.signalWithStart(...args);
            }
            const value = Reflect.get(wf, name, wf) as unknown;
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(wf) : value;
          },
        });
      },
    });
    // The bot reads its deps at call time: billing's client functions and the reconciler now get the flaky one.
    w.botDeps.client = flaky;
  });
  afterAll(() => w?.stop());

  const grantEvents = async (telegramId: number) =>
    (await eventsOf(w, telegramId)).filter((kind) => kind === 'grant');
  const workflowStatus = (telegramId: number) =>
    w.client.workflow
      .getHandle(`subscription-${telegramId}`)
      .describe()
      .then((d) => d.status.name)
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return 'none';
        throw err;
      });
  const marks = (telegramId: number) =>
    w.pool.maybeOne(sql.type(z.object({ attempts: z.number(), last_error: z.string().nullable() }))`
      SELECT attempts, last_error FROM subscription_timer_resync WHERE telegram_id = ${telegramId}`);

  it('the admin reads "given", the plan is granted once, and the timers are re-armed when Temporal is back', async () => {
    const cat = w.user('en', { first_name: 'Cat' });
    await w.send(cat, '/help');
    temporalDown = true;

    const granted = await w.send(admin, `/admin grant ${cat.id} pro 10`);
    expect(textOf(granted)).toMatch(new RegExp(`✅ PRO for 10 days given to ${cat.id}: \\d`));
    expect(textOf(granted)).not.toContain('did not work');
    expect(await subscriptionOf(w, cat.id)).toMatchObject({ tier: 'pro', source: 'admin_grant' });
    expect(await grantEvents(cat.id)).toEqual(['grant']);
    const audit = (await createAdminRepository(w.pool, 'UTC').recentAudit(100)).filter(
      (r) => r.admin_telegram_id === adminId && r.action === 'admin.grant',
    );
    expect(audit.map((r) => [r.target_telegram_id, r.result])).toEqual([[cat.id, 'ok']]);
    // The signal did fail: no timer yet, and the change waits for the reconciler (which keeps failing meanwhile).
    expect(await workflowStatus(cat.id)).toBe('none');
    const waiting = await eventually(async () => {
      const m = await marks(cat.id);
      return m && m.attempts >= 2 ? m : undefined;
    });
    expect(waiting.last_error).toBeTruthy();

    temporalDown = false;
    expect(
      await eventually(async () => ((await workflowStatus(cat.id)) === 'RUNNING' ? 'RUNNING' : undefined)),
    ).toBe('RUNNING');
    await eventually(async () => ((await marks(cat.id)) === null ? true : undefined));
    expect(await grantEvents(cat.id)).toEqual(['grant']);
    const metrics = await fetch(`http://127.0.0.1:${w.bot!.httpPort}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/billing_timer_resync_total\{result="resynced"\} [1-9]/);
    expect(metrics).toMatch(/billing_timer_resync_total\{result="failed"\} [1-9]/);
  });

  it('a revocation whose signal fails is reported as done too, and recorded once', async () => {
    const dan = w.user('en', { first_name: 'Dan' });
    await w.send(dan, '/help');
    await w.send(admin, `/admin grant ${dan.id} premium 5`);
    temporalDown = true;
    try {
      const revoked = await w.send(admin, `/admin revoke ${dan.id}`);
      expect(textOf(revoked)).toBe(`✅ ${dan.id} is on FREE now.`);
      expect((await subscriptionOf(w, dan.id))?.tier).toBe('free');
      expect(await eventsOf(w, dan.id)).toEqual(['grant', 'revoke']);
      expect(await marks(dan.id)).not.toBeNull();
    } finally {
      temporalDown = false;
    }
    await eventually(async () => ((await marks(dan.id)) === null ? true : undefined));
  });
});
