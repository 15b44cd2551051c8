import { escapeHtml, splitMessage, splitSection, TELEGRAM_MESSAGE_LIMIT } from '../../src/telegram/html';

/** Every tag opened in a chunk is closed in it, in order, and nothing is cut inside `<…>` or `&…;`. */
function assertWellFormed(chunk: string): void {
  expect(chunk).not.toMatch(/<[^>]*$/); // no unterminated tag at the end
  expect(chunk).not.toMatch(/^[^<]*>/); // no tag tail at the start
  expect(chunk).not.toMatch(/&[#\w]*$/); // no cut entity at the end
  const stack: string[] = [];
  for (const m of chunk.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*>/g)) {
    if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]);
  }
  expect(stack).toEqual([]);
}

describe('escapeHtml', () => {
  it('escapes <, > and &', () => {
    expect(escapeHtml('<b>x</b>&')).toBe('&lt;b&gt;x&lt;/b&gt;&amp;');
    expect(escapeHtml('a&amp;b')).toBe('a&amp;amp;b');
    expect(escapeHtml('plain «ник» 🙂')).toBe('plain «ник» 🙂');
  });
});

describe('splitMessage', () => {
  const section = (i: number, len: number) => `<b>Section ${i}</b>\n` + 'x'.repeat(len);

  it('returns one message when everything fits', () => {
    expect(splitMessage(['a', 'b', 'c'])).toEqual(['a\n\nb\n\nc']);
    expect(splitMessage([])).toEqual([]);
    expect(splitMessage(['', '  ', 'a'])).toEqual(['a']);
  });

  it('packs whole sections, never splitting one that fits in a message', () => {
    const sections = Array.from({ length: 9 }, (_, i) => section(i, 900 + i * 37));
    const chunks = splitMessage(sections);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
      assertWellFormed(c);
    }
    // Each section appears intact in exactly one chunk, in order.
    expect(chunks.join('\n\n')).toBe(sections.join('\n\n'));
    for (const s of sections) expect(chunks.filter((c) => c.includes(s))).toHaveLength(1);
  });

  it('respects a custom limit exactly at the boundary', () => {
    expect(splitMessage(['aaaa', 'bbbb'], 10)).toEqual(['aaaa\n\nbbbb']);
    expect(splitMessage(['aaaa', 'bbbbb'], 10)).toEqual(['aaaa', 'bbbbb']);
  });

  it('splits an oversized section at line boundaries, closing and reopening open tags', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} <i>${'y'.repeat(20)}</i> &amp; more`);
    const big = `<b>Title</b>\n<blockquote>${lines.join('\n')}</blockquote>`;
    expect(big.length).toBeGreaterThan(TELEGRAM_MESSAGE_LIMIT);
    const chunks = splitMessage(['header', big, 'footer']);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
      assertWellFormed(c);
    }
    const text = chunks.join('\n').replace(/<\/?blockquote>/g, '');
    for (const l of lines) expect(text).toContain(l);
    // Lines are never cut: every chunk boundary falls between whole lines.
    for (const c of chunks.slice(1)) expect(c.replace(/^<blockquote>/, '')).toMatch(/^(line \d+ |footer)/);
  });

  it('splits a single giant line between tokens, never inside a tag or an entity', () => {
    const giant = Array.from({ length: 2000 }, (_, i) => `<b>w${i}</b> &lt;x&gt;`).join(' ');
    const chunks = splitSection(giant, 500);
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(500);
      assertWellFormed(c);
    }
    const strip = (x: string) => x.replace(/<[^>]*>/g, '');
    expect(strip(chunks.join('')) === strip(giant)).toBe(true);
    expect(chunks.some((c) => c.includes('<b></b>'))).toBe(false);
    const word = 'z'.repeat(1200);
    const wordChunks = splitSection(`<u>${word}</u>`, 500);
    for (const c of wordChunks) {
      expect(c.length).toBeLessThanOrEqual(500);
      assertWellFormed(c);
    }
    expect(wordChunks.join('').replace(/<\/?u>/g, '')).toBe(word);
  });
});
