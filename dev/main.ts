import { loadConfigOrExit } from '../src/config';
import { describeError, logger } from '../src/logger';
import { onShutdown } from '../src/shutdown';
import { freePort, isPortFree } from './services/ports';
import { startServices } from './services';
import type * as SrcActivitiesModule from '../src/activities';
import type * as SrcActivitiesDepsModule from '../src/activities/deps';
import type * as SrcBotDepsModule from '../src/bot/deps';
import type * as SrcBotRunModule from '../src/bot/run';
import type * as SrcDbMigrateModule from '../src/db/migrate';
import type * as EmulatorsFaceitModule from '../emulators/faceit';
import type * as EmulatorsTelegramModule from '../emulators/telegram';
import type * as SrcOpsServerModule from '../src/ops/server';
import type * as SrcHealthModule from '../src/health';
import type * as SrcBillingModule from '../src/billing';
import type * as SrcMonitoringModule from '../src/monitoring';
import type * as SrcRetentionModule from '../src/retention';
import type * as SrcTemporalClientModule from '../src/temporal/client';
import type * as SrcTemporalRuntimeModule from '../src/temporal/runtime';
import type * as SrcTemporalWorkerModule from '../src/temporal/worker';
import type * as SlonikModule from 'slonik';

/**
 * The rest of the system, loaded while the services boot: the Temporal dev server takes a second or so in its own
 * process, and loading the bot, the workers and the emulators takes about as long in this one. (`require`, not
 * `import()`: under nodenext a CommonJS file's import() goes through the ES module loader.)
 */
