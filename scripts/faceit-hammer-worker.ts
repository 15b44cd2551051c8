import { Redis } from 'ioredis';
import { QUEUE_TIERS, type QueueTier, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createFaceitClient } from '../src/faceit/client';

/**
 * One hammering process (forked by scripts/faceit-hammer.ts and test/faceit/rate-limit.test.ts): `concurrency`
 * loops calling FACEIT through the shared client with the cache bypassed, so every call costs budget, until
 * `durationMs` after the parent's "go". Config comes from the environment like the real workers
 * (FACEIT_API_BASE_URL, FACEIT_API_KEY, FACEIT_RATE_LIMITER, REDIS_URL); HAMMER_* set the load.
 */

export interface HammerReport {
  pid: number;
  ok: number;
  errors: Record<string, number>;
  byTier: Record<QueueTier, { ok: number; totalMs: number; maxMs: number }>;
  limiter: string;
  upstreamCalls: number;
  rateLimited: number;
}

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig(env);
  const playerIds = (env.HAMMER_PLAYER_IDS ?? '').split(',').filter(Boolean);
  const concurrency = Number(env.HAMMER_CONCURRENCY ?? 8);
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
  const client = createFaceitClient({
    config,
    redis,
    logger: createLogger({ level: env.LOG_LEVEL ?? 'warn', pretty: false }),
    keyPrefix: env.HAMMER_KEY_PREFIX,
    metricsRegistry: null,
  });
  const byTier = Object.fromEntries(
    QUEUE_TIERS.map((t) => [t, { ok: 0, totalMs: 0, maxMs: 0 }]),
  ) as HammerReport['byTier'];
  const report: HammerReport = {
    pid: process.pid,
    ok: 0,
    errors: {},
    byTier,
    limiter: '',
    upstreamCalls: 0,
    rateLimited: 0,
  };

  process.send?.({ type: 'ready' });
  const go = await new Promise<{ durationMs: number }>((resolve) =>
    process.on('message', (m: { type: string; durationMs: number }) => m.type === 'go' && resolve(m)),
  );
  const until = Date.now() + go.durationMs;
  let n = 0;
  const loop = async () => {
    while (Date.now() < until) {
      const i = n++;
      const playerId = playerIds[(i * 7919 + process.pid) % playerIds.length];
      const tier = QUEUE_TIERS[i % QUEUE_TIERS.length];
      const started = Date.now();
      try {
        const opts = { priority: tier, cache: false };
        if (i % 3 === 0) await client.getPlayerStats(playerId, opts);
        else if (i % 3 === 1) await client.getPlayerMatchStats(playerId, { limit: 30 }, opts);
        else await client.getPlayer(playerId, opts);
        const ms = Date.now() - started;
        report.ok++;
        byTier[tier].ok++;
        byTier[tier].totalMs += ms;
        byTier[tier].maxMs = Math.max(byTier[tier].maxMs, ms);
      } catch (err) {
        const name = err instanceof Error ? err.name : 'unknown';
        report.errors[name] = (report.errors[name] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const stats = client.stats();
  report.limiter = stats.limiter;
  report.upstreamCalls = stats.totals.upstreamCalls;
  report.rateLimited = stats.totals.rateLimited;
  process.send?.({ type: 'report', report });
  await client.close();
  redis.disconnect();
  setTimeout(() => process.exit(0), 50);
}

void main();
