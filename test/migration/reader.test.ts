import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MigrationFileError, readRecords, type RawRecord } from '../../src/migration/reader';
import { LEGACY_SAMPLE_FILE } from '../harness/shared';

const SAMPLE = LEGACY_SAMPLE_FILE;
const dir = mkdtempSync(join(tmpdir(), 'legacy-reader-'));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.json`);
  writeFileSync(path, content);
  return path;
}

/** Reads a whole list in batches of `size`, chaining offsets as the workflow does. */
async function readAll(path: string, size: number, chunkSize?: number) {
  const records: RawRecord[] = [];
  let from = { offset: 0, position: 0 };
  for (;;) {
    const batch = await readRecords(path, from, { maxRecords: size, maxBytes: 1 << 20, chunkSize });
    records.push(...batch.records);
    from = { offset: batch.nextOffset, position: from.position + batch.records.length };
    if (batch.endOfList) return { records, last: batch };
  }
}

describe('legacy file reader', () => {
  it('streams the sample file record by record with positions and byte offsets', async () => {
    const { records, last } = await readAll(SAMPLE, 1000);
    expect(records.map((r) => r.position)).toEqual([0, 1, 2, 3]);
    expect(records.map((r) => (JSON.parse(r.text) as { user_id: number }).user_id)).toEqual([
      123456789, 7012345678, 555000111, 987654321,
    ]);
    const bytes = readFileSync(SAMPLE);
    for (const r of records)
      expect(bytes.subarray(r.offset, r.offset + Buffer.byteLength(r.text)).toString()).toBe(r.text);
    expect(last.fileTruncated).toBe(false);
  });

  it('gives the same records whatever the batch and chunk sizes (resume from any offset)', async () => {
    const whole = await readAll(SAMPLE, 1000);
    for (const [size, chunk] of [
      [1, undefined],
      [3, 7],
      [2, 1],
    ] as const) {
      expect((await readAll(SAMPLE, size, chunk)).records).toEqual(whole.records);
    }
  });

  it('keeps non-objects, brackets inside strings and multi-byte text intact', async () => {
    const path = file(
      '{"users": [1, "x", null, [1, [2]], {"user_id": 5, "faceit_nickname": "a\\"]}{ Дарвин 🐍"}, true]}',
    );
    const { records } = await readAll(path, 2, 5);
    expect(records.map((r) => JSON.parse(r.text))).toEqual([
      1,
      'x',
      null,
      [1, [2]],
      { user_id: 5, faceit_nickname: 'a"]}{ Дарвин 🐍' },
      true,
    ]);
  });

  it('finds "users" after other keys, under a BOM, or as a top-level list', async () => {
    const users = '[{"user_id": 1}]';
    for (const content of [
      `{"analytics": {"daily_stats": {"x": [1, 2, "]"]}}, "users": ${users}}`,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"users": ${users}}`)]),
      users,
    ]) {
      const { records } = await readAll(file(content), 10, 4);
      expect(records.map((r) => r.text)).toEqual(['{"user_id": 1}']);
    }
  });

  it('reports a record cut by the end of the file as truncated', async () => {
    const { records, last } = await readAll(file('{"users": [{"user_id": 1}, {"user_id": 2, "fa'), 10);
    expect(records.map((r) => [r.truncated, r.text])).toEqual([
      [false, '{"user_id": 1}'],
      [true, '{"user_id": 2, "fa'],
    ]);
    expect(last).toMatchObject({ endOfList: true, fileTruncated: true });
    const unclosed = await readAll(file('{"users": [{"user_id": 1}\n'), 10);
    expect(unclosed.records).toHaveLength(1);
    expect(unclosed.last.fileTruncated).toBe(true);
  });

  it('refuses a file without a users list', async () => {
    for (const content of ['{"analytics": {}}', '{"users": {"1": {}}}', '"users"', '']) {
      await expect(readAll(file(content), 10)).rejects.toBeInstanceOf(MigrationFileError);
    }
  });
});
