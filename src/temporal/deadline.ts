import {
  isGrpcServiceError,
  ServiceError,
  WorkflowFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';

/**
 * The one way the bot (and its webhook routes, and the slices' client functions) calls Temporal: every bot → Temporal
 * call carries a deadline (TEMPORAL_RPC_TIMEOUT_MS, or the bound of what it waits for): in a partition a handler
 * fails after it instead of hanging, so `sequentialize` never holds a user's later updates (Cancel included) behind
 * it, and the user hears `reliability-temporal-unavailable` (see isTemporalUnavailable). Every gRPC call made
 * inside `call` (a start, then a result's long polls) shares the one deadline.
 */
export function withDeadline<T>(client: Client, ms: number, call: () => Promise<T>): Promise<T> {
  return client.withDeadline(Date.now() + ms, call);
}

/** TEMPORAL_RPC_TIMEOUT_MS's default, for a client function called without the configuration (scripts, tests). */
export const DEFAULT_RPC_DEADLINE_MS = 10_000;

/** withDeadline with the configured RPC deadline (TEMPORAL_RPC_TIMEOUT_MS) plus `extraMs` of waiting, if any. */
export function withRpcDeadline<T>(
  client: Client,
  config: { TEMPORAL_RPC_TIMEOUT_MS?: number } | undefined,
  call: () => Promise<T>,
  extraMs = 0,
): Promise<T> {
  return withDeadline(client, (config?.TEMPORAL_RPC_TIMEOUT_MS ?? DEFAULT_RPC_DEADLINE_MS) + extraMs, call);
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
