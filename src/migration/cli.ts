import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfigOrExit, taskQueueFor } from '../config';
import { temporalInterceptors } from '../temporal/client';
import { ensureMigrationSearchAttributes, followLegacyMigration, startLegacyMigration } from './client';
import { formatReport } from './report';
import type { MigrationProgress } from './types';

const USAGE = `usage: npm run migrate -- --file <data.json> [--dry-run] [--json] [--batch-size N] [--run-id ID]

Starts the legacy migration workflow on the low task queue (the workers of \`npm run dev\` run it), follows its
progress and prints the report. --run-id resumes (or re-attaches to) a run: same id, same checkpoint.
With --json the report is printed as one JSON line on stdout; progress always goes to stderr.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '1000' },
      'run-id': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const batchSize = Number(values['batch-size']);
  if (values.help || !values.file || !Number.isInteger(batchSize) || batchSize < 1) {
    console.error(USAGE);
    return values.help ? 0 : 64;
  }
  const file = resolve(values.file);
  if (!existsSync(file)) {
    console.error(
      `${file} does not exist (the workers read the file by this path, so it must exist for them too)`,
    );
    return 66;
  }
  const config = loadConfigOrExit();
  const address = config.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const connection = await Connection.connect({
    address,
    connectTimeout: '5 seconds',
    interceptors: temporalInterceptors(),
  }).catch((err: unknown) => {
    console.error(
      `Cannot reach Temporal at ${address}: ${(err as Error).message}\n` +
        (config.TEMPORAL_ADDRESS ? '' : 'TEMPORAL_ADDRESS is not set, so the default was tried. ') +
        'Start the stack with `npm run dev` (it logs the Temporal address) and set TEMPORAL_ADDRESS to it.',
    );
    return undefined;
  });
  if (!connection) return 69;
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const taskQueue = taskQueueFor(config, 'low');
    await warnWithoutWorkers(client, config.TEMPORAL_NAMESPACE, taskQueue);
    const searchable = await ensureMigrationSearchAttributes(client, config.TEMPORAL_NAMESPACE);
    const workflowId =
      values['run-id'] ?? `legacy-migration-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const { handle, attached } = await startLegacyMigration(
      client,
      { file, batchSize, dryRun: values['dry-run'] },
      { workflowId, taskQueue, searchable },
    );
    console.error(
      `${attached ? 'Following the running' : 'Started'} migration ${workflowId} on ${taskQueue}\n` +
        `  pause:  temporal workflow signal --workflow-id ${workflowId} --name pauseMigration\n` +
        `  resume: temporal workflow signal --workflow-id ${workflowId} --name resumeMigration\n` +
        `  Ctrl-C detaches; the migration keeps running (follow again with --run-id ${workflowId}).`,
    );
    process.once('SIGINT', () => {
      console.error(`\ndetached from ${workflowId}; it keeps running`);
      process.exit(130);
    });
    const report = await followLegacyMigration(handle, (p) => showProgress(p));
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(values.json ? JSON.stringify(report) : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    let cause: Error = err;
    while (cause.cause instanceof Error) cause = cause.cause;
    console.error(`\nThe migration failed: ${cause.message}`);
    console.error('Fix the cause and run the same command with --run-id <id> to resume from the last batch.');
    return 1;
  } finally {
    await connection.close();
  }
}

function showProgress(p: MigrationProgress): void {
  const percent = p.fileSize ? Math.floor((100 * p.bytes) / p.fileSize) : 0;
  const eta = p.etaSeconds === null ? '?' : `${p.etaSeconds}s`;
  const line =
    `${p.paused ? 'PAUSED ' : ''}${p.phase} ${percent}%: read ${p.read}, migrated ${p.migrated}, ` +
    `merged ${p.duplicatesMerged}, rejected ${p.rejected}${p.phase === 'verifying' ? `, verified ${p.verified}` : ''}` +
    ` — ${p.ratePerSecond}/s, ETA ${eta}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(110)}`);
  else console.error(line);
}

async function warnWithoutWorkers(client: Client, namespace: string, taskQueue: string): Promise<void> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  if (!pollers?.length) {
    console.error(
      `No worker polls ${taskQueue} yet: start \`npm run dev\` (or \`npm run worker\`); the run waits for one.`,
    );
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
