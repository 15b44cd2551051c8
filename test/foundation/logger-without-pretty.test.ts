import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * pino-pretty is a dev dependency, so the production image does not have it. A process started there in
 * development mode (NODE_ENV=development, or `pretty: true`) must still log, as JSON lines, instead of dying on the
 * missing transport.
 */
const ROOT = join(__dirname, '..', '..');

function logWithoutPinoPretty(env: Record<string, string>, code: string): string {
  return execFileSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      join(__dirname, 'fixtures', 'without-pino-pretty.js'),
      '-e',
      code,
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 },
  );
}

describe('logging where pino-pretty is not installed (the production image)', () => {
  it('cannot load pino-pretty in that process (the set-up is what it claims)', () => {
    const out = logWithoutPinoPretty(
      {},
      "try { require.resolve('pino-pretty'); console.log('found') } catch { console.log('missing') }",
    );
    expect(out.trim()).toBe('missing');
  });

  it.each([
    ['NODE_ENV=development', { NODE_ENV: 'development' }, 'createLogger()'],
    ['pretty: true', { NODE_ENV: 'production' }, 'createLogger({ pretty: true })'],
  ])('logs JSON lines with %s', (_, env, create) => {
    const out = logWithoutPinoPretty(
      env,
      `const { createLogger } = require('./src/logger'); const log = ${create}; log.info({ chat: 1 }, 'still logging'); log.flush?.();`,
    );
    const line = JSON.parse(out.trim().split('\n').pop()!) as { msg: string; chat: number; level: number };
    expect(line).toMatchObject({ msg: 'still logging', chat: 1, level: 30 });
  });
});
