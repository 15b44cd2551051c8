import { randomUUID } from 'node:crypto';
import { type Api, GrammyError } from 'grammy';
import { register } from 'prom-client';
import { sql } from 'slonik';
import { z } from 'zod';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';
import type { DatabasePool } from '../../src/db/pool';
import { createTelegramApi, requestSignal } from '../../src/telegram/api';
import { ClaimHeldError, createSendClaims, sendOnce, type SendClaims } from '../../src/telegram/send-claims';
import { testLogger, testPool, uniqueTelegramId } from '../harness';

/**
 * The send protocol of docs/delivery.md against the real database and the strict Telegram emulator:
 * an error answer is resent without a duplicate, a lost answer is resent and counted as a possible duplicate, a dead
 * attempt's claim is taken over (never sent) or closed as uncertain (may have been sent), and an attempt that lost
 * its claim never sends.
 */
const TOKEN = '7000000042:TEST-send-claims';
const LEASE_MS = 1_500;

describe('send claims: what is resent, what is counted', () => {
  let tg: TelegramEmulator;
  let pool: DatabasePool;
  let api: Api;
  let claims: SendClaims;

  beforeAll(async () => {
    tg = await startTelegramEmulator({ tokens: [TOKEN], autoCreateChats: true, limits: false });
    pool = await testPool();
    api = createTelegramApi({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_SEND_TIMEOUT_MS: 5_000,
    });
    claims = createSendClaims(pool, 'analysis_report', { leaseMs: LEASE_MS });
  });
  afterAll(async () => {
    await tg?.stop();
  });

  const texts = (chatId: number) => tg.botMessages(chatId).map((m) => m.text);
  const send = (chatId: number, key: string, text: string) =>
    sendOnce(claims, { chatId, key }, () => api.sendMessage(chatId, text), testLogger);
  const row = (chatId: number, key: string) =>
    pool.one(sql.type(z.object({ status: z.string(), in_doubt: z.boolean() }))`
      SELECT status, in_doubt FROM notifications_sent
      WHERE chat_id = ${chatId} AND match_id = ${key} AND kind = 'analysis_report'`);
  async function uncertain(outcome: string): Promise<number> {
    const metric = await register.getSingleMetric('telegram_delivery_uncertain_total')?.get();
    return (
      metric?.values.find((v) => v.labels.outcome === outcome && v.labels.kind === 'analysis_report')
        ?.value ?? 0
    );
  }
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('an error answer (502) means not delivered: the retry sends it once, nothing is counted', async () => {
    const chatId = uniqueTelegramId();
    const key = randomUUID();
    const before = await uncertain('possible_duplicate');
    tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    expect(await failure(send(chatId, key, 'отчёт'))).toBeInstanceOf(GrammyError);
    expect(await row(chatId, key)).toEqual({ status: 'failed', in_doubt: false });
    expect(await send(chatId, key, 'отчёт')).toMatchObject({ status: 'sent' });
    expect(await send(chatId, key, 'отчёт')).toEqual({ status: 'done' });
    expect(texts(chatId)).toEqual(['отчёт']);
    expect(await uncertain('possible_duplicate')).toBe(before);
  });

  it('a connection dropped after Telegram accepted: resent (at least once) and counted as a possible duplicate', async () => {
    const chatId = uniqueTelegramId();
    const key = randomUUID();
    const before = await uncertain('possible_duplicate');
    tg.dropAfterAccept('sendMessage');
    const err = await failure(send(chatId, key, 'отчёт'));
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(GrammyError);
    expect(await row(chatId, key)).toEqual({ status: 'failed', in_doubt: true });
    expect(await send(chatId, key, 'отчёт')).toMatchObject({ status: 'sent' });
    expect(texts(chatId)).toEqual(['отчёт', 'отчёт']);
    expect(await uncertain('possible_duplicate')).toBe(before + 1);
  });

  it('a claim of a live attempt is held; once its lease ran out and it never sent, it is taken over and sent once', async () => {
    const chatId = uniqueTelegramId();
    const key = randomUUID();
    const dead = await claims.claim(chatId, key); // an attempt that dies right after claiming
    expect(dead.state).toBe('mine');
    const held = await failure(send(chatId, key, 'уведомление'));
    expect(held).toBeInstanceOf(ClaimHeldError);
    expect((held as ClaimHeldError).retryInMs).toBeLessThanOrEqual(LEASE_MS);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
    expect(await send(chatId, key, 'уведомление')).toMatchObject({ status: 'sent' });
    expect(texts(chatId)).toEqual(['уведомление']);
    // The dead attempt, should it wake up, lost its claim and must not send.
    if (dead.state !== 'mine') throw new Error('unreachable');
    expect(await claims.markSending(chatId, key, dead.token)).toBe(false);
  });

  it('an attempt that died with its request in flight is never resent: closed as uncertain, counted as a possible loss', async () => {
    const chatId = uniqueTelegramId();
    const key = randomUUID();
    const before = await uncertain('possible_loss');
    const dead = await claims.claim(chatId, key);
    if (dead.state !== 'mine') throw new Error('expected the claim');
    expect(await claims.markSending(chatId, key, dead.token)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
    expect(await send(chatId, key, 'уведомление')).toEqual({ status: 'done' });
    expect(await row(chatId, key)).toEqual({ status: 'uncertain', in_doubt: false });
    expect(texts(chatId)).toEqual([]);
    expect(await uncertain('possible_loss')).toBe(before + 1);
  });

  it('the activity’s cancellation aborts the request: nothing is sent after the activity gave up', async () => {
    const controller = new AbortController();
    controller.abort();
    const chatId = uniqueTelegramId();
    const key = randomUUID();
    const err = await failure(
      sendOnce(
        claims,
        { chatId, key },
        () => api.sendMessage(chatId, 'поздно', {}, requestSignal(5_000, controller.signal)),
        testLogger,
      ),
    );
    expect(err).toBeInstanceOf(Error);
    expect(texts(chatId)).toEqual([]);
    // Aborted before it left: nothing was delivered, and the row is open for the next attempt.
    expect((await row(chatId, key)).status).toBe('failed');
  });
});
