import { connect } from 'node:net';
import {
  HttpError,
  parseRequestTarget,
  readBody,
  sendJson,
  startHttpServer,
  type HttpHandler,
} from '../../src/ops/http';
import { testLogger } from '../harness';

/** The one HTTP wrapper every server of the product goes through (src/ops/http.ts). */
describe('ops/http: the shared request wrapper', () => {
  it('parses request targets without ever throwing', () => {
    expect(parseRequestTarget('//')?.pathname).toBe('//');
    expect(parseRequestTarget('//evil.example/x')?.pathname).toBe('//evil.example/x');
    expect(parseRequestTarget('/healthz?x=1')?.pathname).toBe('/healthz');
    expect(parseRequestTarget('/%')?.pathname).toBe('/%');
    expect(parseRequestTarget('http://bot.example/metrics')?.pathname).toBe('/metrics');
    for (const bad of [
      undefined,
      '',
      '%',
      '[::1',
      '*',
      'http://[::1',
      'http://',
      'example.com:443',
      'javascript:x',
    ])
      expect(parseRequestTarget(bad)).toBeUndefined();
  });

  async function serve(handle: HttpHandler, limits = {}) {
    const server = await startHttpServer({ name: 'test', port: 0, logger: testLogger, handle, limits });
    const url = `http://127.0.0.1:${server.port}`;
    return { server, url };
  }

  it('a handler that throws, rejects, fails mid-answer or never answers costs one request, not the process', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    const { server, url } = await serve(
      async ({ res, path, req }) => {
        if (path === '/throw') throw new Error('boom');
        if (path === '/reject') return Promise.reject(new TypeError('bad'));
        if (path === '/teapot') throw new HttpError(418, 'short and stout');
        if (path === '/midway') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial');
          throw new Error('after the head');
        }
        if (path === '/hang') return new Promise<void>(() => undefined);
        if (path === '/body') return sendJson(res, 200, { size: (await readBody(req, 10)).length });
        sendJson(res, 200, { ok: true });
      },
      { handlerTimeoutMs: 300 },
    );
    try {
      expect((await fetch(`${url}/throw`)).status).toBe(500);
      expect((await fetch(`${url}/reject`)).status).toBe(500);
      const teapot = await fetch(`${url}/teapot`);
      expect([teapot.status, await teapot.json()]).toEqual([418, { error: 'short and stout' }]);
      // The answer had begun: the client sees the connection close before the end of the body.
      await expect(fetch(`${url}/midway`).then((r) => r.text())).rejects.toThrow();
      expect((await fetch(`${url}/hang`)).status).toBe(503);
      expect(await (await fetch(`${url}/body`, { method: 'POST', body: '12345' })).json()).toEqual({
        size: 5,
      });
      expect((await fetch(`${url}/body`, { method: 'POST', body: '12345678901' })).status).toBe(413);
      expect((await fetch(`${url}/`)).status).toBe(200);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await server.close();
    }
  });

  it('answers parser errors itself: 400 for garbage, 431 for a huge head, 408 for a request never finished', async () => {
    const { server } = await serve(({ res }) => sendJson(res, 200, { ok: true }), {
      headersTimeoutMs: 500,
      requestTimeoutMs: 500,
      checkIntervalMs: 100,
    });
    const send = (bytes: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.write(bytes));
        const got: Buffer[] = [];
        socket.on('data', (d) => got.push(d));
        socket.on('close', () => resolve(Buffer.concat(got).toString('latin1')));
        socket.on('error', () => undefined);
      });
    try {
      expect(await send('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n')).toMatch(
        /^HTTP\/1\.1 400 /,
      );
      expect(await send(`GET / HTTP/1.1\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
      expect(await send('GET / HTTP/1.1\r\nHost: x\r\n')).toMatch(/^HTTP\/1\.1 408 /);
      expect(await send('GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(
        /^HTTP\/1\.1 200 /,
      );
    } finally {
      await server.close();
    }
  });
});
