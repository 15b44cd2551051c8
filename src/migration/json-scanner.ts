/**
 * Finds where one JSON value ends without parsing it, fed a buffer at a time so a value may span reads.
 * Structural characters are ASCII and every byte of a multi-byte UTF-8 character is >= 0x80, so scanning raw
 * bytes is safe. Brackets are only counted, not matched: a broken record still ends where its brackets balance,
 * and JSON.parse reports what is wrong with it.
 */
export class ValueScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private kind: 'unknown' | 'container' | 'string' | 'scalar' = 'unknown';

  /** Index just past the value's end within buf[from, to), or -1 when the value continues after `to`. */
  scan(buf: Uint8Array, from: number, to: number): number {
    for (let i = from; i < to; i++) {
      const c = buf[i];
      if (this.kind === 'unknown') {
        this.kind = c === OPEN_BRACE || c === OPEN_BRACKET ? 'container' : c === QUOTE ? 'string' : 'scalar';
        if (this.kind === 'container') this.depth = 1;
        if (this.kind === 'string') this.inString = true;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.kind === 'string') return i + 1;
        }
        continue;
      }
      if (this.kind === 'scalar') {
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)) return i;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --this.depth === 0) return i + 1;
    }
    return -1;
  }

  /** A bare scalar (number, true, null...) may legitimately end at the end of the input. */
  get endsAtEof(): boolean {
    return this.kind === 'scalar';
  }
}

export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;

export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
