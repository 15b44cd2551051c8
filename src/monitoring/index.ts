// Monitoring of tracked players: the bot's commands, the FACEIT webhook endpoint, the schedule and the activities.
// (The workflow bundle imports ./workflows directly, through src/workflows/index.ts.)
export { createMonitoringActivities, type MonitoringActivities } from './activities';
export { createMonitoringComposer, MAX_TRACKED_PER_CHAT, type MonitoringComposerDeps } from './composer';
export { ensureMonitoringSchedule, monitoringScheduleOptions, type EnsureScheduleResult } from './schedule';
export { MONITORING_DEFAULTS, MONITORING_SCHEDULE_ID, capacity, planCycle } from './settings';
export {
  createFaceitWebhookHandler,
  FACEIT_WEBHOOK_PATH,
  FACEIT_WEBHOOK_SECRET_HEADER,
  type FaceitWebhookDeps,
} from './webhook';
