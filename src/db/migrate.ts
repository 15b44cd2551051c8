import { join } from 'node:path';
import { Client } from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

/** Both from src/db (ts-node, tests) and dist/db (compiled) this resolves to the repository's migrations/. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');

export async function runMigrations(
  databaseUrl: string,
  options: { logger?: Logger; direction?: 'up' | 'down'; count?: number } = {},
): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: options.direction ?? 'up',
      count: options.count ?? Infinity,
      migrationsTable: 'pgmigrations',
      // One lock so several workers starting at once do not race each other.
      noLock: false,
      log: (message: string) => options.logger?.debug(message),
      verbose: false,
      checkOrder: true,
    });
    const names = applied.map((m) => m.name);
    if (names.length) options.logger?.info({ migrations: names }, 'database migrations applied');
    return names;
  } finally {
    await client.end();
  }
}
