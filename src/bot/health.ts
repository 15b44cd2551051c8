/** /healthz: PostgreSQL, Redis, the Temporal frontend, and a health-check workflow on every tier's queue. */
import { sql } from 'slonik';
import { checkTiers, type TierHealth } from '../health';
import type { BotDeps } from './deps';

export interface HealthReport {
  ok: boolean;
  database: boolean;
  redis: boolean;
  temporal: boolean;
  tiers: Array<Pick<TierHealth, 'tier' | 'ok' | 'latencyMs'>>;
  checkedAt: string;
}

const CHECK_TIMEOUT_MS = 3_000;
/** Probes arrive every few seconds; starting four workflows for each would be load for nothing. */
const CACHE_MS = 5_000;

function within<T>(promise: Promise<T>, ms = CHECK_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([
    promise.then(
      () => true,
      () => false,
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

export function createHealthCheck(deps: BotDeps, options: { tierTimeoutMs?: number } = {}) {
  let cached: { at: number; report: Promise<HealthReport> } | undefined;
  async function run(): Promise<HealthReport> {
    const [database, redis, temporal, tiers] = await Promise.all([
      within(deps.pool.query(sql.unsafe`SELECT 1`)),
      within(deps.redis.ping()),
      within(deps.client.workflowService.getSystemInfo({})),
      checkTiers(deps.client, deps.config, { timeoutMs: options.tierTimeoutMs ?? 5_000 }),
    ]);
    const tierList = tiers.map(({ tier, ok, latencyMs }) => ({ tier, ok, latencyMs }));
    const ok = database && redis && temporal && tierList.every((t) => t.ok);
    return { ok, database, redis, temporal, tiers: tierList, checkedAt: new Date().toISOString() };
  }
  return (): Promise<HealthReport> => {
    if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), report: run() };
    return cached.report;
  };
}
