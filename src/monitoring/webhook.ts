import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { taskQueueFor, type Config } from '../config';
import { HttpError, readBody, requestPath } from '../ops/http';
import { signalBriefRoomChanged, startPreMatchBrief, startVetoBrief } from '../briefs';
import { withRpcDeadline } from '../temporal/deadline';
import { MatchId } from '../temporal/search-attributes';
import { createMonitoringRepository } from './repository';
import type { FaceitMatchEvent, monitoringMatchWorkflow } from './workflows';

/**
 * FACEIT webhooks (POST /webhooks/faceit): `match_status_finished` starts the notification path for the tracked
 * players of the match at once, without waiting for a polling cycle; `match_status_ready` records their pre-match
 * ELO; `match_object_created` starts a brief in time for the map vote (src/briefs: the room is polled until its
 * rosters appear, the brief is sent during VOTING and edited when the map is picked); `match_status_configuring` and
 * `match_status_ready` send pre-match briefs at once, or tell the one watching the vote to look at the map. FACEIT subscriptions carry a static secret in a header of our choice; it must equal FACEIT_WEBHOOK_SECRET
 * (compared in constant time). Without a configured secret every call is refused.
 *
 * Answers: 202 started, 200 ignored or duplicate (FACEIT retries deliveries; one workflow per match and event),
 * 401 wrong secret, 400 bad body, 405 not POST, 503 not configured or Temporal/PostgreSQL unavailable (FACEIT retries;
 * every Temporal call has TEMPORAL_RPC_TIMEOUT_MS, so an unresponsive Temporal answers 503 within it).
 *
 * Mount in any node:http server: `if (await handler(req, res)) return;` — resolves false for other paths.
 */

export const FACEIT_WEBHOOK_PATH = '/webhooks/faceit';
export const FACEIT_WEBHOOK_SECRET_HEADER = 'X-Faceit-Webhook-Secret';
const MAX_BODY_BYTES = 256 * 1024;

export interface FaceitWebhookDeps {
  config: Config;
  logger: Logger;
  pool: DatabasePool;
  temporal: Client;
}

export interface FaceitWebhookOptions {
  path?: string;
  headerName?: string;
  /** Passed to the match workflow: wait before the first check (default: the workflow's 20 s). */
  settleMs?: number;
  retryDelayMs?: number;
}

const webhookSchema = z
  .object({
    event: z.string(),
    event_id: z.string().optional(),
    payload: z
      .object({
        id: z.string().min(1),
        teams: z
          .array(
            z
              .object({ roster: z.array(z.object({ id: z.string().min(1) }).passthrough()).nullish() })
              .passthrough(),
          )
          .nullish(),
      })
      .passthrough(),
  })
  .passthrough();

const EVENTS: readonly string[] = [
  'match_object_created',
  'match_status_finished',
  'match_status_ready',
  'match_status_configuring',
];
/** Events of a match starting: chats with auto-brief on get the lobby analysis at once (src/briefs). */
const STARTING: Record<string, string> = {
  match_status_configuring: 'CONFIGURING',
  match_status_ready: 'READY',
};

const digest = (value: string) => createHash('sha256').update(value).digest();

function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(digest(given), digest(expected));
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The body as text, or the HttpError to answer (413 too large, 400 aborted). */
async function readText(req: IncomingMessage): Promise<string | HttpError> {
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
}

