import { proxyActivities } from '@temporalio/workflow';
import {
  DB_BROADCAST_STEP,
  TELEGRAM_BROADCAST_BATCH,
  TELEGRAM_COSMETIC,
} from '../../temporal/retry-policies';
import type { BroadcastActivities } from '../activities';
import type { BroadcastWorkflowInput } from '../workflow-types';

/** See BroadcastWorkflowInput.heartbeatTimeoutMs. */
const SEND_HEARTBEAT_TIMEOUT_MS = 3_000;

/** The broadcast activities, one proxy per kind of call (each with its own timeouts and retries). */
export interface Proxies {
  /** Prepare, hand out ranges, finish: database work, retried for a while. */
  quick: BroadcastActivities;
  /** The admin's progress message: two tries, a failure is only logged. */
  cosmetic: BroadcastActivities;
  /** The send batches. */
  sender: BroadcastActivities;
}

export function proxiesFor(input: BroadcastWorkflowInput): Proxies {
  const quick = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '2 minutes',
    retry: DB_BROADCAST_STEP,
  });
  const cosmetic = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '20 seconds',
    retry: TELEGRAM_COSMETIC,
  });
  // A killed worker's batch moves on after the heartbeat timeout plus the first retry interval: both short, since
  // the batch heartbeats twice a second however long it waits (pacer, retry_after), and a retry of a batch is safe
  // (only pending recipients are sent, each under a claim). Changing these changes no command of old histories.
  const sender = proxyActivities<BroadcastActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? SEND_HEARTBEAT_TIMEOUT_MS,
    retry: TELEGRAM_BROADCAST_BATCH,
  });
  return { quick, cosmetic, sender };
}
