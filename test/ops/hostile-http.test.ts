import { connect, createServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { sql } from 'slonik';
import { startBot, type RunningBot } from '../../src/bot/run';
import { FACEIT_WEBHOOK_PATH, FACEIT_WEBHOOK_SECRET_HEADER } from '../../src/monitoring/webhook';
import { startOpsServer } from '../../src/ops/server';
import { freePort } from '../faceit/helpers';
import { testLogger } from '../harness';
import { startBotWorld, type BotWorld } from '../bot/harness';

/**
 * Every port the product opens, attacked over raw TCP: the bot's port (webhook, FACEIT's webhook route, /healthz,
 * /metrics) started by `startBot` in webhook mode, and a worker's ops port (`startOpsServer`, as src/worker.ts
 * starts it). Each hostile request gets a 4xx or a closed connection, and afterwards every /healthz still answers 200.
 */

const TG_PATH = '/telegram/webhook';
const TG_SECRET = 'hook-secret-hostile-0123456789';
const FACEIT_SECRET = 'faceit-secret-hostile-0123456789';

interface RawAnswer {
  /** The status of the first answer, if any came. */
  status?: number;
  text: string;
  /** The server closed (or reset) the connection. */
  closed: boolean;
  ms: number;
}

/** Sends `chunks` (one write each) on a fresh TCP connection and collects what comes back until close or `waitMs`. */
function raw(port: number, chunks: Array<string | Buffer>, waitMs = 3_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : undefined, text, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('connect', () => {
      for (const chunk of chunks) if (!socket.destroyed) socket.write(chunk);
    });
    socket.on('data', (d) => {
      received.push(d);
      // A whole answer (head and Content-Length body) is enough: a kept-alive connection need not close.
      const text = Buffer.concat(received).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, head))?.[1];
      const closing = /\r\nconnection: *close/i.test(text.slice(0, head));
      if (head >= 0 && !closing && length !== undefined && text.length - head - 4 >= Number(length))
        finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

const request = (line: string, headers: string[] = [], body = '') =>
  `${line}\r\nHost: bot.example\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;
const post = (path: string, headers: string[], body: string) =>
  request(`POST ${path} HTTP/1.1`, [...headers, `Content-Length: ${Buffer.byteLength(body)}`], body);
const json = 'Content-Type: application/json';

/** A 4xx answer, or no answer and a closed connection. */
function refused(answer: RawAnswer): boolean {
  if (answer.status !== undefined) return answer.status >= 400 && answer.status < 500;
  return answer.closed;
}

/** The bytes a real TLS client sends first (its ClientHello), captured from node:tls. */
async function clientHello(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sink = createServer((socket) => {
      socket.once('data', (data) => {
        resolve(data);
        socket.destroy();
        sink.close();
      });
    });
    sink.listen(0, '127.0.0.1', () => {
      const { port } = sink.address() as { port: number };
      const tls = tlsConnect({
        port,
        host: '127.0.0.1',
        servername: 'bot.example',
        rejectUnauthorized: false,
      });
      tls.on('error', () => undefined);
      tls.setTimeout(5_000, () => reject(new Error('no ClientHello')));
    });
  });
}

describe('hostile HTTP: every port answers garbage with a 4xx or a closed connection and the process lives', () => {
  let w: BotWorld;
  let bot: RunningBot;
  let ops: Awaited<ReturnType<typeof startOpsServer>>;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    w = await startBotWorld({ noBot: true, env: { FACEIT_WEBHOOK_SECRET: FACEIT_SECRET } });
    const port = await freePort();
    bot = await startBot({
      ...w.botDeps,
      config: {
        ...w.config,
        BOT_MODE: 'webhook',
        BOT_WEBHOOK_URL: `http://127.0.0.1:${port}${TG_PATH}`,
        BOT_WEBHOOK_SECRET: TG_SECRET,
        BOT_HTTP_PORT: port,
      },
    });
    // The worker process's ops server, with the checks src/worker.ts gives it.
    ops = await startOpsServer({
      port: 0,
      logger: testLogger,
      checks: {
        database: () => w.pool.query(sql.unsafe`SELECT 1`),
        redis: () => w.redis.ping(),
        workers: async () => {
          const stopped = [...w.workers.workers].filter(([, x]) => x.getState() !== 'RUNNING');
          if (stopped.length) throw new Error(`workers not running: ${stopped.map(([t]) => t).join(', ')}`);
        },
      },
    });
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await ops?.close();
    await bot?.stop();
    await w?.stop();
  });

  const ports = () =>
    [
      ['bot', bot.httpPort],
      ['ops', ops.port],
    ] as const;

  async function expectHealthy() {
    for (const [, port] of ports()) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
    }
    expect(uncaught).toEqual([]);
  }

  it('malformed request targets: //, %, [::1, /%00, NUL bytes, absolute nonsense, HTTP/2 preface', async () => {
    const targets: Array<string | Buffer> = [
      request('GET // HTTP/1.1'),
      request('GET //healthz HTTP/1.1'),
      request('POST // HTTP/1.1', ['Content-Length: 0']),
      request('GET % HTTP/1.1'),
      request('GET /% HTTP/1.1'),
      request('GET [::1 HTTP/1.1'),
      request('GET http://[::1 HTTP/1.1'),
      request('GET http:// HTTP/1.1'),
      request('GET /%00 HTTP/1.1'),
      Buffer.from(request('GET /\0 HTTP/1.1'), 'latin1'),
      Buffer.from(request('GET /healthz\0/x HTTP/1.1'), 'latin1'),
      request('GET * HTTP/1.1'),
      request('OPTIONS * HTTP/1.1'),
      request('CONNECT bot.example:443 HTTP/1.1'),
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      'GET\r\n\r\n',
    ];
    for (const [name, port] of ports()) {
      for (const target of targets) {
        const answer = await raw(port, [target]);
        if (!refused(answer))
          throw new Error(`${name}: ${JSON.stringify(String(target))} got ${answer.text}`);
      }
    }
    // The bot answered `//` (which once stopped it) with a 404, as a path it does not serve.
    expect((await raw(bot.httpPort, [request('GET // HTTP/1.1')])).status).toBe(404);
    await expectHealthy();
  });

  it('wrong methods and unknown verbs', async () => {
    const cases: Array<[number, string, number]> = [
      [bot.httpPort, request('DELETE /healthz HTTP/1.1'), 405],
      [bot.httpPort, post('/metrics', [], '{}'), 405],
      [bot.httpPort, request(`GET ${TG_PATH} HTTP/1.1`), 405],
      [bot.httpPort, request(`PUT ${TG_PATH} HTTP/1.1`, ['Content-Length: 0']), 405],
      [bot.httpPort, request(`GET ${FACEIT_WEBHOOK_PATH} HTTP/1.1`), 405],
      [bot.httpPort, request('BREW /healthz HTTP/1.1'), 400],
      [ops.port, request('DELETE /healthz HTTP/1.1'), 405],
      [ops.port, post('/metrics', [], '{}'), 405],
      [ops.port, request('BREW /healthz HTTP/1.1'), 400],
      [ops.port, request('GET /nope HTTP/1.1'), 404],
    ];
    for (const [port, text, status] of cases)
      expect([text, (await raw(port, [text])).status]).toEqual([text, status]);
    await expectHealthy();
  });

  it('oversize headers, oversize bodies and chunked garbage', async () => {
    const huge = `X-Filler: ${'a'.repeat(64 * 1024)}`;
    for (const [, port] of ports()) {
      expect((await raw(port, [request('GET /healthz HTTP/1.1', [huge])])).status).toBe(431);
      const manyHeaders = Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`);
      expect(refused(await raw(port, [request('GET /healthz HTTP/1.1', manyHeaders)]))).toBe(true);
      const garbage = request(
        'POST /healthz HTTP/1.1',
        ['Transfer-Encoding: chunked'],
        'zz\r\nnot a chunk\r\n',
      );
      expect(refused(await raw(port, [garbage]))).toBe(true);
      const both = request(
        'POST /healthz HTTP/1.1',
        ['Transfer-Encoding: chunked', 'Content-Length: 3'],
        'abc',
      );
      expect(refused(await raw(port, [both]))).toBe(true);
    }
    const secret = `X-Telegram-Bot-Api-Secret-Token: ${TG_SECRET}`;
    // Declared too large: refused before a byte of the body is read.
    const declared = request(`POST ${TG_PATH} HTTP/1.1`, [secret, json, 'Content-Length: 50000000']);
    expect((await raw(bot.httpPort, [declared])).status).toBe(413);
    // Streamed too large (chunked, no length): refused once the cap is passed.
    const chunk = 'a'.repeat(256 * 1024);
    const streamed = [
      request(`POST ${TG_PATH} HTTP/1.1`, [secret, json, 'Transfer-Encoding: chunked']),
      ...Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`),
    ];
    expect(refused(await raw(bot.httpPort, streamed))).toBe(true);
    const chunkedGarbage = request(
      `POST ${TG_PATH} HTTP/1.1`,
      [secret, json, 'Transfer-Encoding: chunked'],
      '5\r\n{"upd\r\nxyz\r\n',
    );
    expect(refused(await raw(bot.httpPort, [chunkedGarbage]))).toBe(true);
    const faceitHeader = `${FACEIT_WEBHOOK_SECRET_HEADER}: ${FACEIT_SECRET}`;
    const faceitHuge = post(FACEIT_WEBHOOK_PATH, [faceitHeader, json], `{"event":"${'x'.repeat(300_000)}"}`);
    expect((await raw(bot.httpPort, [faceitHuge])).status).toBe(413);
    await expectHealthy();
  });

  it('TLS on the plain port gets a plain 400 (or a close), and a TLS client fails cleanly', async () => {
    const hello = await clientHello();
    expect(hello[0]).toBe(0x16); // a TLS handshake record
    for (const [, port] of ports()) {
      expect(refused(await raw(port, [hello]))).toBe(true);
      const failed = await new Promise<boolean>((resolve) => {
        const tls = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
        tls.on('secureConnect', () => resolve(false));
        tls.on('error', () => resolve(true));
      });
      expect(failed).toBe(true);
    }
    await expectHealthy();
  });

  it('forged Telegram updates and forged FACEIT webhooks change nothing', async () => {
    const update = JSON.stringify({
      update_id: 77_000_001,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 4242, type: 'private' },
        from: { id: 4242, is_bot: false, first_name: 'X' },
        text: '/start',
      },
    });
    const tg = (headers: string[], body: string) =>
      raw(bot.httpPort, [post(TG_PATH, [json, ...headers], body)]);
    const secret = `X-Telegram-Bot-Api-Secret-Token: ${TG_SECRET}`;
    expect((await tg([], update)).status).toBe(401);
    expect((await tg(['X-Telegram-Bot-Api-Secret-Token: wrong'], update)).status).toBe(401);
    expect((await tg([`X-Telegram-Bot-Api-Secret-Token: ${TG_SECRET}x`], update)).status).toBe(401);
    expect((await tg([secret], '{"update_id": 1, "message": ')).status).toBe(400);
    expect((await tg([secret], '[]')).status).toBe(400);
    expect((await tg([secret], '{"update_id": "one", "message": {}}')).status).toBe(400);
    expect((await tg([secret], '{"update_id": 5}')).status).toBe(400);
    expect((await tg([secret], 'null')).status).toBe(400);
    expect(await w.repos.users.get(4242)).toBeNull();

    const match = JSON.stringify({
      event: 'match_status_finished',
      payload: { id: '1-00000000-0000-4000-8000-00000000dead', teams: [{ roster: [{ id: 'p1' }] }] },
    });
    const faceit = (headers: string[], body: string) =>
      raw(bot.httpPort, [post(FACEIT_WEBHOOK_PATH, [json, ...headers], body)]);
    const header = `${FACEIT_WEBHOOK_SECRET_HEADER}: ${FACEIT_SECRET}`;
    expect((await faceit([], match)).status).toBe(401);
    expect((await faceit([`${FACEIT_WEBHOOK_SECRET_HEADER}: nope`], match)).status).toBe(401);
    expect((await faceit([header], '{"event": ')).status).toBe(400);
    expect((await faceit([header], '{"event": "match_status_finished"}')).status).toBe(400);
    expect((await faceit([header], '{"event": 1, "payload": {"id": "x"}}')).status).toBe(400);
    expect((await faceit([header], '"just a string"')).status).toBe(400);
    await expectHealthy();
  });

  it('slow or never-finished requests are timed out by the server, which keeps serving meanwhile', async () => {
    const secret = `X-Telegram-Bot-Api-Secret-Token: ${TG_SECRET}`;
    const pending = ports().flatMap(([, port]) => [
      // Connected, never a byte.
      raw(port, [], 25_000),
      // Only empty lines (which HTTP skips before a request line), never a request.
      raw(port, ['\r\n\r\n\r\n'], 25_000),
      // Half a request head, never finished.
      raw(port, ['GET /healthz HTTP/1.1\r\nHost: bot.example\r\nX-Slow: '], 25_000),
    ]);
    // A body promised and never delivered, on the webhook route with the right secret.
    pending.push(
      raw(
        bot.httpPort,
        [request(`POST ${TG_PATH} HTTP/1.1`, [secret, json, 'Content-Length: 500'], '{"upd')],
        25_000,
      ),
    );
    // Meanwhile both servers answer.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expectHealthy();
    const answers = await Promise.all(pending);
    for (const answer of answers) {
      expect(answer.closed).toBe(true);
      expect(refused(answer)).toBe(true);
      expect(answer.ms).toBeLessThan(20_000);
    }
    await expectHealthy();
  }, 60_000);
});
