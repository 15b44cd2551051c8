// Event-driven waiting: every state change bumps a version and wakes the waiters, which re-check their predicate.

export interface WaitOptions {
  timeoutMs?: number;
  /** Appended to the timeout error, evaluated lazily (e.g. a transcript of the chat). */
  describe?: () => string;
}

export const DEFAULT_WAIT_MS = 10_000;

export class Notifier {
  version = 0;
  private readonly listeners = new Set<() => void>();

  bump(): void {
    this.version++;
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the predicate's first truthy value, re-evaluated after each change; rejects on timeout. */
  waitFor<T>(predicate: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        this.listeners.delete(check);
        clearTimeout(timer);
      };
      const check = (): void => {
        let value: T | undefined | null | false;
        try {
          value = predicate();
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (value) {
          done();
          resolve(value);
        }
      };
      this.listeners.add(check);
      const timer = setTimeout(() => {
        done();
        const detail = options.describe ? `\n${options.describe()}` : '';
        reject(new Error(`Telegram emulator: waitFor timed out after ${timeoutMs} ms${detail}`));
      }, timeoutMs);
      check();
    });
  }

  /** Resolves with the new version once it passes `since`, or with the current one after `timeoutMs`. */
  waitChange(since: number, timeoutMs: number): Promise<number> {
    return this.waitFor(() => this.version > since && this.version, { timeoutMs }).catch(() => this.version);
  }
}
