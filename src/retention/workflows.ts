import { proxyActivities } from '@temporalio/workflow';
import { DB_RETENTION_PRUNE } from '../temporal/retry-policies';
import type { RetentionActivities } from './activities';
import type { RetentionTable } from './repository';

export interface RetentionInput {
  /** Rows per DELETE (tests make it small). */
  batchSize?: number;
}

export interface RetentionReport {
  /** Rows deleted per table in this run. */
  deleted: Partial<Record<RetentionTable, number>>;
}

/** Calls of retentionPrune per table in one run at most (each ~30 s of deleting); the next run goes on. */
const MAX_CALLS_PER_TABLE = 100;

/**
 * One clean-up (`retention-cycle`, started by the Schedule `faceit-retention`, low queue): for every table with a
 * retention, delete its old rows batch by batch. Idempotent: a run cut short is finished by the next one.
 */
export async function retentionWorkflow(input: RetentionInput = {}): Promise<RetentionReport> {
  const { retentionPlan, retentionPrune } = proxyActivities<RetentionActivities>({
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '1 minute',
    retry: DB_RETENTION_PRUNE,
  });
  const deleted: RetentionReport['deleted'] = {};
  for (const { table, days } of await retentionPlan()) {
    for (let call = 0; call < MAX_CALLS_PER_TABLE; call++) {
      const r = await retentionPrune({ table, days, batchSize: input.batchSize });
      deleted[table] = (deleted[table] ?? 0) + r.deleted;
      if (!r.more) break;
    }
  }
  return { deleted };
}
