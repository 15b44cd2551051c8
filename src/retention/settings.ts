import type { Config } from '../config';
import type { RetentionTable } from './repository';

export const RETENTION_SCHEDULE_ID = 'faceit-retention';
export const RETENTION_WORKFLOW_ID = 'retention-cycle';

/** Each table's retention in days from the configuration (0 = kept forever); see docs/retention.md. */
export function retentionDays(config: Config): Record<RetentionTable, number> {
  return {
    admin_audit_log: config.RETENTION_AUDIT_LOG_DAYS,
    notifications_sent: config.RETENTION_NOTIFICATIONS_DAYS,
    analysis_requests: config.RETENTION_ANALYSIS_REQUESTS_DAYS,
    match_analyses: config.RETENTION_ANALYSES_DAYS,
    // Scratch rows of one analysis run (swept by the run itself after a day): a day here too.
    analysis_player_inputs: 1,
    player_elo_snapshots: config.RETENTION_ELO_SNAPSHOTS_DAYS,
    broadcasts: config.RETENTION_BROADCASTS_DAYS,
    billing_notices: config.RETENTION_BILLING_NOTICES_DAYS,
    daily_usage: config.RETENTION_DAILY_USAGE_DAYS,
  };
}
