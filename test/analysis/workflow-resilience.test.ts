import path from 'node:path';
import { cancelAnalysis, getAnalysisProgress } from '../../src/analysis/client';
import type { Config } from '../../src/config';
import { forkActivityWorker, type ForkedWorker } from '../harness/crash-worker';
import {
  analysisRow,
  ask,
  createUser,
  freshLobby,
  faceitCalls,
  quotaUsed,
  requestRow,
  sleep,
  startAnalysisStack,
  waitFor,
  waitForProgress,
  type AnalysisStack,
} from './workflow-helpers';

/**
 * Cancellation and crashes, on a slow FACEIT budget (3 requests/s on both sides) so a cold lobby's ~21 calls take
 * several seconds and there is time to act in the middle of the fan-out.
 */
describe('lobby analysis workflow: cancellation and crashes', () => {
  let stack: AnalysisStack;

  beforeAll(async () => {
    stack = await startAnalysisStack({ faceit: { latencyMs: 20, rateLimit: { limit: 3 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => stack.faceit.control.resetCounters());

  it('stops the fan-out when the last requester cancels: no more FACEIT calls, quota refunded, message updated', async () => {
    const lobby = await freshLobby(stack);
    const user = await createUser(stack, { locale: 'ru' });
    expect(await quotaUsed(stack, user)).toBe(1);
    const { requester } = await ask(stack, lobby.matchId, user);
    await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'fetching-players' && p.done >= 1);

    await cancelAnalysis(stack.client, lobby.matchId, requester);
    const cancelled = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'cancelled', 10_000);
    expect(cancelled.done).toBeLessThan(10);
    expect(cancelled.requesters).toEqual([
      expect.objectContaining({ telegramId: user.telegramId, cancelled: true }),
    ]);
    await waitFor(() =>
      (stack.tg.message(user.chatId, requester.progressMessageId)?.text ?? '').includes('Анализ отменён'),
    );
    expect(stack.tg.message(user.chatId, requester.progressMessageId)?.replyMarkup).toBeUndefined();
    await waitFor(async () => (await quotaUsed(stack, user)) === 0, 10_000, 'the refund');
    expect((await requestRow(stack, user.chatId, requester.progressMessageId))?.status).toBe('cancelled');
    await waitFor(async () => (await analysisRow(stack, lobby.matchId))?.status === 'cancelled');

    // In-flight activities hear the cancellation through their heartbeats (≤ ~2.5 s); after that FACEIT hears nothing.
    await sleep(3_000);
    const settled = faceitCalls(stack).total;
    await sleep(3_000);
    expect(faceitCalls(stack).total).toBe(settled);
    // A full cold analysis costs 31 calls (details, recent matches and lifetime for each of 10 players + the match).
    expect(settled).toBeLessThan(31);

    // A second cancel (double click) changes nothing: one refund only.
    await cancelAnalysis(stack.client, lobby.matchId, requester);
    await sleep(300);
    expect(await quotaUsed(stack, user)).toBe(0);
    expect(stack.tg.botMessages(user.chatId)).toHaveLength(1);
  });

  it('keeps analysing for the others when one of two requesters cancels', async () => {
    const lobby = await freshLobby(stack);
    const leaver = await createUser(stack, { locale: 'en' });
    const stayer = await createUser(stack, { locale: 'en' });
    const a = await ask(stack, lobby.matchId, leaver);
    const b = await ask(stack, lobby.matchId, stayer);
    expect(b.joined).toBe(true);
    await waitForProgress(stack, lobby.matchId, (p) => p.done >= 1);
    await cancelAnalysis(stack.client, lobby.matchId, a.requester);
    await waitFor(() =>
      (stack.tg.message(leaver.chatId, a.requester.progressMessageId)?.text ?? '').includes('cancelled'),
    );
    await waitFor(async () => (await quotaUsed(stack, leaver)) === 0, 10_000, 'the refund');

    const done = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done', 30_000);
    expect(done.done).toBe(10);
    expect(done.requesters.find((r) => r.telegramId === leaver.telegramId)?.cancelled).toBe(true);
    expect(stack.tg.message(stayer.chatId, b.requester.progressMessageId)?.text).toContain('Lobby analysis');
    expect(stack.tg.message(leaver.chatId, a.requester.progressMessageId)?.text).not.toContain(
      'Lobby analysis',
    );
    expect(await quotaUsed(stack, stayer)).toBe(1);
    expect(faceitCalls(stack).player).toBe(10);
  });

  it('completes with the report delivered once when the worker running it is killed mid-analysis', async () => {
    await stack.stopWorkers();
    const { child, ready, exited } = forkWorkerProcess(stack.config);
    await ready;
    try {
      const lobby = await freshLobby(stack);
      const user = await createUser(stack, { locale: 'en' });
      const { requester } = await ask(stack, lobby.matchId, user);
      await waitForProgress(
        stack,
        lobby.matchId,
        (p) => p.stage === 'fetching-players' && p.done >= 2,
        30_000,
      );
      child.kill('SIGKILL');
      await exited;
      const atKill = await getAnalysisProgress(stack.client, lobby.matchId);
      expect(atKill?.stage).not.toBe('done');

      await stack.startWorkers();
      const done = await waitForProgress(stack, lobby.matchId, (p) => p.stage === 'done', 60_000);
      expect(done.done).toBe(10);
      await waitFor(
        async () =>
          (await requestRow(stack, user.chatId, requester.progressMessageId))?.status === 'delivered',
      );
      const progress = stack.tg.message(user.chatId, requester.progressMessageId);
      expect(progress?.text).toContain('Lobby analysis');
      // Exactly once: one edit into the report, no duplicate messages.
      expect(progress?.editCount).toBe(1);
      expect(stack.tg.botMessages(user.chatId)).toHaveLength(1);
      expect(stack.tg.calls('sendMessage').filter((c) => c.params.chat_id === user.chatId)).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});

/** A whole worker in its own process on the stack's queues, emulators and services (polling once `ready`). */
function forkWorkerProcess(config: Config): ForkedWorker {
  const env: Record<string, string> = { LOG_LEVEL: 'silent' };
  for (const key of [
    'TASK_QUEUE_CRITICAL',
    'TASK_QUEUE_HIGH',
    'TASK_QUEUE_DEFAULT',
    'TASK_QUEUE_LOW',
    'FACEIT_API_BASE_URL',
    'FACEIT_API_KEY',
    'FACEIT_RATE_LIMIT_PER_SECOND',
    'FACEIT_REQUEST_TIMEOUT_MS',
    'BOT_TOKEN',
    'TELEGRAM_API_ROOT',
  ] as const) {
    env[key] = String(config[key] ?? '');
  }
  return forkActivityWorker(path.join(__dirname, 'fixtures', 'worker-process.ts'), env);
}
