import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import type { AnalysisActivities } from '../../src/analysis/activities';
import { renderProgress } from '../../src/analysis/render';
import type { AnalysisRequester } from '../../src/analysis/workflow-types';
import {
  createUser,
  quotaUsed,
  requestRow,
  startDirectAnalysisStack,
  type DirectAnalysisStack,
} from './workflow-helpers';

/**
 * The delivery activity called directly, as Temporal would retry it: whatever attempt repeats, a report is sent once,
 * a refund happens once, and Telegram's "message is not modified" counts as done.
 */
describe('analysis delivery activity: idempotent under retries', () => {
  let stack: DirectAnalysisStack;
  let acts: AnalysisActivities;
  const storedAnalysis = () => stack.storedAnalysis();

  beforeAll(async () => {
    stack = await startDirectAnalysisStack();
    acts = stack.acts;
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function progressMessage(
    user: Omit<AnalysisRequester, 'progressMessageId'>,
  ): Promise<AnalysisRequester> {
    const m = await stack.api.sendMessage(user.chatId, renderProgress(3, 10, user.locale));
    return { ...user, progressMessageId: m.message_id };
  }

  it('sends a report once however often the delivery is retried', async () => {
    const matchId = await storedAnalysis();
    const r = await progressMessage(await createUser(stack, { locale: 'en' }));
    expect(await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).toEqual({
      status: 'sent',
      messages: 1,
    });
    expect(await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).toEqual({
      status: 'already',
      messages: 0,
    });
    // A cancellation arriving after the report changes nothing (no refund, no new text).
    expect((await acts.analysisDeliver({ matchId, requester: r, outcome: 'cancelled' })).status).toBe(
      'already',
    );
    const message = stack.tg.message(r.chatId, r.progressMessageId);
    expect(message?.text).toContain('Lobby analysis');
    expect(message?.editCount).toBe(1);
    expect(stack.tg.botMessages(r.chatId)).toHaveLength(1);
    expect((await requestRow(stack, r.chatId, r.progressMessageId))?.status).toBe('delivered');
    expect(await quotaUsed(stack, r)).toBe(1);
  });

  it('treats "message is not modified" as delivered when there is no request row to remember it by', async () => {
    const matchId = await storedAnalysis();
    // A chat the database does not know (an operator or a benchmark user): nothing is recorded, nothing breaks.
    const chatId = 9_000_000_000 + Math.floor(Math.random() * 1_000_000);
    const r = await progressMessage({
      telegramId: chatId,
      chatId,
      locale: 'ru',
      tier: 'free',
      usageDay: '2026-11-23',
    });
    expect((await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).status).toBe('sent');
    expect((await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' })).status).toBe('sent');
    const message = stack.tg.message(r.chatId, r.progressMessageId);
    expect(message?.text).toContain('Анализ лобби');
    expect(message?.editCount).toBe(1);
    expect(
      stack.tg.calls('editMessageText').filter((c) => c.params.chat_id === chatId && !c.ok)[0]?.description,
    ).toMatch(/not modified/);
  });

  it('replaces a deleted progress message by a new one, once', async () => {
    const matchId = await storedAnalysis();
    const r = await progressMessage(await createUser(stack, { locale: 'en' }));
    await stack.api.deleteMessage(r.chatId, r.progressMessageId);
    // First attempt dies after sending (the row is never marked delivered): the retry must not send again.
    await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' });
    await stack.pool.query(
      sql.unsafe`UPDATE analysis_requests SET status = 'pending'
        WHERE chat_id = ${r.chatId} AND progress_message_id = ${r.progressMessageId}`,
    );
    await acts.analysisDeliver({ matchId, requester: r, outcome: 'report' });
    const visible = stack.tg.botMessages(r.chatId).filter((m) => !m.deleted);
    expect(visible).toHaveLength(1);
    expect(visible[0].text).toContain('Lobby analysis');
  });

  it('refunds a cancelled request exactly once and says so in the progress message', async () => {
    const user = await createUser(stack, { locale: 'ru' });
    const r = await progressMessage(user);
    const matchId = `1-${randomUUID()}`;
    expect(await quotaUsed(stack, r)).toBe(1);
    await acts.analysisDeliver({ matchId, requester: r, outcome: 'cancelled' });
    await acts.analysisDeliver({ matchId, requester: r, outcome: 'cancelled' });
    expect(await quotaUsed(stack, r)).toBe(0);
    expect((await requestRow(stack, r.chatId, r.progressMessageId))?.status).toBe('cancelled');
    expect(stack.tg.message(r.chatId, r.progressMessageId)?.text).toContain('Анализ отменён');
    expect(stack.tg.message(r.chatId, r.progressMessageId)?.editCount).toBe(1);
  });
});
