import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Logger } from 'pino';

/**
 * Child processes of the embedded services. Each one is registered so that Ctrl-C, SIGTERM or a crash of this
 * process stops it, and a watchdog shell kills it even if this process dies by SIGKILL: no orphans left behind.
 */

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const running = new Set<ManagedProcess>();
const extraPids = new Set<number>();
let hooksInstalled = false;

export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: {
    logger: Logger;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    logLines?: boolean;
    /** Run as this user (a root parent starting PostgreSQL, which refuses to run as root). */
    uid?: number;
    gid?: number;
    /** Every output line, e.g. to detect readiness or keep the last lines for an error message. */
    onLine?: (line: string) => void;
    /** A one-shot command (e.g. initdb): its exit is expected, not warned about. */
    oneShot?: boolean;
  },
): ManagedProcess {
  installExitHooks();
  const child: ChildProcess = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
  });
  // Without a listener a failed spawn (ENOENT, EACCES) is an unhandled 'error' event that kills the process.
  // Its reason is reported by the throw below (at spawn) or by `exited` (later).
  child.on('error', () => undefined);
  if (child.pid === undefined) {
    throw new Error(`${name}: could not start ${command} (${describeSpawnFailure(command, options.uid)})`);
  }
  const log = options.logger.child({ service: name });
  const pipe = (stream: NodeJS.ReadableStream | null) =>
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        options.onLine?.(line);
        if (options.logLines) log.debug(line);
      }
    });
  pipe(child.stdout);
  pipe(child.stderr);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(child.exitCode));
  });
  const pid = child.pid;
  const watchdog = startWatchdog(pid);
  const managed: ManagedProcess = {
    name,
    pid,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      running.delete(managed);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      watchdog.kill('SIGKILL');
    },
  };
  exited.then((code) => {
    if (running.has(managed) && !options.oneShot) log.warn({ code }, `${name} exited unexpectedly`);
    running.delete(managed);
  });
  running.add(managed);
  return managed;
}

/** Why a spawn failed, found synchronously: the 'error' event (with its errno) only comes on the next tick. */
function describeSpawnFailure(command: string, uid: number | undefined): string {
  const as = uid !== undefined ? ` for the user with uid ${uid}` : '';
  try {
    accessSync(command, constants.X_OK);
  } catch (err) {
    return `${(err as NodeJS.ErrnoException).code ?? 'not executable'}: check that it exists and is executable${as}`;
  }
  return `not reachable or not executable${as}: every folder above it must be searchable (x)${as}`;
}

/** Processes started by a library (e.g. embedded PostgreSQL's postmaster) that must die with us too. */
export function guardPid(pid: number): () => void {
  installExitHooks();
  extraPids.add(pid);
  const watchdog = startWatchdog(pid);
  return () => {
    extraPids.delete(pid);
    watchdog.kill('SIGKILL');
  };
}

/** A detached shell that waits for this process to vanish, then kills the child. */
function startWatchdog(childPid: number): ChildProcess {
  const alive = `kill -0 ${childPid} 2>/dev/null`;
  const script = `while kill -0 ${process.pid} 2>/dev/null && ${alive}; do sleep 1; done; ${alive} || exit 0; kill -TERM ${childPid}; sleep 5; ${alive} && kill -KILL ${childPid}; exit 0`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

export async function stopAllManaged(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

function killAllSync(): void {
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  for (const pid of extraPids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: a last-resort kill of whatever is still running.
  process.once('exit', killAllSync);
}
