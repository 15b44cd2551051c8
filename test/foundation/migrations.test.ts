import { Client } from 'pg';
import { sql } from 'slonik';
import { z } from 'zod';
import { runMigrations } from '../../src/db/migrate';
import { createDatabasePool, type DatabasePool } from '../../src/db/pool';
import { uniqueTelegramId } from '../harness';

/** A brand-new empty database on the suite's PostgreSQL server. */
async function freshDatabase(): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `migrations_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url.pathname = `/${name}`;
  return url.toString();
}

const tableNames = z.object({ table_name: z.string() });

describe('database migrations', () => {
  let url: string;
  let pool: DatabasePool;

  beforeAll(async () => {
    url = await freshDatabase();
    pool = await createDatabasePool(url, { maximumPoolSize: 2 });
  });
  afterAll(() => pool.end());

  it('apply from empty, create every table the product needs, and are idempotent', async () => {
    const applied = await runMigrations(url);
    expect(applied.length).toBeGreaterThan(0);
    const tables = await pool.anyFirst(sql.type(tableNames)`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
    expect(tables).toEqual(
      expect.arrayContaining([
        'users',
        'faceit_accounts',
        'subscriptions',
        'daily_usage',
        'payments',
        'referrals',
        'chats',
        'tracked_players',
        'player_watch',
        'notifications_sent',
        'match_analyses',
        'analysis_requests',
        'player_elo_snapshots',
        'migration_runs',
        'migration_rejects',
        'admin_audit_log',
        'broadcasts',
        'broadcast_deliveries',
      ]),
    );
    expect(await runMigrations(url)).toEqual([]);
  });

  it('roll back and re-apply cleanly', async () => {
    const initial = '1763900000000_initial-schema';
    const all = await pool.anyFirst(
      sql.type(z.object({ name: z.string() }))`SELECT name FROM pgmigrations ORDER BY run_on`,
    );
    expect(all[0]).toBe(initial);
    await runMigrations(url, { direction: 'down', count: Infinity });
    const left = await pool.anyFirst(sql.type(tableNames)`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'pgmigrations'`);
    expect(left).toEqual([]);
    expect(await runMigrations(url)).toEqual(all);
  });

  describe('constraints enforce the invariants', () => {
    const user = uniqueTelegramId();
    beforeAll(async () => {
      await pool.query(sql.unsafe`INSERT INTO users (telegram_id) VALUES (${user}), (${user + 1})`);
    });
    const rejects = (query: ReturnType<typeof sql.unsafe>) => expect(pool.query(query)).rejects.toThrow();

    it('Telegram ids beyond 32 bits are stored exactly', async () => {
      const id = 7_012_345_678;
      await pool.query(sql.unsafe`INSERT INTO users (telegram_id) VALUES (${id}) ON CONFLICT DO NOTHING`);
      expect(await pool.oneFirst(sql.unsafe`SELECT telegram_id FROM users WHERE telegram_id = ${id}`)).toBe(
        id,
      );
    });
    it('only supported languages and tiers', async () => {
      await rejects(sql.unsafe`UPDATE users SET language = 'de' WHERE telegram_id = ${user}`);
      await rejects(sql.unsafe`INSERT INTO subscriptions (telegram_id, tier) VALUES (${user}, 'gold')`);
    });
    it('usage never negative', async () => {
      await rejects(
        sql.unsafe`INSERT INTO daily_usage (telegram_id, day, analyses) VALUES (${user}, '2026-01-01', -1)`,
      );
    });
    it('a payment is credited once per Telegram charge id, in Stars only', async () => {
      const payment = (charge: string, currency = 'XTR') => sql.unsafe`
        INSERT INTO payments (telegram_id, telegram_payment_charge_id, currency, amount, tier, period, invoice_payload, expires_at)
        VALUES (${user}, ${charge}, ${currency}, 199, 'premium', 'month', 'p', now())`;
      await pool.query(payment(`charge-${user}`));
      await rejects(payment(`charge-${user}`));
      await rejects(payment(`charge-usd-${user}`, 'USD'));
    });
    it('one referrer per user, never oneself, unique referral codes', async () => {
      await pool.query(
        sql.unsafe`INSERT INTO referrals (referred_id, referrer_id) VALUES (${user}, ${user + 1})`,
      );
      await rejects(sql.unsafe`INSERT INTO referrals (referred_id, referrer_id) VALUES (${user}, 42)`);
      await rejects(
        sql.unsafe`INSERT INTO referrals (referred_id, referrer_id) VALUES (${user + 1}, ${user + 1})`,
      );
      await pool.query(sql.unsafe`UPDATE users SET referral_code = 'A1B2C3D4' WHERE telegram_id = ${user}`);
      await rejects(sql.unsafe`UPDATE users SET referral_code = 'A1B2C3D4' WHERE telegram_id = ${user + 1}`);
      await rejects(sql.unsafe`UPDATE users SET referral_code = 'lower<>' WHERE telegram_id = ${user + 1}`);
    });
    it('exactly one notification per chat, match and kind', async () => {
      const claim = sql.unsafe`INSERT INTO notifications_sent (chat_id, match_id, kind) VALUES (${user}, '1-abc', 'match_finished')`;
      await pool.query(claim);
      await rejects(claim);
      await pool.query(
        sql.unsafe`INSERT INTO notifications_sent (chat_id, match_id, kind) VALUES (${user}, '1-abc', 'match_ready')`,
      );
    });
    it('a tracked player belongs to a known chat, once per chat', async () => {
      await rejects(
        sql.unsafe`INSERT INTO tracked_players (chat_id, faceit_player_id, nickname) VALUES (-1001, 'p', 'n')`,
      );
      await pool.query(sql.unsafe`INSERT INTO chats (chat_id, type) VALUES (-1001, 'group')`);
      const track = sql.unsafe`INSERT INTO tracked_players (chat_id, faceit_player_id, nickname) VALUES (-1001, 'p', 'n')`;
      await pool.query(track);
      await rejects(track);
    });
    it('win probabilities stay within 0..1; an even match (no favourite) still gets its outcome', async () => {
      await rejects(
        sql.unsafe`INSERT INTO match_analyses (match_id, workflow_id, status, faction1_win_probability) VALUES ('1-x', 'w', 'completed', 1.5)`,
      );
      await rejects(
        sql.unsafe`INSERT INTO match_analyses (match_id, workflow_id, status, faction1_model_win_probability) VALUES ('1-x', 'w', 'completed', -0.1)`,
      );
      await rejects(
        sql.unsafe`INSERT INTO match_analyses (match_id, workflow_id, status, outcome) VALUES ('1-x', 'w', 'completed', 'won')`,
      );
      // Predictions issue: at exactly 50 % there is no predicted winner, and the result is still recorded.
      await pool.query(
        sql.unsafe`INSERT INTO match_analyses (match_id, workflow_id, status, faction1_win_probability, outcome, actual_winner) VALUES ('1-y', 'w', 'completed', 0.5, 'finished', 'faction1')`,
      );
      await pool.query(sql.unsafe`DELETE FROM match_analyses WHERE match_id = '1-y'`);
    });
  });
});
