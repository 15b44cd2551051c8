import { Api, GrammyError } from 'grammy';
import type { InlineQueryResult } from 'grammy/types';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';

/** answerInlineQuery in the Telegram emulator: as strict as the Bot API documents it. */

const TOKEN = '123456:INLINE-token';
const ann = { id: 2001, first_name: 'Ann', language_code: 'en' };

let tg: TelegramEmulator;
let api: Api;

beforeAll(async () => {
  tg = await startTelegramEmulator({
    tokens: [TOKEN],
    botUsername: 'inline_test_bot',
    queryTimeoutMs: 1_000,
  });
  api = new Api(TOKEN, { apiRoot: tg.apiRoot });
});
afterAll(async () => {
  await tg.stop();
});

const article = (id: string, text = 'hello', extra: Record<string, unknown> = {}): InlineQueryResult =>
  ({
    type: 'article',
    id,
    title: 'Title',
    input_message_content: { message_text: text, parse_mode: 'HTML' },
    ...extra,
  }) as InlineQueryResult;

async function refusal(results: InlineQueryResult[], other: Record<string, unknown> = {}): Promise<string> {
  const { inlineQueryId } = tg.sendInlineQuery({ from: ann, query: 'q' });
  try {
    await api.answerInlineQuery(inlineQueryId, results, other);
  } catch (err) {
    if (err instanceof GrammyError) return `${err.error_code} ${err.description}`;
    throw err;
  }
  return 'accepted';
}

describe('answerInlineQuery', () => {
  it('records a valid answer as the user sees it, with the Bot API defaults', async () => {
    const { inlineQueryId } = tg.sendInlineQuery({ from: ann, query: 's1mple' });
    await api.answerInlineQuery(inlineQueryId, [article('p:1', '<b>s1mple</b> &lt;3')], {
      is_personal: true,
    });
    const answer = tg.inlineAnswer(inlineQueryId);
    expect(answer?.answered).toBe(true);
    expect(answer?.cacheTime).toBe(300);
    expect(answer?.isPersonal).toBe(true);
    expect(answer?.shown?.[0]).toMatchObject({ id: 'p:1', title: 'Title', text: 's1mple <3' });
  });

  it('refuses what Telegram refuses', async () => {
    expect(await refusal(Array.from({ length: 51 }, (_, i) => article(`r${i}`)))).toBe(
      '400 Bad Request: RESULTS_TOO_MUCH',
    );
    expect(await refusal([article('x'.repeat(65))])).toBe('400 Bad Request: RESULT_ID_INVALID');
    expect(await refusal([article('')])).toBe('400 Bad Request: RESULT_ID_INVALID');
    expect(await refusal([article('a'), article('a')])).toBe('400 Bad Request: RESULT_ID_DUPLICATE');
    expect(await refusal([article('a', '<b>unclosed')])).toMatch(/^400 Bad Request: can't parse entities/);
    expect(await refusal([article('a', '   ')])).toBe('400 Bad Request: message text is empty');
    expect(await refusal([article('a', 'x'.repeat(4097))])).toBe('400 Bad Request: message is too long');
    expect(await refusal([article('a', 'hi', { title: undefined })])).toMatch(/"title"/);
    expect(await refusal([{ ...article('a'), type: 'poll' } as unknown as InlineQueryResult])).toBe(
      '400 Bad Request: RESULT_TYPE_INVALID',
    );
    expect(await refusal([article('a')], { cache_time: -1 })).toBe('400 Bad Request: CACHE_TIME_INVALID');
    expect(await refusal([], { button: { text: 'Open', start_parameter: 'has space' } })).toBe(
      '400 Bad Request: START_PARAM_INVALID',
    );
    expect(await refusal([], { button: { text: 'Open' } })).toBe('400 Bad Request: BUTTON_TYPE_INVALID');
    expect(await refusal([], { next_offset: 'x'.repeat(65) })).toBe('400 Bad Request: NEXT_OFFSET_INVALID');
    expect(
      await refusal([article('a', 'hi', { reply_markup: { inline_keyboard: [[{ text: 'no action' }]] } })]),
    ).toMatch(/^400 Bad Request/);
  });

  it('refuses an answer that comes too late, or twice', async () => {
    const { inlineQueryId } = tg.sendInlineQuery({ from: ann, query: 'late' });
    await api.answerInlineQuery(inlineQueryId, []);
    await expect(api.answerInlineQuery(inlineQueryId, [])).rejects.toThrow(/query is too old/);
    const late = tg.sendInlineQuery({ from: ann, query: 'later' });
    await new Promise((r) => setTimeout(r, 1_100));
    await expect(api.answerInlineQuery(late.inlineQueryId, [])).rejects.toThrow(/query is too old/);
  });
});
