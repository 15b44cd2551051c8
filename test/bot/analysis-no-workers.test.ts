import { createActivities } from '../../src/activities';
import { usageDay } from '../../src/db/repositories/usage';
import { createTelegramApi } from '../../src/telegram/api';
import type { RunningWorkers } from '../../src/temporal/worker';
import { startTestWorkers, testLogger } from '../harness';
import { startBotWorld, textOf, type BotWorld } from './harness';

/**
 * /analyze while no worker serves the analysis queues: the join update goes unanswered within the bot's deadline
 * (TEMPORAL_RPC_TIMEOUT_MS). The start is confirmed (the match's workflow runs, the request in its input), so the
 * user sees "queued" under the progress bar, not an error; when workers come back the report arrives in the same
 * message, charged once. A second user joining meanwhile is queued the same way and served by the same run; a third
 * one's Cancel, unconfirmed at the time, is carried out when the workers are back.
 */
describe('bot: analysis requested while no worker answers', () => {
  let w: BotWorld;
  let analysisWorkers: RunningWorkers | undefined;
  const RPC_MS = 1_500;

  beforeAll(async () => {
    // Workers for the critical and low tiers only: nobody serves the default and high queues analyses run on.
    w = await startBotWorld({
      env: { TEMPORAL_RPC_TIMEOUT_MS: String(RPC_MS) },
      workerTiers: ['critical', 'low'],
    });
  });
  afterAll(async () => {
    await analysisWorkers?.shutdown();
    await w?.stop();
  });

  it('shows "queued" (not an error), then delivers the report once the workers are back; nothing charged twice', async () => {
    const [first, second] = [w.user('en'), w.user('ru')];
    const lobby = await w.faceit.control.createLobby();
    const day = usageDay('Europe/Moscow');

    const progress = await w.send(first, `/analyze ${lobby.roomUrl}`);
    const queued = await w.tg.waitFor(
      () => {
        const m = w.tg.message(first.id, progress.messageId);
        return textOf(m).includes('Queued') ? m : undefined;
      },
      { timeoutMs: RPC_MS + 10_000, describe: () => w.tg.transcript(first.id) },
    );
    expect(textOf(queued)).toContain('0/10');
    expect(textOf(queued)).toContain('The report will arrive in this message');
    expect(queued?.replyMarkup?.inline_keyboard?.[0][0].callback_data).toBe(
      `an:x:${lobby.matchId}:${first.id}`,
    );

    const joining = await w.send(second, `/analyze ${lobby.roomUrl}`);
    await w.tg.waitFor(
      () => (textOf(w.tg.message(second.id, joining.messageId)).includes('В очереди') ? true : undefined),
      { timeoutMs: RPC_MS + 10_000, describe: () => w.tg.transcript(second.id) },
    );
    // A third user joins and presses Cancel while nobody answers: the bot cannot confirm it and says so; the cancel
    // waits at the server with the join and is carried out (and refunded) once the workers are back.
    const leaver = w.user('en');
    const leaving = await w.send(leaver, `/analyze ${lobby.roomUrl}`);
    await w.tg.waitFor(
      () => (textOf(w.tg.message(leaver.id, leaving.messageId)).includes('Queued') ? true : undefined),
      { timeoutMs: RPC_MS + 10_000, describe: () => w.tg.transcript(leaver.id) },
    );
    const { callbackQueryId } = w.tg.clickButton({
      chatId: leaver.id,
      messageId: leaving.messageId,
      data: `an:x:${lobby.matchId}:${leaver.id}`,
      from: leaver,
    });
    expect(await w.tg.waitForCallbackAnswer(callbackQueryId, RPC_MS + 10_000)).toMatchObject({
      text: 'The service did not confirm the cancellation in time. Press Cancel again in a moment.',
      showAlert: true,
    });
    for (const user of [first, second, leaver]) expect(await w.repos.usage.used(user.id, day)).toBe(1);
    expect(w.faceit.control.counts().total).toBe(0);

    analysisWorkers = await startTestWorkers(
      w.config,
      createActivities({
        config: w.config,
        logger: testLogger,
        pool: w.pool,
        redis: w.redis,
        faceit: w.faceitClient,
        telegram: createTelegramApi(w.config),
      }),
      ['default', 'high'],
    );
    for (const [user, message, title] of [
      [first, progress, 'Lobby analysis'],
      [second, joining, 'Анализ лобби'],
    ] as const) {
      await w.tg.waitFor(
        () => (textOf(w.tg.message(user.id, message.messageId)).includes(title) ? true : undefined),
        { timeoutMs: 60_000, describe: () => w.tg.transcript(user.id) },
      );
      expect(await w.repos.usage.used(user.id, day)).toBe(1);
    }
    expect(w.faceit.control.counts().byEndpoint.match).toBe(1);
    await w.tg.waitFor(
      () => (textOf(w.tg.message(leaver.id, leaving.messageId)).includes('cancelled') ? true : undefined),
      { timeoutMs: 30_000, describe: () => w.tg.transcript(leaver.id) },
    );
    expect(textOf(w.tg.message(leaver.id, leaving.messageId))).not.toContain('Lobby analysis');
    for (let i = 0; i < 50 && (await w.repos.usage.used(leaver.id, day)) !== 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await w.repos.usage.used(leaver.id, day)).toBe(0);
  });
});
