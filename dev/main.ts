import { createActivities } from '../src/activities';
import { createActivityDeps } from '../src/activities/deps';
import { createBotDeps } from '../src/bot/deps';
import { BOT_TOKEN_HELP, startBot } from '../src/bot/run';
import { loadConfigOrExit } from '../src/config';
import { runMigrations } from '../src/db/migrate';
import { startFaceitEmulator } from '../emulators/faceit';
import { checkTiers } from '../src/health';
import { describeError, logger } from '../src/logger';
import { ensureMonitoringSchedule } from '../src/monitoring';
import { onShutdown } from '../src/shutdown';
import { startServices } from '../src/services';
import { createTemporalClient } from '../src/temporal/client';
import { installTemporalRuntime } from '../src/temporal/runtime';
import { runWorkers } from '../src/temporal/worker';

/**
 * `npm run dev`: the whole system on one machine. Services not given by the environment are started embedded
 * (Temporal dev server with its Web UI, PostgreSQL, Redis) with their state under DATA_DIR, so workflow history
 * survives a restart; then the migrations, the workers of every tier and a health check that shows in the Web UI.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  installTemporalRuntime(logger);
  // Installs a missing redis-server / Temporal CLI (or names the command that does) before starting them.
  const services = await startServices(config, { logger, mode: 'persistent', webUi: true, install: true });
  const stops: Array<() => Promise<void>> = [() => services.stop()];
  onShutdown(logger, async () => {
    for (const stop of stops.reverse()) await stop();
  });

  await runMigrations(services.databaseUrl, { logger });
  if (!config.FACEIT_API_KEY) {
    // No key: the FACEIT emulator stands in, speaking the real API with its real limits.
    const emulator = await startFaceitEmulator({ port: 0 });
    stops.push(() => emulator.stop());
    config.FACEIT_API_BASE_URL = emulator.baseUrl;
    config.FACEIT_API_KEY = 'emulator-key';
    logger.warn({ baseUrl: emulator.baseUrl }, 'FACEIT_API_KEY is not set: using the FACEIT emulator');
  }
  const activityDeps = await createActivityDeps(config, logger, services);
  stops.push(() => activityDeps.close());

  const workers = await runWorkers({
    config,
    address: services.temporalAddress,
    logger,
    activities: createActivities(activityDeps.deps),
  });
  stops.push(() => workers.shutdown());

  const client = await createTemporalClient({
    address: services.temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  stops.push(() => client.connection.close());
  // Monitoring's Temporal Schedule (idempotent; an operator's pause survives restarts).
  await ensureMonitoringSchedule(client, config, { logger });
  const health = await checkTiers(client, config);
  logger.info({ health: health.map((h) => `${h.tier}:${h.ok ? 'ok' : 'DOWN'}`) }, 'health check');
  // The Telegram bot, after the workers: with BOT_TOKEN it talks to TELEGRAM_API_ROOT; without one the rest runs on.
  if (config.BOT_TOKEN) {
    const { pool, redis } = activityDeps.deps;
    const bot = await startBot(createBotDeps({ config, logger, client, pool, redis }));
    stops.push(() => bot.stop());
  } else {
    logger.warn(BOT_TOKEN_HELP);
  }
  logger.info(
    { webUi: services.temporalUiUrl, temporal: services.temporalAddress },
    `ready — Temporal Web UI: ${services.temporalUiUrl ?? '(external Temporal)'}; Ctrl-C to stop`,
  );
}

main().catch((err) => {
  logger.fatal({ err }, `start-up failed: ${describeError(err)}`);
  process.exit(1);
});
