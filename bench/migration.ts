import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { runMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { followLegacyMigration, startLegacyMigration } from '../src/migration/client';
import { startServices } from '../dev/services';
import { createTemporalClient } from '../src/temporal/client';
import { bundleWorkflows } from '../src/temporal/worker';
import { writeLegacyFile } from './migration-data';

/**
 * `npm run bench:migration [-- --users 100000 --batch-size 1000]`: generates a legacy file and migrates it through
 * Temporal and PostgreSQL (started embedded and thrown away unless TEMPORAL_ADDRESS / DATABASE_URL are given),
 * with the worker in its own process so its peak RSS is the migration's. The last line is the result as JSON.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '100000' },
      'batch-size': { type: 'string', default: '1000' },
    },
  });
  const users = Number(values.users);
  const batchSize = Number(values['batch-size']);
  const logger = createLogger({ pretty: false, level: 'warn' });
  const dir = mkdtempSync(join(tmpdir(), 'bench-migration-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    TASK_QUEUE_LOW: `bench-low-${randomUUID()}`,
  });
  const services = await startServices(config, { logger, mode: 'ephemeral', databaseName: 'faceit_bench' });
  let worker: ChildProcess | undefined;
  try {
    await runMigrations(services.databaseUrl, { logger });
    let started = Date.now();
    const file = join(dir, 'data.json');
    const generated = writeLegacyFile(file, { users, seed: 2025 });
    const megabytes = statSync(file).size / 2 ** 20;
    console.log(
      `generated ${generated.records} records (${users} users), ${megabytes.toFixed(1)} MB in ${secondsSince(started)} s`,
    );

    const bundlePath = join(dir, 'workflows.js');
    writeFileSync(bundlePath, (await bundleWorkflows()).code);
    worker = await startWorker(bundlePath, {
      TEMPORAL_ADDRESS: services.temporalAddress,
      DATABASE_URL: services.databaseUrl,
      TASK_QUEUE_LOW: config.TASK_QUEUE_LOW,
    });
    const baselineMb = rssMb(worker.pid!, 'VmRSS');
    resetPeakRss(worker.pid!);

    const client = await createTemporalClient({
      address: services.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
    });
    started = Date.now();
    const { handle } = await startLegacyMigration(
      client,
      { file, batchSize },
      { workflowId: `bench-migration-${Date.now()}`, taskQueue: config.TASK_QUEUE_LOW, searchable: false },
    );
    let peakMb = 0;
    const report = await followLegacyMigration(handle, (p) => {
      peakMb = Math.max(peakMb, rssMb(worker!.pid!, 'VmHWM'));
      process.stderr.write(`\r${p.phase}: ${p.read} read, ${p.ratePerSecond}/s     `);
    });
    const seconds = (Date.now() - started) / 1000;
    peakMb = Math.max(peakMb, rssMb(worker.pid!, 'VmHWM'));
    await client.connection.close();
    process.stderr.write('\n');
    if (!report.ok || report.migrated !== users)
      throw new Error(`migration not OK: ${JSON.stringify(report)}`);
    const result = {
      users,
      records: report.read,
      file_mb: Math.round(megabytes * 10) / 10,
      batch_size: batchSize,
      seconds: Math.round(seconds * 100) / 100,
      rate_per_s: Math.round(users / seconds),
      rss_peak_mb: Math.round(peakMb),
      rss_baseline_mb: Math.round(baselineMb),
      migrated: report.migrated,
      duplicates_merged: report.duplicates_merged,
      rejected: report.rejected,
      verified: report.verification?.checked ?? 0,
    };
    console.log(
      `migrated ${users} users (${report.read} records) in ${result.seconds} s: ${result.rate_per_s} users/s`,
    );
    console.log(
      `worker RSS: ${result.rss_baseline_mb} MB idle, ${result.rss_peak_mb} MB peak during the migration`,
    );
    console.log(JSON.stringify(result));
  } finally {
    worker?.send('stop');
    await new Promise((r) => (worker ? worker.once('exit', r) : r(undefined)));
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function startWorker(bundlePath: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'migration-worker.ts'), {
    // BENCH_WORKER_HEAP_MB caps the worker's V8 heap: a run that passes under a small cap shows memory is bounded.
    execArgv: [
      '-r',
      'ts-node/register/transpile-only',
      ...(process.env.BENCH_WORKER_HEAP_MB
        ? [`--max-old-space-size=${process.env.BENCH_WORKER_HEAP_MB}`]
        : []),
    ],
    env: { ...process.env, ...env, BENCH_WORKFLOW_BUNDLE: bundlePath },
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`benchmark worker exited with ${code}`)));
  });
}

/** From /proc: VmRSS is the current resident set, VmHWM its peak since start (or since resetPeakRss). */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** Start-up (loading the SDK, connecting) is not the migration's memory: Linux resets VmHWM on "5". */
function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted: the peak then includes start-up, which only overstates it
  }
}

const secondsSince = (start: number) => ((Date.now() - start) / 1000).toFixed(1);

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
