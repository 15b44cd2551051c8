import { startBotWorld, textOf, type BotWorld } from './harness';

/**
 * The error boundary and a reply whose answer was lost (Telegram accepted it, then the connection dropped): the user
 * already has the answer, so "something went wrong" would be false. The chaos run's telegram-drop-after-accept
 * found /help answered and then contradicted by that notice.
 */
describe('bot: the error boundary when Telegram’s answer to a reply is lost', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w?.stop());

  it('a /help that reached the user is not followed by "something went wrong"', async () => {
    const user = w.user('en');
    w.tg.dropAfterAccept('sendMessage');
    const asked = w.tg.sendUserMessage({ from: user, text: '/help' });
    const [help] = await w.replies(user.id, asked.messageId, 1);
    expect(textOf(help)).toContain('FACEIT CS2 analysis bot');
    // The boundary runs after the update's turn (outside the per-user sequence): the next /help's answer, plus a
    // moment, is past the point where it would have sent anything.
    const again = w.tg.sendUserMessage({ from: user, text: '/help' });
    await w.replies(user.id, again.messageId, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const between = w.tg
      .botMessages(user.id)
      .filter((m) => m.messageId > asked.messageId && m.messageId < again.messageId);
    expect(between.map(textOf)).toEqual([textOf(help)]);
    expect(w.tg.botMessages(user.id).map(textOf).join('\n')).not.toMatch(/went wrong/i);
  });

  it('a failure inside still gets the friendly notice (the boundary is not silenced)', async () => {
    const user = w.user('en');
    w.tg.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat is on fire' });
    const asked = w.tg.sendUserMessage({ from: user, text: '/help' });
    const [notice] = await w.replies(user.id, asked.messageId, 1);
    expect(textOf(notice)).toBe('⚠️ Something went wrong on my side. Please try again in a minute.');
  });
});
