// Message text, captions and reply markup: Telegram's validation and what the user ends up seeing.
import { badRequest, ERR } from './errors';
import { HtmlParseError, parseHtml, trimFormatted, type FormattedText } from './html';
import type { InlineButton, MessageEntity, ReplyMarkup } from './types';

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

export interface FormattedInput {
  text: string;
  rawText: string;
  parseMode?: string;
  entities: MessageEntity[];
}

/**
 * Applies parse_mode (HTML is validated like Telegram; Markdown modes are passed through unvalidated) or explicit
 * entities, trims like Telegram and enforces the length limit on the resulting plain text (UTF-16 code units).
 */
export function formatText(
  raw: string | undefined,
  parseMode: string | undefined,
  explicit: MessageEntity[] | undefined,
  kind: 'text' | 'caption',
): FormattedInput {
  const rawText = raw ?? '';
  let parsed: FormattedText = { text: rawText, entities: explicit ?? [] };
  const mode = parseMode?.trim() || undefined;
  if (mode && !explicit) {
    const lower = mode.toLowerCase();
    if (lower === 'html') {
      try {
        parsed = parseHtml(rawText);
      } catch (err) {
        if (err instanceof HtmlParseError) throw badRequest(`can't parse entities: ${err.message}`);
        throw err;
      }
    } else if (lower !== 'markdown' && lower !== 'markdownv2') {
      throw badRequest('unsupported parse_mode');
    }
  }
  const trimmed = trimFormatted(parsed);
  if (kind === 'text') {
    if (trimmed.text.length === 0) throw ERR.textEmpty();
    if (trimmed.text.length > MAX_TEXT) throw ERR.textTooLong();
  } else if (trimmed.text.length > MAX_CAPTION) throw ERR.captionTooLong();
  return { text: trimmed.text, rawText, parseMode: mode, entities: trimmed.entities };
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');
const ACTION_FIELDS = [
  'callback_data',
  'url',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
  'web_app',
];

/** Validates reply_markup like Telegram; `inlineOnly` for edits, which accept inline keyboards only. */
export function validateReplyMarkup(markup: unknown, inlineOnly: boolean): ReplyMarkup | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup))
    throw badRequest("can't parse reply keyboard markup JSON object");
  const m = markup as ReplyMarkup;
  if (m.inline_keyboard !== undefined) {
    if (!Array.isArray(m.inline_keyboard))
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of m.inline_keyboard) {
      if (!Array.isArray(row))
        throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const button of row) validateInlineButton(button);
    }
    return { inline_keyboard: m.inline_keyboard };
  }
  if (inlineOnly) throw badRequest('inline keyboard expected');
  if (m.keyboard !== undefined || m.remove_keyboard !== undefined || m.force_reply !== undefined) return m;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

function validateInlineButton(button: unknown): void {
  if (typeof button !== 'object' || button === null)
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  const b = button as InlineButton;
  if (typeof b.text !== 'string')
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  if (b.text.trim() === '') throw badRequest('BUTTON_TEXT_INVALID');
  const actions = ACTION_FIELDS.filter((f) => b[f] !== undefined);
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if (b.callback_data !== undefined) {
    const size = typeof b.callback_data === 'string' ? byteLength(b.callback_data) : 0;
    if (size < 1 || size > 64) throw badRequest('BUTTON_DATA_INVALID');
  }
  if (b.url !== undefined) {
    if (typeof b.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(b.url))
      throw badRequest('BUTTON_URL_INVALID');
  }
}

/** bot_command entities the way Telegram computes them for incoming messages. */
export function commandEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const re = /(^|\s)(\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)(?=$|[\s.,;:!?)])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    entities.push({ type: 'bot_command', offset: m.index + m[1].length, length: m[2].length });
  }
  return entities;
}

/** Normalised form used to decide whether an edit changes anything. */
export function contentKey(
  text: string | undefined,
  entities: MessageEntity[] | undefined,
  markup: ReplyMarkup | undefined,
): string {
  const inline = markup?.inline_keyboard ? JSON.stringify(markup.inline_keyboard) : '';
  return JSON.stringify([text ?? '', JSON.stringify(entities ?? []), inline]);
}
