/**
 * What activities share about their own Temporal context: the heartbeat loop that runs beside a long activity's work,
 * and the cancellation signal of the running activity. Activity-side only (Node code; workflows never import it).
 */
import { Context } from '@temporalio/activity';

export interface HeartbeatLoop {
  /** Milliseconds between heartbeats while the work runs. */
  everyMs: number;
  /**
   * The first heartbeat after this long, the loop from then on; 0 (the default): one at once, before the work
   * starts. An activity that usually ends sooner then sends none (Temporal Cloud bills each heartbeat).
   */
  firstAfterMs?: number;
  /** The details each heartbeat carries, read at every beat (what a retry finds in `info.heartbeatDetails`). */
  details?: () => unknown;
}

/**
 * Runs `work` while heartbeating on `loop`'s clock, whatever the work waits for (rate-limit slots, a long statement,
 * a pacer), so a cancellation reaches the activity and a dead worker's activity times out within the heartbeat
 * timeout. `work` gets the context and `beat` (one heartbeat now, with the same details) for progress it wants
 * recorded at once. The loop ends with the work, however it ends.
 */
export async function heartbeating<T>(
  loop: HeartbeatLoop,
  work: (ctx: Context, beat: () => void) => Promise<T>,
): Promise<T> {
  const ctx = Context.current();
  const beat = () => ctx.heartbeat(loop.details?.());
  let every: NodeJS.Timeout | undefined;
  const start = () => {
    beat();
    every = setInterval(beat, loop.everyMs);
  };
  const first = loop.firstAfterMs ? setTimeout(start, loop.firstAfterMs) : undefined;
  if (!first) start();
  try {
    return await work(ctx, beat);
  } finally {
    clearTimeout(first);
    clearInterval(every);
  }
}

/**
 * The running activity's cancellation signal (nothing is sent or waited for after it gave up); none when called
 * outside an activity (the operator console, scripts, tests).
 */
export function activityCancellation(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}
