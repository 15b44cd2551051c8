import {
  ask,
  createUser,
  freshLobby,
  quotaUsed,
  requestRow,
  startAnalysisStack,
  waitFor,
  type AnalysisStack,
} from '../analysis/workflow-helpers';

/**
 * A report Telegram will not take (here: a 400 on the edit, which no retry can fix) is not left as a frozen progress
 * bar: the workflow replaces it with a notice saying so, and the request's quota unit is given back, once.
 */
describe('an undeliverable report is explained and refunded', () => {
  let stack: AnalysisStack;

  beforeAll(async () => {
    stack = await startAnalysisStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('the progress message says the report could not be delivered, and the unit comes back', async () => {
    const lobby = await freshLobby(stack);
    const user = await createUser(stack, { locale: 'en' });
    expect(await quotaUsed(stack, user)).toBe(1);
    stack.tg.failNext('editMessageText', {
      error_code: 400,
      description: "Bad Request: can't parse entities: unsupported start tag",
    });
    const { requester } = await ask(stack, lobby.matchId, user);
    await waitFor(
      () =>
        (stack.tg.message(user.chatId, requester.progressMessageId)?.text ?? '').includes(
          'could not be delivered',
        ),
      60_000,
      'the undelivered notice',
    );
    await waitFor(async () => (await quotaUsed(stack, user)) === 0, 10_000, 'the refund');
    expect((await requestRow(stack, user.chatId, requester.progressMessageId))?.status).toBe('failed');
    // The rejected attempt was the report; the notice replaced the progress bar (and its Cancel button).
    const edits = stack.tg
      .calls('editMessageText')
      .filter((c) => c.params.message_id === requester.progressMessageId);
    expect(edits.map((c) => c.status)).toEqual([400, 200]);
    expect(stack.tg.message(user.chatId, requester.progressMessageId)?.replyMarkup).toBeUndefined();
  });
});
