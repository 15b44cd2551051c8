import { CancellationScope, condition, isCancellation, log, workflowInfo } from '@temporalio/workflow';
import { NO_LINE, progressLine, progressLobby } from '../model/progress-lines';
import type { PlayerInput } from '../model/types';
import type { DeliveryOutcome, FetchPlayerResult, StoredPlayerInput } from '../workflow-types';
import type { AnalysisRun, Final } from './state';

/** Fetch the match, refuse what cannot be analysed, fetch every player, analyse and store. */
export async function analyse(run: AnalysisRun): Promise<Final> {
  const { matchId, workflowId, startedAt, state } = run;
  run.enter('fetching-match');
  const tier = run.currentTier();
  const fetched = await run.acts(tier).match.analysisFetchMatch({
    matchId,
    priority: tier,
    players: { matches: run.input.matchesPerPlayer, lifetime: run.input.lifetime ?? 'auto' },
  });
  state.faceitCalls += fetched.calls;
  state.cacheHits += fetched.hits;
  if (fetched.kind === 'refused') return { kind: 'refused', refusal: fetched.reason };
  // The progressive report: the rosters and the map are shown before any player's stats arrive.
  state.lobby = progressLobby(fetched.match);
  state.lines = {};

  run.enter('fetching-players');
  const players = await fanOut(run, fetched.players, fetched.served ?? {});

  run.enter('analysing');
  await run.acts().store.analysisCompute({
    matchId,
    workflowId,
    startedAt,
    match: fetched.match,
    players,
    faceitCalls: state.faceitCalls,
  });
  return { kind: 'report' };
}

const STORED: StoredPlayerInput = 'stored';

/** One activity per player, at most `concurrency` at a time; a player still failing after retries is "no data". */
async function fanOut(
  run: AnalysisRun,
  roster: Array<{ playerId: string; nickname: string }>,
  served: Record<string, FetchPlayerResult>,
): Promise<Record<string, PlayerInput | StoredPlayerInput | null>> {
  const { matchId, input, state } = run;
  const unique = roster.filter((p, i) => roster.findIndex((q) => q.playerId === p.playerId) === i);
  state.total = unique.length;
  const out: Record<string, PlayerInput | StoredPlayerInput | null> = {};
  // Players the match's activity already served from the cache are in; the rest get one activity each.
  for (const p of unique) if (served[p.playerId]) recordPlayer(run, out, p, served[p.playerId]);
  const players = unique.filter((p) => !served[p.playerId]);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < players.length) {
      const p = players[next++];
      // Each player goes to the queue of the most urgent requester waiting at that moment.
      const tier = run.currentTier();
      let r: FetchPlayerResult | null = null;
      try {
        r = await run.acts(tier).player.analysisFetchPlayer({
          matchId,
          playerId: p.playerId,
          priority: tier,
          matches: input.matchesPerPlayer,
          lifetime: input.lifetime ?? 'auto',
        });
      } catch (err) {
        if (isCancellation(err)) throw err;
        log.warn('player data unavailable after retries: no data', {
          matchId,
          playerId: p.playerId,
          error: err,
        });
      }
      recordPlayer(run, out, p, r);
    }
  };
  const lanes = Math.min(input.concurrency, players.length);
  if (lanes > 0) await Promise.all(Array.from({ length: lanes }, lane));
  return out;
}

/** One player is done: its data counted and its progress line shown, or (null) "no data" after retries. */
function recordPlayer(
  run: AnalysisRun,
  out: Record<string, PlayerInput | StoredPlayerInput | null>,
  p: { playerId: string; nickname: string },
  r: FetchPlayerResult | null,
): void {
  const { state } = run;
  if (r) {
    // The data stays in PostgreSQL (the history keeps only its line); runs recorded before that carry it here.
    out[p.playerId] = r.input ?? STORED;
    if (state.lines) state.lines[p.playerId] = r.line ?? progressLine(r.input!);
    state.faceitCalls += r.calls;
    state.cacheHits += r.hits;
  } else {
    out[p.playerId] = null;
    if (state.lines) state.lines[p.playerId] = { ...NO_LINE, noData: true };
    state.noDataPlayers++;
  }
  state.done++;
  state.donePlayers.push(p.nickname);
}

/** Stores a run that ended without a report (best effort: the requesters are told either way). */
export async function recordOutcome(
  run: AnalysisRun,
  status: 'refused' | 'cancelled' | 'failed',
): Promise<void> {
  const { matchId, workflowId, startedAt, state } = run;
  try {
    await CancellationScope.nonCancellable(() =>
      run.acts().store.analysisRecordOutcome({
        matchId,
        workflowId,
        startedAt,
        status,
        refusal: state.refusal,
        faceitCalls: state.faceitCalls,
      }),
    );
  } catch (err) {
    log.warn('could not record the analysis outcome', { matchId, error: err });
  }
}

/** The workflow itself was cancelled (operator, Web UI): tell everybody and record it; the caller rethrows. */
export async function endCancelledWorkflow(run: AnalysisRun): Promise<void> {
  run.enter('cancelled');
  run.closed = true;
  for (const e of run.active()) run.enqueue(e, 'cancelled');
  await CancellationScope.nonCancellable(async () => {
    await recordOutcome(run, 'cancelled');
    await condition(() => run.drained());
  });
}

/**
 * A report or a refusal: everybody waiting gets it; an operator run renders the plain-text report. Then the run
 * lingers so late requesters get the stored result at once (the history stays small: continue-as-new is never needed).
 */
export async function deliverFinal(run: AnalysisRun, final: Final, lingerMs: number): Promise<void> {
  const { input, state } = run;
  state.refusal = final.kind === 'refused' ? final.refusal : undefined;
  run.enter(final.kind === 'report' ? 'delivering' : 'refused');
  for (const e of run.active()) run.enqueue(e, final.kind);
  if (final.kind === 'refused') await recordOutcome(run, 'refused');
  if (input.operator && final.kind === 'report') {
    run.operatorText =
      (await run.acts().store.analysisRenderText({ matchId: run.matchId, locale: input.operator.locale })) ??
      undefined;
  }
  await condition(() => run.drained());
  if (final.kind === 'report') run.enter('done');
  state.finishedAt = Date.now();
  if (lingerMs > 0) await condition(() => workflowInfo().continueAsNewSuggested, lingerMs);
}

/**
 * No outcome (failed, or every requester cancelled): after a failure everybody is told; a requester who joined after
 * the last cancellation is carried to a fresh run.
 */
export async function endWithoutOutcome(run: AnalysisRun): Promise<void> {
  const { state } = run;
  run.closed = true;
  const outcome: DeliveryOutcome = state.stage === 'cancelled' ? 'cancelled' : 'failed';
  for (const e of run.active()) {
    if (outcome === 'cancelled') run.late.push(e.requester);
    else run.enqueue(e, 'failed');
  }
  state.finishedAt = Date.now();
  await recordOutcome(run, outcome === 'cancelled' ? 'cancelled' : 'failed');
}
