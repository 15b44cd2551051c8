import { Writable } from 'node:stream';
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
