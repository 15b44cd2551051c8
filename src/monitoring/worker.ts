// Monitoring as the worker process takes it (the worker's start): the schedule of the monitoring cycle, without the
// bot's composer and the FACEIT webhook endpoint (src/monitoring/index.ts), so a worker does not load them.
export { ensureMonitoringSchedule } from './schedule';
