import {
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { QueueTier } from '../config';
import { NON_RETRYABLE_FACEIT_ERRORS } from '../faceit/errors';
import type { AnalysisActivities } from './activities';
import type { PlayerInput } from './model/types';
import {
  analysisProgressQuery,
  cancelAnalysisSignal,
  joinAnalysisSignal,
  type AnalysisRequester,
  type AnalysisStage,
  type AnalysisState,
  type AnalysisWorkflowInput,
  type AnalysisWorkflowResult,
  type DeliveryOutcome,
  type Refusal,
  type RequesterRef,
  tierOfRequester,
} from './workflow-types';

/**
 * One workflow per match (id `analysis-<matchId>`): fetch the match, refuse what cannot be analysed, fan out one
 * activity per player (bounded), analyse and store, deliver to every requester. Requesters join by signal (the
 * first one through signal-with-start), cancel by signal, and read progress by query. After delivering, the
 * workflow lingers a few minutes so later requesters get the stored result at once, at no FACEIT cost.
 */

export const DEFAULT_LINGER_MS = 5 * 60_000;

const TIER_RANK: Record<QueueTier, number> = { critical: 0, high: 1, default: 2, low: 3 };

const faceitRetry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '15 seconds',
  nonRetryableErrorTypes: [...NON_RETRYABLE_FACEIT_ERRORS],
};

/** FACEIT activities heartbeat every 500 ms: a cancellation reaches them within ~2.4 s, a dead worker is noticed in 3 s. */
const OPTIONS = {
  match: {
    startToCloseTimeout: '3 minutes',
    heartbeatTimeout: '3 seconds',
    retry: { ...faceitRetry, maximumAttempts: 8 },
  },
  player: {
    startToCloseTimeout: '3 minutes',
    scheduleToCloseTimeout: '6 minutes',
    heartbeatTimeout: '3 seconds',
    retry: { ...faceitRetry, maximumAttempts: 6 },
  },
  store: {
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '500 milliseconds',
      backoffCoefficient: 2,
      maximumInterval: '10 seconds',
      maximumAttempts: 6,
    },
  },
  deliver: {
    startToCloseTimeout: '2 minutes',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: 10,
      nonRetryableErrorTypes: ['TelegramBadRequest', 'AnalysisMissingError'],
    },
  },
} satisfies Record<string, ActivityOptions>;

type Proxies = Record<keyof typeof OPTIONS, AnalysisActivities>;

function proxiesFor(taskQueue: string): Proxies {
  return {
    match: proxyActivities<AnalysisActivities>({ ...OPTIONS.match, taskQueue }),
    player: proxyActivities<AnalysisActivities>({ ...OPTIONS.player, taskQueue }),
    store: proxyActivities<AnalysisActivities>({ ...OPTIONS.store, taskQueue }),
    deliver: proxyActivities<AnalysisActivities>({ ...OPTIONS.deliver, taskQueue }),
  };
}

interface Entry {
  requester: AnalysisRequester;
  cancelled: boolean;
  /** The outcome handed to the delivery queue (null while the analysis runs). */
  outcome: DeliveryOutcome | null;
  delivered: boolean;
}

type Final = { kind: 'report' } | { kind: 'refused'; refusal: Refusal };

const keyOf = (r: RequesterRef): string => `${r.chatId}:${r.progressMessageId}`;

