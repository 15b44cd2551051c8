import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { sql } from 'slonik';
import { z } from 'zod';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import {
  createRetentionActivities,
  ensureRetentionSchedule,
  RETENTION_TABLES,
  type RetentionReport,
} from '../../src/retention';
import { exportHistory } from '../../src/temporal/replay';
import type { RunningWorkers } from '../../src/temporal/worker';
import { startTestWorkers, testConfig, testLogger, testTemporalClient } from '../harness';
import { freshDatabase } from '../monitoring/helpers';

/**
 * Issue 22, item 10: each table that grows per event keeps its rows for a stated time (RETENTION_*_DAYS), and the
 * Schedule's clean-up deletes older ones, in batches; payments and the ledger are kept whatever their age. A fresh
 * database of its own: the clean-up deletes by age across whole tables.
 */
describe('retention', () => {
  const config = testConfig({
    RETENTION_AUDIT_LOG_DAYS: '365',
    RETENTION_NOTIFICATIONS_DAYS: '90',
    RETENTION_ANALYSIS_REQUESTS_DAYS: '90',
    RETENTION_ANALYSES_DAYS: '365',
    RETENTION_ELO_SNAPSHOTS_DAYS: '365',
    RETENTION_BROADCASTS_DAYS: '180',
    RETENTION_BILLING_NOTICES_DAYS: '400',
    RETENTION_DAILY_USAGE_DAYS: '90',
  });
  let pool: DatabasePool;
  let client: Client;
  let workers: RunningWorkers;

  beforeAll(async () => {
    pool = await createDatabasePool(await freshDatabase(), { maximumPoolSize: 3 });
    client = await testTemporalClient(config);
    workers = await startTestWorkers(
      config,
      createRetentionActivities({ config, logger: testLogger, pool }),
      ['low'],
    );
  });
  afterAll(async () => {
    await workers?.shutdown();
    await client?.connection.close();
    await pool?.end();
  });

  const ago = (days: number) => sql.fragment`now() - make_interval(days => ${days})`;
  const count = (query: ReturnType<typeof sql.unsafe>) =>
    pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM (${query}) q`);

  /** Per table: the rows of an old and of a recent event (or a running / pending one that must stay). */
  async function seed(userId: number, oldDays: number, recentDays: number) {
    await pool.query(sql.unsafe`INSERT INTO users (telegram_id) VALUES (${userId})`);
    for (const [days, tag] of [
      [oldDays, 'old'],
      [recentDays, 'recent'],
    ] as const) {
      const key = `${tag}-${userId}`;
      await pool.query(sql.unsafe`
        INSERT INTO admin_audit_log (admin_telegram_id, action, created_at) VALUES (${userId}, ${key}, ${ago(days)})`);
      await pool.query(sql.unsafe`
        INSERT INTO notifications_sent (chat_id, match_id, kind, status, claimed_at)
        VALUES (${userId}, ${key}, 'match_finished', 'sent', ${ago(days)})`);
      await pool.query(sql.unsafe`
        INSERT INTO analysis_requests (match_id, telegram_id, chat_id, tier, usage_day, status, created_at)
        VALUES (${key}, ${userId}, ${userId}, 'free', (${ago(days)})::date, 'delivered', ${ago(days)})`);
      await pool.query(sql.unsafe`
        INSERT INTO match_analyses (match_id, workflow_id, status, started_at)
        VALUES (${key}, ${`analysis-${key}`}, 'completed', ${ago(days)})`);
      await pool.query(sql.unsafe`
        INSERT INTO analysis_player_inputs (run_id, player_id, input, created_at)
        VALUES (${key}, 'p', '{}', ${ago(days === recentDays ? 0 : 2)})`);
      await pool.query(sql.unsafe`
        INSERT INTO player_elo_snapshots (faceit_player_id, elo, source, observed_at)
        VALUES (${`p-${userId}`}, ${1000 + days}, 'profile', ${ago(days)})`);
      const broadcastId = await pool.oneFirst(sql.type(z.object({ id: z.number() }))`
        INSERT INTO broadcasts (admin_telegram_id, text, status, created_at, finished_at)
        VALUES (${userId}, ${key}, 'completed', ${ago(days)}, ${ago(days)}) RETURNING id`);
      await pool.query(sql.unsafe`
        INSERT INTO broadcast_deliveries (broadcast_id, telegram_id, status) VALUES (${broadcastId}, ${userId}, 'sent')`);
      await pool.query(sql.unsafe`
        INSERT INTO billing_notices (telegram_id, kind, key, claimed_at) VALUES (${userId}, 'payment', ${key}, ${ago(days)})`);
      await pool.query(sql.unsafe`
        INSERT INTO daily_usage (telegram_id, day, analyses) VALUES (${userId}, (${ago(days)})::date, 1)`);
      // Money and the ledger: never deleted.
      await pool.query(sql.unsafe`
        INSERT INTO payments (telegram_id, telegram_payment_charge_id, currency, amount, tier, period, invoice_payload,
          expires_at, created_at)
        VALUES (${userId}, ${key}, 'XTR', 299, 'pro', 'month', 'p', ${ago(days - 30)}, ${ago(days)})`);
      await pool.query(sql.unsafe`
        INSERT INTO subscription_events (telegram_id, kind, source, created_at) VALUES (${userId}, 'payment', 'payment', ${ago(days)})`);
    }
    // Old, but still in use: a pending request (the reconciler's), a running analysis, a running broadcast.
    await pool.query(sql.unsafe`
      INSERT INTO analysis_requests (match_id, telegram_id, chat_id, tier, usage_day, created_at)
      VALUES (${`pending-${userId}`}, ${userId}, ${userId}, 'free', (${ago(oldDays)})::date, ${ago(oldDays)})`);
    await pool.query(sql.unsafe`
      INSERT INTO match_analyses (match_id, workflow_id, status, started_at)
      VALUES (${`running-${userId}`}, 'w', 'running', ${ago(oldDays)})`);
    await pool.query(sql.unsafe`
      INSERT INTO broadcasts (admin_telegram_id, text, status, created_at) VALUES (${userId}, 'live', 'running', ${ago(oldDays)})`);
  }

  it('deletes old rows of every per-event table, keeps recent ones, rows in use, payments and the ledger', async () => {
    const userId = 6_000_000_000 + Math.floor(Math.random() * 1e6);
    await seed(userId, 500, 30);
    const handle = await client.workflow.start('retentionWorkflow', {
      taskQueue: config.TASK_QUEUE_LOW,
      workflowId: `retention-test-${randomUUID()}`,
      args: [{ batchSize: 1 }],
      workflowExecutionTimeout: '2 minutes',
    });
    const report = (await handle.result()) as RetentionReport;
    // RECORD_HISTORIES=1 writes the run test/replay replays.
    if (process.env.RECORD_HISTORIES) {
      await exportHistory(
        client,
        handle.workflowId,
        undefined,
        join(__dirname, '..', 'histories', 'retention-cycle.json'),
      );
    }

    // One old row in each table (the broadcast's delivery goes with it).
    for (const table of RETENTION_TABLES)
      expect({ table, deleted: report.deleted[table] }).toEqual({ table, deleted: 1 });
    const left = {
      admin_audit_log: await count(
        sql.unsafe`SELECT action FROM admin_audit_log WHERE admin_telegram_id = ${userId}`,
      ),
      notifications_sent: await count(sql.unsafe`SELECT 1 FROM notifications_sent WHERE chat_id = ${userId}`),
      analysis_requests: await count(
        sql.unsafe`SELECT 1 FROM analysis_requests WHERE telegram_id = ${userId}`,
      ),
      match_analyses: await count(
        sql.unsafe`SELECT 1 FROM match_analyses WHERE match_id LIKE ${`%-${userId}`}`,
      ),
      player_elo_snapshots: await count(
        sql.unsafe`SELECT 1 FROM player_elo_snapshots WHERE faceit_player_id = ${`p-${userId}`}`,
      ),
      broadcasts: await count(sql.unsafe`SELECT 1 FROM broadcasts WHERE admin_telegram_id = ${userId}`),
      broadcast_deliveries: await count(
        sql.unsafe`SELECT 1 FROM broadcast_deliveries WHERE telegram_id = ${userId}`,
      ),
      billing_notices: await count(sql.unsafe`SELECT 1 FROM billing_notices WHERE telegram_id = ${userId}`),
      daily_usage: await count(sql.unsafe`SELECT 1 FROM daily_usage WHERE telegram_id = ${userId}`),
      payments: await count(sql.unsafe`SELECT 1 FROM payments WHERE telegram_id = ${userId}`),
      subscription_events: await count(
        sql.unsafe`SELECT 1 FROM subscription_events WHERE telegram_id = ${userId}`,
      ),
    };
    expect(left).toEqual({
      admin_audit_log: 1,
      notifications_sent: 1,
      analysis_requests: 2, // the recent one and the old pending one
      match_analyses: 2, // the recent one and the old running one
      player_elo_snapshots: 1,
      broadcasts: 2, // the recent one and the old running one
      broadcast_deliveries: 1,
      billing_notices: 1,
      daily_usage: 1,
      payments: 2,
      subscription_events: 2,
    });
    expect(await count(sql.unsafe`SELECT 1 FROM admin_audit_log WHERE action = ${`recent-${userId}`}`)).toBe(
      1,
    );

    // A second run finds nothing more to delete.
    const again = (await client.workflow.execute('retentionWorkflow', {
      taskQueue: config.TASK_QUEUE_LOW,
      workflowId: `retention-test-${randomUUID()}`,
      args: [{}],
      workflowExecutionTimeout: '2 minutes',
    })) as RetentionReport;
    expect(Object.values(again.deleted).every((n) => n === 0)).toBe(true);
  });

  it("Temporal's namespace keeps closed workflows TEMPORAL_NAMESPACE_RETENTION_DAYS, in the dev server and compose", async () => {
    const ns = await client.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
    const days = Number(ns.config?.workflowExecutionRetentionTtl?.seconds) / 86_400;
    expect(days).toBe(config.TEMPORAL_NAMESPACE_RETENTION_DAYS);
    const compose = readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
    const set = [...compose.matchAll(/--retention (\d+)d/g)].map((m) => Number(m[1]));
    expect(set.length).toBeGreaterThan(0);
    for (const d of set) expect(d).toBe(config.TEMPORAL_NAMESPACE_RETENTION_DAYS);
  });

  it('a table set to 0 days is kept forever', async () => {
    const keepAll = testConfig({ RETENTION_AUDIT_LOG_DAYS: '0' });
    const activities = createRetentionActivities({ config: keepAll, logger: testLogger, pool });
    expect((await activities.retentionPlan()).map((p) => p.table)).not.toContain('admin_audit_log');
  });

  it('the Schedule runs the clean-up on the low queue every RETENTION_INTERVAL_HOURS, created idempotently', async () => {
    const scheduleId = `retention-test-${randomUUID()}`;
    const hourly = testConfig({ RETENTION_INTERVAL_HOURS: '6', TASK_QUEUE_LOW: config.TASK_QUEUE_LOW });
    try {
      expect((await ensureRetentionSchedule(client, hourly, { scheduleId })).action).toBe('created');
      expect((await ensureRetentionSchedule(client, hourly, { scheduleId })).action).toBe('updated');
      const d = await client.schedule.getHandle(scheduleId).describe();
      expect(Number(d.spec.intervals?.[0]?.every)).toBe(6 * 3_600_000);
      expect(d.action.workflowType).toBe('retentionWorkflow');
      expect(d.action.taskQueue).toBe(config.TASK_QUEUE_LOW);
    } finally {
      await client.schedule.getHandle(scheduleId).delete();
    }
  });
});
