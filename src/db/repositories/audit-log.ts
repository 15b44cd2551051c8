import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export const auditRow = z.object({
  id: z.number().int(),
  admin_telegram_id: z.number().int(),
  action: z.string(),
  target_telegram_id: z.number().int().nullable(),
  details: z.record(z.unknown()),
  authorized: z.boolean(),
  created_at: z.date(),
});
export type AuditRow = z.infer<typeof auditRow>;

export function createAuditLogRepository(pool: DatabasePool) {
  return {
    record(entry: {
      adminId: number;
      action: string;
      targetId?: number | null;
      details?: Record<string, string | number | boolean | null>;
      authorized?: boolean;
    }) {
      return pool.one(sql.type(auditRow)`
        INSERT INTO admin_audit_log (admin_telegram_id, action, target_telegram_id, details, authorized)
        VALUES (${entry.adminId}, ${entry.action}, ${entry.targetId ?? null}, ${sql.jsonb(entry.details ?? {})},
                ${entry.authorized ?? true})
        RETURNING *`);
    },

    recent(limit = 50) {
      return pool.any(sql.type(auditRow)`SELECT * FROM admin_audit_log ORDER BY id DESC LIMIT ${limit}`);
    },
  };
}
export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
