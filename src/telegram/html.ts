/**
 * Telegram HTML helpers: escaping and splitting a report into messages of at most 4096 characters.
 *
 * Lengths are measured on the HTML source (JS string length, i.e. UTF-16 code units), which is never shorter than
 * the text Telegram counts after parsing the entities, so a chunk that fits here fits there.
 */

export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** Escapes the three characters Telegram's HTML parse mode requires: `&`, `<`, `>`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface OpenTag {
  name: string;
  /** The full opening tag, e.g. `<a href="...">`, to reopen it in the next chunk. */
  open: string;
}

const TAG_RE = /^<(\/?)([a-zA-Z][\w-]*)[^>]*>$/;

/** Tokens: tags, entities, whitespace runs, words (a word never contains `<` or `&`). */
function tokenize(text: string): string[] {
  return text.match(/<[^>]*>|&[#\w]+;|\s+|[^\s<&]+|[<&]/g) ?? [];
}

function applyToken(stack: OpenTag[], token: string): void {
  const m = TAG_RE.exec(token);
  if (!m) return;
  const name = m[2].toLowerCase();
  if (m[1] === '/') {
    const i = stack.map((t) => t.name).lastIndexOf(name);
    if (i >= 0) stack.splice(i, 1);
  } else {
    stack.push({ name, open: token });
  }
}

const openingOf = (stack: readonly OpenTag[]): string => stack.map((t) => t.open).join('');
const closingOf = (stack: readonly OpenTag[]): string =>
  [...stack]
    .reverse()
    .map((t) => `</${t.name}>`)
    .join('');

function stackAfter(stack: readonly OpenTag[], text: string): OpenTag[] {
  const out = [...stack];
  for (const token of tokenize(text)) applyToken(out, token);
  return out;
}

/** Splits a string that has no usable line break: between tokens, never inside a tag or an entity. */
function splitLine(line: string, startStack: readonly OpenTag[], limit: number): string[] {
  const chunks: string[] = [];
  const pieces: string[] = [];
  for (const token of tokenize(line)) {
    if (TAG_RE.test(token) || token.length <= limit / 4) pieces.push(token);
    else for (const ch of token) pieces.push(ch); // a giant word: code points (surrogate pairs stay together)
  }
  let stack = [...startStack];
  let prefix = openingOf(stack);
  let body = '';
  // Opening tags appended since the last text token: at a cut they move to the next chunk (no empty `<b></b>`).
  let trailing: OpenTag[] = [];
  let trailingText = '';
  for (const piece of pieces) {
    const next = [...stack];
    applyToken(next, piece);
    const hasText = body.length > trailingText.length;
    if (hasText && (prefix + body + piece + closingOf(next)).length > limit) {
      const atCut = stack.slice(0, stack.length - trailing.length);
      chunks.push(prefix + body.slice(0, body.length - trailingText.length) + closingOf(atCut));
      prefix = openingOf(stack);
      body = '';
      trailing = [];
      trailingText = '';
    }
    body += piece;
    const isOpening = next.length > stack.length;
    if (isOpening) {
      trailing.push(next[next.length - 1]);
      trailingText += piece;
    } else if (!TAG_RE.test(piece)) {
      trailing = [];
      trailingText = '';
    }
    stack = next;
  }
  if (body !== '') chunks.push(prefix + body + closingOf(stack));
  return chunks;
}

/**
 * Splits one section that is longer than `limit` at line boundaries; tags left open at a cut are closed at the
 * end of the chunk and reopened at the start of the next one. A single line longer than the limit is split between
 * words (or characters for a giant word), never inside a tag or an entity.
 */
export function splitSection(section: string, limit: number = TELEGRAM_MESSAGE_LIMIT): string[] {
  if (section.length <= limit) return [section];
  const chunks: string[] = [];
  let startStack: OpenTag[] = [];
  let lines: string[] = [];
  let stack: OpenTag[] = [];
  const flush = (): void => {
    if (lines.length > 0) chunks.push(openingOf(startStack) + lines.join('\n') + closingOf(stack));
    lines = [];
    startStack = stack;
  };
  let bodyLength = 0; // length of lines.join('\n')
  for (const line of section.split('\n')) {
    const next = stackAfter(stack, line);
    const joined = lines.length > 0 ? bodyLength + 1 + line.length : line.length;
    if (openingOf(startStack).length + joined + closingOf(next).length <= limit) {
      lines.push(line);
      bodyLength = joined;
      stack = next;
      continue;
    }
    flush();
    bodyLength = 0;
    const alone = openingOf(stack) + line + closingOf(next);
    if (alone.length <= limit) {
      lines = [line];
      bodyLength = line.length;
      stack = next;
    } else {
      chunks.push(...splitLine(line, stack, limit));
      stack = next;
      startStack = next;
    }
  }
  flush();
  return chunks.filter((c) => c.trim() !== '');
}

/**
 * Packs sections into messages of at most `limit` characters, joined by `separator`. Sections are kept whole
 * whenever they fit in one message; only a section longer than the limit is split (see `splitSection`).
 */
export function splitMessage(
  sections: readonly string[],
  limit: number = TELEGRAM_MESSAGE_LIMIT,
  separator = '\n\n',
): string[] {
  const out: string[] = [];
  let current = '';
  for (const section of sections) {
    if (section.trim() === '') continue;
    for (const piece of splitSection(section, limit)) {
      if (current === '') current = piece;
      else if (current.length + separator.length + piece.length <= limit) current += separator + piece;
      else {
        out.push(current);
        current = piece;
      }
    }
  }
  if (current !== '') out.push(current);
  return out;
}
