/**
 * `npm run build && npm run bench:worker-startup -- [--runs 3] [--variants prebuilt,devCached]`
 *
 * Start-up of a worker process (all four tiers), five ways:
 * - `prebuilt`: `node dist/worker.js` with the bundle `npm run build` wrote (what the image runs);
 * - `bundledAtStart`: the same without that file and with the bundle cache emptied (webpack at start);
 * - `devCached`: the worker under ts-node from `src/`, as `npm run dev` runs it, with the bundle cached under the
 *   sources' hash (src/temporal/bundle-cache.ts: every start after the first);
 * - `devCold`: the same with the cache emptied (the first start after a source change);
 * - `devTsc`: as `devCached`, with ts-node transpiling through TypeScript (how `npm run dev` ran until 7 Dec).
 * Services: Temporal, PostgreSQL and Redis through dev/services (ephemeral). Measured per run, from spawn:
 * the `workers polling` log line and the first 200 from /healthz; then SIGTERM → exit. Printed: the median and the
 * p90 (nearest rank) of each figure over the runs, the load average before and after; last stdout line: JSON.
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { runMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { startServices, type Services } from '../dev/services';
import { BUNDLE_CACHE_DIR } from '../src/temporal/bundle-cache';
import { freePort } from '../dev/services/ports';

const root = join(__dirname, '..');
const BUNDLE = join(root, 'dist', 'workflow-bundle.js');

interface Run {
  polling: number;
  /** Of `polling`, the time in runWorkers (connect, find the bundle, create the tiers' workers): its log's startMs. */
  workers: number;
  healthy: number;
  shutdown: number;
}

type Variant = 'prebuilt' | 'bundledAtStart' | 'devCached' | 'devCold' | 'devTsc';
/** As `npm run dev` runs its code: ts-node transpiling with swc (no type check). */
const DEV_ARGS = [require.resolve('ts-node/dist/bin.js'), '--swc', join(root, 'src', 'worker.ts')];
/** How `npm run dev` ran it until 7 Dec: ts-node transpiling with TypeScript (`--transpile-only`). */
const PREBUILT_ARGS = [join(root, 'dist', 'worker.js')];
const TSC_ARGS = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'worker.ts')];

async function startWorker(services: Services, tag: string, args: string[]): Promise<Run> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      BILLING_PAYLOAD_SECRET: 'bench-payload-secret',
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: services.temporalAddress,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      FACEIT_API_KEY: 'bench-key',
      WORKER_HTTP_PORT: String(port),
      TASK_QUEUE_CRITICAL: `bench-critical-${tag}`,
      TASK_QUEUE_HIGH: `bench-high-${tag}`,
      TASK_QUEUE_DEFAULT: `bench-default-${tag}`,
      TASK_QUEUE_LOW: `bench-low-${tag}`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const polling = new Promise<{ at: number; workers: number }>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.includes('"workers polling"'));
      if (line)
        resolve({ at: Date.now() - started, workers: (JSON.parse(line) as { startMs: number }).startMs });
    });
    void exited.then((code) => reject(new Error(`worker exited with ${code}: ${buffered.slice(-2000)}`)));
  });
  const { at: pollingMs, workers } = await polling;
  let healthyMs = 0;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      healthyMs = Date.now() - started;
      break;
    }
    if (Date.now() - started > 120_000) throw new Error('worker never became healthy');
    await new Promise((r) => setTimeout(r, 25));
  }
  const stopping = Date.now();
  child.kill('SIGTERM');
  await exited;
  return { polling: pollingMs, workers, healthy: healthyMs, shutdown: Date.now() - stopping };
}

/** Nearest-rank percentile: the smallest value with at least q of the runs at or below it. */
const percentile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)];
const median = (xs: number[]) => percentile(xs, 0.5);
const VARIANTS: readonly Variant[] = ['prebuilt', 'bundledAtStart', 'devCold', 'devCached', 'devTsc'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      variants: { type: 'string', default: VARIANTS.join(',') },
    },
  });
  const runs = Number(values.runs);
  const wanted = new Set(values.variants.split(',').map((v) => v.trim()));
  const unknown = [...wanted].filter((v) => !VARIANTS.includes(v as Variant));
  if (unknown.length) {
    console.error(`unknown variant(s) ${unknown.join(', ')}: choose from ${VARIANTS.join(', ')}`);
    process.exit(2);
  }
  const loadBefore = loadavg().map((l) => l.toFixed(2));
  if (!existsSync(join(root, 'dist', 'worker.js')) || !existsSync(BUNDLE)) {
    console.error('run `npm run build` first (it compiles to dist/ and prebuilds dist/workflow-bundle.js)');
    process.exit(2);
  }
  const logger = createLogger({ pretty: false, level: 'warn' });
  const services = await startServices(loadConfig({ NODE_ENV: 'test' }), { logger, mode: 'ephemeral' });
  const results: Record<Variant, Run[]> = {
    prebuilt: [],
    bundledAtStart: [],
    devCached: [],
    devCold: [],
    devTsc: [],
  };
  const emptyCache = () => rmSync(BUNDLE_CACHE_DIR, { recursive: true, force: true });
  try {
    await runMigrations(services.databaseUrl, { logger });
    for (let i = 0; i < runs; i++) {
      if (wanted.has('prebuilt')) results.prebuilt.push(await startWorker(services, `p${i}`, PREBUILT_ARGS));
      if (wanted.has('bundledAtStart')) {
        renameSync(BUNDLE, `${BUNDLE}.aside`);
        try {
          emptyCache();
          results.bundledAtStart.push(await startWorker(services, `b${i}`, PREBUILT_ARGS));
        } finally {
          renameSync(`${BUNDLE}.aside`, BUNDLE);
        }
      }
      if (wanted.has('devCold')) {
        emptyCache();
        results.devCold.push(await startWorker(services, `dc${i}`, DEV_ARGS));
      }
      if (wanted.has('devCached')) results.devCached.push(await startWorker(services, `dw${i}`, DEV_ARGS));
      if (wanted.has('devTsc')) results.devTsc.push(await startWorker(services, `dt${i}`, TSC_ARGS));
    }
  } finally {
    await services.stop();
  }
  const loadAfter = loadavg().map((l) => l.toFixed(2));
  const summary = Object.fromEntries(
    Object.entries(results)
      .filter(([, rs]) => rs.length)
      .map(([variant, rs]) => [
        variant,
        {
          pollingMs: median(rs.map((r) => r.polling)),
          pollingP90Ms: percentile(
            rs.map((r) => r.polling),
            0.9,
          ),
          workersMs: median(rs.map((r) => r.workers)),
          healthyMs: median(rs.map((r) => r.healthy)),
          healthyP90Ms: percentile(
            rs.map((r) => r.healthy),
            0.9,
          ),
          shutdownMs: median(rs.map((r) => r.shutdown)),
          runs: rs,
        },
      ]),
  );
  console.log(
    `worker start-up, ${runs} runs (spawn → "workers polling" / first 200 on /healthz), median / p90; ` +
      `load average (1, 5, 15 min) ${loadBefore.join(' ')} before, ${loadAfter.join(' ')} after:`,
  );
  for (const [variant, s] of Object.entries(summary))
    console.log(
      `  ${variant.padEnd(15)} polling ${s.pollingMs} / ${s.pollingP90Ms} ms (of it runWorkers ${s.workersMs} ms), healthy ${s.healthyMs} / ` +
        `${s.healthyP90Ms} ms, SIGTERM → exit ${s.shutdownMs} ms (median)`,
    );
  console.log(JSON.stringify({ runs, loadBefore, loadAfter, ...summary }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
