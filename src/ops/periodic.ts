/**
 * A background round on a clock, one at a time (the bot's reconcilers, the webhook update queue's sweeper): a tick
 * while a round still runs is skipped, a failed round is reported and the next tick tries again, the clock never
 * keeps the process alive, and stopping waits for the round in flight.
 */
export interface PeriodicLoop {
  /** A round now, unless one is running or the loop was stopped. */
  kick(): void;
  /** Starts the clock (and, with `now`, a round at once). */
  start(options?: { now?: boolean }): void;
  /** Stops the clock and new rounds; resolves when the round in flight, if any, has ended. */
  stop(): Promise<void>;
}

export function periodicLoop(
  round: () => Promise<unknown>,
  options: { everyMs: number; onError: (err: unknown) => void },
): PeriodicLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const kick = () => {
    if (stopped || running) return;
    running = round()
      .then(() => undefined, options.onError)
      .finally(() => (running = undefined));
  };
  return {
    kick,
    start({ now = false } = {}) {
      stopped = false;
      if (now) kick();
      timer = setInterval(kick, options.everyMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
