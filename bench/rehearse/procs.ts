/**
 * The app's processes as production runs them (`node dist/worker.js`, `node dist/bot/main.js`, from `npm run build`),
 * SIGKILLed and started again by name, and a sampler of every process's RSS and CPU from /proc (process trees:
 * PostgreSQL's backends and nginx's workers count with their parent).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface AppProcess {
  name: string;
  kind: string;
  child: ChildProcess;
  /** Lines of stderr that look like trouble (kept for the report when a process dies). */
  trouble: string[];
}

export class AppProcesses {
  readonly list = new Map<string, AppProcess>();
  constructor(private readonly say: (line: string) => void) {}

  start(name: string, kind: string, script: string, env: Record<string, string>): AppProcess {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const proc: AppProcess = { name, kind, child, trouble: [] };
    let partial = '';
    child.stderr?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!/"level":(50|60)|fatal|Error:/i.test(line)) continue;
        proc.trouble.push(line.slice(0, 400));
        if (proc.trouble.length > 20) proc.trouble.shift();
      }
    });
    child.on('exit', (code, signal) => {
      if (this.list.get(name)?.child === child && signal !== 'SIGKILL' && signal !== 'SIGTERM')
        this.say(`${name} exited (${code ?? signal}): ${proc.trouble.slice(-2).join(' | ')}`);
    });
    this.list.set(name, proc);
    return proc;
  }

  /** SIGKILL, then the same command again; resolves once the old one is gone. */
  async kill(name: string): Promise<AppProcess> {
    const old = this.list.get(name);
    if (!old) throw new Error(`no process ${name}`);
    const gone = new Promise((r) => old.child.once('exit', r));
    old.child.kill('SIGKILL');
    await gone;
    return old;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.list.values()].map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        const gone = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }),
    );
  }
}

export interface KindPeak {
  rss_mb: number;
  cpu_pct: number;
  processes: number;
}

/**
 * Samples /proc every `everyMs`: per kind, the peak RSS of one process (tree) and its peak CPU (% of one core, over
 * the sampling interval). `roots()` names the root pid of every process by kind at the moment of sampling.
 */
export class ProcSampler {
  private readonly peaks = new Map<string, KindPeak>();
  private readonly lastTicks = new Map<number, { ticks: number; at: number }>();
  private timer?: NodeJS.Timeout;
  private readonly hz = 100; // USER_HZ on Linux

  constructor(private readonly roots: () => Array<{ kind: string; pid: number }>) {}

  start(everyMs = 2_000): void {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): Record<string, KindPeak> {
    clearInterval(this.timer);
    return Object.fromEntries([...this.peaks].sort(([a], [b]) => a.localeCompare(b)));
  }

  private sample(): void {
    const now = Date.now();
    const stats = new Map<number, { ppid: number; ticks: number; rssPages: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const raw = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
        // After the command: state(0) ppid(1) … utime(11) stime(12) … rss(21)
        stats.set(Number(entry), {
          ppid: Number(fields[1]),
          ticks: Number(fields[11]) + Number(fields[12]),
          rssPages: Number(fields[21]),
        });
      } catch {
        // gone between readdir and read
      }
    }
    const children = new Map<number, number[]>();
    for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
    const tree = (pid: number): number[] => [pid, ...(children.get(pid) ?? []).flatMap(tree)];
    const perKind = new Map<string, number>();
    for (const { kind, pid } of this.roots()) {
      if (!stats.has(pid)) continue;
      const pids = tree(pid);
      const rssMb = (pids.reduce((n, p) => n + (stats.get(p)?.rssPages ?? 0), 0) * 4096) / 1_048_576;
      const ticks = pids.reduce((n, p) => n + (stats.get(p)?.ticks ?? 0), 0);
      const last = this.lastTicks.get(pid);
      this.lastTicks.set(pid, { ticks, at: now });
      const cpu =
        last && now > last.at ? ((ticks - last.ticks) / this.hz / ((now - last.at) / 1000)) * 100 : 0;
      perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
      const peak = this.peaks.get(kind) ?? { rss_mb: 0, cpu_pct: 0, processes: 0 };
      peak.rss_mb = Math.max(peak.rss_mb, Math.round(rssMb));
      peak.cpu_pct = Math.max(peak.cpu_pct, Math.max(0, Math.round(cpu)));
      this.peaks.set(kind, peak);
    }
    for (const [kind, n] of perKind) {
      const peak = this.peaks.get(kind)!;
      peak.processes = Math.max(peak.processes, n);
    }
  }
}
