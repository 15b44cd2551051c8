import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from 'grammy';

import {
  connectTelegramEmulator,
  parseHtml,
  startTelegramEmulator,
  type TelegramEmulator,
} from '../../emulators/telegram';

const TOKEN = '123456:TEST-token';
const ann = { id: 1001, first_name: 'Ann', username: 'ann', language_code: 'ru' };
const bob = { id: 1002, first_name: 'Bob', username: 'bob', language_code: 'en' };
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let tg: TelegramEmulator;
const running: Bot[] = [];
const botErrors: unknown[] = [];

beforeAll(async () => {
  tg = await startTelegramEmulator({ tokens: [TOKEN, '654321:OTHER'], botUsername: 'faceit_test_bot' });
});

afterAll(async () => {
  await tg.stop();
});

afterEach(async () => {
  while (running.length) await running.pop()?.stop();
  botErrors.length = 0;
  tg.reset();
  tg.setLimits({ ...tg.limits(), enabled: true });
});

function newBot(): Bot {
  return new Bot(TOKEN, { client: { apiRoot: tg.apiRoot } });
}

/** Starts long polling and resolves once the first getUpdates is under way. */
async function startPolling(bot: Bot): Promise<Bot> {
  bot.catch((err) => void botErrors.push(err.error));
  running.push(bot);
  await new Promise<void>((resolve) => void bot.start({ onStart: () => resolve(), timeout: 10 }));
  return bot;
}

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GrammyError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** A private chat the user has opened (Telegram refuses to write to chats nobody opened). */
function openChat(user = ann): number {
  tg.registerChat({ id: user.id, type: 'private', first_name: user.first_name });
  return user.id;
}

