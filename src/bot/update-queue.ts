/**
 * Webhook mode's durable update queue (docs/delivery.md "Updates from Telegram"), shared by every bot replica through
 * PostgreSQL (`telegram_updates`):
 * - `accept` is the webhook's one insert, keyed by (bot, update_id): after it commits the update cannot be lost, and
 *   a redelivery of it (to this replica or another) inserts nothing and is not handled again;
 * - updates are handled per lane (one user: the key `sequentialize` uses in long polling) in update_id order: only a
 *   lane's oldest open update can be claimed, by one replica at a time, under a lease renewed while its handler runs;
 * - the replica that accepted an update starts its lane at once; a replica that finishes an update goes on with the
 *   lane's next one (whoever accepted it); a sweep on every replica claims what nobody holds: a dead replica's updates
 *   once their lease ran out or was released (an update never claimed is left to the replica that accepted it for one
 *   lease),
 *   a lane that waited for a free slot.
 * An update whose replica died mid-handler is handled again by the next one (at least once); every other update is
 * handled exactly once. A handler's error goes to the bot's error boundary, as in long polling, and is not retried,
 * unless a dependency was unreachable before the handler made any Bot API call (nothing the user could see): then
 * the update goes back into the queue and is tried again after a pause, its lane waiting.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BotError, Context, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { BotContext } from '../bot-kit/context';
import { periodicLoop } from '../ops/periodic';
import { sequenceKey } from './sequence';
import { isTransientFailure, trackBotApiCalls, withCallTracking } from './webhook';

/** Claims of one update before it is given up (a handler that kills its replica each time must not loop forever). */
export const MAX_UPDATE_ATTEMPTS = 5;

export interface UpdateQueueOptions {
  bot: Bot<BotContext>;
  pool: DatabasePool;
  logger: Logger;
  registry: Registry;
  leaseMs: number;
  sweepMs: number;
  concurrency: number;
  retentionHours: number;
  /** This replica's name in `claimed_by` (default host-pid-random). */
  instance?: string;
}

export interface UpdateQueue {
  /** Stores the update (one insert); true when it is new, false for a redelivery of one already accepted. */
  accept(update: Update): Promise<boolean>;
  /** Starts the sweep (and a first one at once, for what a previous replica left). */
  start(): void;
  /** Stops claiming, waits up to `graceMs` for running handlers, releases the leases of those still running. */
  stop(graceMs?: number): Promise<void>;
  /** Open (accepted, not yet handled) updates of this bot, all replicas. */
  backlog(): Promise<number>;
}

const claimedRow = z.object({ update_id: z.number(), payload: z.unknown(), attempts: z.number() });
const laneRow = z.object({ lane: z.string() });
const countRow = z.object({ n: z.number() });

/** The lane of an update: the user (or chat) whose updates are handled one at a time, in order. */
export function laneOf(bot: Bot<BotContext>, update: Update): string {
  const key = sequenceKey(new Context(update, bot.api, bot.botInfo));
  return key === undefined ? `update:${update.update_id}` : key;
}

