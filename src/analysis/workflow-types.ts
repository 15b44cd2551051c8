/**
 * What the lobby-analysis workflow, its activities and its client (client.ts) share: the input, the updates, the
 * signals, the query and their payloads. Workflow-safe: definitions and types only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { QueueTier } from '../config';
import type { MatchInfo, PlayerInput } from './model/types';
import { FACEIT_LOBBY_PLAYER } from '../temporal/retry-policies';

import type { Locale } from '../i18n';
export type { Locale };
import type { Plan } from '../billing';

/** One user waiting for the match's report (the bot's progress message is where the report goes). */
export interface AnalysisRequester {
  telegramId: number;
  chatId: number;
  progressMessageId: number;
  locale: Locale;
  tier: Plan;
  faceitPlayerId?: string | null;
  /** YYYY-MM-DD: the day whose quota unit is given back if the requester cancels. */
  usageDay: string;
  /**
   * A pre-match brief (src/briefs): sent unasked to a chat tracking `nickname`; it took no quota unit, so none is
   * given back, and the report is headed by who is playing.
   */
  brief?: { nickname: string };
}

/** PRO requests run on the high tier (task queue and FACEIT priority), PREMIUM and FREE on default. */
export function tierOfRequester(r: Pick<AnalysisRequester, 'tier'>): QueueTier {
  return r.tier === 'pro' ? 'high' : 'default';
}

export interface RequesterRef {
  telegramId: number;
  chatId: number;
  progressMessageId: number;
}

export type AnalysisStage =
  | 'queued'
  | 'fetching-match'
  | 'fetching-players'
  | 'analysing'
  | 'delivering'
  | 'done'
  | 'refused'
  | 'cancelled'
  | 'failed';

export type Refusal = 'finished' | 'cancelled' | 'not-found' | 'not-two-teams';

/** Whether lifetime stats (the 3rd call per player) are fetched for everybody or only when the recent sample is thin. */
export type LifetimePolicy = 'auto' | 'always';

export interface AnalysisWorkflowInput {
  matchId: string;
  /** The tier (task queue and FACEIT priority) of whoever started it; joiners of a higher tier raise it. */
  tier: QueueTier;
  /** Task queue of each tier, from the configuration (workflow code cannot read it). */
  queues: Record<QueueTier, string>;
  /** Players fetched in parallel (ANALYSIS_PLAYER_CONCURRENCY). */
  concurrency: number;
  /** Recent matches per player (ANALYSIS_MATCHES_PER_PLAYER). */
  matchesPerPlayer: number;
  lifetime?: LifetimePolicy;
  /**
   * Legacy: how long the finished run stayed open for late requesters. Runs started before the linger became fixed
   * (5 minutes; none for operator runs) carry it, and replay with it; new starts leave it out (tests skip the time
   * on the time-skipping test server instead).
   */
  lingerMs?: number;
  /** Operator run (`npm run analyze`): no requester needed, the plain-text report is the workflow result. */
  operator?: { locale: Locale };
  /** Requesters carried over by continue-as-new (joined while the previous run was ending). */
  carried?: AnalysisRequester[];
}

/** The room as the progress message shows it as soon as the match is in (before any player's stats). */
export interface ProgressLobby {
  map: string | null;
  teams: Array<{
    name: string;
    players: Array<{ playerId: string; nickname: string; level: number | null }>;
  }>;
}

/** One player's line in the progress message, filled in when their stats arrive. */
export interface ProgressLine {
  elo: number | null;
  level: number | null;
  kd: number | null;
  adr: number | null;
  matches: number;
  /** FACEIT had nothing on the player (after retries). */
  noData?: boolean;
}

/** What the progress query returns; client.ts turns it into the bot's `AnalysisProgress`. */
export interface AnalysisState {
  matchId: string;
  stage: AnalysisStage;
  done: number;
  total: number;
  /** Nicknames of the players whose data is in (or given up: "no data"), in completion order. */
  donePlayers: string[];
  /** Epoch ms (workflow time) when this run started and, once the outcome is known, when it was. */
  startedAt: number;
  finishedAt: number | null;
  /** Epoch ms at which each stage was entered. */
  stageAt: Partial<Record<AnalysisStage, number>>;
  requesters: Array<RequesterRef & { cancelled: boolean; delivered: boolean }>;
  refusal?: Refusal;
  /** FACEIT calls this analysis caused (cache hits excluded) and client calls served from the cache. */
  faceitCalls: number;
  cacheHits: number;
  noDataPlayers: number;
  tier: QueueTier;
  /** The rosters and map, once the match is fetched (absent in runs that predate the progressive report). */
  lobby?: ProgressLobby;
  /** Per player id, once their stats are in. */
  lines?: Record<string, ProgressLine>;
}