export function createFaceitWebhookHandler(
  deps: FaceitWebhookDeps,
  options: FaceitWebhookOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const path = options.path ?? FACEIT_WEBHOOK_PATH;
  const header = (options.headerName ?? FACEIT_WEBHOOK_SECRET_HEADER).toLowerCase();
  const repo = createMonitoringRepository(deps.pool);
  const log = deps.logger.child({ component: 'faceit-webhook' });

  return async (req, res) => {
    if (requestPath(req) !== path) return false;
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      send(res, 405, { error: 'method not allowed' });
      return true;
    }
    const secret = deps.config.FACEIT_WEBHOOK_SECRET;
    if (!secret) {
      log.warn('FACEIT webhook refused: FACEIT_WEBHOOK_SECRET is not set');
      send(res, 503, { error: 'webhooks are not configured' });
      return true;
    }
    if (!secretMatches(req.headers[header], secret)) {
      log.warn({ remote: req.socket.remoteAddress }, 'FACEIT webhook with a wrong or missing secret');
      res.setHeader('connection', 'close');
      send(res, 401, { error: 'unauthorized' });
      return true;
    }
    const raw = await readText(req);
    if (raw instanceof HttpError) {
      res.setHeader('connection', 'close');
      send(res, raw.status, { error: raw.message });
      return true;
    }
    let parsed: z.infer<typeof webhookSchema>;
    try {
      const result = webhookSchema.safeParse(JSON.parse(raw));
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'invalid body');
      parsed = result.data;
    } catch (err) {
      send(res, 400, { error: `bad body: ${err instanceof Error ? err.message : String(err)}` });
      return true;
    }
    const event = parsed.event;
    const matchId = parsed.payload.id;
    if (!EVENTS.includes(event)) {
      send(res, 200, { ignored: `event ${parsed.event}` });
      return true;
    }
    const roster = [
      ...new Set((parsed.payload.teams ?? []).flatMap((t) => (t.roster ?? []).map((p) => p.id))),
    ];
    try {
      if (event === 'match_object_created') {
        // Rosters may be missing at creation: the brief's workflow polls the room until they appear.
        if (roster.length > 0 && (await repo.trackedAmong(roster)).length === 0) {
          send(res, 200, { ignored: 'no tracked players' });
          return true;
        }
        const veto = await startVetoBrief(deps.temporal, deps.config, { matchId, createdAt: Date.now() });
        log.info(
          { event, matchId, rosterKnown: roster.length > 0, started: veto.started },
          'FACEIT webhook accepted',
        );
        send(res, veto.started ? 202 : 200, {
          ok: true,
          workflowId: veto.workflowId,
          duplicate: !veto.started,
        });
        return true;
      }
      const playerIds = [...(await repo.trackedAmong(roster))];
      if (!playerIds.length) {
        send(res, 200, { ignored: 'no tracked players' });
        return true;
      }
      let briefId: string | undefined;
      if (STARTING[event]) {
        const brief = await startPreMatchBrief(deps.temporal, deps.config, {
          matchId,
          playerIds,
          source: 'webhook',
          status: STARTING[event],
        });
        briefId = brief.workflowId;
        // A brief sent during the vote is already watching this match: the map is picked now.
        if (!brief.started) await signalBriefRoomChanged(deps.temporal, deps.config, matchId);
        if (event === 'match_status_configuring') {
          send(res, brief.started ? 202 : 200, { ok: true, workflowId: briefId, duplicate: !brief.started });
          return true;
        }
      }
      const workflowId = `monitoring-${event === 'match_status_finished' ? 'finished' : 'ready'}-${matchId}`;
      try {
        await withRpcDeadline(deps.temporal, deps.config, () =>
          deps.temporal.workflow.start<typeof monitoringMatchWorkflow>('monitoringMatchWorkflow', {
            taskQueue: taskQueueFor(deps.config, 'low'),
            workflowId,
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            workflowExecutionTimeout: '15 minutes',
            typedSearchAttributes: [{ key: MatchId, value: matchId }],
            args: [
              {
                event: event as FaceitMatchEvent,
                matchId,
                playerIds,
                settleMs: options.settleMs,
                retryDelayMs: options.retryDelayMs,
              },
            ],
          }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        send(res, 200, { duplicate: true, workflowId });
        return true;
      }
      log.info({ event, matchId, players: playerIds.length, workflowId, briefId }, 'FACEIT webhook accepted');
      send(res, 202, { ok: true, workflowId, briefId });
    } catch (err) {
      log.error({ err, event, matchId }, 'FACEIT webhook could not be handled');
      send(res, 503, { error: 'temporarily unavailable' });
    }
    return true;
  };
}
