// parse_mode=HTML exactly as Telegram (tdlib's parse_html) treats it: the supported tags, attributes in any of the
// three HTML forms, only &lt; &gt; &amp; &quot; and numeric character references decoded (any other `&...` stays
// literal text, like on Telegram), errors worded and positioned (UTF-8 byte offsets) like Telegram's.
// Entity offsets and lengths are in UTF-16 code units, as in the Bot API.
import type { MessageEntity } from './types';

export class HtmlParseError extends Error {}

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

const TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'tg-time',
  'span',
  'pre',
  'code',
  'blockquote',
]);
const SIMPLE: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
};
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** tdlib's is_space; the end of the input counts as '\0', which is a space too. */
const isSpace = (c: string | undefined): boolean =>
  c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\0' || c === '\v';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);
const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);

/** Decodes an HTML character reference at `pos`; null when it is not one Telegram understands. */
function decodeEntity(s: string, pos: number): { ch: string; next: number } | null {
  let end = pos + 1;
  let code = 0;
  if (s[end] === '#') {
    end++;
    const hex = s[end] === 'x';
    if (hex) end++;
    const digits = hex ? /^[0-9A-Fa-f]$/ : /^[0-9]$/;
    const start = end;
    while (end < s.length && digits.test(s[end])) end++;
    code = end > start ? parseInt(s.slice(start, end), hex ? 16 : 10) : 0;
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return null;
    if (code >= 0xd800 && code <= 0xdfff) throw new HtmlParseError('strings must be encoded in UTF-8');
  } else {
    while (isAlpha(s[end])) end++;
    const ch = NAMED[s.slice(pos + 1, end)];
    if (ch === undefined) return null;
    code = ch.codePointAt(0) ?? 0;
  }
  if (s[end] === ';') end++;
  return { ch: String.fromCodePoint(code), next: end };
}

function normaliseUrl(raw: string): string | undefined {
  const url = raw.trim();
  if (!url || /\s/.test(url)) return undefined;
  if (/^tg:\/\//i.test(url)) return url;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  try {
    const parsed = new URL(withScheme);
    if (!['http:', 'https:', 'ton:'].includes(parsed.protocol) || !parsed.hostname.includes('.'))
      return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}

interface Open {
  tag: string;
  arg: string;
  offset: number;
}

/** Parses Telegram HTML into plain text + entities; throws HtmlParseError with Telegram's message on bad markup. */
export function parseHtml(s: string): FormattedText {
  const byteAt = (i: number): number => Buffer.byteLength(s.slice(0, i));
  const fail = (msg: string): never => {
    throw new HtmlParseError(msg);
  };
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];

  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '&') {
      const decoded = decodeEntity(s, i);
      if (decoded) {
        out += decoded.ch;
        i = decoded.next - 1;
        continue;
      }
    }
    if (c !== '<') {
      out += c;
      continue;
    }
    const begin = i++;
    if (s[i] !== '/') {
      let tagEnd = i;
      while (!isSpace(s[tagEnd]) && s[tagEnd] !== '>') tagEnd++;
      if (tagEnd >= s.length) fail(`Unclosed start tag at byte offset ${byteAt(begin)}`);
      const tag = s.slice(i, tagEnd).toLowerCase();
      if (!TAGS.has(tag)) fail(`Unsupported start tag "${tag}" at byte offset ${byteAt(begin)}`);
      let arg = '';
      i = tagEnd;
      while (s[i] !== '>') {
        while (i < s.length && isSpace(s[i])) i++;
        if (s[i] === '>') break;
        const attrBegin = i;
        while (!isSpace(s[i]) && s[i] !== '=' && s[i] !== '>') i++;
        const attr = s.slice(attrBegin, i).toLowerCase();
        if (!attr) fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteAt(begin)}`);
        while (i < s.length && isSpace(s[i])) i++;
        if (s[i] !== '=') {
          if (tag === 'blockquote' && attr === 'expandable') arg = 'expandable';
          continue;
        }
        i++;
        while (i < s.length && isSpace(s[i])) i++;
        if (i >= s.length) fail(`Unclosed start tag "${tag}" at byte offset ${byteAt(begin)}`);
        let value = '';
        if (s[i] !== "'" && s[i] !== '"') {
          const tokenBegin = i;
          while (isAlnum(s[i]) || s[i] === '.' || s[i] === '-') i++;
          value = s.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(s[i]) && s[i] !== '>')
            fail(`Unexpected end of name token at byte offset ${byteAt(tokenBegin)}`);
        } else {
          const quote = s[i++];
          while (i < s.length && s[i] !== quote) {
            const decoded = s[i] === '&' ? decodeEntity(s, i) : null;
            if (decoded) {
              value += decoded.ch;
              i = decoded.next;
            } else value += s[i++];
          }
          if (s[i] === quote) i++;
        }
        if (i >= s.length) fail(`Unclosed start tag at byte offset ${byteAt(begin)}`);
        if (tag === 'a' && attr === 'href') arg = value;
        else if (tag === 'code' && attr === 'class' && value.startsWith('language-')) arg = value.slice(9);
        else if (tag === 'span' && attr === 'class' && value.startsWith('tg-')) arg = value.slice(3);
        else if (tag === 'tg-emoji' && attr === 'emoji-id') arg = value;
        else if (tag === 'blockquote' && attr === 'expandable') arg = 'expandable';
      }
      if (tag === 'span' && arg !== 'spoiler') {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteAt(begin)}`);
      }
      stack.push({ tag, arg, offset: out.length });
      continue;
    }
    // An end tag.
    if (stack.length === 0) fail(`Unexpected end tag at byte offset ${byteAt(begin)}`);
    const nameBegin = ++i;
    while (!isSpace(s[i]) && s[i] !== '>') i++;
    const endName = s.slice(nameBegin, i).toLowerCase();
    while (i < s.length && isSpace(s[i])) i++;
    if (s[i] !== '>') fail(`Unclosed end tag at byte offset ${byteAt(begin)}`);
    const open = stack[stack.length - 1];
    if (endName && endName !== open.tag) {
      fail(
        `Unmatched end tag at byte offset ${byteAt(begin)}, expected "</${open.tag}>", found "</${endName}>"`,
      );
    }
    stack.pop();
    closeEntity(open, out, entities);
  }
  if (stack.length > 0)
    fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1].tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length || priority(a) - priority(b));
  return { text: out, entities };
}

