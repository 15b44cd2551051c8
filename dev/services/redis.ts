import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { freePort, waitUntil } from './ports';
import { spawnManaged } from './processes';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'redis-server was not found on PATH and REDIS_URL is not set: install it ' +
        '(`npm run provision` as root, or `sudo apt-get install -y redis-server`; macOS: `brew install redis`) ' +
        'or point REDIS_URL at a running Redis, e.g. REDIS_URL=redis://127.0.0.1:6379',
    );
    this.name = 'RedisNotInstalledError';
  }
}

export function findRedisServer(searchPath = process.env.PATH ?? ''): string | undefined {
  try {
    return (
      execFileSync('/bin/sh', ['-c', 'command -v redis-server'], {
        encoding: 'utf8',
        env: { PATH: searchPath },
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** `redis-server` from PATH on a free loopback port; with `dir`, snapshots persist there. */
export async function startRedisServer(options: {
  logger: Logger;
  dir?: string;
  searchPath?: string;
  /** The redis-server to run (found by provisioning); default: the one on PATH. */
  bin?: string;
}): Promise<RedisServer> {
  const bin = options.bin ?? findRedisServer(options.searchPath);
  if (!bin) throw new RedisNotInstalledError();
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'no'];
  if (options.dir) {
    mkdirSync(options.dir, { recursive: true });
    args.push('--dir', options.dir, '--save', '60 1');
  } else {
    args.push('--save', '');
  }
  const proc = spawnManaged('redis', bin, args, { logger: options.logger });
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil(
    'Redis',
    async () => {
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined); // a refused probe is reported by waitUntil, not as an unhandled event
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    },
    15_000,
  );
  options.logger.info({ port }, 'redis-server ready');
  return { url, stop: () => proc.stop('SIGTERM', 5_000) };
}
