export {
  createFaceitClient,
  type FaceitCallOptions,
  type FaceitClient,
  type FaceitClientConfig,
  type FaceitClientOptions,
  type FaceitClientStats,
  type RetryPolicy,
} from './client';
export { faceitCallsLastHour, faceitHourlyBudget } from './call-counter';
export { FACEIT_ENDPOINTS, type FaceitEndpoint } from './endpoints';
export {
  FaceitBadRequestError,
  FaceitBadResponseError,
  FaceitError,
  FaceitNotFoundError,
  FaceitRateLimitedError,
  FaceitUnauthorizedError,
  FaceitUnavailableError,
  NON_RETRYABLE_FACEIT_ERRORS,
  toActivityFailure,
} from './errors';
export { ACTIVE_DUTY_POOL, mapKey, mapLabel, normaliseMap } from './maps';
export type { EndpointCounters } from './metrics';
export * from './schemas';
export { faceitQueueDepth, type QueueDepth } from './rate-limiter';
