/** Retention: how long rows that grow per event are kept, and the Schedule that deletes older ones. */
export { createRetentionActivities, type RetentionActivities } from './activities';
export { ensureRetentionSchedule, retentionScheduleOptions } from './schedule';
export { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_ID, retentionDays } from './settings';
export { RETENTION_TABLES, type RetentionTable } from './repository';
export type { RetentionInput, RetentionReport } from './workflows';
