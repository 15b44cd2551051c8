/**
 * Redis as production runs it: a primary, a replica, and three Sentinels that watch the primary (quorum 2) and
 * promote the replica when it dies. The app finds the primary through the Sentinels (REDIS_SENTINELS).
 * Faults: SIGKILL the primary (Sentinel fails over; the old primary returns as a replica), and lose both data
 * servers at once and bring them back empty (no persistence: everything in Redis is gone).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { freePort, waitUntil } from '../../dev/services/ports';
import { spawnManaged, type ManagedProcess } from '../../dev/services/processes';
import { findRedisServer } from '../../dev/services/redis';

export const SENTINEL_NAME = 'mymaster';

export interface RedisTopology {
  /** For REDIS_SENTINELS. */
  sentinels: string;
  /** Where the Sentinels say the primary is now. */
  primaryPort(): Promise<number>;
  pids(): { data: number[]; sentinels: number[] };
  /** SIGKILLs the primary; resolves with the ms until the Sentinels name the replica as the primary. */
  killPrimary(): Promise<number>;
  /** Restarts a killed data server (it rejoins as a replica: Sentinel reconfigures it). */
  restartKilled(): Promise<void>;
  /** SIGKILLs both data servers, then starts them empty on the same ports (the known primary first). */
  loseAll(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisTopology(options: { dir: string; logger: Logger }): Promise<RedisTopology> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server is not installed: run `npm run provision` (as root) first');
  mkdirSync(options.dir, { recursive: true });
  const dataPorts = [await freePort(), await freePort()];
  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  const data = new Map<number, ManagedProcess>();
  const sentinels: ManagedProcess[] = [];
  let killed: number | undefined;

  const startData = async (port: number, replicaOf?: number) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--dir', options.dir);
    if (replicaOf) args.push('--replicaof', '127.0.0.1', String(replicaOf));
    data.set(port, spawnManaged(`redis-${port}`, bin, args, { logger: options.logger }));
    await waitUntil('redis', () => ping(port), 15_000);
  };
  await startData(dataPorts[0]);
  await startData(dataPorts[1], dataPorts[0]);
  for (const port of sentinelPorts) {
    const conf = join(options.dir, `sentinel-${port}.conf`);
    // Sentinel rewrites its file with what it learns (replicas, other Sentinels, the current epoch).
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${options.dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${dataPorts[0]} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 3000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 15000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        '',
      ].join('\n'),
    );
    sentinels.push(spawnManaged(`sentinel-${port}`, bin, [conf, '--sentinel'], { logger: options.logger }));
    await waitUntil('sentinel', () => ping(port), 15_000);
  }

  const primaryPort = async () => {
    const errors: unknown[] = [];
    for (const port of sentinelPorts) {
      const client = probeClient(port);
      try {
        const addr = (await client.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as string[];
        return Number(addr[1]);
      } catch (err) {
        errors.push(err);
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`no Sentinel answered: ${String(errors[0])}`);
  };
  // Every Sentinel knows the replica (and each other) before any fault.
  await waitUntil(
    'sentinels to know the replica',
    async () => {
      const client = probeClient(sentinelPorts[0]);
      try {
        const replicas = (await client.call('SENTINEL', 'replicas', SENTINEL_NAME)) as unknown[];
        const peers = (await client.call('SENTINEL', 'sentinels', SENTINEL_NAME)) as unknown[];
        if (replicas.length < 1 || peers.length < 2) throw new Error('not yet');
      } finally {
        client.disconnect();
      }
    },
    30_000,
  );

  return {
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    primaryPort,
    pids: () => ({ data: [...data.values()].map((p) => p.pid), sentinels: sentinels.map((s) => s.pid) }),
    async killPrimary() {
      const t0 = Date.now();
      const primary = await primaryPort();
      await data.get(primary)!.stop('SIGKILL');
      data.delete(primary);
      killed = primary;
      for (;;) {
        const now = await primaryPort().catch(() => primary);
        if (now !== primary) return Date.now() - t0;
        if (Date.now() - t0 > 60_000) throw new Error('Sentinel did not fail over within 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async restartKilled() {
      if (killed === undefined) return;
      const port = killed;
      killed = undefined;
      // Started as a primary of its own, as after a crash; the Sentinels turn it into a replica of the new one.
      await startData(port);
    },
    async loseAll(downMs) {
      const primary = await primaryPort();
      for (const [port, proc] of [...data]) {
        await proc.stop('SIGKILL');
        data.delete(port);
      }
      await new Promise((r) => setTimeout(r, downMs));
      const other = dataPorts.find((p) => p !== primary)!;
      await startData(primary);
      await startData(other, primary);
    },
    async stop() {
      for (const s of sentinels) await s.stop('SIGTERM', 3_000);
      for (const p of data.values()) await p.stop('SIGTERM', 3_000);
    },
  };
}

function probeClient(port: number): Redis {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  client.on('error', () => undefined);
  return client;
}

async function ping(port: number): Promise<void> {
  const client = probeClient(port);
  try {
    await client.ping();
  } finally {
    client.disconnect();
  }
}
