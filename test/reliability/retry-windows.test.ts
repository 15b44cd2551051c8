import { msToNumber } from '@temporalio/common/lib/time';
import { OPTIONS } from '../../src/analysis/workflow/options';

/**
 * How long an analysis activity keeps retrying before the analysis gives up: storing the result (its FACEIT calls
 * already paid) and delivering it must outlast a PostgreSQL restart of 30-60 s (the chaos run restarts it for 30 s
 * mid-analysis). Counted as Temporal schedules retries: the backoff between attempts, capped at maximumInterval.
 */
function retryWindowMs(retry: {
  initialInterval: string;
  backoffCoefficient: number;
  maximumInterval: string;
  maximumAttempts: number;
}): number {
  let total = 0;
  let interval = msToNumber(retry.initialInterval);
  for (let attempt = 1; attempt < retry.maximumAttempts; attempt++) {
    total += interval;
    interval = Math.min(interval * retry.backoffCoefficient, msToNumber(retry.maximumInterval));
  }
  return total;
}

describe('analysis activities ride out a database restart', () => {
  it('storing the analysis keeps retrying for well over a minute', () => {
    expect(retryWindowMs(OPTIONS.store.retry)).toBeGreaterThanOrEqual(90_000);
  });

  it('delivering keeps retrying for well over a minute', () => {
    expect(retryWindowMs(OPTIONS.deliver.retry)).toBeGreaterThanOrEqual(90_000);
  });
});
