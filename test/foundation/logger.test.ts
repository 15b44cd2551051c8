import { Writable } from 'node:stream';
import { runInNewContext } from 'node:vm';
import { Metadata } from '@grpc/grpc-js';
import { GrammyError } from 'grammy';
import { createLogger } from '../../src/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ pretty: false, level: 'info', destination }), text: () => lines.join('') };
}

describe('logging', () => {
  it('writes JSON lines and redacts tokens, API keys, payment payloads and database passwords', () => {
    const { logger, text } = capture();
    logger.info(
      {
        config: {
          BOT_TOKEN: '123456:AAEsecretbot',
          FACEIT_API_KEY: 'faceit-key-1',
          DATABASE_URL: 'postgres://u:pw@h/db',
        },
        payment: { invoice_payload: 'premium:month:42', telegram_payment_charge_id: 'charge-secret' },
        request: { headers: { authorization: 'Bearer faceit-key-2' } },
      },
      'starting',
    );
    logger.warn(
      'calling https://api.telegram.org/bot123456:AAEsecretbot/getMe via postgres://bot:hunter2@db:5432/x',
    );
    logger.error({ err: new Error('connect failed for redis://:redispw@cache:6379') }, 'boom');
    const out = text();
    for (const secret of [
      'AAEsecretbot',
      'faceit-key-1',
      'faceit-key-2',
      'pw@h',
      'premium:month:42',
      'charge-secret',
      'hunter2',
      'redispw',
    ]) {
      expect(out).not.toContain(secret);
    }
    const first = JSON.parse(out.split('\n')[0]);
    expect(first.msg).toBe('starting');
    expect(first.config.BOT_TOKEN).toBe('***');
    expect(out).toContain('/bot***/getMe');
  });
});

// One parsed log line; its fields are read as the operator would read them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Line = Record<string, any>;

describe('errors in logs (an operator reads type, message, stack and fields, never "[object Object]")', () => {
  const lineOf = (log: (logger: ReturnType<typeof createLogger>) => void) => {
    const { logger, text } = capture();
    log(logger);
    const out = text();
    expect(out).not.toContain('[object Object]');
    return { line: JSON.parse(out.trim().split('\n').pop()!) as Line, out };
  };

  it('a gRPC status object (what grpc-js rejects with) keeps its code and details as fields', () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'r-1');
    const status = { code: 14, details: 'No connection established', metadata };
    const { line } = lineOf((l) => l.error({ err: status }, 'temporal call failed'));
    expect(line.err.type).toBe('object');
    expect(line.err.message).toBe('14 No connection established');
    expect(line.err.code).toBe(14);
    expect(line.err.details).toBe('No connection established');
    expect(typeof line.err.metadata).toBe('object');
    // Not JSON inside a string.
    expect(line.err.message).not.toMatch(/^\{/);
  });

  it('a GrammyError: message, stack, error code and method; the request payload only as its key names', () => {
    const err = new GrammyError(
      "Call to 'sendInvoice' failed!",
      { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      'sendInvoice',
      { chat_id: 42, payload: 'premium:month:secret-payload', title: 'Premium' },
    );
    const { line, out } = lineOf((l) => l.error({ err }, 'send failed'));
    expect(line.err.type).toBe('GrammyError');
    expect(line.err.message).toContain('400: Bad Request: chat not found');
    expect(line.err.stack).toContain('GrammyError');
    expect(line.err.error_code).toBe(400);
    expect(line.err.description).toBe('Bad Request: chat not found');
    expect(line.err.method).toBe('sendInvoice');
    expect(line.err.payload).toEqual({ keys: ['chat_id', 'payload', 'title'] });
    expect(out).not.toContain('secret-payload');
  });

  it('a plain object thrown: its fields stay fields and the message says what was thrown', () => {
    const { line } = lineOf((l) => l.error({ err: { kind: 'quota', used: 3 } }, 'handler failed'));
    expect(line.err).toMatchObject({ type: 'object', kind: 'quota', used: 3 });
    expect(line.err.message).toBe('an object was thrown, not an Error (fields: kind, used)');
  });

  it('an Error with a cause: both messages, both stacks, the cause as an object with its fields', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7233'), { code: 'ECONNREFUSED' });
    const err = new Error('Temporal unavailable', { cause });
    const { line } = lineOf((l) => l.error({ err }, 'start failed'));
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toContain('Temporal unavailable');
    expect(line.err.stack).toContain('caused by: Error: connect ECONNREFUSED');
    expect(line.err.cause).toMatchObject({ type: 'Error', code: 'ECONNREFUSED' });
    expect(line.err.cause.stack).toContain('ECONNREFUSED');
  });

  it('an Error under `error` (the Temporal SDK meta), nested, or from a workflow context is an object too', () => {
    const foreign = runInNewContext('new TypeError("from the workflow sandbox")') as unknown;
    const { line } = lineOf((l) =>
      l.warn({ error: new RangeError('bad range'), details: { inner: foreign } }, 'Activity failed'),
    );
    expect(line.error).toMatchObject({ type: 'RangeError', message: 'bad range' });
    expect(line.error.stack).toContain('RangeError: bad range');
    expect(line.details.inner).toMatchObject({ type: 'TypeError', message: 'from the workflow sandbox' });
    expect(line.details.inner.stack).toContain('TypeError');
    // A string under `error` (an already-described failure) is left as it is.
    expect(lineOf((l) => l.warn({ error: '429 Too Many Requests' }, 'x')).line.error).toBe(
      '429 Too Many Requests',
    );
  });

  it('secrets inside errors are still redacted', () => {
    const err = Object.assign(new Error('failed: postgres://bot:hunter2@db/x'), { token: 'tok-1' });
    const { out } = lineOf((l) => l.error({ err: { cause: err, apiKey: 'k-2' } }, 'x'));
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('tok-1');
    expect(out).not.toContain('k-2');
  });
});
