import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { testConfig } from '../harness';

export interface DevRun {
  child: ChildProcess;
  /** Everything the dev run printed so far (stdout and stderr). */
  output: () => string;
  /** The fields of its `ready` log line (the endpoints it serves). */
  ready: Record<string, string>;
}

/**
 * Runs dev/main.ts as `npm run dev` does, against the suite's Temporal, PostgreSQL and Redis and its own task
 * queues; resolves once it logs `ready`, rejects if it exits first.
 */
export async function startDevRun(dataDir: string, env: Record<string, string> = {}): Promise<DevRun> {
  const queues = testConfig();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'dev/main.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      TASK_QUEUE_CRITICAL: queues.TASK_QUEUE_CRITICAL,
      TASK_QUEUE_HIGH: queues.TASK_QUEUE_HIGH,
      TASK_QUEUE_DEFAULT: queues.TASK_QUEUE_DEFAULT,
      TASK_QUEUE_LOW: queues.TASK_QUEUE_LOW,
      BOT_HTTP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = out.split('\n').find((l) => l.includes('"msg":"ready'));
      if (line) {
        clearInterval(timer);
        resolve(JSON.parse(line) as Record<string, string>);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`dev run exited with ${code}:\n${out}`));
    });
  });
  return { child, output: () => out, ready };
}
