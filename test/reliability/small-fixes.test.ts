import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { parsePlayerQuery } from '../../src/monitoring/query';

/** Issue 14, point 8: the small holes, each pinned. */
describe('log redaction reaches top-level and deeply nested secret keys', () => {
  it('never prints a token or API key, wherever it sits in the log object', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ pretty: false, level: 'info', destination });
    logger.info(
      {
        token: 'top-level-token-123',
        apiKey: 'top-level-key-456',
        deep: { a: { b: { api_key: 'nested-key-789', TEMPORAL_API_KEY: 'temporal-key-000' } } },
        keep: 'visible',
      },
      'with secrets',
    );
    const text = lines.join('');
    for (const secret of ['top-level-token-123', 'top-level-key-456', 'nested-key-789', 'temporal-key-000'])
      expect(text).not.toContain(secret);
    expect(text).toContain('visible');
  });
});

describe('/track with a bad % escape in a profile link', () => {
  it('is "not a nickname", not an exception', () => {
    expect(() => parsePlayerQuery('https://www.faceit.com/en/players/%E0%A4%A')).not.toThrow();
    expect(parsePlayerQuery('https://www.faceit.com/en/players/%E0%A4%A')).toBeUndefined();
    expect(parsePlayerQuery('https://www.faceit.com/en/players/s1mple')).toBe('s1mple');
  });
});
