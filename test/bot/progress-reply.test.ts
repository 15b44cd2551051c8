import { register } from 'prom-client';
import { sql } from 'slonik';
import { z } from 'zod';
import type { PlayerSummary } from '../../emulators/faceit';
import type { SimUser, StoredMessage } from '../../emulators/telegram';
import { usageDay } from '../../src/db/repositories/usage';
import { startBotWorld, textOf, type BotWorld } from './harness';

/**
 * The bot's first progress message when Telegram accepts it but the answer is lost (the connection dropped after
 * accept): the bot never learns that message's id, so it cannot be the one the report replaces. The outcome must be
 * truthful either way: the request goes ahead in a resent message the report replaces (one unit, counted as a
 * possible duplicate), or it is refused with the unit back and a message saying so; nothing is left pending.
 */
describe('bot: the first progress message when Telegram’s answer is lost', () => {
  let w: BotWorld;
  let players: PlayerSummary[];

  beforeAll(async () => {
    w = await startBotWorld({ faceit: { latencyMs: 5 } });
    players = w.faceit.control.findPlayers({ minMatches: 50, hasCs2: true, limit: 3 });
  });
  afterAll(() => w?.stop());

  async function linkedUser(player: PlayerSummary): Promise<SimUser> {
    const user = w.user('en');
    await w.repos.users.touch({ telegramId: user.id, firstName: user.first_name });
    await w.repos.users.update(user.id, { language: 'en' });
    await w.repos.faceitAccounts.link(user.id, { playerId: player.playerId, nickname: player.nickname });
    return user;
  }
  const used = (user: SimUser) => w.repos.usage.used(user.id, usageDay('Europe/Moscow'));
  const isProgress = (m: StoredMessage | undefined) => textOf(m).startsWith('⏳');
  const requestRows = (user: SimUser) =>
    w.pool.any(sql.type(z.object({ status: z.string(), progress_message_id: z.number().nullable() }))`
      SELECT status, progress_message_id FROM analysis_requests WHERE telegram_id = ${user.id} ORDER BY id`);
  /** The user presses the Cancel button of `message`; resolves with the answer's text. */
  async function press(user: SimUser, message: StoredMessage, matchId: string): Promise<string> {
    const { callbackQueryId } = w.tg.clickButton({
      chatId: user.id,
      messageId: message.messageId,
      data: `an:x:${matchId}:${user.id}`,
      from: user,
    });
    return (await w.tg.waitForCallbackAnswer(callbackQueryId, 10_000)).text ?? '';
  }
  /** The live progress message once the report has replaced it. */
  function reportIn(user: SimUser, live: StoredMessage): Promise<StoredMessage> {
    return w.tg.waitFor(
      () => {
        const now = w.tg.message(user.id, live.messageId);
        return now && textOf(now).includes('Lobby analysis') ? now : undefined;
      },
      { timeoutMs: 60_000, describe: () => w.tg.transcript(user.id) },
    );
  }

  async function possibleDuplicates(): Promise<number> {
    const metric = await register.getSingleMetric('telegram_delivery_uncertain_total')?.get();
    return (
      metric?.values.find(
        (v) => v.labels.outcome === 'possible_duplicate' && v.labels.kind === 'progress_reply',
      )?.value ?? 0
    );
  }

  it('one lost answer: the progress message is sent again, marked live, and becomes the report; one unit', async () => {
    const user = await linkedUser(players[0]);
    const lobby = await w.faceit.control.createLobby({ players: [players[0].playerId] });
    const before = await possibleDuplicates();
    w.tg.dropAfterAccept('sendMessage');
    const asked = w.tg.sendUserMessage({ from: user, text: `/analyze ${lobby.roomUrl}` });
    const [lostCopy, live] = await w.replies(user.id, asked.messageId, 2);
    expect(isProgress(lostCopy)).toBe(true);
    // The resent one says which is live, while it is a progress bar.
    expect(textOf(live)).toContain('this one is live');

    const report = await reportIn(user, live);
    expect(textOf(report)).toContain(lobby.teams.faction1.name);
    expect(await used(user)).toBe(1);
    // The workflow settles the request right after its delivery edit.
    for (let i = 0; i < 100 && (await requestRows(user))[0]?.status !== 'delivered'; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await requestRows(user)).toEqual([{ status: 'delivered', progress_message_id: live.messageId }]);
    expect(await possibleDuplicates()).toBe(before + 1);
    // Nothing claims "something went wrong": the request went ahead.
    expect(w.tg.botMessages(user.id).map(textOf).join('\n')).not.toMatch(/went wrong/i);

    // The copy the bot never learnt of still shows its bar; its Cancel says what it is and turns it into a note.
    const answer = await press(user, lostCopy, lobby.matchId);
    expect(answer).toContain('Nothing was cancelled');
    const note = w.tg.message(user.id, lostCopy.messageId);
    expect(textOf(note)).toContain('not updated');
    expect(note?.replyMarkup?.inline_keyboard ?? []).toEqual([]);
    expect(textOf(w.tg.message(user.id, live.messageId))).toContain('Lobby analysis');
    expect(await used(user)).toBe(1);
  });

  it('Cancel on a lost copy while the analysis runs: the copy becomes a note, the live request is not cancelled', async () => {
    const user = await linkedUser(players[0]);
    const lobby = await w.faceit.control.createLobby({ players: [players[0].playerId] });
    w.faceit.control.setLatency(400); // still running when the button is pressed
    w.tg.dropAfterAccept('sendMessage');
    const asked = w.tg.sendUserMessage({ from: user, text: `/analyze ${lobby.roomUrl}` });
    const [lostCopy, live] = await w.replies(user.id, asked.messageId, 2);
    for (let i = 0; i < 100 && (await requestRows(user))[0]?.progress_message_id !== live.messageId; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await press(user, lostCopy, lobby.matchId)).toContain('Nothing was cancelled');
    w.faceit.control.setLatency(5);
    const report = await reportIn(user, live);
    expect(textOf(report)).toContain(lobby.teams.faction1.name);
    expect(textOf(w.tg.message(user.id, lostCopy.messageId))).toContain('not updated');
    expect(await used(user)).toBe(1);
  });

  it('both answers lost: refused in plain words, the unit back, nothing started', async () => {
    const user = await linkedUser(players[1]);
    const lobby = await w.faceit.control.createLobby({ players: [players[1].playerId] });
    const calls = w.faceit.control.counts().total;
    w.tg.dropAfterAccept('sendMessage', 2);
    const asked = w.tg.sendUserMessage({ from: user, text: `/analyze ${lobby.roomUrl}` });
    const [, , notice] = await w.replies(user.id, asked.messageId, 3);
    expect(textOf(notice)).toContain('the analysis was not started');
    expect(textOf(notice)).toContain('not counted against your daily limit');
    // Either copy's Cancel now says what it is.
    const [firstCopy] = await w.replies(user.id, asked.messageId, 1);
    expect(await press(user, firstCopy, lobby.matchId)).toContain('Nothing was cancelled');
    expect(textOf(w.tg.message(user.id, firstCopy.messageId))).toContain('not updated');
    expect(await used(user)).toBe(0);
    expect(await requestRows(user)).toEqual([{ status: 'failed', progress_message_id: null }]);
    // No analysis runs for it (no FACEIT call), so nothing can later write into a message the user does not see.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(w.faceit.control.counts().total).toBe(calls);
  });

  it('Telegram answers with an error: nothing was shown, the unit is back, no resend', async () => {
    const user = await linkedUser(players[2]);
    const lobby = await w.faceit.control.createLobby({ players: [players[2].playerId] });
    const before = await possibleDuplicates();
    w.tg.failChat(user.id, { error_code: 400, description: 'Bad Request: message is too long' });
    const asked = w.tg.sendUserMessage({ from: user, text: `/analyze ${lobby.roomUrl}` });
    // The error boundary's apology is the only message; no progress bar was shown.
    const [apology] = await w.replies(user.id, asked.messageId, 1);
    expect(isProgress(apology)).toBe(false);
    expect(await used(user)).toBe(0);
    expect(await requestRows(user)).toEqual([{ status: 'failed', progress_message_id: null }]);
    expect(await possibleDuplicates()).toBe(before);
  });
});
