import { loadConfigOrExit } from '../config';
import { logger } from '../logger';
import { runMigrations } from './migrate';

/** `npm run migrate:db [-- down]`: applies (or rolls back one) migration on DATABASE_URL. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.DATABASE_URL) {
    console.error(
      'DATABASE_URL is not set: the embedded database is migrated automatically by `npm run dev`.',
    );
    process.exit(78);
  }
  const down = process.argv.includes('down');
  await runMigrations(config.DATABASE_URL, {
    logger,
    direction: down ? 'down' : 'up',
    count: down ? 1 : Infinity,
  });
}

main().catch((err) => {
  logger.error({ err }, 'migration failed');
  process.exit(1);
});
