/**
 * Re-arming subscription timers whose signal failed. A grant or revocation from the bot commits, then signals the
 * user's subscription workflow (client.ts); the transaction leaves a mark (subscription_timer_resync) that the
 * signal clears. A mark older than `olderThanMs` belongs to a signal that failed or was never sent (the bot died
 * after the commit): this loop sends it again until it goes through. The plan itself is already in force either
 * way (quota and queue tier read the row); what the signal brings is the reminder and the end-of-plan timer.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { periodicLoop } from '../ops/periodic';
import { resyncTimers, type BillingClientDeps } from './client';
import { staleTimerResyncs, timerResyncsWaiting } from './repository';

export interface TimerReconcilerOptions {
  /** A mark younger than this may still be the signal in flight (default 30 s). */
  olderThanMs?: number;
  /** How often the loop runs (default 60 s). */
  everyMs?: number;
  /** Where the counters go (the bot's /metrics); none: not exported. */
  registry?: Registry;
}

export function createTimerReconciler(deps: BillingClientDeps, options: TimerReconcilerOptions = {}) {
  const olderThanMs = options.olderThanMs ?? 30_000;
  const everyMs = options.everyMs ?? 60_000;
  const log = deps.logger.child({ component: 'billing-reconciler' });
  const registers = options.registry ? [options.registry] : [];
  const resynced = new Counter({
    name: 'billing_timer_resync_total',
    help: 'Subscription timers re-armed by the reconciler after their signal failed, by result (resynced, failed)',
    labelNames: ['result'] as const,
    registers,
  });
  const waiting = new Gauge({
    name: 'billing_timer_resync_waiting',
    help: 'Committed plan changes whose subscription workflow signal failed and is not yet re-sent',
    registers,
  });

  async function reconcileOnce(): Promise<{ resynced: number; failed: number }> {
    const result = { resynced: 0, failed: 0 };
    for (const row of await staleTimerResyncs(deps.pool, olderThanMs)) {
      if (await resyncTimers(deps, row.telegram_id, row.token)) result.resynced++;
      else result.failed++;
    }
    if (result.resynced) resynced.inc({ result: 'resynced' }, result.resynced);
    if (result.failed) resynced.inc({ result: 'failed' }, result.failed);
    if (result.resynced) log.info(result, 'subscription timers re-armed after a failed signal');
    waiting.set(await timerResyncsWaiting(deps.pool, olderThanMs));
    return result;
  }

  const loop = periodicLoop(reconcileOnce, {
    everyMs,
    onError: (err) => log.warn({ err }, 'timer reconciliation round failed'),
  });
  return {
    reconcileOnce,
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
