import { fork } from 'node:child_process';
import path from 'node:path';
import { startFaceitEmulator } from '../emulators/faceit';
import type { RequestCounts } from '../emulators/faceit';
import type { HammerReport } from './faceit-hammer-worker';

/**
 * Proves the shared FACEIT budget holds across processes: N worker processes hammer one emulator through the
 * client (cache bypassed) and the emulator counts the 429s it had to send.
 *
 *   REDIS_URL=redis://127.0.0.1:6390 npx ts-node --transpile-only scripts/faceit-hammer.ts [seconds=30] [workers=2]
 *   FACEIT_RATE_LIMITER=false ... shows the emulator does answer 429s without the limiter.
 *
 * test/faceit/rate-limit.test.ts runs the same thing for ~10 s.
 */

export interface HammerOptions {
  baseUrl: string;
  apiKey: string;
  redisUrl: string;
  keyPrefix: string;
  playerIds: string[];
  seconds: number;
  workers?: number;
  concurrency?: number;
  limiter?: boolean;
}

export interface HammerResult {
  reports: HammerReport[];
  /** From "go" until the last worker reported (in-flight calls finish after the deadline). */
  elapsedMs: number;
}

export async function runHammer(options: HammerOptions): Promise<HammerResult> {
  const worker = path.join(__dirname, 'faceit-hammer-worker.ts');
  const children = Array.from({ length: options.workers ?? 2 }, () =>
    fork(worker, [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        FACEIT_API_BASE_URL: options.baseUrl,
        FACEIT_API_KEY: options.apiKey,
        FACEIT_RATE_LIMITER: String(options.limiter ?? true),
        REDIS_URL: options.redisUrl,
        HAMMER_KEY_PREFIX: options.keyPrefix,
        HAMMER_PLAYER_IDS: options.playerIds.join(','),
        HAMMER_CONCURRENCY: String(options.concurrency ?? 8),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const message = (child: (typeof children)[number], type: string) =>
    new Promise<{ report?: HammerReport }>((resolve, reject) => {
      child.on('message', (m: { type: string; report?: HammerReport }) => m.type === type && resolve(m));
      child.on('exit', (code) => reject(new Error(`hammer worker exited with ${code} before "${type}"`)));
    });
  try {
    await Promise.all(children.map((c) => message(c, 'ready')));
    const reports = children.map((c) => message(c, 'report'));
    const started = Date.now();
    for (const child of children) child.send({ type: 'go', durationMs: options.seconds * 1000 });
    const done = await Promise.all(reports);
    return { reports: done.map((m) => m.report as HammerReport), elapsedMs: Date.now() - started };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

export function summarize({ reports, elapsedMs }: HammerResult, counts: RequestCounts): string {
  const ok = reports.reduce((s, r) => s + r.ok, 0);
  const seconds = elapsedMs / 1000;
  const tiers = reports[0] ? Object.keys(reports[0].byTier) : [];
  const perTier = tiers.map((t) => {
    const all = reports.map((r) => r.byTier[t as keyof HammerReport['byTier']]);
    const n = all.reduce((s, x) => s + x.ok, 0);
    const avg = n ? all.reduce((s, x) => s + x.totalMs, 0) / n : 0;
    return `${t}: ${n} ok, avg ${Math.round(avg)} ms, max ${Math.max(...all.map((x) => x.maxMs))} ms`;
  });
  return [
    `${reports.length} processes, ${seconds.toFixed(1)} s: ${ok} calls ok (${(ok / seconds).toFixed(2)}/s)`,
    `emulator: ${counts.total} requests, ${counts.rateLimited} × 429, max ${counts.maxPerWindow} per 1-s window`,
    `client errors: ${JSON.stringify(reports.map((r) => r.errors))}`,
    ...perTier,
  ].join('\n');
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 30);
  const workers = Number(process.argv[3] ?? 2);
  const emulator = await startFaceitEmulator({ latencyMs: 50, latencyJitterMs: 30 });
  try {
    const playerIds = emulator.control
      .findPlayers({ hasCs2: true, minMatches: 5, limit: 500 })
      .map((p) => p.playerId);
    const result = await runHammer({
      baseUrl: emulator.baseUrl,
      apiKey: emulator.apiKey,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      keyPrefix: `faceit-hammer:${Date.now()}:`,
      playerIds,
      seconds,
      workers,
      limiter: process.env.FACEIT_RATE_LIMITER !== 'false',
    });
    console.log(summarize(result, emulator.control.counts()));
  } finally {
    await emulator.stop();
  }
}

if (require.main === module) void main();
