import { randomUUID } from 'node:crypto';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import {
  analysisWorkflowId,
  cancelAnalysis,
  isAnalysisRunning,
  requestAnalysis,
  type AnalysisRequester,
} from '../../src/analysis/client';
import { renderProgress } from '../../src/analysis/render';
import { isTemporalUnavailable, withDeadline } from '../../src/temporal/deadline';
import {
  ask,
  createUser,
  faceitCalls,
  freshLobby,
  quotaUsed,
  requestRow,
  startAnalysisStack,
  waitFor,
  waitForProgress,
  type AnalysisStack,
} from './workflow-helpers';

/**
 * Join and cancel as Workflow Updates against the real Temporal dev server: the request is one update-with-start,
 * the workflow answers each call truthfully, its validators refuse what must not happen (and leave no trace), and a
 * request no worker answers in time is neither lost nor charged twice. FACEIT is slowed (5 requests/s) so the
 * fan-out of a cold lobby takes a few seconds and there is time to act in the middle of it.
 */
describe('lobby analysis: join and cancel by Workflow Update', () => {
  let stack: AnalysisStack;

  beforeAll(async () => {
    stack = await startAnalysisStack({ faceit: { latencyMs: 20, rateLimit: { limit: 5 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.faceit.control.resetCounters());

  const reportIn = (r: AnalysisRequester) =>
    waitFor(
      async () => (await requestRow(stack, r.chatId, r.progressMessageId))?.status === 'delivered',
      30_000,
      'the report',
    );
  /** Updates the run recorded as accepted (a refused one never is). */
  const acceptedUpdates = async (matchId: string) =>
    (await stack.client.workflow.getHandle(analysisWorkflowId(matchId)).fetchHistory()).events?.filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
    ).length ?? 0;
  /** A progress message of the user's, as the bot sends before asking (not yet part of any analysis). */
  async function message(user: Omit<AnalysisRequester, 'progressMessageId'>): Promise<AnalysisRequester> {
    const sent = await stack.api.sendMessage(user.chatId, renderProgress(0, 10, user.locale));
    return { ...user, progressMessageId: sent.message_id };
  }

  it('two concurrent first requests for one match: one starts the run, the other joins it, FACEIT is asked once', async () => {
    const lobby = await freshLobby(stack);
    const [a, b] = await Promise.all([
      createUser(stack, { locale: 'ru' }).then(message),
      createUser(stack, { locale: 'en' }).then(message),
    ]);
    const answers = await Promise.all([
      requestAnalysis(stack.client, stack.config, lobby.matchId, a),
      requestAnalysis(stack.client, stack.config, lobby.matchId, b),
    ]);
    expect(answers.map((x) => x.outcome).sort()).toEqual(['joined', 'started']);
    expect(answers.map((x) => x.joined).sort()).toEqual([false, true]);

    await Promise.all([reportIn(a), reportIn(b)]);
    expect(faceitCalls(stack).match).toBe(1);
    expect(faceitCalls(stack).player).toBe(10);
    // One run of the match's workflow served both.
    const runs = stack.client.workflow.list({ query: `WorkflowId = '${analysisWorkflowId(lobby.matchId)}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).toBe(1);
    expect(await quotaUsed(stack, a)).toBe(1);
    expect(await quotaUsed(stack, b)).toBe(1);

    // A retried request (the same progress message, so the same update id) gets the first call's answer and adds
    // nobody.
    const retried = await requestAnalysis(stack.client, stack.config, lobby.matchId, b);
    expect(retried.outcome).toBe(answers[1].outcome);
    const state = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');
    expect(state.requesters).toHaveLength(2);
  });

  it('a forged cancel from another user is refused "not yours" without a trace, and the analysis goes on', async () => {
    const lobby = await freshLobby(stack);
    const owner = await createUser(stack, { locale: 'en' });
    const stranger = await createUser(stack, { locale: 'en' });
    const { requester } = await ask(stack, lobby.matchId, owner);
    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'fetching-players' && p.done >= 1);
    const accepted = await acceptedUpdates(lobby.matchId);

    // Forged callback data: the owner's message, pressed by the stranger.
    const forged = { ...requester, telegramId: stranger.telegramId };
    expect(await cancelAnalysis(stack.client, lobby.matchId, forged)).toEqual({
      status: 'refused',
      reason: 'not-yours',
    });
    // A message that is no request of this analysis.
    const other = await message(stranger);
    expect(await cancelAnalysis(stack.client, lobby.matchId, other)).toEqual({
      status: 'refused',
      reason: 'unknown',
    });
    expect(await acceptedUpdates(lobby.matchId)).toBe(accepted);

    await reportIn(requester);
    expect(stack.tg.message(owner.chatId, requester.progressMessageId)?.text).toContain('Lobby analysis');
    expect(await quotaUsed(stack, owner)).toBe(1);
    expect(await quotaUsed(stack, stranger)).toBe(1);
  });

  it('after the report: a cancel is "too late", a new requester gets the report at once at no FACEIT cost', async () => {
    const lobby = await freshLobby(stack);
    const first = await createUser(stack, { locale: 'en' });
    const { requester } = await ask(stack, lobby.matchId, first);
    await reportIn(requester);
    const cold = faceitCalls(stack).total;

    expect(await cancelAnalysis(stack.client, lobby.matchId, requester)).toEqual({
      status: 'refused',
      reason: 'too-late',
    });
    expect(await quotaUsed(stack, first)).toBe(1);

    const late = await message(await createUser(stack, { locale: 'ru' }));
    const askedAt = Date.now();
    expect(await requestAnalysis(stack.client, stack.config, lobby.matchId, late)).toMatchObject({
      joined: true,
      outcome: 'ready',
    });
    await reportIn(late);
    expect(Date.now() - askedAt).toBeLessThan(3_000);
    expect(stack.tg.message(late.chatId, late.progressMessageId)?.text).toContain('Анализ лобби');
    expect(faceitCalls(stack).total).toBe(cold);

    // Once the run is over there is nobody to ask: still "too late"; a match never analysed is "unknown".
    await stack.client.workflow
      .getHandle(analysisWorkflowId(lobby.matchId))
      .terminate('test: the run is over');
    expect(await cancelAnalysis(stack.client, lobby.matchId, late)).toEqual({
      status: 'refused',
      reason: 'too-late',
    });
    expect(await cancelAnalysis(stack.client, `1-${randomUUID()}`, late)).toEqual({
      status: 'refused',
      reason: 'unknown',
    });
  });

  it('the last cancel stops the analysis and refunds the unit; the first of two only withdraws its requester', async () => {
    const lobby = await freshLobby(stack);
    const [a, b] = await Promise.all([
      createUser(stack, { locale: 'en' }),
      createUser(stack, { locale: 'ru' }),
    ]);
    const first = await ask(stack, lobby.matchId, a);
    const second = await ask(stack, lobby.matchId, b);
    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'fetching-players' && p.done >= 1);

    expect(await cancelAnalysis(stack.client, lobby.matchId, first.requester)).toEqual({
      status: 'cancelled',
      analysisStopped: false,
    });
    expect(await cancelAnalysis(stack.client, lobby.matchId, second.requester)).toEqual({
      status: 'cancelled',
      analysisStopped: true,
    });
    // A second press refunds nothing more: the same update id gets the first answer while the run is open, and
    // "too late" once it has ended.
    expect([
      { status: 'cancelled', analysisStopped: true },
      { status: 'refused', reason: 'too-late' },
    ]).toContainEqual(await cancelAnalysis(stack.client, lobby.matchId, second.requester));
    const cancelled = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'cancelled', 10_000);
    expect(cancelled.done).toBeLessThan(10);
    await waitFor(
      async () => (await quotaUsed(stack, a)) === 0 && (await quotaUsed(stack, b)) === 0,
      10_000,
      'the refunds',
    );
    expect((await requestRow(stack, b.chatId, second.requester.progressMessageId))?.status).toBe('cancelled');
    await waitFor(() =>
      (stack.tg.message(b.chatId, second.requester.progressMessageId)?.text ?? '').includes('Анализ отменён'),
    );
  });

  it('no worker answers before the deadline: the start is confirmed, and once workers are back nothing is lost or charged twice', async () => {
    const lobby = await freshLobby(stack);
    const [a, b] = await Promise.all([
      createUser(stack, { locale: 'en' }).then(message),
      createUser(stack, { locale: 'en' }).then(message),
    ]);
    await stack.stopWorkers();
    stack.faceit.control.resetCounters(); // what earlier tests' activities still asked, before their workers stopped
    try {
      // The starter: update-with-start, unanswered (no worker) within the bot's deadline.
      const started = withDeadline(stack.client, 1_500, () =>
        requestAnalysis(stack.client, stack.config, lobby.matchId, a),
      );
      const err = await started.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateRPCTimeoutOrCancelledError);
      expect(isTemporalUnavailable(err)).toBe(true);
      // ...but the start happened, with the starter in its input: the bot shows "queued", not an error.
      expect(await isAnalysisRunning(stack.client, lobby.matchId)).toBe(true);
      // A joiner meanwhile: its update waits at the server for a worker.
      await expect(
        withDeadline(stack.client, 1_500, () =>
          requestAnalysis(stack.client, stack.config, lobby.matchId, b),
        ),
      ).rejects.toBeInstanceOf(WorkflowUpdateRPCTimeoutOrCancelledError);
      expect(faceitCalls(stack).total).toBe(0);
    } finally {
      await stack.startWorkers();
    }

    await Promise.all([reportIn(a), reportIn(b)]);
    for (const r of [a, b]) {
      expect(stack.tg.message(r.chatId, r.progressMessageId)?.text).toContain('Lobby analysis');
      expect(await quotaUsed(stack, r)).toBe(1);
    }
    expect(faceitCalls(stack).match).toBe(1);
    // Each request joined once: two requesters, one delivery each.
    const progress = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done');
    expect(progress.requesters).toHaveLength(2);
    expect(stack.tg.botMessages(a.chatId).filter((m) => m.text?.includes('Lobby analysis'))).toHaveLength(1);
  });
});
