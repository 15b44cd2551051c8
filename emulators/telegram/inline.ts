// answerInlineQuery's arguments validated as the Bot API documents them (https://core.telegram.org/bots/api#answerinlinequery):
// at most 50 results with unique ids of 1–64 bytes, known result types with their required fields, message texts
// parsed like sendMessage (HTML errors, 1–4096 characters), inline keyboards, cache_time ≥ 0, next_offset ≤ 64
// bytes, and the InlineQueryResultsButton (text plus exactly one of web_app / start_parameter, the latter 1–64
// characters of A–Z, a–z, 0–9, _ and -).
import { badRequest } from './errors';
import { formatText, validateReplyMarkup, type FormattedInput } from './format';

export const MAX_INLINE_RESULTS = 50;
const RESULT_TYPES = new Set([
  'article',
  'photo',
  'gif',
  'mpeg4_gif',
  'video',
  'audio',
  'voice',
  'document',
  'location',
  'venue',
  'contact',
  'game',
  'sticker',
]);
const START_PARAMETER = /^[A-Za-z0-9_-]{1,64}$/;

export interface ValidatedInlineResult {
  id: string;
  type: string;
  title?: string;
  description?: string;
  /** The message the user sends by picking the result (text contents), as Telegram would show it. */
  message?: FormattedInput;
  raw: Record<string, unknown>;
}

function messageContent(content: unknown): FormattedInput | undefined {
  if (content === undefined) return undefined;
  if (typeof content !== 'object' || content === null)
    throw badRequest("can't parse InlineQueryResult: input_message_content must be an Object");
  const c = content as Record<string, unknown>;
  if (c.message_text === undefined) return undefined; // location, contact, invoice contents: not checked here
  if (typeof c.message_text !== 'string') throw badRequest('MESSAGE_EMPTY');
  const entities = Array.isArray(c.entities) ? (c.entities as never) : undefined;
  return formatText(
    c.message_text,
    typeof c.parse_mode === 'string' ? c.parse_mode : undefined,
    entities,
    'text',
  );
}

export function validateInlineResults(results: unknown): ValidatedInlineResult[] {
  if (!Array.isArray(results)) throw badRequest('parameter "results" is required');
  if (results.length > MAX_INLINE_RESULTS) throw badRequest('RESULTS_TOO_MUCH');
  const ids = new Set<string>();
  return results.map((r: unknown) => {
    if (typeof r !== 'object' || r === null)
      throw badRequest("can't parse InlineQueryResult: InlineQueryResult must be an Object");
    const o = r as Record<string, unknown>;
    if (typeof o.type !== 'string')
      throw badRequest('can\'t parse InlineQueryResult: Field "type" must be of type String');
    if (!RESULT_TYPES.has(o.type)) throw badRequest(`RESULT_TYPE_INVALID`);
    const id = typeof o.id === 'string' ? o.id : '';
    if (id.length < 1 || Buffer.byteLength(id) > 64) throw badRequest('RESULT_ID_INVALID');
    if (ids.has(id)) throw badRequest('RESULT_ID_DUPLICATE');
    ids.add(id);
    const message = messageContent(o.input_message_content);
    if (o.type === 'article') {
      if (typeof o.title !== 'string' || o.title.trim() === '')
        throw badRequest('can\'t parse InlineQueryResult: Field "title" must be of type String');
      if (o.input_message_content === undefined)
        throw badRequest(
          'can\'t parse InlineQueryResult: Field "input_message_content" must be of type Object',
        );
    }
    if (o.reply_markup !== undefined) validateReplyMarkup(o.reply_markup, true);
    return {
      id,
      type: o.type,
      title: typeof o.title === 'string' ? o.title : undefined,
      description: typeof o.description === 'string' ? o.description : undefined,
      message,
      raw: o,
    };
  });
}

export function validateResultsButton(button: unknown): void {
  if (button === undefined) return;
  if (typeof button !== 'object' || button === null)
    throw badRequest("can't parse InlineQueryResultsButton: must be an Object");
  const b = button as Record<string, unknown>;
  if (typeof b.text !== 'string' || b.text === '') throw badRequest('BUTTON_TEXT_INVALID');
  const hasStart = b.start_parameter !== undefined;
  if (hasStart === (b.web_app !== undefined)) throw badRequest('BUTTON_TYPE_INVALID');
  if (hasStart && (typeof b.start_parameter !== 'string' || !START_PARAMETER.test(b.start_parameter)))
    throw badRequest('START_PARAM_INVALID');
}

export function validateNextOffset(offset: string | undefined): void {
  if (offset !== undefined && Buffer.byteLength(offset) > 64) throw badRequest('NEXT_OFFSET_INVALID');
}
