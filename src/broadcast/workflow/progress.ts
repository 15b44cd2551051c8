import { condition, log } from '@temporalio/workflow';
import type { BroadcastRun } from './state';

/** The admin's progress message. The edit runs beside the next batch (never delaying a send); one edit at a time. */
export class ProgressMessage {
  private lastShown = 0;
  private showing: Promise<void> = Promise.resolve();

  constructor(private readonly run: BroadcastRun) {}

  /** Edits the message (at most every `progressEveryMs` unless forced; a forced edit is awaited). */
  async show(force = false): Promise<void> {
    const { run } = this;
    if (!force && Date.now() - this.lastShown < (run.input.progressEveryMs ?? 3_000)) return;
    this.lastShown = Date.now();
    await this.showing;
    this.showing = run.acts.cosmetic
      .broadcastShowProgress({ broadcastId: run.broadcastId, progress: run.progress() })
      .catch((err: unknown) => log.warn('progress message not updated', { error: err }));
    if (force) await this.showing;
  }

  /** Resolves once the edit in flight (if any) has ended. */
  settled(): Promise<void> {
    return this.showing;
  }
}

/**
 * The progress message follows pause and resume: "paused" once no batch is in flight any more. Runs until
 * `run.sending` turns false.
 */
export async function followPauses(run: BroadcastRun, message: ProgressMessage): Promise<void> {
  const { carry } = run;
  for (;;) {
    await condition(
      () =>
        !run.sending ||
        (carry.paused && run.inFlight === 0 && run.state !== 'paused') ||
        (!carry.paused && run.state === 'paused'),
    );
    if (!run.sending) return;
    run.state = run.pausedOrRunning();
    if (!carry.cancelled) await message.show(true);
  }
}
