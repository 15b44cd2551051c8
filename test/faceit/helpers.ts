import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { loadConfig } from '../../src/config';
import type { FaceitClientConfig } from '../../src/faceit/client';
import { createLogger } from '../../src/logger';

/** Shared by the FACEIT tests: Redis from the suite's REDIS_URL, unique key prefixes, configs, loggers. */

export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error(
      "REDIS_URL is not set: run `redis-server --port 6390 --save '' --daemonize yes` and REDIS_URL=redis://127.0.0.1:6390",
    );
  }
  return url;
}

export function connectRedis(url = redisUrl()): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

export function uniquePrefix(name: string): string {
  return `test:faceit:${name}:${randomUUID().slice(0, 8)}:`;
}

export function clientConfig(baseUrl: string, env: Record<string, string> = {}): FaceitClientConfig {
  return loadConfig({
    FACEIT_API_BASE_URL: baseUrl,
    FACEIT_API_KEY: 'emulator-key',
    FACEIT_REQUEST_TIMEOUT_MS: '2000',
    ...env,
  });
}

export function silentLogger(): Logger {
  return createLogger({ level: 'silent', pretty: false });
}

/** A logger whose lines land in `lines` (parsed JSON), for asserting on warnings and errors. */
export function capturingLogger(level = 'warn'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) };
  return { logger: createLogger({ level, pretty: false, destination }), lines };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A dedicated redis-server child on a fixed port, which a test can kill and start again. */
export class RedisServer {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
    this.child = spawn(bin, ['--port', String(this.port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    await waitFor(
      async () => {
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        }
      },
      10_000,
      `redis-server on ${this.port}`,
    );
    probe.disconnect();
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
