import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { runMigrations } from '../../src/db/migrate';
import { createLogger, describeError } from '../../src/logger';
import { startServices, type Services } from '../../dev/services';
import { bundleWorkflows } from '../../src/temporal/worker';

/**
 * Brings up the real Temporal dev server, a fresh PostgreSQL database with the migrations applied, and Redis,
 * through the same services module as the dev run, and bundles the workflow code once for every test file.
 */
export default async function globalSetup(): Promise<void> {
  const logger = createLogger({ pretty: false, level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const started = Date.now();
  const services = await startServices(config, {
    logger,
    mode: 'ephemeral',
    databaseName: 'faceit_bot_test',
  }).catch((err: unknown) => {
    // Jest prints a thrown set-up error as the run's only failure: make it say what and what to do.
    throw new Error(`the test services could not start: ${describeError(err)}`, { cause: err });
  });
  (globalThis as { __services?: Services }).__services = services;
  await runMigrations(services.databaseUrl, { logger });
  const bundle = await bundleWorkflows();
  const bundlePath = join(tmpdir(), `faceit-bot-workflows-${process.pid}.js`);
  writeFileSync(bundlePath, bundle.code);

  Object.assign(process.env, {
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: services.temporalAddress,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    TEST_WORKFLOW_BUNDLE: bundlePath,
    // The suites written for the text report keep it (and skip drawing a card per report on a shared CPU); the
    // card's own suites (test/analysis/card*.test.ts) turn it on in their config.
    ANALYSIS_LOBBY_CARD: process.env.ANALYSIS_LOBBY_CARD ?? 'false',
  });
  logger.info({ ms: Date.now() - started }, 'test services ready');
}