function loadSystem() {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after the services' processes are spawned (above) */
  return {
    ...(require('../src/activities') as typeof SrcActivitiesModule),
    ...(require('../src/activities/deps') as typeof SrcActivitiesDepsModule),
    ...(require('../src/bot/deps') as typeof SrcBotDepsModule),
    ...(require('../src/bot/run') as typeof SrcBotRunModule),
    ...(require('../src/db/migrate') as typeof SrcDbMigrateModule),
    ...(require('../emulators/faceit') as typeof EmulatorsFaceitModule),
    ...(require('../emulators/telegram') as typeof EmulatorsTelegramModule),
    ...(require('../src/ops/server') as typeof SrcOpsServerModule),
    ...(require('../src/health') as typeof SrcHealthModule),
    ...(require('../src/billing') as typeof SrcBillingModule),
    ...(require('../src/monitoring') as typeof SrcMonitoringModule),
    ...(require('../src/retention') as typeof SrcRetentionModule),
    ...(require('../src/temporal/client') as typeof SrcTemporalClientModule),
    ...(require('../src/temporal/runtime') as typeof SrcTemporalRuntimeModule),
    ...(require('../src/temporal/worker') as typeof SrcTemporalWorkerModule),
    sql: (require('slonik') as typeof SlonikModule).sql,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * `npm run dev`: the whole system on one machine. Services not given by the environment are started embedded
 * (Temporal dev server with its Web UI, PostgreSQL, Redis) with their state under DATA_DIR, so workflow history
 * survives a restart; then the migrations, the workers of every tier and a health check that shows in the Web UI.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // The supported runtime is Node.js 24 LTS, what the image and CI run; an older Node still starts, with a warning.
  if (Number(process.versions.node.split('.')[0]) < 24) {
    logger.warn(
      `Node ${process.version} is not the supported runtime (Node.js 24 LTS, as in the image and CI): ` +
        'export PATH="$(bash .ci/node24):$PATH" and run npm run dev again',
    );
  }
  // The Temporal SDK's worker metrics, as a production worker exports them (a free port if the usual one is taken).
  const sdkMetricsPort = config.TEMPORAL_METRICS_PORT
    ? await portOrFree(config.TEMPORAL_METRICS_PORT)
    : undefined;
  // Installs a missing redis-server / Temporal CLI (or names the command that does) before starting them.
  let temporalSpawned = () => {};
  const spawned = new Promise<void>((resolve) => (temporalSpawned = resolve));
  const starting = startServices(config, {
    logger,
    mode: 'persistent',
    webUi: true,
    install: true,
    onTemporalSpawned: temporalSpawned,
  });
  // Loading blocks this process: only once the Temporal dev server's process is on its way.
  await Promise.race([spawned, starting.catch(() => undefined)]);
  const {
    createActivities,
    createActivityDeps,
    createBotDeps,
    startBot,
    runMigrations,
    sql,
    createDemoLobbies,
    startFaceitEmulator,
    startTelegramEmulator,
    startOpsServer,
    checkTiers,
    ensureStarsReconcileSchedule,
    ensureMonitoringSchedule,
    ensureRetentionSchedule,
    createTemporalClient,
    installTemporalRuntime,
    runWorkers,
  } = loadSystem();
  installTemporalRuntime(logger, { metricsPort: sdkMetricsPort, metricsHost: '127.0.0.1' });
  const services = await starting;
  const stops: Array<() => Promise<void>> = [() => services.stop()];
  onShutdown(logger, async () => {
    for (const stop of stops.reverse()) await stop();
  });

  await runMigrations(services.databaseUrl, { logger });
  let demoLobby: () => Promise<{ label: string; text: string }[]> = () => Promise.resolve([]);
  if (!config.FACEIT_API_KEY) {
    // No key: the FACEIT emulator stands in, speaking the real API with its real limits.
    const emulator = await startFaceitEmulator({ port: 0 });
    stops.push(() => emulator.stop());
    // Made once, on the first look at the playground: a party, a smurf, levels 2 to 10, a map vote in progress.
    let demos: ReturnType<typeof createDemoLobbies> | undefined;
    demoLobby = async () => {
      demos ??= createDemoLobbies(emulator.control);
      return (await demos).map((d) => ({ label: d.label, text: d.lobby.roomUrl }));
    };
    config.FACEIT_API_BASE_URL = emulator.baseUrl;
    config.FACEIT_API_KEY = 'emulator-key';
    logger.warn({ baseUrl: emulator.baseUrl }, 'FACEIT_API_KEY is not set: using the FACEIT emulator');
  }
  // Without BOT_TOKEN the bot (and the workers' reports) talk to the Telegram emulator instead of Telegram; its
  // web chat (the playground) lets a person use the real bot in a browser.
  let playgroundUrl: string | undefined;
  if (!config.BOT_TOKEN) {
    const telegram = await startTelegramEmulator({
      tokens: [PLAYGROUND_TOKEN],
      botUsername: 'faceit_playground_bot',
      botFirstName: 'FACEIT Analysis (playground)',
      playground: { suggestions: demoLobby },
    });
    stops.push(() => telegram.stop());
    config.BOT_TOKEN = PLAYGROUND_TOKEN;
    config.TELEGRAM_API_ROOT = telegram.apiRoot;
    playgroundUrl = telegram.playgroundUrl;
    logger.warn(
      `BOT_TOKEN is not set, so the bot talks to a local Telegram emulator: chat with it at ${playgroundUrl} . ` +
        'For real Telegram: open https://t.me/BotFather, send /newbot, pick a name and a username ending in "bot", ' +
        'put the token it answers with into .env as BOT_TOKEN=123456:ABC..., and restart.',
    );
  }
  const activityDeps = await createActivityDeps(config, logger, services);
  stops.push(() => activityDeps.close());

  const client = await createTemporalClient({
    address: services.temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  stops.push(() => client.connection.close());
  // Pre-match briefs join the shared analysis from an activity.
  activityDeps.deps.temporal = client;

  const workers = await runWorkers({
    config,
    address: services.temporalAddress,
    logger,
    activities: createActivities(activityDeps.deps),
  });
  stops.push(() => workers.shutdown());
  // Monitoring's Temporal Schedule (idempotent; an operator's pause survives restarts).
  await ensureMonitoringSchedule(client, config, { logger });
  await ensureRetentionSchedule(client, config, { logger });
  // The Stars reconciliation's schedule (getStarTransactions against star_charges), as the critical workers do.
  await ensureStarsReconcileSchedule(client, config, { logger });
  const health = await checkTiers(client, config);
  logger.info({ health: health.map((h) => `${h.tier}:${h.ok ? 'ok' : 'DOWN'}`) }, 'health check');
  const { pool, redis } = activityDeps.deps;
  // /healthz and /metrics of the workers, as in production (worker.ts).
  const ops = await startOpsServer({
    port: await portOrFree(config.WORKER_HTTP_PORT),
    logger,
    checks: {
      database: () => pool.query(sql.unsafe`SELECT 1`),
      redis: () => redis.ping(),
      workers: async () => {
        const stopped = [...workers.workers].filter(([, w]) => w.getState() !== 'RUNNING').map(([t]) => t);
        if (stopped.length) throw new Error(`workers not running: ${stopped.join(', ')}`);
      },
    },
  });
  stops.push(() => ops.close());

  // The Telegram bot, after the workers.
  if (config.BOT_HTTP_PORT) config.BOT_HTTP_PORT = await portOrFree(config.BOT_HTTP_PORT);
  const bot = await startBot(createBotDeps({ config, logger, client, pool, redis }));
  stops.push(() => bot.stop());

  const endpoints = {
    playground: playgroundUrl,
    temporalWebUi: services.temporalUiUrl,
    temporal: services.temporalAddress,
    workerHealth: `http://127.0.0.1:${ops.port}/healthz`,
    workerMetrics: `http://127.0.0.1:${ops.port}/metrics`,
    temporalSdkMetrics: sdkMetricsPort ? `http://127.0.0.1:${sdkMetricsPort}/metrics` : undefined,
    botHealth: `http://127.0.0.1:${bot.httpPort}/healthz`,
    botMetrics: `http://127.0.0.1:${bot.httpPort}/metrics`,
  };
  const lines = Object.entries(endpoints)
    .filter(([, url]) => url)
    .map(([name, url]) => `  ${name.padEnd(18)} ${url}`);
  logger.info(endpoints, `ready; Ctrl-C to stop\n${lines.join('\n')}`);
}

/** A bot token for the playground's emulated Telegram only; it never reaches Telegram. */
const PLAYGROUND_TOKEN = '1000000001:local-playground';

async function portOrFree(port: number): Promise<number> {
  return (await isPortFree(port)) ? port : freePort();
}

main().catch((err) => {
  logger.fatal({ err }, `start-up failed: ${describeError(err)}`);
  process.exit(1);
});
