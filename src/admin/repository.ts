import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

/**
 * SQL of the admin slice: the audit log, the figures of /admin stats and the user card of /admin user.
 * "Today" and "this month" are calendar periods in DEFAULT_TIMEZONE (the operators' zone), not UTC.
 */

export type AuditResult = 'ok' | 'refused' | 'not-found' | 'invalid' | 'error';

export interface AuditEntry {
  /** Who: the sender (an admin, or whoever tried). */
  actorId: number;
  /** What: e.g. 'admin.stats', 'admin.grant', 'broadcast.confirm'. */
  action: string;
  targetId?: number | null;
  result: AuditResult;
  /** Extra facts (plan, days, charge id, broadcast id, error); never message texts or secrets. */
  details?: Record<string, string | number | boolean | null>;
}

export const auditRow = z.object({
  id: z.number(),
  admin_telegram_id: z.number(),
  action: z.string(),
  target_telegram_id: z.number().nullable(),
  details: z.record(z.unknown()),
  authorized: z.boolean(),
  result: z.string(),
  created_at: z.date(),
});
export type AuditRow = z.infer<typeof auditRow>;

const count = z.object({ n: z.number() });

export interface AdminStats {
  users: { total: number; active24h: number; active7d: number; byLanguage: Record<string, number> };
  plans: { free: number; premium: number; pro: number; expiringThisWeek: number };
  analyses: { today: number; delivered: number; p50Ms: number | null; p95Ms: number | null };
  trackedPlayers: number;
  trackingChats: number;
  notificationsToday: number;
  stars: { revenueThisMonth: number; payments: number; refunded: number };
}

export const userCardRow = z.object({
  telegram_id: z.number(),
  username: z.string().nullable(),
  first_name: z.string().nullable(),
  language: z.string(),
  timezone: z.string(),
  total_requests: z.number(),
  blocked_at: z.date().nullable(),
  created_at: z.date(),
  last_active_at: z.date().nullable(),
  faceit_nickname: z.string().nullable(),
  faceit_player_id: z.string().nullable(),
  referred_by: z.number().nullable(),
  referrals: z.number(),
  analyses_today: z.number(),
});
export type UserCardRow = z.infer<typeof userCardRow>;

export const paymentRow = z.object({
  id: z.number(),
  telegram_id: z.number(),
  telegram_payment_charge_id: z.string(),
  amount: z.number(),
  tier: z.string(),
  period: z.string(),
  created_at: z.date(),
  refunded_at: z.date().nullable(),
});
export type PaymentRow = z.infer<typeof paymentRow>;

