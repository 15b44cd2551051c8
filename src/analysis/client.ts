import {
  ApplicationFailure,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { z } from 'zod';
import { taskQueueFor, QUEUE_TIERS, type Config, type QueueTier } from '../config';
import { MatchId, Plan, TelegramUserId } from '../temporal/search-attributes';
import type { lobbyAnalysisWorkflow } from './workflows';
import {
  analysisProgressQuery,
  CANCEL_REFUSED,
  cancelAnalysisUpdate,
  joinAnalysisUpdate,
  tierOfRequester,
  type AnalysisRequester,
  type AnalysisStage,
  type AnalysisState,
  type AnalysisWorkflowInput,
  type CancelRefusal,
  type JoinOutcome,
  type LifetimePolicy,
  type Locale,
  type ProgressLine,
  type ProgressLobby,
  type Refusal,
} from './workflow-types';

/**
 * The lobby analysis as the bot (and the operator script) sees it: start or join a match's analysis, read its
 * progress, cancel one's request. One workflow per match, id `analysis-<matchId>`; the workflow delivers the report.
 */

export type { AnalysisRequester, AnalysisStage, CancelRefusal, JoinOutcome };

/** What a request did (`joined`: the analysis was already there; false for the requester who started it). */
export interface AnalysisRequestAnswer {
  workflowId: string;
  joined: boolean;
  outcome: JoinOutcome;
}

/** A cancel's answer from the workflow itself: done (and whether the whole analysis stopped), or why not. */
export type CancelResult =
  { status: 'cancelled'; analysisStopped: boolean } | { status: 'refused'; reason: CancelRefusal };

export interface AnalysisProgress {
  matchId: string;
  stage: AnalysisStage;
  done: number;
  total: number;
  /** Nicknames of the players whose data is in, in completion order. */
  donePlayers: string[];
  elapsedMs: number;
  requesters: Array<{ telegramId: number; chatId: number; progressMessageId: number; cancelled: boolean }>;
  refusal?: Refusal;
  /** The rosters and map (the progressive report), and each player's line once their stats are in. */
  lobby?: ProgressLobby;
  lines?: Record<string, ProgressLine>;
}

/** Longest the bot waits for a progress answer before reporting the analysis as queued. */
const QUERY_DEADLINE_MS = 3_000;

const requesterSchema = z.object({
  telegramId: z.number().int().positive(),
  chatId: z
    .number()
    .int()
    .refine((v) => v !== 0, 'chat id must not be 0'),
  progressMessageId: z.number().int().positive(),
  locale: z.enum(['ru', 'en']),
  tier: z.enum(['free', 'premium', 'pro']),
  faceitPlayerId: z.string().min(1).max(64).nullish(),
  usageDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  brief: z.object({ nickname: z.string().min(1).max(64) }).optional(),
});
const refSchema = requesterSchema.pick({ telegramId: true, chatId: true, progressMessageId: true });
const MATCH_ID = /^1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROOM_URL =
  /(?:https?:\/\/)?(?:www\.)?faceit\.com\/(?:[a-z]{2}(?:-[a-z]{2,4})?\/)?(?:cs2|csgo)\/room\/(1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=$|[/?#\s])/i;

export function analysisWorkflowId(matchId: string): string {
  return `analysis-${matchId}`;
}

/** A room URL `https://www.faceit.com/{lang}/cs2/room/{id}[/...]` (anywhere in the text) or a bare match id. */
export function parseMatchReference(text: string): string | null {
  const trimmed = text.trim();
  if (MATCH_ID.test(trimmed)) return trimmed.toLowerCase();
  const url = ROOM_URL.exec(trimmed);
  return url ? url[1].toLowerCase() : null;
}

export function analysisWorkflowInput(
  config: Config,
  matchId: string,
  tier: QueueTier,
  extra: Partial<AnalysisWorkflowInput> = {},
): AnalysisWorkflowInput {
  return {
    matchId,
    tier,
    queues: Object.fromEntries(QUEUE_TIERS.map((t) => [t, taskQueueFor(config, t)])) as Record<
      QueueTier,
      string
    >,
    concurrency: config.ANALYSIS_PLAYER_CONCURRENCY,
    matchesPerPlayer: config.ANALYSIS_MATCHES_PER_PLAYER,
    // Lifetime stats for everybody (roles and per-map records need them); cached for hours, so a cold lobby stays
    // at 1 + 10 × 3 = 31 calls and a warm one at 0 (CACHE_TTL_LIFETIME_STATS_S).
    lifetime: 'always' satisfies LifetimePolicy,
    ...extra,
  };
}

export function analysisSearchAttributes(
  matchId: string,
  tier: string,
  telegramId?: number,
): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: MatchId, value: matchId },
    { key: Plan, value: tier },
  ];
  if (telegramId !== undefined) pairs.push({ key: TelegramUserId, value: telegramId });
  return pairs;
}

/** Update ids name the request: a retried call is answered with the first call's result, not applied twice. */
const requestKey = (r: { chatId: number; progressMessageId: number }) => `${r.chatId}:${r.progressMessageId}`;

/** A join can meet a run that closes under it (the end of its linger): the next attempt starts a fresh run. */
const JOIN_ATTEMPTS = 3;

