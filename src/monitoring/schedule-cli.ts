import { loadConfigOrExit } from '../config';
import { logger } from '../logger';
import { createTemporalClient } from '../temporal/client';
import { ensureMonitoringSchedule } from './schedule';
import { MONITORING_SCHEDULE_ID } from './settings';

/**
 * `npm run monitoring:schedule [ensure|describe|trigger|pause|unpause] [reason]`
 * (compiled: `node dist/monitoring/schedule-cli.js ...`)
 *
 * ensure (default): creates the monitoring Temporal Schedule, or updates an existing one to the configured interval
 * (MONITORING_INTERVAL_MINUTES) keeping its paused state. The workers' start-up (`npm run dev`) does the same.
 * The CLI equivalents for operators:
 *   temporal schedule toggle --schedule-id faceit-monitoring --pause --reason "..."
 *   temporal schedule toggle --schedule-id faceit-monitoring --unpause --reason "..."
 *   temporal schedule trigger --schedule-id faceit-monitoring
 * TEMPORAL_ADDRESS defaults to 127.0.0.1:7233 (the dev run's Temporal).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const [command = 'ensure', ...rest] = process.argv.slice(2);
  const reason = rest.join(' ') || undefined;
  const client = await createTemporalClient({
    ...config,
    address: config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: config.TEMPORAL_NAMESPACE,
  });
  try {
    const handle = client.schedule.getHandle(MONITORING_SCHEDULE_ID);
    switch (command) {
      case 'ensure':
        console.log(JSON.stringify(await ensureMonitoringSchedule(client, config, { logger })));
        break;
      case 'describe': {
        const d = await handle.describe();
        console.log(
          JSON.stringify({
            scheduleId: d.scheduleId,
            every: d.spec.intervals?.map((i) => i.every),
            taskQueue: d.action.taskQueue,
            overlap: d.policies.overlap,
            catchupWindowMs: d.policies.catchupWindow,
            paused: d.state.paused,
            note: d.state.note,
            recentActions: d.info.recentActions.map((a) => a.takenAt),
            nextActionTimes: d.info.nextActionTimes,
          }),
        );
        break;
      }
      case 'trigger':
        await handle.trigger();
        console.log('triggered one monitoring cycle');
        break;
      case 'pause':
        await handle.pause(reason ?? 'paused with npm run monitoring:schedule');
        console.log('monitoring schedule paused');
        break;
      case 'unpause':
        await handle.unpause(reason ?? 'unpaused with npm run monitoring:schedule');
        console.log('monitoring schedule unpaused');
        break;
      default:
        console.error(`unknown command "${command}": ensure | describe | trigger | pause | unpause`);
        process.exitCode = 64;
    }
  } finally {
    await client.connection.close();
  }
}

main().catch((err) => {
  logger.fatal({ err }, 'monitoring:schedule failed');
  process.exit(1);
});