describe('long polling', () => {
  it('round-trips /start with a deep-link payload and confirms updates by offset', async () => {
    const bot = newBot();
    bot.command('start', (ctx) =>
      ctx.reply(`Привет, <b>${ctx.from?.first_name}</b>! Код: <code>${ctx.match}</code> &amp; всё`, {
        parse_mode: 'HTML',
        reply_markup: new InlineKeyboard().text('Профиль', 'profile'),
      }),
    );
    await startPolling(bot);

    const sent = tg.sendUserMessage({ from: ann, text: '/start ref_ABC' });
    expect(sent.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const reply = await tg.waitForBotMessage(ann.id, 'Привет');

    expect(reply.text).toBe('Привет, Ann! Код: ref_ABC & всё');
    expect(reply.rawText).toContain('<b>Ann</b>');
    expect(reply.entities?.map((e) => e.type)).toEqual(['bold', 'code']);
    expect(reply.replyMarkup?.inline_keyboard?.[0][0]).toMatchObject({ callback_data: 'profile' });
    expect(tg.messages(ann.id).map((m) => m.from)).toEqual(['user', 'bot']);
    expect(tg.messages(ann.id).map((m) => m.messageId)).toEqual([1, 2]);
    await tg.waitFor(() => tg.pendingUpdates().length === 0);
  });

  it('computes /cmd@botname entities and serves several tokens as separate bots', async () => {
    const sent = tg.sendUserMessage({ chatId: -500, from: bob, text: '/profile@faceit_test_bot s1mple' });
    expect(sent.entities).toEqual([{ type: 'bot_command', offset: 0, length: 24 }]);
    expect(tg.chats().find((c) => c.id === -500)?.type).toBe('group');
    expect(tg.bot('654321:OTHER').pendingUpdates()).toEqual([]);
    const other = new Bot('654321:OTHER', { client: { apiRoot: tg.apiRoot } });
    expect((await other.api.getMe()).id).toBe(654321);
  });

  it('answers 409 to getUpdates while a webhook is set, 401 to a wrong token, 404 to an unknown method', async () => {
    const bot = newBot();
    await bot.api.setWebhook('http://127.0.0.1:9/hook');
    const conflict = await apiError(bot.api.getUpdates());
    expect(conflict.error_code).toBe(409);
    expect(conflict.description).toMatch(/^Conflict: can't use getUpdates method while webhook is active/);

    const wrong = await fetch(`${tg.apiRoot}/bot999:nope/getMe`);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const unknown = await fetch(`${tg.apiRoot}/bot${TOKEN}/frobnicate`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      ok: false,
      error_code: 404,
      description: 'Not Found: method not found',
    });
  });
});

describe('message validation', () => {
  it('validates HTML like Telegram and keeps raw and plain text', async () => {
    const api = newBot().api;
    const chatId = openChat();
    const cases: [string, string][] = [
      ['Hello <div>x</div>', 'Unsupported start tag "div" at byte offset 6'],
      ['<b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
      ['<b><i>x</b></i>', 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
      ['Счёт </b>', 'Unexpected end tag at byte offset 9'],
      ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
      ['a < b', 'Unsupported start tag "" at byte offset 2'],
    ];
    for (const [text, error] of cases) {
      const err = await apiError(api.sendMessage(chatId, text, { parse_mode: 'HTML' }));
      expect(err.description).toBe(`Bad Request: can't parse entities: ${error}`);
    }
    const ok = await api.sendMessage(
      chatId,
      '<b>K/D</b> &lt;1.0&gt; &quot;x&quot; &#8364; &nbsp; <a href="https://faceit.com/ru">room</a> ' +
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler><blockquote expandable>q</blockquote>',
      { parse_mode: 'HTML' },
    );
    expect(ok.text).toBe('K/D <1.0> "x" € &nbsp; room stq');
    expect(ok.entities?.map((e) => e.type)).toEqual([
      'bold',
      'text_link',
      'spoiler',
      'spoiler',
      'expandable_blockquote',
    ]);
    expect(tg.lastBotMessage(chatId)?.rawText).toContain('&lt;1.0&gt;');
    expect(parseHtml('<pre><code class="language-ts">x</code></pre>').entities).toEqual([
      { type: 'pre', offset: 0, length: 1, language: 'ts' },
    ]);
  });

  it('enforces 1..4096 characters after entity parsing', async () => {
    const api = newBot().api;
    const chatId = openChat();
    tg.setLimits(false);
    await expect(api.sendMessage(chatId, 'a'.repeat(4096))).resolves.toMatchObject({ message_id: 1 });
    expect((await apiError(api.sendMessage(chatId, 'a'.repeat(4097)))).description).toBe(
      'Bad Request: message is too long',
    );
    const html = `<b>${'я'.repeat(4096)}</b>`;
    await expect(api.sendMessage(chatId, html, { parse_mode: 'HTML' })).resolves.toBeDefined();
    expect((await apiError(api.sendMessage(chatId, ' \n '))).description).toBe(
      'Bad Request: message text is empty',
    );
    expect((await apiError(api.sendMessage(chatId, '<b></b>', { parse_mode: 'HTML' }))).description).toBe(
      'Bad Request: message text is empty',
    );
  });

  it('reports not-modified edits and missing messages with Telegram wording', async () => {
    const api = newBot().api;
    const chatId = openChat();
    const keyboard = new InlineKeyboard().text('Отмена', 'cancel:1');
    const msg = await api.sendMessage(chatId, 'Анализ ▓░░ 1/10', { reply_markup: keyboard });

    const same = await apiError(
      api.editMessageText(chatId, msg.message_id, 'Анализ ▓░░ 1/10', { reply_markup: keyboard }),
    );
    expect(same.description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    const sameMarkup = await apiError(
      api.editMessageReplyMarkup(chatId, msg.message_id, { reply_markup: keyboard }),
    );
    expect(sameMarkup.description).toMatch(/^Bad Request: message is not modified/);

    await api.editMessageText(chatId, msg.message_id, 'Анализ ▓▓░ 2/10', { reply_markup: keyboard });
    await api.editMessageText(chatId, msg.message_id, 'Анализ ▓▓░ 2/10'); // drops the keyboard: a change
    const stored = tg.message(chatId, msg.message_id);
    expect(stored).toMatchObject({ text: 'Анализ ▓▓░ 2/10', editCount: 2, originalText: 'Анализ ▓░░ 1/10' });
    expect(stored?.replyMarkup).toBeUndefined();
    expect(stored?.edits.map((e) => e.text)).toEqual(['Анализ ▓▓░ 2/10', 'Анализ ▓▓░ 2/10']);

    expect((await apiError(api.editMessageText(chatId, 99, 'x'))).description).toBe(
      'Bad Request: message to edit not found',
    );
    expect((await apiError(api.editMessageReplyMarkup(chatId, 99))).description).toBe(
      'Bad Request: message to edit not found',
    );
    await api.deleteMessage(chatId, msg.message_id);
    expect((await apiError(api.deleteMessage(chatId, msg.message_id))).description).toBe(
      'Bad Request: message to delete not found',
    );
    expect(tg.messages(chatId)).toEqual([]);
    expect(tg.messages(chatId, { includeDeleted: true })).toHaveLength(1);
  });

  it('validates inline keyboards, unknown chats and blocked users', async () => {
    const api = newBot().api;
    const chatId = openChat();
    const longData = new InlineKeyboard().text('x', 'd'.repeat(65));
    expect((await apiError(api.sendMessage(chatId, 'x', { reply_markup: longData }))).description).toBe(
      'Bad Request: BUTTON_DATA_INVALID',
    );
    expect((await apiError(api.sendMessage(777, 'x'))).description).toBe('Bad Request: chat not found');
    tg.blockChat(chatId);
    const blocked = await apiError(api.sendMessage(chatId, 'x'));
    expect([blocked.error_code, blocked.description]).toEqual([
      403,
      'Forbidden: bot was blocked by the user',
    ]);
  });

  it('copies a message with its formatting (copyMessage) and refuses what cannot be copied', async () => {
    const api = newBot().api;
    const from = openChat();
    const source = tg.sendUserMessage({
      from: ann,
      text: 'Big news today',
      entities: [{ type: 'bold', offset: 0, length: 8 }],
    });
    const target = bob.id;
    tg.sendUserMessage({ from: bob, text: 'hi' });
    const copied = await api.copyMessage(target, from, source.messageId);
    const copy = tg.message(target, copied.message_id);
    expect(copy).toMatchObject({
      from: 'bot',
      text: 'Big news today',
      entities: [{ type: 'bold', offset: 0, length: 8 }],
      copiedFrom: { chatId: from, messageId: source.messageId },
    });
    expect((await apiError(api.copyMessage(target, from, 9999))).description).toBe(
      'Bad Request: message to copy not found',
    );
    tg.blockChat(target);
    expect((await apiError(api.copyMessage(target, from, source.messageId))).error_code).toBe(403);
  });

  it('fails the next sends to one chat only (failChat), e.g. a 429 with retry_after for that chat', async () => {
    const api = newBot().api;
    const throttled = openChat();
    tg.sendUserMessage({ from: bob, text: 'hi' });
    tg.failChat(
      throttled,
      { error_code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 },
      2,
    );
    const first = await apiError(api.sendMessage(throttled, 'x'));
    expect([first.error_code, first.parameters.retry_after]).toEqual([429, 3]);
    await api.sendMessage(bob.id, 'other chats are not affected');
    expect((await apiError(api.sendMessage(throttled, 'x'))).error_code).toBe(429);
    await api.sendMessage(throttled, 'third time lucky');
    expect(tg.lastBotMessage(throttled)?.text).toBe('third time lucky');
  });

  it('records uploaded photos with size and caption', async () => {
    const api = newBot().api;
    const chatId = openChat();
    const sent = await api.sendPhoto(chatId, new InputFile(PNG_1X1, 'elo.png'), {
      caption: '<b>ELO</b> за 30 дней',
      parse_mode: 'HTML',
    });
    expect(sent.photo?.[0]).toMatchObject({ width: 1, height: 1, file_size: PNG_1X1.length });
    expect(tg.lastBotMessage(chatId)).toMatchObject({
      caption: 'ELO за 30 дней',
      photo: { sizeBytes: PNG_1X1.length, source: 'upload', filename: 'elo.png' },
    });
    await api.sendPhoto(chatId, sent.photo?.[0].file_id ?? '');
    expect(
      (await apiError(api.sendPhoto(chatId, new InputFile(Buffer.from('not an image'))))).description,
    ).toBe('Bad Request: IMAGE_PROCESS_FAILED');
    expect(tg.calls('sendPhoto')[0].files?.[0]).toMatchObject({ filename: 'elo.png', size: PNG_1X1.length });
  });

  it('holds photos to the Bot API limits: caption length after parsing, parse_mode, size and dimensions', async () => {
    const api = newBot().api;
    const chatId = openChat();
    const photo = () => new InputFile(PNG_1X1, 'card.png');
    // 1024 characters of text are allowed however long the HTML around them; 1025 are not.
    const bold = `<b>${'x'.repeat(1000)}</b><blockquote expandable>${'y'.repeat(24)}</blockquote>`;
    const sent = await api.sendPhoto(chatId, photo(), { caption: bold, parse_mode: 'HTML' });
    expect(sent.caption).toHaveLength(1024);
    expect(sent.caption_entities?.map((e) => e.type)).toEqual(['bold', 'expandable_blockquote']);
    expect((await apiError(api.sendPhoto(chatId, photo(), { caption: 'z'.repeat(1025) }))).description).toBe(
      'Bad Request: message caption is too long',
    );
    expect(
      (await apiError(api.sendPhoto(chatId, photo(), { caption: '<b>open', parse_mode: 'HTML' })))
        .description,
    ).toMatch(/^Bad Request: can't parse entities/);
    // Over 10 MB, or sides summing over 10000 / a ratio over 20: refused like Telegram does.
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    PNG_1X1.copy(big);
    expect((await apiError(api.sendPhoto(chatId, new InputFile(big, 'big.png')))).description).toBe(
      'Bad Request: PHOTO_SAVE_FILE_INVALID',
    );
    const wide = Buffer.from(PNG_1X1);
    wide.writeUInt32BE(9_000, 16);
    wide.writeUInt32BE(1_200, 20);
    expect((await apiError(api.sendPhoto(chatId, new InputFile(wide, 'wide.png')))).description).toBe(
      'Bad Request: PHOTO_INVALID_DIMENSIONS',
    );
    expect(tg.botMessages(chatId).filter((m) => m.photo)).toHaveLength(1);
  });

  it('deletes a bot message only within 48 hours of sending it', async () => {
    const api = newBot().api;
    const chatId = openChat();
    const old = await api.sendMessage(chatId, 'progress');
    const fresh = await api.sendMessage(chatId, 'fresh');
    const stored = tg.message(chatId, old.message_id);
    if (stored) stored.date -= 48 * 3600;
    expect((await apiError(api.deleteMessage(chatId, old.message_id))).description).toBe(
      "Bad Request: message can't be deleted for everyone",
    );
    expect(await api.deleteMessage(chatId, fresh.message_id)).toBe(true);
    expect(tg.botMessages(chatId).map((m) => m.text)).toEqual(['progress']);
  });
});

describe('flood control and faults', () => {
  it('an injected 429 is ridden out by auto-retry', async () => {
    const bot = newBot();
    bot.api.config.use(autoRetry());
    const chatId = openChat();
    tg.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      retry_after: 1,
    });
    const started = Date.now();
    await bot.api.sendMessage(chatId, 'после паузы');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(tg.calls('sendMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(tg.calls('sendMessage')[0].description).toBe('Too Many Requests: retry after 1');
    expect(tg.lastBotMessage(chatId)?.text).toBe('после паузы');
  });

  it('drops the connection after accepting a message: the client sees a network error, the chat has the message', async () => {
    const api = newBot().api;
    const chatId = openChat();
    tg.dropAfterAccept('sendMessage');
    const err = await api.sendMessage(chatId, 'принято, ответ потерян').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(GrammyError);
    expect(tg.lastBotMessage(chatId)?.text).toBe('принято, ответ потерян');
    expect(tg.calls('sendMessage')[0]).toMatchObject({ ok: true, dropped: true });
    // Only the next call was hit.
    await api.sendMessage(chatId, 'снова нормально');
    expect(tg.calls('sendMessage')[1].dropped).toBeUndefined();
  });

  it('a storm fails a share of calls with the error given until it is cleared', async () => {
    const api = newBot().api;
    const chatId = openChat();
    tg.setStorm({
      rate: 1,
      error: { error_code: 502, description: 'Bad Gateway' },
      methods: ['sendMessage'],
    });
    expect((await apiError(api.sendMessage(chatId, 'x'))).error_code).toBe(502);
    await api.getMe(); // other methods are untouched
    tg.setStorm(undefined);
    await api.sendMessage(chatId, 'после шторма');
    expect(tg.lastBotMessage(chatId)?.text).toBe('после шторма');
  });

  it('applies per-chat limits with retry_after, which auto-retry also rides out', async () => {
    tg.setLimits({ privateChat: { burst: 2, perSecond: 1 }, groupChat: { burst: 3, perSecond: 3 / 60 } });
    const plain = newBot().api;
    const chatId = openChat();
    await plain.sendMessage(chatId, '1');
    await plain.sendMessage(chatId, '2');
    const limited = await apiError(plain.sendMessage(chatId, '3'));
    expect([limited.error_code, limited.description, limited.parameters.retry_after]).toEqual([
      429,
      'Too Many Requests: retry after 1',
      1,
    ]);

    const retrying = newBot();
    retrying.api.config.use(autoRetry());
    await retrying.api.sendMessage(chatId, '3');
    expect(tg.botMessages(chatId).map((m) => m.text)).toEqual(['1', '2', '3']);

    tg.registerChat({ id: -42, title: 'Team' });
    for (const n of [1, 2, 3]) await plain.sendMessage(-42, `g${n}`);
    expect((await apiError(plain.sendMessage(-42, 'g4'))).parameters.retry_after).toBe(20);
  });

  it('counts edits against the bot-wide limit: progress edits leave fewer sends for other chats', async () => {
    tg.setLimits({ global: { burst: 3, perSecond: 1 } });
    const api = newBot().api;
    const progress = await api.sendMessage(openChat(ann), '⏳ 1/10');
    await api.editMessageText(progress.chat.id, progress.message_id, '⏳ 2/10');
    await api.editMessageText(progress.chat.id, progress.message_id, '⏳ 3/10');
    // A fourth call of the bot within the second, to a chat it has not written to: the bot's bucket is empty.
    const limited = await apiError(api.sendMessage(openChat(bob), 'news'));
    expect([limited.error_code, limited.parameters.retry_after]).toEqual([429, 1]);
    const edit = await apiError(api.editMessageText(progress.chat.id, progress.message_id, '⏳ 4/10'));
    expect(edit.error_code).toBe(429);
  });
});

describe('webhooks', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('delivers with the secret header, and records the bot rejecting a wrong secret', async () => {
    const bot = newBot();
    bot.command('start', (ctx) => ctx.reply('Добро пожаловать'));
    const handle = webhookCallback(bot, 'http', { secretToken: 'right-secret' });
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg`;

    await bot.api.setWebhook(url, { secret_token: 'right-secret' });
    tg.sendUserMessage({ from: ann, text: '/start' });
    expect((await tg.waitForBotMessage(ann.id, 'Добро')).text).toBe('Добро пожаловать');
    const delivery = await tg.waitFor(() => tg.webhookDeliveries()[0]);
    expect(delivery).toMatchObject({ status: 200, ok: true, secretTokenSent: true, attempt: 1 });

    const wrong = startTelegramEmulator({
      tokens: [TOKEN],
      webhookRetryBaseMs: 10,
      webhookMaxAttempts: 3,
    });
    const tg2 = await wrong;
    try {
      const api2 = new Bot(TOKEN, { client: { apiRoot: tg2.apiRoot } }).api;
      await api2.setWebhook(url, { secret_token: 'wrong-secret' });
      tg2.sendUserMessage({ from: ann, text: '/start' });
      await tg2.waitFor(() => tg2.webhookDeliveries().find((d) => d.gaveUp));
      expect(tg2.webhookDeliveries().map((d) => [d.attempt, d.status])).toEqual([
        [1, 401],
        [2, 401],
        [3, 401],
      ]);
      expect(tg2.webhookDeliveries()[0].responseBody).toBe('secret token is wrong');
      const info = await api2.getWebhookInfo();
      expect(info).toMatchObject({ url, pending_update_count: 0 });
      expect(info.last_error_message).toBe('Wrong response from the webhook: 401 Unauthorized');
    } finally {
      await tg2.stop();
    }
  });

  it('redelivers an update whose answer does not come within the timeout, in parallel with the others', async () => {
    const slow = await startTelegramEmulator({
      tokens: [TOKEN],
      webhookRetryBaseMs: 10,
      webhookMaxAttempts: 3,
      webhookTimeoutMs: 300,
    });
    try {
      const seen: number[] = [];
      let first = true;
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const { update_id } = JSON.parse(Buffer.concat(chunks).toString()) as { update_id: number };
          seen.push(update_id);
          // The first delivery is never answered in time; every later one at once.
          if (first) return void (first = false);
          res.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg`;
      await new Bot(TOKEN, { client: { apiRoot: slow.apiRoot } }).api.setWebhook(url);
      slow.sendUserMessage({ from: ann, text: 'one' });
      slow.sendUserMessage({ from: ann, text: 'two' });
      await slow.waitFor(() => slow.webhookDeliveries().filter((d) => d.ok).length === 2);
      const [one, two] = [seen[0], seen[0] + 1];
      const deliveries = slow.webhookDeliveries();
      expect(deliveries.filter((d) => d.updateId === one).map((d) => [d.attempt, d.ok])).toEqual([
        [1, false],
        [2, true],
      ]);
      expect(deliveries.find((d) => d.updateId === one && !d.ok)?.error).toMatch(/timeout/i);
      // The other update did not wait for the stuck one: it was answered before the first attempt timed out.
      const twoAnswered = deliveries.find((d) => d.updateId === two && d.ok)!.answeredAt!;
      const oneFailed = deliveries.find((d) => d.updateId === one && !d.ok)!;
      expect(twoAnswered).toBeLessThan(oneFailed.at + 300);
    } finally {
      await slow.stop();
    }
  });
});

describe('slow answers', () => {
  it('holds a Bot API call it was told to answer slowly (delayNext)', async () => {
    const bot = newBot();
    tg.sendUserMessage({ from: ann, text: 'hi' });
    tg.delayNext('sendMessage', 400);
    const started = Date.now();
    await bot.api.sendMessage(ann.id, 'slow');
    await bot.api.sendMessage(ann.id, 'fast');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(tg.calls('sendMessage').map((c) => c.durationMs >= 400)).toEqual([true, false]);
  });
});

describe('interactions', () => {
  it('delivers callback queries and records answerCallbackQuery', async () => {
    const bot = newBot();
    bot.command('analyze', (ctx) =>
      ctx.reply('Анализ…', { reply_markup: new InlineKeyboard().text('Отмена', 'cancel') }),
    );
    bot.callbackQuery('cancel', async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Отменено' });
      await ctx.editMessageText('Анализ отменён');
    });
    await startPolling(bot);

    tg.sendUserMessage({ from: ann, text: '/analyze' });
    const progress = await tg.waitForBotMessage(ann.id, 'Анализ');
    const { callbackQueryId } = tg.clickButton({
      chatId: ann.id,
      messageId: progress.messageId,
      data: 'cancel',
      from: ann,
    });
    expect(await tg.waitForCallbackAnswer(callbackQueryId)).toMatchObject({
      text: 'Отменено',
      showAlert: false,
    });
    const edited = await tg.waitForBotMessage(ann.id, 'отменён');
    expect(edited).toMatchObject({ messageId: progress.messageId, editCount: 1 });
    expect(edited.replyMarkup).toBeUndefined();
    expect(() =>
      tg.clickButton({ chatId: ann.id, messageId: progress.messageId, data: 'cancel', from: ann }),
    ).toThrow(/no button/);
    expect((await apiError(bot.api.answerCallbackQuery(callbackQueryId))).description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
  });

  it('sends Stars invoices and records pre-checkout answers and payments', async () => {
    const bot = newBot();
    const paid: string[] = [];
    bot.command('buy', (ctx) =>
      ctx.replyWithInvoice('PREMIUM', '30 дней PREMIUM', 'premium:30:1001', 'XTR', [
        { label: 'PREMIUM', amount: 199 },
      ]),
    );
    bot.on('pre_checkout_query', (ctx) =>
      ctx.preCheckoutQuery.invoice_payload.startsWith('premium:')
        ? ctx.answerPreCheckoutQuery(true)
        : ctx.answerPreCheckoutQuery(false, { error_message: 'Неизвестный товар' }),
    );
    bot.on('message:successful_payment', async (ctx) => {
      paid.push(ctx.message.successful_payment.telegram_payment_charge_id);
      await ctx.reply('Оплата получена');
    });
    await startPolling(bot);

    tg.sendUserMessage({ from: ann, text: '/buy' });
    const invoice = await tg.waitForBotMessage(ann.id, (m) => m.invoice !== undefined);
    expect(invoice.invoice).toMatchObject({ currency: 'XTR', totalAmount: 199, providerToken: '' });

    const good = tg.sendPreCheckoutQuery({
      from: ann,
      currency: 'XTR',
      total_amount: 199,
      invoice_payload: 'premium:30:1001',
    });
    expect(await tg.waitForPreCheckoutAnswer(good.preCheckoutQueryId)).toMatchObject({ ok: true });
    const bad = tg.sendPreCheckoutQuery({
      from: ann,
      currency: 'XTR',
      total_amount: 1,
      invoice_payload: 'forged',
    });
    expect(await tg.waitForPreCheckoutAnswer(bad.preCheckoutQueryId)).toMatchObject({
      ok: false,
      errorMessage: 'Неизвестный товар',
    });

    const payment = tg.sendSuccessfulPayment({
      from: ann,
      currency: 'XTR',
      total_amount: 199,
      invoice_payload: 'premium:30:1001',
      telegram_payment_charge_id: 'charge-1',
    });
    expect(payment.successfulPayment?.telegram_payment_charge_id).toBe('charge-1');
    await tg.waitForBotMessage(ann.id, 'Оплата получена');
    expect(paid).toEqual(['charge-1']);

    const stars = await apiError(
      bot.api.sendInvoice(ann.id, 'X', 'Y', 'p', 'XTR', [
        { label: 'a', amount: 1 },
        { label: 'b', amount: 2 },
      ]),
    );
    expect(stars.description).toBe('Bad Request: STARS_INVOICE_INVALID');
  });

  it('pays an invoice like a client: pre-checkout first, a charge only after ok; refundStarPayment once per charge', async () => {
    const bot = newBot();
    let accept = false;
    bot.command('buy', (ctx) =>
      ctx.replyWithInvoice('PRO', '30 days', 'pro:1001', 'XTR', [{ label: 'PRO', amount: 299 }]),
    );
    bot.on('pre_checkout_query', (ctx) =>
      accept ? ctx.answerPreCheckoutQuery(true) : ctx.answerPreCheckoutQuery(false, { error_message: 'No' }),
    );
    await startPolling(bot);
    tg.sendUserMessage({ from: ann, text: '/buy' });
    const invoice = await tg.waitForBotMessage(ann.id, (m) => m.invoice !== undefined);
    const at = { from: ann, chatId: ann.id, messageId: invoice.messageId };

    const refused = await tg.payInvoice(at);
    expect(refused.answer).toMatchObject({ ok: false, errorMessage: 'No', totalAmount: 299 });
    expect(refused.payment).toBeUndefined();
    expect(tg.starCharges()).toEqual([]);

    accept = true;
    const paid = await tg.payInvoice(at);
    expect(paid.payment?.successfulPayment).toMatchObject({
      currency: 'XTR',
      total_amount: 299,
      invoice_payload: 'pro:1001',
    });
    expect(tg.starCharges()).toMatchObject([{ chargeId: paid.chargeId, userId: ann.id, amount: 299 }]);

    const unknown = await apiError(bot.api.refundStarPayment(ann.id, 'stxNOPE'));
    expect(unknown.description).toBe('Bad Request: CHARGE_NOT_FOUND');
    const foreign = await apiError(bot.api.refundStarPayment(bob.id, paid.chargeId!));
    expect(foreign.description).toBe('Bad Request: CHARGE_NOT_FOUND');
    expect(await bot.api.refundStarPayment(ann.id, paid.chargeId!)).toBe(true);
    const again = await apiError(bot.api.refundStarPayment(ann.id, paid.chargeId!));
    expect(again.description).toBe('Bad Request: CHARGE_ALREADY_REFUNDED');
    expect(tg.starCharges()[0].refundedAt).toBeDefined();
    const { transactions } = await bot.api.getStarTransactions();
    expect(transactions.map((t) => [t.id, t.amount, t.source ? 'in' : 'out'])).toEqual([
      [paid.chargeId, 299, 'in'],
      [paid.chargeId, 299, 'out'],
    ]);
  });

  it('getStarTransactions: chronological (a refund is a later transaction), paged by offset and limit, user partners with the payload', async () => {
    const api = newBot().api;
    const pay = (from: typeof ann, amount: number, payload: string) =>
      tg.sendSuccessfulPayment({ from, currency: 'XTR', total_amount: amount, invoice_payload: payload })
        .successfulPayment!.telegram_payment_charge_id;
    const first = pay(ann, 199, 'p:1');
    const second = pay(bob, 299, 'p:2');
    await api.refundStarPayment(ann.id, first);
    const third = pay(ann, 1999, 'p:3');
    const { transactions } = await api.getStarTransactions();
    expect(transactions.map((t) => [t.id, t.amount, t.source ? 'in' : 'out'])).toEqual([
      [first, 199, 'in'],
      [second, 299, 'in'],
      [first, 199, 'out'],
      [third, 1999, 'in'],
    ]);
    expect(transactions[1].source).toMatchObject({
      type: 'user',
      transaction_type: 'invoice_payment',
      user: { id: bob.id, is_bot: false },
      invoice_payload: 'p:2',
    });
    expect(transactions[2].receiver).toMatchObject({
      type: 'user',
      transaction_type: 'invoice_payment',
      user: { id: ann.id },
    });
    expect(transactions[2].date).toBeGreaterThanOrEqual(transactions[1].date);
    const page = await api.getStarTransactions({ offset: 1, limit: 2 });
    expect(page.transactions.map((t) => t.id)).toEqual([second, first]);
    expect((await api.getStarTransactions({ offset: 4 })).transactions).toEqual([]);
    const bad = await apiError(api.getStarTransactions({ limit: 101 }));
    expect(bad.description).toBe('Bad Request: LIMIT_INVALID');
  });

  it('answers group admin checks from registered members', async () => {
    const api = newBot().api;
    tg.registerChat({ id: -100500, type: 'group', title: 'Team', creator: ann.id, admins: [] });
    tg.sendUserMessage({ chatId: -100500, from: bob, text: 'hi' });
    expect((await api.getChatMember(-100500, ann.id)).status).toBe('creator');
    expect((await api.getChatMember(-100500, bob.id)).status).toBe('member');
    expect((await api.getChatAdministrators(-100500)).map((m) => m.user.id)).toEqual([ann.id]);
    expect((await api.getChat(-100500)).type).toBe('group');
    await api.setMyCommands([{ command: 'analyze', description: 'Анализ лобби' }]);
    expect(tg.commands()).toEqual([{ command: 'analyze', description: 'Анализ лобби' }]);
    await api.sendChatAction(-100500, 'typing');
    expect(tg.chatActions(-100500)).toHaveLength(1);
  });

  it('exposes the same test API over HTTP for another process', async () => {
    const bot = newBot();
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    await startPolling(bot);
    const remote = connectTelegramEmulator(tg.apiRoot);
    await remote.sendUserMessage({ from: bob, text: 'ping' });
    expect((await remote.waitForBotMessage(bob.id, { textIncludes: 'echo' })).text).toBe('echo: ping');
    const calls = await remote.calls('sendMessage');
    expect(calls.map((c) => c.status)).toEqual([200]);
    await remote.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    await remote.sendUserMessage({ from: bob, text: 'again' });
    await remote.waitFor(async () => (await remote.calls('sendMessage')).length === 2);
    expect((await remote.calls('sendMessage'))[1].status).toBe(500);
    await remote.waitFor(async () => botErrors.length === 1);
  });
});