/**
 * Starts the match's analysis or joins the running / just-finished one, in ONE call: the `joinAnalysis` update with
 * start (`USE_EXISTING`). The workflow's answer says what happened (started, joined, already in, result ready and
 * being delivered, carried to the next run). Joining costs no FACEIT call: the requester gets the same report, in
 * their own language and perspective. The workflow runs on the task queue of the requester's tier (PRO → high,
 * others → default).
 *
 * The first requester is also in the start input (`carried`): a start that happened holds the request even if the
 * update's answer never arrives (no worker before the caller's deadline). Joining is idempotent by (chatId,
 * progressMessageId), so a retry never adds anyone twice.
 */
export async function requestAnalysis(
  client: Client,
  config: Config,
  matchId: string,
  requester: AnalysisRequester,
): Promise<AnalysisRequestAnswer> {
  const r = requesterSchema.parse(requester) as AnalysisRequester;
  const workflowId = analysisWorkflowId(matchId);
  const tier = tierOfRequester(r);
  for (let attempt = 1; ; attempt++) {
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof lobbyAnalysisWorkflow>(
      'lobbyAnalysisWorkflow',
      {
        workflowId,
        taskQueue: taskQueueFor(config, tier),
        args: [analysisWorkflowInput(config, matchId, tier, { carried: [r] })],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        workflowExecutionTimeout: '1 hour',
        typedSearchAttributes: analysisSearchAttributes(matchId, r.tier, r.telegramId),
      },
    );
    try {
      const outcome = await client.workflow.executeUpdateWithStart(joinAnalysisUpdate, {
        args: [r],
        startWorkflowOperation,
        updateId: `join-${requestKey(r)}`,
      });
      return { workflowId, joined: outcome !== 'started', outcome };
    } catch (err) {
      if (attempt < JOIN_ATTEMPTS && err instanceof WorkflowNotFoundError) continue;
      throw err;
    }
  }
}

/**
 * Whether the match's workflow is running (its start is confirmed), for a request whose update went unanswered:
 * no worker before the deadline. The request is then held (in the start input, or as an update the server delivers
 * when a worker comes back; the reconciler settles it if it never does).
 */
export async function isAnalysisRunning(client: Client, matchId: string): Promise<boolean> {
  try {
    const d = await client.workflow.getHandle(analysisWorkflowId(matchId)).describe();
    return d.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export function toAnalysisProgress(state: AnalysisState, now = Date.now()): AnalysisProgress {
  const progress: AnalysisProgress = {
    matchId: state.matchId,
    stage: state.stage,
    done: state.done,
    total: state.total,
    donePlayers: state.donePlayers,
    elapsedMs: Math.max(0, (state.finishedAt ?? now) - state.startedAt),
    requesters: state.requesters.map((r) => ({
      telegramId: r.telegramId,
      chatId: r.chatId,
      progressMessageId: r.progressMessageId,
      cancelled: r.cancelled,
    })),
  };
  if (state.refusal) progress.refusal = state.refusal;
  if (state.lobby) progress.lobby = state.lobby;
  if (state.lines) progress.lines = state.lines;
  return progress;
}

/** The raw workflow state (stage times, FACEIT calls), for the operator script and the benchmark. */
export async function queryAnalysisState(client: Client, workflowId: string): Promise<AnalysisState | null> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    return await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      handle.query(analysisProgressQuery),
    );
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/**
 * Progress of the match's analysis (a workflow query: no history growth however often it is polled), or null when
 * there is none. Right after the start, before a worker has run the workflow, it answers "queued".
 */
export async function getAnalysisProgress(client: Client, matchId: string): Promise<AnalysisProgress | null> {
  const workflowId = analysisWorkflowId(matchId);
  try {
    const state = await queryAnalysisState(client, workflowId);
    return state && toAnalysisProgress(state);
  } catch (err) {
    // Not answerable yet (first workflow task pending, workers busy or down): queued if the workflow exists.
    try {
      const d = await client.workflow.getHandle(workflowId).describe();
      if (d.status.name !== 'RUNNING') throw err;
      return {
        matchId,
        stage: 'queued',
        done: 0,
        total: 0,
        donePlayers: [],
        elapsedMs: Math.max(0, Date.now() - d.startTime.getTime()),
        requesters: [],
      };
    } catch (describeErr) {
      if (describeErr instanceof WorkflowNotFoundError) return null;
      throw describeErr;
    }
  }
}

/**
 * Withdraws one requester (the `cancelAnalysis` update): when nobody is left, the analysis stops and the quota unit
 * is given back. The workflow answers truthfully; its validator refuses a cancel that is not the requester's, names
 * an unknown request, or comes after the answer, and a refused cancel leaves no trace in the history.
 */
export async function cancelAnalysis(
  client: Client,
  matchId: string,
  requester: { telegramId: number; chatId: number; progressMessageId: number },
): Promise<CancelResult> {
  const ref = refSchema.parse(requester);
  try {
    const answer = await client.workflow
      .getHandle(analysisWorkflowId(matchId))
      .executeUpdate(cancelAnalysisUpdate, { args: [ref], updateId: `cancel-${requestKey(ref)}` });
    return { status: 'cancelled', analysisStopped: answer.analysisStopped };
  } catch (err) {
    const refusal = cancelRefusalOf(err);
    if (refusal) return { status: 'refused', reason: refusal };
    throw err;
  }
}

function cancelRefusalOf(err: unknown): CancelRefusal | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === CANCEL_REFUSED) return err.cause.details?.[0] as CancelRefusal;
  }
  // No run to ask: it ended (and answered everybody), or there never was one for this match.
  if (err instanceof WorkflowNotFoundError) return /completed/i.test(err.message) ? 'too-late' : 'unknown';
  return undefined;
}

export type { Locale };