export function createAdminRepository(pool: DatabasePool, timezone: string) {
  const startOfDay = sql.fragment`(date_trunc('day', now() AT TIME ZONE ${timezone}) AT TIME ZONE ${timezone})`;
  const startOfMonth = sql.fragment`(date_trunc('month', now() AT TIME ZONE ${timezone}) AT TIME ZONE ${timezone})`;

  return {
    audit(entry: AuditEntry) {
      return pool.one(sql.type(auditRow)`
        INSERT INTO admin_audit_log (admin_telegram_id, action, target_telegram_id, details, authorized, result)
        VALUES (${entry.actorId}, ${entry.action}, ${entry.targetId ?? null}, ${sql.jsonb(entry.details ?? {})},
                ${entry.result !== 'refused'}, ${entry.result})
        RETURNING id, admin_telegram_id, action, target_telegram_id, details, authorized, result, created_at`);
    },

    recentAudit(limit = 50) {
      return pool.any(sql.type(auditRow)`
        SELECT id, admin_telegram_id, action, target_telegram_id, details, authorized, result, created_at
        FROM admin_audit_log ORDER BY id DESC LIMIT ${limit}`);
    },

    async stats(): Promise<AdminStats> {
      const users = await pool.one(sql.type(
        z.object({ total: z.number(), active24h: z.number(), active7d: z.number() }),
      )`
        SELECT count(*)::int AS total,
          (count(*) FILTER (WHERE last_active_at > now() - interval '24 hours'))::int AS "active24h",
          (count(*) FILTER (WHERE last_active_at > now() - interval '7 days'))::int AS "active7d"
        FROM users`);
      const languages = await pool.any(sql.type(z.object({ language: z.string(), n: z.number() }))`
        SELECT language, count(*)::int AS n FROM users GROUP BY language ORDER BY n DESC`);
      // A plan counts while it is in force: FREE is everyone else.
      const plans = await pool.one(sql.type(
        z.object({ premium: z.number(), pro: z.number(), expiring: z.number() }),
      )`
        SELECT (count(*) FILTER (WHERE tier = 'premium'))::int AS premium,
          (count(*) FILTER (WHERE tier = 'pro'))::int AS pro,
          (count(*) FILTER (WHERE expires_at <= now() + interval '7 days'))::int AS expiring
        FROM subscriptions WHERE tier <> 'free' AND (expires_at IS NULL OR expires_at > now())`);
      const analyses = await pool.one(sql.type(
        z.object({
          today: z.number(),
          delivered: z.number(),
          p50: z.number().nullable(),
          p95: z.number().nullable(),
        }),
      )`
        SELECT count(*)::int AS today,
          (count(*) FILTER (WHERE status = 'delivered'))::int AS delivered,
          (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at))
            FILTER (WHERE status = 'delivered'))::float8 * 1000 AS p50,
          (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at))
            FILTER (WHERE status = 'delivered'))::float8 * 1000 AS p95
        FROM analysis_requests WHERE created_at >= ${startOfDay}`);
      const tracked = await pool.one(sql.type(z.object({ players: z.number(), chats: z.number() }))`
        SELECT count(DISTINCT faceit_player_id)::int AS players, count(DISTINCT chat_id)::int AS chats
        FROM tracked_players`);
      const notificationsToday = await pool.oneFirst(sql.type(count)`
        SELECT count(*)::int AS n FROM notifications_sent
        WHERE status = 'sent' AND kind IN ('match_finished', 'match_ready') AND sent_at >= ${startOfDay}`);
      const stars = await pool.one(sql.type(
        z.object({ revenue: z.number(), payments: z.number(), refunded: z.number() }),
      )`
        SELECT COALESCE(sum(amount) FILTER (WHERE refunded_at IS NULL), 0)::int AS revenue,
          count(*)::int AS payments, (count(*) FILTER (WHERE refunded_at IS NOT NULL))::int AS refunded
        FROM payments WHERE currency = 'XTR' AND created_at >= ${startOfMonth}`);
      return {
        users: {
          ...users,
          byLanguage: Object.fromEntries(languages.map((l) => [l.language, l.n])),
        },
        plans: {
          free: Math.max(0, users.total - plans.premium - plans.pro),
          premium: plans.premium,
          pro: plans.pro,
          expiringThisWeek: plans.expiring,
        },
        analyses: {
          today: analyses.today,
          delivered: analyses.delivered,
          p50Ms: analyses.p50,
          p95Ms: analyses.p95,
        },
        trackedPlayers: tracked.players,
        trackingChats: tracked.chats,
        notificationsToday,
        stars: { revenueThisMonth: stars.revenue, payments: stars.payments, refunded: stars.refunded },
      };
    },

    /**
     * Users matching what an admin typed: a Telegram id, an @username, or a linked FACEIT nickname (any case).
     * Several users may have linked one FACEIT account: all of them are returned, most recently active first.
     */
    async findUsers(query: { id: number } | { username: string } | { nickname: string }): Promise<number[]> {
      const where =
        'id' in query
          ? sql.fragment`u.telegram_id = ${query.id}`
          : 'username' in query
            ? sql.fragment`lower(u.username) = lower(${query.username})`
            : sql.fragment`u.telegram_id IN (SELECT telegram_id FROM faceit_accounts
                WHERE lower(nickname) = lower(${query.nickname}))`;
      const rows = await pool.anyFirst(sql.type(z.object({ telegram_id: z.number() }))`
        SELECT u.telegram_id FROM users u WHERE ${where}
        ORDER BY u.last_active_at DESC NULLS LAST LIMIT 10`);
      return [...rows];
    },

    userCard(telegramId: number) {
      return pool.maybeOne(sql.type(userCardRow)`
        SELECT u.telegram_id, u.username, u.first_name, u.language, u.timezone, u.total_requests, u.blocked_at,
          u.created_at, u.last_active_at, f.nickname AS faceit_nickname, f.faceit_player_id,
          r.referrer_id AS referred_by,
          ((SELECT count(*) FROM referrals WHERE referrer_id = u.telegram_id) + u.legacy_referrals_count)::int
            AS referrals,
          COALESCE((SELECT analyses FROM daily_usage d WHERE d.telegram_id = u.telegram_id
            AND d.day = (now() AT TIME ZONE u.timezone)::date), 0)::int AS analyses_today
        FROM users u
        LEFT JOIN faceit_accounts f ON f.telegram_id = u.telegram_id
        LEFT JOIN referrals r ON r.referred_id = u.telegram_id
        WHERE u.telegram_id = ${telegramId}`);
    },

    payments(telegramId: number, limit = 5) {
      return pool.any(sql.type(paymentRow)`
        SELECT id, telegram_id, telegram_payment_charge_id, amount, tier, period, created_at, refunded_at
        FROM payments WHERE telegram_id = ${telegramId} ORDER BY created_at DESC LIMIT ${limit}`);
    },

    payment(id: number) {
      return pool.maybeOne(sql.type(paymentRow)`
        SELECT id, telegram_id, telegram_payment_charge_id, amount, tier, period, created_at, refunded_at
        FROM payments WHERE id = ${id}`);
    },

    paymentByCharge(chargeId: string) {
      return pool.maybeOne(sql.type(paymentRow)`
        SELECT id, telegram_id, telegram_payment_charge_id, amount, tier, period, created_at, refunded_at
        FROM payments WHERE telegram_payment_charge_id = ${chargeId}`);
    },
  };
}
export type AdminRepository = ReturnType<typeof createAdminRepository>;
