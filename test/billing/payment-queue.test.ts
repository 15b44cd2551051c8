/**
 * Payment updates never wait behind the same user's earlier updates: the per-user sequential queue
 * (src/bot/create-bot.ts) would otherwise hold a pre-checkout query behind a slow /profile past Telegram's 10 s.
 */
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { CONFIRMED, paymentsOf, requestInvoice } from './helpers';

describe('billing: payment updates skip the per-user queue', () => {
  let w: BotWorld;
  beforeAll(async () => {
    // FACEIT answers slowly but within the client's timeout: the /profile below is slow, not failing.
    w = await startBotWorld({ env: { FACEIT_REQUEST_TIMEOUT_MS: '30000' } });
  });
  afterAll(async () => {
    w.faceit.control.setLatency(5);
    await w.stop();
  });

  it('a pre-checkout query is answered while the same user’s slow /profile is still running', async () => {
    const [player] = w.faceit.control.findPlayers({ minMatches: 20, hasCs2: true, limit: 1 });
    const ann = w.user('en');
    const invoice = await requestInvoice(w, ann, 'premium', 'month');
    w.faceit.control.setLatency(4_000);
    try {
      const profile = w.tg.sendUserMessage({ from: ann, text: `/profile ${player.nickname}` });
      // The /profile update is taken by the bot (its handler is waiting for FACEIT) before the user presses Pay.
      await w.tg.waitFor(() => (w.tg.pendingUpdates().length === 0 ? true : undefined), { timeoutMs: 5_000 });
      await new Promise((r) => setTimeout(r, 300));
      const profileReplies = () =>
        w.tg.botMessages(ann.id).filter((m) => m.messageId > profile.messageId && !m.successfulPayment);
      const paid = await w.tg.payInvoice({ from: ann, chatId: ann.id, messageId: invoice.messageId });
      // Answered (yes) while /profile has not answered yet: it did not wait in the user's queue.
      expect(paid.answer).toMatchObject({ answered: true, ok: true });
      expect(profileReplies()).toEqual([]);
      expect(paid.chargeId).toBeDefined();
      // The payment itself is credited and confirmed while /profile is still running, too.
      const confirmation = await w.tg.waitForBotMessage(ann.id, CONFIRMED, 3_000);
      expect(textOf(confirmation)).toContain('PREMIUM');
      expect(await paymentsOf(w, ann.id)).toHaveLength(1);
      // And /profile still answers, afterwards.
      w.faceit.control.setLatency(5);
      const reply = await w.tg.waitForBotMessage(
        ann.id,
        (m) => m.messageId > profile.messageId && textOf(m).includes(player.nickname),
        60_000,
      );
      expect(reply.messageId).toBeGreaterThan(confirmation.messageId);
    } finally {
      w.faceit.control.setLatency(5);
    }
  }, 90_000);
});
