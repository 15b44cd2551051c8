import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, configSchema, loadConfig, startupRefusals } from '../../src/config';

const envExample = readFileSync(join(__dirname, '../../.env.example'), 'utf8');
const exampleVars = new Map(
  envExample
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
);

describe('configuration', () => {
  it('starts with defaults from an empty environment, pointing at the real outside services', () => {
    const config = loadConfig({});
    expect(config.FACEIT_API_BASE_URL).toBe('https://open.faceit.com/data/v4');
    expect(config.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(config.FACEIT_RATE_LIMIT_PER_SECOND).toBe(10);
    expect(config.QUOTA_FREE_PER_DAY).toBe(5);
    expect(config.WORKER_TIERS).toEqual(['critical', 'high', 'default', 'low']);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('takes base URLs of the outside services from the environment (emulators, local Bot API servers)', () => {
    const config = loadConfig({
      FACEIT_API_BASE_URL: 'http://127.0.0.1:9000/data/v4',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9001',
      ADMIN_TELEGRAM_IDS: '1, 7012345678',
    });
    expect(config.FACEIT_API_BASE_URL).toBe('http://127.0.0.1:9000/data/v4');
    expect(config.TELEGRAM_API_ROOT).toBe('http://127.0.0.1:9001');
    expect(config.ADMIN_TELEGRAM_IDS).toEqual(['1', '7012345678']);
  });

  it('names every wrong variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({
        FACEIT_RATE_LIMIT_PER_SECOND: 'fast',
        DATABASE_URL: 'not a url',
        WORKER_TIERS: 'high,urgent',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/FACEIT_RATE_LIMIT_PER_SECOND: expected a number \(got "fast"\)/);
    expect(message).toMatch(/DATABASE_URL: expected a URL/);
    expect(message).toMatch(/WORKER_TIERS: expected a comma-separated subset of critical,high,default,low/);
  });

  it('reads Redis Sentinel addresses (and refuses a list that is not host:port)', () => {
    const config = loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b:26380,sentinel-c:26381' });
    expect(config.REDIS_SENTINELS).toEqual([
      { host: '10.0.0.1', port: 26379 },
      { host: 'sentinel-b', port: 26380 },
      { host: 'sentinel-c', port: 26381 },
    ]);
    expect(config.REDIS_SENTINEL_NAME).toBe('mymaster');
    expect(loadConfig({ REDIS_SENTINELS: '' }).REDIS_SENTINELS).toBeUndefined();
    expect(() => loadConfig({ REDIS_SENTINELS: 'sentinel-a' })).toThrow(
      /REDIS_SENTINELS: expected comma-separated host:port/,
    );
  });

  it('never repeats a secret value in its error message', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis-password-123' })).toThrow(
      /REDIS_URL: expected a URL \(got "\*\*\*"\)/,
    );
    expect(() => loadConfig({ REDIS_URL: 'redis-password-123' })).not.toThrow(/redis-password-123/);
  });

  it('lists every variable in .env.example with its default', () => {
    const schemaVars = Object.keys(configSchema.shape).sort();
    expect([...exampleVars.keys()].sort()).toEqual(schemaVars);
    const defaults = loadConfig({});
    for (const [name, value] of exampleVars) {
      if (value === '') continue; // optional, no default
      const parsed = loadConfig({ [name]: value })[name as keyof typeof defaults];
      expect({ name, value: parsed }).toEqual({ name, value: defaults[name as keyof typeof defaults] });
    }
  });

  describe('what a production process refuses to start with (one rule set for the bot and the workers)', () => {
    const ready = {
      NODE_ENV: 'production',
      BILLING_PAYLOAD_SECRET: 'a-long-random-secret',
      TEMPORAL_ADDRESS: 'temporal:7233',
      DATABASE_URL: 'postgres://bot@db/bot',
      REDIS_URL: 'redis://redis:6379',
    };

    it('starts with every server named and a secret of its own', () => {
      expect(startupRefusals(loadConfig(ready), 'a production worker')).toEqual([]);
      expect(startupRefusals(loadConfig(ready), 'the production bot')).toEqual([]);
    });

    it('names each missing server, for the process that needs it', () => {
      const { TEMPORAL_ADDRESS: _t, REDIS_URL: _r, ...rest } = ready;
      expect(startupRefusals(loadConfig(rest), 'a production worker')).toEqual([
        'TEMPORAL_ADDRESS must be set for a production worker (use `npm run dev` for the embedded stack)',
        'REDIS_URL (or REDIS_SENTINELS) must be set for a production worker (use `npm run dev` for the embedded stack)',
      ]);
    });

    it('takes Redis Sentinels for Redis', () => {
      const { REDIS_URL: _r, ...rest } = ready;
      const config = loadConfig({ ...rest, REDIS_SENTINELS: 'sentinel-1:26379,sentinel-2:26379' });
      expect(startupRefusals(config, 'the production bot')).toEqual([]);
    });

    it('refuses webhook mode without its public address and its secret, in the bot only', () => {
      const config = loadConfig({ ...ready, BOT_MODE: 'webhook' });
      expect(startupRefusals(config, 'the production bot')).toEqual([
        'BOT_MODE=webhook needs BOT_WEBHOOK_URL (the public HTTPS address)',
        'BOT_MODE=webhook needs BOT_WEBHOOK_SECRET: Telegram sends it back so forged updates are refused',
      ]);
      expect(startupRefusals(config, 'a production worker')).toEqual([]);
      const complete = loadConfig({
        ...ready,
        BOT_MODE: 'webhook',
        BOT_WEBHOOK_URL: 'https://bot.example.com/telegram',
        BOT_WEBHOOK_SECRET: 'webhook-secret',
      });
      expect(startupRefusals(complete, 'the production bot')).toEqual([]);
    });

    it('lists the invoice secret with the rest, so one start shows every problem', () => {
      const { BILLING_PAYLOAD_SECRET: _s, DATABASE_URL: _d, ...rest } = ready;
      const problems = startupRefusals(loadConfig(rest), 'the production bot');
      expect(problems).toHaveLength(2);
      expect(problems[0]).toContain('BILLING_PAYLOAD_SECRET must be set');
      expect(problems[1]).toContain('DATABASE_URL must be set for the production bot');
    });
  });
});
