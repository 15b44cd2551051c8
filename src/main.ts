import { createActivities } from './activities';
import { createActivityDeps } from './activities/deps';
import { loadConfigOrExit } from './config';
import { runMigrations } from './db/migrate';
import { startFaceitEmulator } from './emulators/faceit';
import { checkTiers } from './health/check';
import { logger } from './logger';
import { onShutdown } from './runtime';
import { startServices } from './services';
import { createTemporalClient } from './temporal/client';
import { installTemporalRuntime } from './temporal/runtime';
import { runWorkers } from './temporal/worker';

/**
 * `npm run dev`: the whole system on one machine. Services not given by the environment are started embedded
 * (Temporal dev server with its Web UI, PostgreSQL, Redis) with their state under DATA_DIR, so workflow history
 * survives a restart; then the migrations, the workers of every tier and a health check that shows in the Web UI.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  installTemporalRuntime(logger);
  const services = await startServices(config, { logger, mode: 'persistent', webUi: true });
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

  const client = await createTemporalClient({ address: services.temporalAddress, namespace: config.TEMPORAL_NAMESPACE });
  stops.push(() => client.connection.close());
  const health = await checkTiers(client, config);
  logger.info({ health: health.map((h) => `${h.tier}:${h.ok ? 'ok' : 'DOWN'}`) }, 'health check');
  logger.info(
    { webUi: services.temporalUiUrl, temporal: services.temporalAddress },
    `ready — Temporal Web UI: ${services.temporalUiUrl ?? '(external Temporal)'}; Ctrl-C to stop`,
  );
}

main().catch((err) => {
  logger.fatal({ err }, 'start-up failed');
  process.exit(1);
});
