import {
  isGrpcServiceError,
  ServiceError,
  WorkflowFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';

/**
 * Bot → Temporal calls carry a deadline (TEMPORAL_RPC_TIMEOUT_MS): in a partition a handler fails after it instead
 * of hanging, so `sequentialize` never holds a user's later updates (Cancel included) behind it.
 */
export function withDeadline<T>(client: Client, ms: number, call: () => Promise<T>): Promise<T> {
  return client.withDeadline(Date.now() + ms, call);
}

/**
 * Temporal itself did not answer (deadline, unavailable, any gRPC error): the request was not run, so the user is
 * told the service is unavailable, not that FACEIT is. A workflow that ran and failed is another matter.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  if (err instanceof WorkflowFailedError) return false;
  return (
    err instanceof ServiceError ||
    // An update nobody answered before the deadline (no worker, or no server).
    err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    isGrpcServiceError(err) ||
    isDeadlineError(err)
  );
}

function isDeadlineError(err: unknown): boolean {
  return err instanceof Error && /deadline exceeded|DEADLINE_EXCEEDED|UNAVAILABLE/i.test(err.message);
}
