import { randomUUID } from 'node:crypto';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';

/**
 * Issue 22, item 11: the ELO chart button's callback data carries the nickname (`elo:<player id>:<nickname>`), and a
 * client can send any callback data. A forged nickname with HTML is shown as text, never as markup.
 */
describe('the ELO chart callback with forged callback data', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld();
  });
  afterAll(() => w?.stop());

  it('shows a nickname with <b> in it as text', async () => {
    const user = w.user('en');
    const help = await w.send(user, '/help');
    const forged = '<b>pwn</b>&<i>x';
    const { callbackQueryId } = w.tg.clickButton({
      chatId: help.chatId,
      messageId: help.messageId,
      data: `elo:${randomUUID()}:${forged}`,
      from: user,
      force: true,
    });
    await w.tg.waitForCallbackAnswer(callbackQueryId);
    const reply = await w.tg.waitForBotMessage(user.id, (m) => m.messageId > help.messageId);
    expect(textOf(reply)).toContain(`No ELO history for ${forged} yet`);
    // The template's own bold is the nickname as a whole, nothing inside it is markup.
    const bold = (reply.entities ?? []).filter((e) => e.type === 'bold');
    expect(bold).toHaveLength(1);
    expect(textOf(reply).slice(bold[0].offset, bold[0].offset + bold[0].length)).toBe(forged);
    expect((reply.entities ?? []).some((e) => e.type === 'italic')).toBe(false);
  });
});