export async function lobbyAnalysisWorkflow(input: AnalysisWorkflowInput): Promise<AnalysisWorkflowResult> {
  const { matchId } = input;
  const workflowId = workflowInfo().workflowId;
  const startedAt = Date.now();
  const state: AnalysisState = {
    matchId,
    stage: 'queued',
    done: 0,
    total: 0,
    donePlayers: [],
    startedAt,
    finishedAt: null,
    stageAt: { queued: startedAt },
    requesters: [],
    faceitCalls: 0,
    cacheHits: 0,
    noDataPlayers: 0,
    tier: input.tier,
  };
  const entries = new Map<string, Entry>();
  const outbox: Entry[] = [];
  let inFlight = 0;
  let final: Final | null = null;
  /** Set once the run will not deliver to newcomers any more: they are carried to a new run instead. */
  let closed = false;
  const late: AnalysisRequester[] = [];
  let allCancelled = false;
  const analysisScope = new CancellationScope();

  const active = (): Entry[] => [...entries.values()].filter((e) => !e.cancelled && e.outcome === null);
  const enter = (stage: AnalysisStage): void => {
    state.stage = stage;
    state.stageAt[stage] = Date.now();
  };
  const currentTier = (): QueueTier => {
    let tier = input.tier;
    for (const e of active()) {
      const t = tierOfRequester(e.requester);
      if (TIER_RANK[t] < TIER_RANK[tier]) tier = t;
    }
    state.tier = tier;
    return tier;
  };
  const proxies = new Map<string, Proxies>();
  const acts = (tier: QueueTier = currentTier()): Proxies => {
    const queue = input.queues[tier];
    if (!proxies.has(queue)) proxies.set(queue, proxiesFor(queue));
    return proxies.get(queue) as Proxies;
  };
  const enqueue = (e: Entry, outcome: DeliveryOutcome): void => {
    e.outcome = outcome;
    outbox.push(e);
  };
  const join = (r: AnalysisRequester): void => {
    if (entries.has(keyOf(r))) return;
    if (closed) {
      if (!late.some((x) => keyOf(x) === keyOf(r))) late.push(r);
      return;
    }
    const e: Entry = { requester: r, cancelled: false, outcome: null, delivered: false };
    entries.set(keyOf(r), e);
    if (final) enqueue(e, final.kind);
  };

  setHandler(joinAnalysisSignal, join);
  setHandler(cancelAnalysisSignal, (ref) => {
    const e = entries.get(keyOf(ref));
    if (!e || e.requester.telegramId !== ref.telegramId || e.cancelled || e.outcome !== null) return;
    e.cancelled = true;
    enqueue(e, 'cancelled');
    if (!input.operator && final === null && active().length === 0) {
      allCancelled = true;
      analysisScope.cancel();
    }
  });
  setHandler(analysisProgressQuery, () => ({
    ...state,
    donePlayers: [...state.donePlayers],
    stageAt: { ...state.stageAt },
    requesters: [...entries.values()].map((e) => ({
      telegramId: e.requester.telegramId,
      chatId: e.requester.chatId,
      progressMessageId: e.requester.progressMessageId,
      cancelled: e.cancelled,
      delivered: e.delivered,
    })),
  }));
  for (const r of input.carried ?? []) join(r);

  // Deliveries run beside the analysis (a requester who cancels hears it at once), never cancelled themselves.
  const deliver = async (e: Entry): Promise<void> => {
    const outcome = e.outcome ?? 'failed';
    try {
      await CancellationScope.nonCancellable(() =>
        acts(tierOfRequester(e.requester)).deliver.analysisDeliver({
          matchId,
          requester: e.requester,
          outcome,
          refusal: final?.kind === 'refused' ? final.refusal : undefined,
        }),
      );
    } catch (err) {
      log.warn('analysis delivery failed', { matchId, chatId: e.requester.chatId, error: String(err) });
    } finally {
      e.delivered = true;
      inFlight--;
    }
  };
  let stopPump = false;
  const pump = CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => outbox.length > 0 || stopPump);
      const e = outbox.shift();
      if (!e) return;
      inFlight++;
      void deliver(e);
    }
  });
  const drained = () => outbox.length === 0 && inFlight === 0;

  const needsRequester = () => !input.operator && entries.size === 0;
  if (needsRequester()) await condition(() => !needsRequester(), '1 minute');
  if (needsRequester()) {
    stopPump = true;
    await pump;
    return result();
  }

  let operatorText: string | undefined;
  try {
    final = await analysisScope.run(() => analyse());
  } catch (err) {
    if (!isCancellation(err)) {
      log.error('lobby analysis failed', { matchId, error: String(err) });
      enter('failed');
    } else if (allCancelled) {
      enter('cancelled');
    } else {
      // The workflow itself was cancelled (operator, Web UI): tell everybody, then end as cancelled.
      enter('cancelled');
      closed = true;
      for (const e of active()) enqueue(e, 'cancelled');
      await CancellationScope.nonCancellable(async () => {
        await recordOutcome('cancelled');
        await condition(drained);
      });
      throw err;
    }
  }

  if (final) {
    state.refusal = final.kind === 'refused' ? final.refusal : undefined;
    enter(final.kind === 'report' ? 'delivering' : 'refused');
    for (const e of active()) enqueue(e, final.kind);
    if (final.kind === 'refused') await recordOutcome('refused');
    if (input.operator && final.kind === 'report') {
      operatorText =
        (await acts().store.analysisRenderText({ matchId, locale: input.operator.locale })) ?? undefined;
    }
    await condition(drained);
    if (final.kind === 'report') enter('done');
    state.finishedAt = Date.now();
    // Late requesters get the stored result at once; the history stays small (continue-as-new is never needed).
    const linger = input.lingerMs ?? DEFAULT_LINGER_MS;
    if (linger > 0) await condition(() => workflowInfo().continueAsNewSuggested, linger);
  } else {
    closed = true;
    const outcome: DeliveryOutcome = state.stage === 'cancelled' ? 'cancelled' : 'failed';
    // After a failure everybody is told; a requester who joined after the last cancellation gets a fresh run.
    for (const e of active()) {
      if (outcome === 'cancelled') late.push(e.requester);
      else enqueue(e, 'failed');
    }
    state.finishedAt = Date.now();
    await recordOutcome(outcome === 'cancelled' ? 'cancelled' : 'failed');
  }

  closed = true;
  await condition(drained);
  stopPump = true;
  await pump;
  if (late.length > 0) {
    const tier = late.map(tierOfRequester).reduce((a, b) => (TIER_RANK[b] < TIER_RANK[a] ? b : a));
    await continueAsNew<typeof lobbyAnalysisWorkflow>({ ...input, tier, carried: late });
  }
  return result();

  function result(): AnalysisWorkflowResult {
    return {
      matchId,
      stage: state.stage,
      refusal: state.refusal,
      faceitCalls: state.faceitCalls,
      cacheHits: state.cacheHits,
      startedAt,
      finishedAt: state.finishedAt,
      stageAt: state.stageAt,
      delivered: [...entries.values()].filter((e) => e.delivered && e.outcome === 'report').length,
      reportText: operatorText,
    };
  }

  async function recordOutcome(status: 'refused' | 'cancelled' | 'failed'): Promise<void> {
    try {
      await CancellationScope.nonCancellable(() =>
        acts().store.analysisRecordOutcome({
          matchId,
          workflowId,
          startedAt,
          status,
          refusal: state.refusal,
          faceitCalls: state.faceitCalls,
        }),
      );
    } catch (err) {
      log.warn('could not record the analysis outcome', { matchId, error: String(err) });
    }
  }

  async function analyse(): Promise<Final> {
    enter('fetching-match');
    const tier = currentTier();
    const fetched = await acts(tier).match.analysisFetchMatch({ matchId, priority: tier });
    state.faceitCalls += fetched.calls;
    state.cacheHits += fetched.hits;
    if (fetched.kind === 'refused') return { kind: 'refused', refusal: fetched.reason };

    enter('fetching-players');
    const players = await fanOut(fetched.players);

    enter('analysing');
    await acts().store.analysisCompute({
      matchId,
      workflowId,
      startedAt,
      match: fetched.match,
      players,
      faceitCalls: state.faceitCalls,
    });
    return { kind: 'report' };
  }

  /** One activity per player, at most `concurrency` at a time; a player still failing after retries is "no data". */
  async function fanOut(roster: Array<{ playerId: string; nickname: string }>) {
    const players = roster.filter((p, i) => roster.findIndex((q) => q.playerId === p.playerId) === i);
    state.total = players.length;
    const out: Record<string, PlayerInput | null> = {};
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < players.length) {
        const p = players[next++];
        const tier = currentTier();
        try {
          const r = await acts(tier).player.analysisFetchPlayer({
            matchId,
            playerId: p.playerId,
            priority: tier,
            matches: input.matchesPerPlayer,
            lifetime: input.lifetime ?? 'auto',
          });
          out[p.playerId] = r.input;
          state.faceitCalls += r.calls;
          state.cacheHits += r.hits;
        } catch (err) {
          if (isCancellation(err)) throw err;
          log.warn('player data unavailable after retries: no data', {
            matchId,
            playerId: p.playerId,
            error: String(err),
          });
          out[p.playerId] = null;
          state.noDataPlayers++;
        }
        state.done++;
        state.donePlayers.push(p.nickname);
      }
    };
    const lanes = Math.max(1, Math.min(input.concurrency, players.length));
    await Promise.all(Array.from({ length: lanes }, lane));
    return out;
  }
}
