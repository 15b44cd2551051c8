import { sql } from 'slonik';
import { z } from 'zod';
import { createAdminRepository } from '../../src/admin';
import { broadcastProgress, type BroadcastReport } from '../../src/broadcast';
import { uniqueTelegramId } from '../harness';
import { startBotWorld, textOf, type BotWorld } from '../bot/harness';
import { copiesPerChat, deliveryStatuses, eventually, reportOf, seedRecipients } from './helpers';

/**
 * /broadcast end to end: the admin's preview and confirmation through the Telegram emulator, the broadcast workflow
 * on real Temporal and PostgreSQL, and the emulator answering some chats 403 (blocked) and some 429 (retry_after).
 */
describe('broadcasts', () => {
  let w: BotWorld;
  const adminId = uniqueTelegramId();
  const admin = { id: adminId, first_name: 'Op', username: `op${adminId}`, language_code: 'en' };
  const RATE = 150;

  beforeAll(async () => {
    w = await startBotWorld({
      env: { ADMIN_TELEGRAM_IDS: String(adminId), BROADCAST_RATE_PER_SECOND: String(RATE) },
      // Telegram's own limits stay on (1 message/s per chat with a short burst); the bot-wide one is raised so
      // the test can send faster than production's 25/s.
      telegramLimits: { global: { burst: 300, perSecond: 300 } },
    });
    await w.start(admin);
  });
  afterAll(() => w?.stop());

  /** `/broadcast …` → preview, "this is what users get", controls; returns the controls message and the draft id. */
  async function draft(text: string, entities: Array<{ type: string; offset: number; length: number }> = []) {
    const sent = w.tg.sendUserMessage({ from: admin, text, entities });
    const [, , controls] = await w.replies(admin.id, sent.messageId, 3);
    const id = Number(/#(\d+)/.exec(textOf(controls))?.[1]);
    return { controls, id };
  }

  async function audienceOfAll(): Promise<number> {
    return w.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM users WHERE blocked_at IS NULL`);
  }

  it('sends to a few thousand users once each, with a correct report, while some chats answer 403 and some 429', async () => {
    const ids = await seedRecipients(w.pool, w.tg, 2000);
    const blocked = ids.filter((_, i) => i % 40 === 7); // 50 users blocked the bot
    const throttled = ids.filter((_, i) => i % 40 === 21); // 50 chats answer 429 twice first
    for (const id of blocked) w.tg.blockChat(id);
    for (const id of throttled) {
      w.tg.failChat(
        id,
        { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 },
        2,
      );
    }
    const audience = await audienceOfAll();

    const { controls, id } = await draft('/broadcast Season 2 starts today!', [
      { type: 'bold', offset: 11, length: 8 },
    ]);
    const preview = w.tg.botMessages(admin.id).at(-3)!;
    expect(preview).toMatchObject({
      text: 'Season 2 starts today!',
      entities: [{ type: 'bold', offset: 0, length: 8 }],
    });
    expect(textOf(controls)).toContain(
      `Audience: all users — ${audience.toLocaleString('en-GB')} recipients`,
    );
    const buttons = controls.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data);
    expect(buttons).toEqual([
      `bc:a:${id}:all`,
      `bc:a:${id}:free`,
      `bc:a:${id}:premium`,
      `bc:a:${id}:pro`,
      `bc:a:${id}:ru`,
      `bc:a:${id}:en`,
      `bc:go:${id}`,
      `bc:x:${id}`,
    ]);

    const started = Date.now();
    await w.click(admin, controls, `bc:go:${id}`);
    const report: BroadcastReport = await reportOf(w.client, id);
    const seconds = (Date.now() - started) / 1000;
    console.log(`broadcast of ${report.total} in ${seconds.toFixed(1)} s (configured ${RATE}/s)`, report);

    // Users of other test files in this database have no chat in this emulator: Telegram says "chat not found".
    const chats = new Set(w.tg.chats().map((c) => c.id));
    const recipients = [...(await deliveryStatuses(w.pool, id)).keys()];
    const strangers = recipients.filter((chat) => !chats.has(chat)).length;
    expect(report).toMatchObject({
      status: 'completed',
      total: audience,
      sent: recipients.length - blocked.length - strangers,
      blocked: blocked.length,
      failed: strangers,
      uncertain: 0,
      notSent: 0,
    });
    const copies = copiesPerChat(w.tg, ids, (m) => m.text === 'Season 2 starts today!');
    for (const id of ids) expect([id, copies.get(id)]).toEqual([id, blocked.includes(id) ? 0 : 1]);
    expect(w.tg.lastBotMessage(throttled[0])?.entities).toEqual([{ type: 'bold', offset: 0, length: 8 }]);
    // Each throttled chat: two 429s, then the message, at least retry_after apart.
    const calls = w.tg.calls('sendMessage').filter((c) => Number(c.params.chat_id) === throttled[0]);
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(950);

    // The blocked users are marked, and the next audience leaves them out.
    const marked = await w.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM users WHERE blocked_at IS NOT NULL
        AND telegram_id = ANY(${sql.array(blocked, 'int8')})`);
    expect(marked).toBe(blocked.length);
    expect(await audienceOfAll()).toBe(audience - blocked.length);

    // The admin's one progress message ends as the report.
    const final = w.tg.message(admin.id, controls.messageId)!;
    expect(textOf(final)).toContain(
      `✅ Sent: ${report.sent.toLocaleString('en-GB')} of ${audience.toLocaleString('en-GB')}`,
    );
    expect(textOf(final)).toContain(`⛔ Blocked the bot: ${blocked.length}`);
    expect(final.editCount).toBeGreaterThanOrEqual(2);
    expect(final.replyMarkup?.inline_keyboard ?? []).toEqual([]);

    const audit = (await createAdminRepository(w.pool, 'UTC').recentAudit(20)).filter(
      (r) => r.admin_telegram_id === adminId,
    );
    expect(audit.slice(0, 2).map((r) => [r.action, r.result])).toEqual([
      ['broadcast.confirm', 'ok'],
      ['broadcast.draft', 'ok'],
    ]);
    expect(audit[0].details).toMatchObject({ broadcast: id, size: audience });
  }, 120_000);

  it('a reply with /broadcast sends a copy; the audience can be a language; Confirm twice starts one broadcast', async () => {
    const english = await seedRecipients(w.pool, w.tg, 30, { language: 'en' });
    const original = w.tg.sendUserMessage({
      from: admin,
      text: 'Patch notes: maps and stats',
      entities: [{ type: 'italic', offset: 0, length: 11 }],
    });
    // (The bot answers the plain message itself first: it is not a command.)
    await w.replies(admin.id, original.messageId, 1);
    const sent = w.tg.sendUserMessage({
      from: admin,
      text: '/broadcast',
      replyToMessageId: original.messageId,
    });
    const [copy, , controls] = await w.replies(admin.id, sent.messageId, 3);
    expect(copy).toMatchObject({
      text: 'Patch notes: maps and stats',
      copiedFrom: { messageId: original.messageId },
    });
    const id = Number(/#(\d+)/.exec(textOf(controls))?.[1]);
    await w.click(admin, controls, `bc:a:${id}:en`);
    const english_ = await w.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM users WHERE blocked_at IS NULL AND language = 'en'`);
    const chosen = w.tg.message(admin.id, controls.messageId)!;
    expect(textOf(chosen)).toContain(`Audience: English — ${english_} recipients`);
    await w.click(admin, chosen, `bc:go:${id}`);
    // A second press (a double tap) finds no draft any more.
    const again = w.tg.clickButton({
      chatId: admin.id,
      messageId: controls.messageId,
      data: `bc:go:${id}`,
      from: admin,
      force: true,
    });
    expect((await w.tg.waitForCallbackAnswer(again.callbackQueryId)).text).toBe(
      'This broadcast is no longer a draft.',
    );
    const report = await reportOf(w.client, id);
    expect(report.total).toBe(english_);
    for (const chat of english) {
      const copies = w.tg.botMessages(chat).filter((m) => m.copiedFrom?.messageId === original.messageId);
      expect(copies).toHaveLength(1);
      expect(copies[0].entities).toEqual([{ type: 'italic', offset: 0, length: 11 }]);
    }
  }, 60_000);

  it('Pause stops the sending, Resume continues, Cancel ends it with a report of what was not sent', async () => {
    const ids = await seedRecipients(w.pool, w.tg, 1500);
    const { controls, id } = await draft('/broadcast Pause me');
    await w.click(admin, controls, `bc:go:${id}`);
    const sentRows = async () =>
      [...(await deliveryStatuses(w.pool, id)).values()].filter((s) => s !== 'pending').length;
    await eventually(async () => (await sentRows()) > 100);

    const running = await eventually(async () => {
      const m = w.tg.message(admin.id, controls.messageId);
      return m?.replyMarkup?.inline_keyboard?.flat().some((b) => b.callback_data === `bc:p:${id}`)
        ? m
        : undefined;
    });
    await w.click(admin, running, `bc:p:${id}`);
    await eventually(async () => (await broadcastProgress(w.client, id)).state === 'paused');
    const atPause = await sentRows();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await sentRows()).toBe(atPause);
    const paused = w.tg.message(admin.id, controls.messageId)!;
    expect(textOf(paused)).toContain('⏸ paused');
    expect(paused.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual([
      `bc:r:${id}`,
      `bc:c:${id}`,
    ]);

    await w.click(admin, paused, `bc:r:${id}`);
    await eventually(async () => (await sentRows()) > atPause + 50);
    const resumed = await eventually(async () => {
      const m = w.tg.message(admin.id, controls.messageId);
      return m?.replyMarkup?.inline_keyboard?.flat().some((b) => b.callback_data === `bc:c:${id}`)
        ? m
        : undefined;
    });
    await w.click(admin, resumed, `bc:c:${id}`);
    const report = await reportOf(w.client, id);
    expect(report.status).toBe('cancelled');
    expect(report.notSent).toBeGreaterThan(0);
    expect(report.sent + report.blocked + report.failed + report.uncertain + report.notSent).toBe(
      report.total,
    );
    const copies = copiesPerChat(w.tg, ids, (m) => m.text === 'Pause me');
    expect([...copies.values()].filter((n) => n > 1)).toEqual([]);
    expect([...copies.values()].filter((n) => n === 1).length).toBe(
      [...(await deliveryStatuses(w.pool, id))].filter(([chat, s]) => s === 'sent' && copies.has(chat))
        .length,
    );
    expect(textOf(w.tg.message(admin.id, controls.messageId))).toContain('✖️ cancelled');
    // A button of the finished broadcast does nothing.
    const late = w.tg.clickButton({
      chatId: admin.id,
      messageId: controls.messageId,
      data: `bc:p:${id}`,
      from: admin,
      force: true,
    });
    expect((await w.tg.waitForCallbackAnswer(late.callbackQueryId)).text).toBe(
      'This broadcast is not running any more.',
    );
  }, 90_000);
});
