/**
 * Every activity retry policy, named by what it is for: the one place to read or change how long a kind of call keeps
 * trying. Workflow-safe (definitions only, no Node modules, no I/O): workflow code imports it and passes a policy as
 * `retry` to `proxyActivities`, next to that call's explicit timeouts. A retry policy is no command: changing one
 * changes no stored history's replay, only how a running activity is retried from then on.
 *
 * Unset fields take Temporal's defaults: backoffCoefficient 2, maximumInterval 100 × initialInterval, maximumAttempts
 * unlimited (until the schedule-to-close timeout, if any).
 */
import type { RetryPolicy } from '@temporalio/common';
import { NON_RETRYABLE_FACEIT_ERRORS } from '../faceit/errors';

// ---------------------------------------------------------------- FACEIT calls (404 / 401 / 400 are final)

/** /profile, /matches, /compare, …: a user waits, so a few quick tries (about 4 s in all). */
export const FACEIT_STATS_REQUEST = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '10 seconds',
  maximumAttempts: 4,
  nonRetryableErrorTypes: [...NON_RETRYABLE_FACEIT_ERRORS],
} satisfies RetryPolicy;

/** /track <nickname>: the nickname's player, three quick tries. */
export const FACEIT_TRACK_RESOLVE = {
  initialInterval: '500 milliseconds',
  maximumAttempts: 3,
  nonRetryableErrorTypes: [...NON_RETRYABLE_FACEIT_ERRORS],
} satisfies RetryPolicy;

/** A lobby analysis' calls back off to 15 s (the activities wait for rate-limit slots inside, heartbeating). */
const FACEIT_LOBBY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '15 seconds',
  nonRetryableErrorTypes: [...NON_RETRYABLE_FACEIT_ERRORS],
} satisfies RetryPolicy;

/** The analysed match (its rosters): without it there is no analysis. */
export const FACEIT_LOBBY_MATCH = { ...FACEIT_LOBBY, maximumAttempts: 8 } satisfies RetryPolicy;

/** One player of the lobby: after the last attempt the player is "no data" (the analysis slice counts on it). */
export const FACEIT_LOBBY_PLAYER = { ...FACEIT_LOBBY, maximumAttempts: 6 } satisfies RetryPolicy;

/** An analysed match's outcome (background, low priority): patient, up to 2 minutes between tries. */
export const FACEIT_OUTCOME_CHECK = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 8,
  nonRetryableErrorTypes: [...NON_RETRYABLE_FACEIT_ERRORS],
} satisfies RetryPolicy;

/** A monitoring batch of tracked players (heartbeating; a retry skips the players already done). */
export const FACEIT_MONITORING_BATCH = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 5,
} satisfies RetryPolicy;

/** A veto brief's poll of the match room (the next poll comes soon anyway). */
export const FACEIT_BRIEF_ROOM_POLL = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '10 seconds',
  maximumAttempts: 5,
} satisfies RetryPolicy;

// ---------------------------------------------------------------- Telegram sends (claimed first: a retry is safe)

/** The analysis report (or its refusal): a 400 or a vanished analysis is final. */
export const TELEGRAM_ANALYSIS_REPORT = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 10,
  nonRetryableErrorTypes: ['TelegramBadRequest', 'AnalysisMissingError'],
} satisfies RetryPolicy;

/** A billing notice (payment, refund, renewal, …): retried until sent, Telegram may ask to wait (429). */
export const TELEGRAM_BILLING_NOTICE = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
} satisfies RetryPolicy;

/** A Stars refund: Telegram's refusal is final, and after a few tries an operator sees the failure. */
export const TELEGRAM_STARS_REFUND = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 5,
  nonRetryableErrorTypes: ['TelegramRefused'],
} satisfies RetryPolicy;

/** The Stars history scan (reconciliation, heartbeating per page): the next scheduled run goes on. */
export const TELEGRAM_STARS_SCAN = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 3,
} satisfies RetryPolicy;

/** A pre-match brief (webhook-started). */
export const TELEGRAM_BRIEF = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 8,
} satisfies RetryPolicy;

/** A veto brief and its edit to the picked map. */
export const TELEGRAM_VETO_BRIEF = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 30,
} satisfies RetryPolicy;

/** A broadcast's batch of sends: a quick first retry, since only pending recipients are sent again. */
export const TELEGRAM_BROADCAST_BATCH = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 20,
} satisfies RetryPolicy;

/** A message that only looks better when it works (a progress edit): one retry. */
export const TELEGRAM_COSMETIC = {
  initialInterval: '1 second',
  maximumAttempts: 2,
} satisfies RetryPolicy;

// ---------------------------------------------------------------- PostgreSQL work

/** Billing's ledger transactions: retried until they succeed (a credit is never dropped). */
export const DB_LEDGER_WRITE = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
} satisfies RetryPolicy;

/** Storing an analysis whose FACEIT calls are paid: rides out a PostgreSQL restart (about 2 minutes of retries). */
export const DB_ANALYSIS_STORE = {
  initialInterval: '500 milliseconds',
  backoffCoefficient: 2,
  maximumInterval: '10 seconds',
  maximumAttempts: 16,
} satisfies RetryPolicy;

/** A monitoring cycle's short steps (plan, claim, count, release, a match's ELO note). */
export const DB_MONITORING_STEP = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 5,
} satisfies RetryPolicy;

/** A broadcast's short steps (freeze the audience, counts, finish). */
export const DB_BROADCAST_STEP = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 10,
} satisfies RetryPolicy;

/** Retention's batched deletes (the next scheduled run finishes what one leaves). */
export const DB_RETENTION_PRUNE = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 5,
} satisfies RetryPolicy;

/** The legacy migration's batches: a file that is not JSON, missing or changed will not get better by retrying. */
export const DB_MIGRATION_BATCH = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 20,
  nonRetryableErrorTypes: ['MigrationFileError'],
} satisfies RetryPolicy;

// ---------------------------------------------------------------- the rest

/** A tier's health ping: it proves a worker polls, so a second try at most. */
export const HEALTH_PING = { maximumAttempts: 2, initialInterval: '200 milliseconds' } satisfies RetryPolicy;
