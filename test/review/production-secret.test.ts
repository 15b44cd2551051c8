import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { productionRefusals, loadConfig, DEV_PAYLOAD_SECRET } from '../../src/config';

/**
 * Issue 22, item 11: in production the workers, like the bot, refuse to start with the public development invoice
 * secret (BILLING_PAYLOAD_SECRET unset, or set to that secret): exit 78 (EX_CONFIG) with the reason.
 */
const root = join(__dirname, '../..');

function start(entry: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', entry], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
  });
}

describe('production refuses the development invoice secret', () => {
  it('names the problem in production only', () => {
    expect(productionRefusals(loadConfig({ NODE_ENV: 'production' }))).toHaveLength(1);
    expect(
      productionRefusals(loadConfig({ NODE_ENV: 'production', BILLING_PAYLOAD_SECRET: DEV_PAYLOAD_SECRET })),
    ).toHaveLength(1);
    expect(
      productionRefusals(loadConfig({ NODE_ENV: 'production', BILLING_PAYLOAD_SECRET: 'a-real-secret' })),
    ).toEqual([]);
    expect(productionRefusals(loadConfig({ NODE_ENV: 'development' }))).toEqual([]);
  });

  it.each([
    ['a worker', 'src/worker.ts'],
    ['the bot', 'src/bot/main.ts'],
  ])('%s exits 78 without a secret of its own, and gets past the check with one', (_name, entry) => {
    const base = { NODE_ENV: 'production', BOT_TOKEN: '7000000001:TEST' };
    const refused = start(entry, base);
    expect(refused.status).toBe(78);
    expect(refused.stdout + refused.stderr).toContain('BILLING_PAYLOAD_SECRET must be set');

    // With its own secret the process goes on to the next check (no TEMPORAL_ADDRESS here).
    const own = start(entry, { ...base, BILLING_PAYLOAD_SECRET: 'a-long-random-secret' });
    expect(own.status).toBe(78);
    expect(own.stdout + own.stderr).not.toContain('BILLING_PAYLOAD_SECRET');
    expect(own.stdout + own.stderr).toContain('TEMPORAL_ADDRESS must be set');
  });
});
