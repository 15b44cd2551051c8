import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import Redis from 'ioredis';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { startServices } from '../../dev/services';
import { RedisNotInstalledError, startRedisServer } from '../../dev/services/redis';
import { testLogger } from '../harness';

const portOpen = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function closedWithin(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await portOpen(url)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

const childrenOf = (pid: number) =>
  execFileSync('sh', ['-c', `ps -o pid= --ppid ${pid} || true`], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

describe('services module', () => {
  it('reuses URLs given by the configuration and starts nothing', async () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
    });
    const before = childrenOf(process.pid).length;
    const services = await startServices(config, { logger: testLogger, mode: 'ephemeral' });
    expect(services).toMatchObject({
      temporalAddress: process.env.TEMPORAL_ADDRESS,
      databaseUrl: process.env.DATABASE_URL,
      redisUrl: process.env.REDIS_URL,
      started: { temporal: false, postgres: false, redis: false },
    });
    expect(childrenOf(process.pid).length).toBe(before);
    await services.stop();
    expect(await portOpen(process.env.REDIS_URL!)).toBe(true); // a given service is never stopped by us
  });

  /** The module run as an entry point runs it: a separate process, as `npm run dev` would. */
  async function startEntryPoint(env: Record<string, string>) {
    const owner = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'test/foundation/fixtures/start-services.ts'],
      {
        cwd: `${__dirname}/../..`,
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      owner.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
      owner.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    return {
      owner,
      services: JSON.parse(line) as { databaseUrl: string; redisUrl: string; started: object },
    };
  }

  it('starts real PostgreSQL and Redis when not given, and stops them on SIGTERM without leaving processes', async () => {
    const { owner, services } = await startEntryPoint({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS! });
    expect(services.started).toEqual({ temporal: false, postgres: true, redis: true });
    const redis = new Redis(services.redisUrl);
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
    const pg = new Client({ connectionString: services.databaseUrl });
    await pg.connect();
    expect((await pg.query('SELECT current_database() AS db')).rows[0].db).toBe('svc_test');
    await pg.end();

    owner.kill('SIGTERM');
    await new Promise((resolve) => owner.once('exit', resolve));
    expect(await closedWithin(services.redisUrl, 5_000)).toBe(true);
    expect(await closedWithin(services.databaseUrl, 5_000)).toBe(true);
  }, 120_000);

  it('kills its children when the owning process dies by SIGKILL (no orphans)', async () => {
    const { owner, services } = await startEntryPoint({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS! });
    expect(await portOpen(services.redisUrl)).toBe(true);
    expect(await portOpen(services.databaseUrl)).toBe(true);
    owner.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while (
      ((await portOpen(services.redisUrl)) || (await portOpen(services.databaseUrl))) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await portOpen(services.redisUrl)).toBe(false);
    expect(await portOpen(services.databaseUrl)).toBe(false);
  }, 120_000);

  it('says how to install Redis when redis-server is missing', async () => {
    const start = () => startRedisServer({ logger: testLogger, searchPath: '/nonexistent' });
    await expect(start()).rejects.toThrow(RedisNotInstalledError);
    await expect(start()).rejects.toThrow(/apt-get install -y redis-server/);
  });
});