export function createUpdateQueue(options: UpdateQueueOptions): UpdateQueue {
  const { bot, pool, logger } = options;
  const botId = bot.botInfo.id;
  const instance = options.instance ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const log = logger.child({ component: 'update-queue' });
  trackBotApiCalls(bot);
  const lease = sql.fragment`make_interval(secs => ${options.leaseMs / 1000})`;
  const registers = [options.registry];
  const received = new Counter({
    name: 'bot_webhook_updates_total',
    help: 'Webhook deliveries by result: accepted (stored), duplicate (a redelivery of an accepted update, not handled again)',
    labelNames: ['result'] as const,
    registers,
  });
  const finished = new Counter({
    name: 'bot_webhook_handled_total',
    help: `Accepted updates finished, by outcome: handled, failed (the error boundary answered), abandoned (claimed ${MAX_UPDATE_ATTEMPTS} times without finishing)`,
    labelNames: ['outcome'] as const,
    registers,
  });
  const reclaimed = new Counter({
    name: 'bot_webhook_reclaimed_total',
    help: 'Updates taken over after the lease of the replica handling them ran out (it died or stalled): handled again',
    registers,
  });
  const retried = new Counter({
    name: 'bot_webhook_retried_total',
    help: 'Updates put back in the queue because a dependency was unreachable before any reply (tried again later)',
    registers,
  });
  const backlogGauge = new Gauge({
    name: 'bot_webhook_backlog',
    help: 'Accepted updates not yet handled (all replicas), as of the last sweep',
    registers,
  });

  /** Lanes this replica is draining; `again` = a kick arrived while it ran, look once more before leaving. */
  const lanes = new Map<string, { again: boolean }>();
  const running = new Set<Promise<void>>();
  const holding = new Set<number>();
  let stopping = false;
  let lastCleanup = 0;

  async function claimHead(lane: string) {
    return pool.maybeOne(sql.type(claimedRow)`
      UPDATE telegram_updates t
      SET claimed_by = ${instance}, lease_until = now() + ${lease}, attempts = t.attempts + 1
      WHERE t.bot_id = ${botId} AND t.done_at IS NULL
        AND (t.lease_until IS NULL OR t.lease_until < now())
        AND t.update_id = (
          SELECT update_id FROM telegram_updates
          WHERE bot_id = ${botId} AND lane = ${lane} AND done_at IS NULL
          ORDER BY update_id LIMIT 1)
      RETURNING t.update_id, t.payload, t.attempts`);
  }

  async function finish(updateId: number, outcome: 'handled' | 'failed' | 'abandoned', error?: string) {
    await pool.query(sql.unsafe`
      UPDATE telegram_updates
      SET done_at = now(), outcome = ${outcome}, error = ${error?.slice(0, 500) ?? null}, lease_until = NULL,
        payload = CASE WHEN ${outcome} = 'handled' THEN NULL ELSE payload END
      WHERE bot_id = ${botId} AND update_id = ${updateId} AND done_at IS NULL AND claimed_by = ${instance}`);
    finished.inc({ outcome });
  }

  async function renew(updateId: number): Promise<void> {
    const row = await pool.maybeOne(sql.unsafe`
      UPDATE telegram_updates SET lease_until = now() + ${lease}
      WHERE bot_id = ${botId} AND update_id = ${updateId} AND claimed_by = ${instance} AND done_at IS NULL
      RETURNING 1`);
    if (!row) log.warn({ updateId }, 'the lease of an update in progress was taken over by another replica');
  }

  async function handle(updateId: number, payload: unknown): Promise<void> {
    holding.add(updateId);
    const heartbeat = setInterval(
      () => {
        renew(updateId).catch((err: unknown) =>
          log.warn({ err, updateId }, 'could not renew an update lease'),
        );
      },
      Math.max(100, Math.floor(options.leaseMs / 3)),
    );
    let outcome: 'handled' | 'failed' | 'retry' = 'handled';
    let error: string | undefined;
    try {
      const run = await withCallTracking(() => bot.handleUpdate(payload as Update));
      try {
        await run.result;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        if (!run.called && isTransientFailure(err)) {
          // A dependency is unreachable and the user saw nothing yet: kept, and tried again once it may be back.
          outcome = 'retry';
          log.warn(
            { err: err instanceof BotError ? err.error : err, updateId },
            'update failed on an unreachable dependency before any reply: trying it again later',
          );
        } else {
          // As in long polling: the error boundary answers the user; the update is not handled twice.
          outcome = 'failed';
          await Promise.resolve(bot.errorHandler(err as BotError<BotContext>)).catch((boundaryErr: unknown) =>
            log.error({ err: boundaryErr, updateId }, 'the error boundary failed'),
          );
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
    try {
      if (outcome === 'retry') await retryLater(updateId, error);
      else await finish(updateId, outcome, error);
    } finally {
      holding.delete(updateId);
    }
  }

  /** Back in the queue after a pause that doubles each time (1 s … 30 s); such a try does not count as an attempt. */
  async function retryLater(updateId: number, error?: string): Promise<void> {
    await pool.query(sql.unsafe`
      UPDATE telegram_updates
      SET claimed_by = NULL, attempts = GREATEST(attempts - 1, 0), retries = retries + 1,
        error = ${error?.slice(0, 500) ?? null},
        lease_until = now() + make_interval(secs => LEAST(30, power(2, LEAST(retries, 5))))
      WHERE bot_id = ${botId} AND update_id = ${updateId} AND done_at IS NULL AND claimed_by = ${instance}`);
    retried.inc();
  }

  async function drain(lane: string): Promise<void> {
    const state = lanes.get(lane)!;
    try {
      for (;;) {
        state.again = false;
        if (stopping) return;
        const row = await claimHead(lane);
        if (!row) {
          if (state.again) continue;
          return;
        }
        if (row.attempts > 1) {
          reclaimed.inc();
          log.warn(
            { updateId: row.update_id, attempts: row.attempts },
            'taking over an update left unfinished',
          );
        }
        if (row.attempts > MAX_UPDATE_ATTEMPTS) {
          log.error(
            { updateId: row.update_id, attempts: row.attempts },
            'giving up an update that never finished',
          );
          await finish(row.update_id, 'abandoned', `claimed ${row.attempts} times without finishing`);
          continue;
        }
        await handle(row.update_id, row.payload);
      }
    } catch (err) {
      // The database is away: the update stays open and the sweep claims it again once the lease has run out.
      log.warn({ err, lane }, 'update lane stopped');
    } finally {
      lanes.delete(lane);
      if (!stopping && lanes.size < options.concurrency) sweeper.kick();
    }
  }

  function kick(lane: string): void {
    if (stopping) return;
    const state = lanes.get(lane);
    if (state) return void (state.again = true);
    if (lanes.size >= options.concurrency) return; // the sweep starts it once a slot is free
    lanes.set(lane, { again: false });
    const task = drain(lane);
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  async function sweep(): Promise<void> {
    const free = options.concurrency - lanes.size;
    if (free > 0) {
      const heads = await pool.any(sql.type(laneRow)`
        SELECT lane FROM (
          SELECT DISTINCT ON (lane) lane, update_id, lease_until, accepted_by, received_at, attempts
          FROM telegram_updates
          WHERE bot_id = ${botId} AND done_at IS NULL
          ORDER BY lane, update_id) heads
        WHERE lease_until < now()
          OR (lease_until IS NULL
            AND (attempts > 0 OR accepted_by = ${instance} OR received_at < now() - ${lease}))
        ORDER BY update_id LIMIT ${free}`);
      for (const { lane } of heads) kick(lane);
    }
    const { n } = await pool.one(sql.type(countRow)`
      SELECT count(*)::int AS n FROM telegram_updates WHERE bot_id = ${botId} AND done_at IS NULL`);
    backlogGauge.set(n);
    if (Date.now() - lastCleanup > 10 * 60_000) {
      lastCleanup = Date.now();
      await cleanup();
    }
  }

  /** Handled updates are kept only as long as Telegram could still redeliver them. */
  async function cleanup(): Promise<void> {
    const retention = sql.fragment`make_interval(secs => ${options.retentionHours * 3600})`;
    for (;;) {
      const { rowCount } = await pool.query(sql.unsafe`
        DELETE FROM telegram_updates WHERE (bot_id, update_id) IN (
          SELECT bot_id, update_id FROM telegram_updates
          WHERE done_at IS NOT NULL AND done_at < now() - ${retention} LIMIT 5000)`);
      if (rowCount < 5000) return;
    }
  }

  const sweeper = periodicLoop(sweep, {
    everyMs: options.sweepMs,
    onError: (err) => log.warn({ err }, 'update sweep failed'),
  });

  return {
    async accept(update) {
      const lane = laneOf(bot, update);
      const row = await pool.maybeOne(sql.unsafe`
        INSERT INTO telegram_updates (bot_id, update_id, lane, payload, accepted_by)
        VALUES (${botId}, ${update.update_id}, ${lane}, ${sql.jsonb(update as never)}, ${instance})
        ON CONFLICT (bot_id, update_id) DO NOTHING
        RETURNING 1`);
      received.inc({ result: row ? 'accepted' : 'duplicate' });
      if (row) kick(lane);
      return row !== null;
    },
    start() {
      stopping = false;
      sweeper.start({ now: true });
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      const swept = sweeper.stop();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...running, swept]),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
      if (holding.size === 0) return;
      // Still running: another replica may take them over now rather than after the lease.
      await pool
        .query(
          sql.unsafe`
          UPDATE telegram_updates SET lease_until = NULL, claimed_by = NULL
          WHERE bot_id = ${botId} AND claimed_by = ${instance} AND done_at IS NULL
            AND update_id = ANY(${sql.array([...holding], 'int8')})`,
        )
        .catch((err: unknown) => log.warn({ err }, 'could not release update leases'));
    },
    async backlog() {
      const { n } = await pool.one(sql.type(countRow)`
        SELECT count(*)::int AS n FROM telegram_updates WHERE bot_id = ${botId} AND done_at IS NULL`);
      return n;
    },
  };
}
