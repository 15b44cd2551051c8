import { ApplicationFailure } from '@temporalio/common';
import { GrammyError, HttpError } from 'grammy';
import {
  ClaimHeldError,
  classifyTelegramError,
  describeTelegramError,
  isChatGone,
  isMessageGone,
  isNotModified,
  mayHaveArrived,
  refusedForGood,
  toTelegramRetry,
  type BotApiErrorBody,
} from '../../src/telegram/errors';

/** A failed call exactly as grammY throws it: the Bot API's body `{ ok: false, error_code, description, parameters }`. */
const answered = (body: BotApiErrorBody, method = 'sendMessage') =>
  new GrammyError(`Call to '${method}' failed! (${body.error_code}: ${body.description})`, body, method, {});
const body = (error_code: number, description: string, parameters?: BotApiErrorBody['parameters']) =>
  ({ ok: false, error_code, description, ...(parameters ? { parameters } : {}) }) as BotApiErrorBody;
const network = (error: unknown) => new HttpError("Network request for 'sendMessage' failed!", error);
const refusedConnection = () =>
  Object.assign(new Error('request to https://api.telegram.org/ failed, reason: connect ECONNREFUSED'), {
    code: 'ECONNREFUSED',
  });

describe('classifyTelegramError', () => {
  it.each([
    [403, 'Forbidden: bot was blocked by the user'],
    [403, 'Forbidden: user is deactivated'],
    [403, 'Forbidden: bot was kicked from the group chat'],
    [403, "Forbidden: bot can't initiate conversation with a user"],
    [400, 'Bad Request: chat not found'],
    [400, 'Bad Request: not enough rights to send text messages to the chat'],
    [400, 'Bad Request: have no rights to send a message'],
    [400, 'Bad Request: bot is not a member of the channel chat'],
  ])('%i %s: the chat is gone', (code, description) => {
    const c = classifyTelegramError(answered(body(code, description)));
    expect(c).toEqual({ kind: 'chat-gone', code, description, answered: true, neverLeft: true });
    expect(isChatGone(answered(body(code, description)))).toBe(true);
    expect(refusedForGood(answered(body(code, description)))).toBe(true);
  });

  it('429 is rate-limited with the retry_after Telegram asked for (at least 1 s when it names none)', () => {
    const limited = answered(body(429, 'Too Many Requests: retry after 7', { retry_after: 7 }));
    expect(classifyTelegramError(limited)).toMatchObject({ kind: 'rate-limited', retryAfterS: 7, code: 429 });
    expect(classifyTelegramError(answered(body(429, 'Too Many Requests')))).toMatchObject({
      kind: 'rate-limited',
      retryAfterS: 1,
    });
    expect(refusedForGood(limited)).toBe(false);
    expect(isChatGone(limited)).toBe(false);
  });

  it.each([
    [400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0'],
    [400, 'Bad Request: message is too long'],
    [400, 'Bad Request: message is not modified: specified new message content is exactly the same'],
    [401, 'Unauthorized'],
  ])('%i %s: our request is wrong (permanent)', (code, description) => {
    expect(classifyTelegramError(answered(body(code, description)))).toMatchObject({
      kind: 'permanent',
      code,
      answered: true,
    });
    expect(refusedForGood(answered(body(code, description)))).toBe(true);
  });

  it('a 5xx is transient, and Telegram answered it (not delivered)', () => {
    const c = classifyTelegramError(answered(body(502, 'Bad Gateway')));
    expect(c).toMatchObject({ kind: 'transient', code: 502, answered: true });
    expect(mayHaveArrived(answered(body(502, 'Bad Gateway')))).toBe(false);
  });

  it('no answer (HttpError) is transient; it may have arrived unless the connection was refused', () => {
    const reset = network(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(classifyTelegramError(reset)).toEqual({
      kind: 'transient',
      description: reset.message,
      answered: false,
      neverLeft: false,
    });
    expect(mayHaveArrived(reset)).toBe(true);

    const refused = network(refusedConnection());
    expect(classifyTelegramError(refused)).toEqual({
      kind: 'transient',
      description: 'connection refused',
      answered: false,
      neverLeft: true,
    });
    expect(mayHaveArrived(refused)).toBe(false);
    // node's fetch wraps the socket error in `cause`
    expect(
      classifyTelegramError(network(new TypeError('fetch failed', { cause: refusedConnection() }))),
    ).toMatchObject({ neverLeft: true });
  });

  it('a raw Bot API error body is classified like the GrammyError built from it', () => {
    const raw = body(429, 'Too Many Requests: retry after 3', { retry_after: 3 });
    expect(classifyTelegramError(raw)).toEqual(classifyTelegramError(answered(raw)));
    expect(classifyTelegramError(body(403, 'Forbidden: bot was blocked by the user'))?.kind).toBe(
      'chat-gone',
    );
  });

  it('anything that is not a Telegram failure is not classified (the caller rethrows it)', () => {
    for (const err of [new Error('connection terminated'), 'boom', undefined, { ok: true, result: 1 }]) {
      expect(classifyTelegramError(err)).toBeNull();
      expect(refusedForGood(err)).toBe(false);
      expect(mayHaveArrived(err)).toBe(true);
    }
  });
});

describe('message-level answers', () => {
  it('"message is not modified" and a deleted message are told apart from the chat', () => {
    const same = answered(
      body(400, 'Bad Request: message is not modified: specified new message content'),
      'editMessageText',
    );
    const deleted = answered(body(400, 'Bad Request: message to edit not found'), 'editMessageText');
    expect([isNotModified(same), isMessageGone(same), isChatGone(same)]).toEqual([true, false, false]);
    expect([isNotModified(deleted), isMessageGone(deleted), isChatGone(deleted)]).toEqual([
      false,
      true,
      false,
    ]);
    expect(isMessageGone(answered(body(400, 'Bad Request: MESSAGE_ID_INVALID')))).toBe(true);
  });

  it('describes an answer by code and description, anything else by its message', () => {
    expect(describeTelegramError(answered(body(403, 'Forbidden: bot was blocked by the user')))).toBe(
      '403 Forbidden: bot was blocked by the user',
    );
    expect(describeTelegramError(new Error('timeout'))).toBe('timeout');
  });
});

describe('toTelegramRetry', () => {
  it('a held claim retries once its lease is over', () => {
    const failure = toTelegramRetry(new ClaimHeldError('m-1', 4_000));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'SendClaimHeld',
      nextRetryDelay: '4100 ms',
      message: 'send of m-1 is claimed by another attempt; retry in 4 s',
    });
  });

  it("a 429 retries after Telegram's retry_after", () => {
    const failure = toTelegramRetry(
      answered(body(429, 'Too Many Requests: retry after 5', { retry_after: 5 })),
    );
    expect(failure).toMatchObject({
      type: 'TelegramRateLimited',
      nextRetryDelay: '5100 ms',
      message: 'Telegram 429 on sendMessage: Too Many Requests: retry after 5',
    });
  });

  it('anything else is returned as it is', () => {
    const other = [
      answered(body(500, 'Internal Server Error')),
      network(new Error('x')),
      new Error('db down'),
    ];
    for (const err of other) expect(toTelegramRetry(err)).toBe(err);
  });
});