export interface AnalysisWorkflowResult {
  matchId: string;
  stage: AnalysisStage;
  refusal?: Refusal;
  faceitCalls: number;
  cacheHits: number;
  startedAt: number;
  finishedAt: number | null;
  stageAt: Partial<Record<AnalysisStage, number>>;
  delivered: number;
  /** Operator runs: the report as plain text. */
  reportText?: string;
}

/**
 * What a join did: `started` (the requester started this run: they were in its start input), `joined` (added to the
 * running analysis), `already-in` (a repeat of an earlier join), `ready` (the result is known: delivered at once),
 * `next-run` (this run is ending: carried to a fresh run of the same workflow id).
 */
export type JoinOutcome = 'started' | 'joined' | 'already-in' | 'ready' | 'next-run';

/** Why a cancel was refused (by the update's validator: a refused cancel leaves no trace in the history). */
export type CancelRefusal = 'not-yours' | 'unknown' | 'too-late' | 'already-cancelled';

/** An accepted cancel: the requester is answered "cancelled"; `analysisStopped` when nobody else was waiting. */
export interface CancelAnswer {
  outcome: 'cancelled';
  analysisStopped: boolean;
}

/** The failure type a refused cancel carries; its first detail is the `CancelRefusal`. */
export const CANCEL_REFUSED = 'AnalysisCancelRefused';
/** The failure type of a join or cancel whose payload is malformed. */
export const INVALID_REQUESTER = 'InvalidRequester';

/** Join (or start, through update-with-start) and cancel: answered by the workflow in the same call. */
export const joinAnalysisUpdate = defineUpdate<JoinOutcome, [AnalysisRequester]>('joinAnalysis');
export const cancelAnalysisUpdate = defineUpdate<CancelAnswer, [RequesterRef]>('cancelAnalysis');
/** The signals of clients before the updates: still handled, so runs they started keep working. */
export const joinAnalysisSignal = defineSignal<[AnalysisRequester]>('analysisJoin');
export const cancelAnalysisSignal = defineSignal<[RequesterRef]>('analysisCancel');
export const analysisProgressQuery = defineQuery<AnalysisState>('analysisProgress');

// ---------------------------------------------------------------------------------------------- activity payloads

export interface FetchMatchInput {
  matchId: string;
  priority: QueueTier;
  /** How to serve players whose data is all in the cache at once (left out by runs recorded before that). */
  players?: { matches: number; lifetime: LifetimePolicy };
}

export type FetchMatchResult =
  | {
      kind: 'ok';
      match: MatchInfo;
      players: Array<{ playerId: string; nickname: string }>;
      calls: number;
      hits: number;
      /**
       * Players served from the cache in this activity (stored and their progress line shown), so the fan-out skips
       * them: a warm lobby then takes one activity, not eleven. Absent in runs recorded before that.
       */
      served?: Record<string, FetchPlayerResult>;
    }
  | { kind: 'refused'; reason: Refusal; calls: number; hits: number };

export interface FetchPlayerInput {
  matchId: string;
  playerId: string;
  priority: QueueTier;
  matches: number;
  lifetime: LifetimePolicy;
}

export interface FetchPlayerResult {
  /** The player's data, in runs recorded before it was stored apart (`stored`). */
  input?: PlayerInput;
  /** Stored in analysis_player_inputs under the run's id, for the compute activity. */
  stored?: true;
  /** The player's progress line (absent in older runs, which computed it from `input`). */
  line?: ProgressLine;
  calls: number;
  hits: number;
}

/** Attempts of one player's fetch before the player is "no data" (the last attempt says so in the progress). */
export const PLAYER_FETCH_ATTEMPTS = FACEIT_LOBBY_PLAYER.maximumAttempts;

/** A player whose data the fetch activity stored for the run (kept out of the history). */
export type StoredPlayerInput = 'stored';

export interface ComputeInput {
  matchId: string;
  workflowId: string;
  startedAt: number;
  match: MatchInfo;
  /** Keyed by player id; null = no data, 'stored' = in analysis_player_inputs under the run's id. */
  players: Record<string, PlayerInput | StoredPlayerInput | null>;
  faceitCalls: number;
}

export interface ComputeResult {
  pickedMap: string | null;
  winProbability: number | null;
  playersWithData: number;
}

/** 'undelivered': the report could not be delivered (retries exhausted, or refused): said so, unit refunded. */
export type DeliveryOutcome = 'report' | 'refused' | 'cancelled' | 'failed' | 'undelivered';

export interface DeliverInput {
  matchId: string;
  requester: AnalysisRequester;
  outcome: DeliveryOutcome;
  refusal?: Refusal;
}

export interface DeliverResult {
  /** What happened: sent now, already sent by an earlier attempt, or impossible (chat blocked, no bot token). */
  status: 'sent' | 'already' | 'undeliverable';
  messages: number;
}

export interface RecordOutcomeInput {
  matchId: string;
  workflowId: string;
  startedAt: number;
  status: 'refused' | 'cancelled' | 'failed';
  refusal?: Refusal;
  faceitCalls: number;
}
