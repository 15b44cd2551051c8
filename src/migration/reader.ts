import { open, type FileHandle } from 'node:fs/promises';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isWhitespace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  ValueScanner,
} from './json-scanner';

/**
 * Streaming reader of the legacy file's `users` list: reads one batch of raw records from a byte offset, so a
 * run resumes anywhere and memory depends on the batch, never on the file.
 */

/** The file as a whole cannot be migrated (not JSON, no `users` list): retrying will not help. */
export class MigrationFileError extends Error {
  override name = 'MigrationFileError';
}

export interface RawRecord {
  /** Index in the users list. */
  position: number;
  /** Byte offset of the record's first byte. */
  offset: number;
  text: string;
  /** The file ends inside this record. */
  truncated: boolean;
}

export interface ReadBatch {
  records: RawRecord[];
  /** Where the next batch starts (just past the last record read, or past the list's closing bracket). */
  nextOffset: number;
  /** The list is finished (closed, or the file ends). */
  endOfList: boolean;
  /** The file ends before the list is closed. */
  fileTruncated: boolean;
}

export interface ReadLimits {
  maxRecords: number;
  maxBytes: number;
  chunkSize?: number;
}

const BOM = [0xef, 0xbb, 0xbf];

export async function readRecords(
  file: string,
  from: { offset: number; position: number },
  limits: ReadLimits,
): Promise<ReadBatch> {
  const handle = await open(file, 'r');
  try {
    const window = new FileWindow(handle, from.offset, limits.chunkSize ?? 1 << 20);
    const listStart = from.offset === 0 ? await locateUsersList(window) : from.offset;
    return await readList(window, listStart, from.position, limits);
  } finally {
    await handle.close();
  }
}

async function readList(
  window: FileWindow,
  start: number,
  firstPosition: number,
  limits: ReadLimits,
): Promise<ReadBatch> {
  const records: RawRecord[] = [];
  let pos = start;
  while (records.length < limits.maxRecords && pos - start < limits.maxBytes) {
    pos = await window.skipWhitespace(pos);
    const c = await window.byteAt(pos, pos);
    if (c < 0) return { records, nextOffset: pos, endOfList: true, fileTruncated: true };
    if (c === CLOSE_BRACKET) return { records, nextOffset: pos + 1, endOfList: true, fileTruncated: false };
    if (c === COMMA) {
      pos++;
      continue;
    }
    const end = await window.scanValue(pos);
    const position = firstPosition + records.length;
    if (end < 0) {
      records.push({ position, offset: pos, text: window.text(pos, window.end), truncated: true });
      return { records, nextOffset: window.end, endOfList: true, fileTruncated: true };
    }
    records.push({ position, offset: pos, text: window.text(pos, end), truncated: false });
    pos = end;
  }
  return { records, nextOffset: pos, endOfList: false, fileTruncated: false };
}

/** Finds the `users` list: the value of the top-level key "users" (or the top level itself if it is a list). */
async function locateUsersList(window: FileWindow): Promise<number> {
  let hasBom = true;
  for (let i = 0; i < BOM.length; i++) hasBom = hasBom && (await window.byteAt(i, 0)) === BOM[i];
  let pos = await window.skipWhitespace(hasBom ? BOM.length : 0);
  const first = await window.byteAt(pos, pos);
  if (first === OPEN_BRACKET) return pos + 1;
  if (first !== OPEN_BRACE) throw new MigrationFileError('the file is not a JSON object with a "users" list');
  pos++;
  for (;;) {
    pos = await window.skipWhitespace(pos);
    const c = await window.byteAt(pos, pos);
    if (c === COMMA) {
      pos++;
      continue;
    }
    if (c !== QUOTE) throw new MigrationFileError('the file has no "users" list');
    const keyEnd = await window.scanValue(pos);
    if (keyEnd < 0) throw new MigrationFileError('the file ends inside a key');
    const key = parseKey(window.text(pos, keyEnd));
    pos = await window.skipWhitespace(keyEnd);
    if ((await window.byteAt(pos, pos)) !== COLON) throw new MigrationFileError(`no ":" after key "${key}"`);
    pos = await window.skipWhitespace(pos + 1);
    if (key === 'users') {
      if ((await window.byteAt(pos, pos)) !== OPEN_BRACKET)
        throw new MigrationFileError('"users" is not a list');
      return pos + 1;
    }
    const valueEnd = await window.scanValue(pos, false);
    if (valueEnd < 0) throw new MigrationFileError('the file has no "users" list');
    pos = valueEnd;
    if ((await window.byteAt(await window.skipWhitespace(pos), pos)) === CLOSE_BRACE) {
      throw new MigrationFileError('the file has no "users" list');
    }
  }
}

function parseKey(text: string): string {
  try {
    return String(JSON.parse(text));
  } catch {
    throw new MigrationFileError(`the file is not valid JSON near key ${text.slice(0, 40)}`);
  }
}

/** A sliding view of the file: reads chunks on demand and drops bytes before the value being scanned. */
class FileWindow {
  private buf = Buffer.alloc(0);
  private base: number;
  private eof = false;

  constructor(
    private readonly handle: FileHandle,
    start: number,
    private readonly chunkSize: number,
  ) {
    this.base = start;
  }

  get end(): number {
    return this.base + this.buf.length;
  }

  /** The byte at `pos` (-1 at end of file), keeping bytes from `keepFrom` on when more must be read. */
  async byteAt(pos: number, keepFrom: number): Promise<number> {
    while (pos >= this.end) if (!(await this.more(keepFrom))) return -1;
    return this.buf[pos - this.base];
  }

  async skipWhitespace(pos: number): Promise<number> {
    for (;;) {
      const c = await this.byteAt(pos, pos);
      if (c < 0 || !isWhitespace(c)) return pos;
      pos++;
    }
  }

  /**
   * End (exclusive) of the JSON value starting at `start`, or -1 when the file ends inside it. Without `keepText`
   * the value's bytes are dropped as they are scanned (skipping a large value that is not the users list).
   */
  async scanValue(start: number, keepText = true): Promise<number> {
    const scanner = new ValueScanner();
    let from = start;
    for (;;) {
      const end = scanner.scan(this.buf, from - this.base, this.buf.length);
      if (end >= 0) return this.base + end;
      from = this.end;
      if (!(await this.more(keepText ? start : from))) return scanner.endsAtEof && from > start ? from : -1;
    }
  }

  text(start: number, end: number): string {
    return this.buf.toString('utf8', start - this.base, end - this.base);
  }

  private async more(keepFrom: number): Promise<boolean> {
    if (this.eof) return false;
    const chunk = Buffer.allocUnsafe(this.chunkSize);
    const { bytesRead } = await this.handle.read(chunk, 0, this.chunkSize, this.end);
    if (bytesRead === 0) {
      this.eof = true;
      return false;
    }
    const newBase = Math.min(Math.max(this.base, keepFrom), this.end);
    this.buf = Buffer.concat([this.buf.subarray(newBase - this.base), chunk.subarray(0, bytesRead)]);
    this.base = newBase;
    return true;
  }
}
