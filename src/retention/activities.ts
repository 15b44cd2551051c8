import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DatabasePool } from '../db/pool';
import { pruneBatch, RETENTION_TABLES, type RetentionTable } from './repository';
import { retentionDays } from './settings';

export interface RetentionActivityDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
}

/** One activity's work at most: it heartbeats between batches and hands the rest to the next call. */
const ACTIVITY_BUDGET_MS = 30_000;
const BATCH = 5_000;

export function createRetentionActivities(deps: RetentionActivityDeps) {
  const log = deps.logger.child({ component: 'retention' });
  return {
    /** The tables with a retention (days > 0), from the worker's configuration. */
    async retentionPlan(): Promise<Array<{ table: RetentionTable; days: number }>> {
      const days = retentionDays(deps.config);
      return RETENTION_TABLES.filter((t) => days[t] > 0).map((table) => ({ table, days: days[table] }));
    },

    /** Deletes the table's old rows in batches for up to ~30 s; `more`: a full batch was the last one. */
    async retentionPrune(input: {
      table: RetentionTable;
      days: number;
      batchSize?: number;
    }): Promise<{ deleted: number; more: boolean }> {
      if (!(RETENTION_TABLES as readonly string[]).includes(input.table) || !(input.days > 0)) {
        return { deleted: 0, more: false };
      }
      const limit = Math.max(1, Math.min(50_000, input.batchSize ?? BATCH));
      const until = Date.now() + ACTIVITY_BUDGET_MS;
      let deleted = 0;
      for (;;) {
        const n = await pruneBatch(deps.pool, input.table, input.days, limit);
        deleted += n;
        Context.current().heartbeat({ deleted });
        if (n < limit) {
          if (deleted) log.info({ table: input.table, days: input.days, deleted }, 'old rows deleted');
          return { deleted, more: false };
        }
        if (Date.now() > until) return { deleted, more: true };
      }
    },
  };
}
export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