/** tdlib's order for entities with the same range. */
const PRIORITY: Record<string, number> = {
  pre: 11,
  code: 20,
  text_link: 49,
  text_mention: 49,
  bold: 90,
  italic: 91,
};
const priority = (e: MessageEntity): number =>
  PRIORITY[e.type] ?? { underline: 92, strikethrough: 93, spoiler: 94, custom_emoji: 99 }[e.type] ?? 0;

/** The language of a `<code class="language-x">`, kept aside: the Bot API's code entity has no language. */
const codeLanguage = new WeakMap<MessageEntity, string>();

function closeEntity(open: Open, out: string, entities: MessageEntity[]): void {
  const offset = open.offset;
  const length = out.length - offset;
  if (length <= 0) return;
  const last = entities[entities.length - 1];
  const sameRange = last !== undefined && last.offset === offset && last.length === length;
  const simple = SIMPLE[open.tag];
  if (simple) entities.push({ type: simple, offset, length });
  else if (open.tag === 'a') {
    const url = normaliseUrl(open.arg || out.slice(offset));
    const userId = url?.match(/^tg:\/\/user\?id=(\d+)$/i)?.[1];
    if (userId) entities.push({ type: 'text_mention', offset, length, user: userStub(Number(userId)) });
    else if (url) entities.push({ type: 'text_link', offset, length, url });
  } else if (open.tag === 'pre') {
    const language = sameRange && last.type === 'code' ? codeLanguage.get(last) : undefined;
    if (language) {
      entities.pop();
      entities.push({ type: 'pre', offset, length, language });
    } else entities.push({ type: 'pre', offset, length });
  } else if (open.tag === 'code') {
    if (sameRange && last.type === 'pre' && open.arg) last.language = open.arg;
    else {
      const code: MessageEntity = { type: 'code', offset, length };
      if (open.arg) codeLanguage.set(code, open.arg);
      entities.push(code);
    }
  } else if (open.tag === 'blockquote') {
    entities.push({
      type: open.arg === 'expandable' ? 'expandable_blockquote' : 'blockquote',
      offset,
      length,
    });
  } else if (open.tag === 'tg-emoji' && open.arg) {
    entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: open.arg });
  }
}

const userStub = (id: number) => ({ id, is_bot: false, first_name: '' });

/**
 * Telegram trims leading and trailing whitespace from message texts; entities are shifted and clipped to match.
 */
export function trimFormatted(input: FormattedText): FormattedText {
  const start = input.text.length - input.text.trimStart().length;
  const text = input.text.trim();
  const entities = input.entities
    .map((e) => {
      const from = Math.max(e.offset - start, 0);
      const to = Math.min(e.offset + e.length - start, text.length);
      return { ...e, offset: from, length: to - from };
    })
    .filter((e) => e.length > 0);
  return { text, entities };
}

/** The text a user sees for an HTML message (before Telegram's trimming). */
export function plainTextOf(html: string): string {
  return parseHtml(html).text;
}
