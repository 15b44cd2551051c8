/**
 * The one way the product opens an HTTP port. Every server (the bot's webhook/health/metrics port, the workers' ops
 * port) is started here, so no request can stop a process:
 * - the request target is parsed without throwing (`//`, `%`, `[::1` give 400, never an exception);
 * - every handler runs inside a catch: a thrown error or a rejected promise answers 500 (or closes the connection
 *   when the answer had begun), an `HttpError` answers its 4xx; a handler that never answers gets 503;
 * - the parser's errors (garbage, TLS bytes on the plain port, chunked nonsense, oversize headers, a request that
 *   never finishes) answer 400 / 431 / 408 and the socket is destroyed;
 * - limits: header size, time to send the headers and the whole request, body caps through `readBody`.
 * A structure test forbids `createServer(` for HTTP anywhere else in src/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';

export interface HttpLimits {
  /** Largest request head (request line + headers), bytes; beyond it 431. */
  maxHeaderSize: number;
  /** Time for the client to send the request head, ms; beyond it 408 and the socket closes. */
  headersTimeoutMs: number;
  /** Time for the client to send the whole request (head and body), ms. */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above, ms. */
  checkIntervalMs: number;
  /** Idle time of a kept-alive connection between requests, ms. */
  keepAliveTimeoutMs: number;
  /** Time a handler has to answer before the server answers 503 for it, ms. */
  handlerTimeoutMs: number;
  /** Concurrent connections; beyond it new ones are refused. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxHeaderSize: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  checkIntervalMs: 1_000,
  keepAliveTimeoutMs: 5_000,
  handlerTimeoutMs: 30_000,
  maxConnections: 1_024,
};

/** Thrown by a handler (or `readBody`) to answer a client error: the server answers `status` with `message`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The parsed target (origin `http://localhost` for an origin-form target). */
  url: URL;
  /** `url.pathname`, as sent (not percent-decoded). */
  path: string;
}

export type HttpHandler = (request: HttpRequest) => Promise<void> | void;

export interface HttpServerOptions {
  /** For the logs: `bot`, `ops`. */
  name: string;
  /** 0 = a free port. */
  port: number;
  host?: string;
  logger: Logger;
  handle: HttpHandler;
  limits?: Partial<HttpLimits>;
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * The request target as a URL, or undefined when it is not one a server of ours can answer: origin form
 * (`/path?query`, including `//`) or absolute form (`http://host/path`). Never throws.
 */
export function parseRequestTarget(target: string | undefined): URL | undefined {
  if (!target) return undefined;
  try {
    // Prefixing (not resolving against a base) keeps `//x` a path instead of a scheme-relative URL.
    if (target.startsWith('/')) return new URL(`http://localhost${target}`);
    if (/^https?:\/\//i.test(target)) return new URL(target);
  } catch {
    return undefined;
  }
  return undefined;
}

/** The path of a request, or undefined for a target `parseRequestTarget` refuses. */
export function requestPath(req: IncomingMessage): string | undefined {
  return parseRequestTarget(req.url)?.pathname;
}

/**
 * The body of a request, at most `maxBytes` (413 beyond, checked on Content-Length first and while reading).
 * A client that aborts mid-body makes it throw an `HttpError(400)`.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'incomplete body', { connection: 'close' });
  }
  return Buffer.concat(chunks);
}

const tooLarge = (maxBytes: number) =>
  new HttpError(413, `body larger than ${maxBytes} bytes`, { connection: 'close' });

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Raw answers for errors of the HTTP parser (the request never reached a handler). */
function rawAnswer(status: number, reason: string): string {
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

function onClientError(err: NodeJS.ErrnoException, socket: Socket, log: Logger): void {
  const code = err.code ?? '';
  log.debug({ code, reason: err.message }, 'malformed or aborted HTTP request');
  if (code !== 'ECONNRESET' && socket.writable && socket.bytesWritten === 0) {
    const answer =
      code === 'HPE_HEADER_OVERFLOW'
        ? rawAnswer(431, 'Request Header Fields Too Large')
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? rawAnswer(408, 'Request Timeout')
          : rawAnswer(400, 'Bad Request');
    socket.end(answer);
  }
  // A client that never reads our answer must not keep the socket: gone within a second either way.
  setTimeout(() => socket.destroy(), 1_000).unref();
  if (!socket.writable) socket.destroy();
}

/** Runs one request through the handler; nothing it does can throw out of here. */
async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  handle: HttpHandler,
  log: Logger,
  handlerTimeoutMs: number,
): Promise<void> {
  req.on('error', (err) => log.debug({ err }, 'request stream error'));
  res.on('error', (err) => log.debug({ err }, 'response stream error'));
  const url = parseRequestTarget(req.url);
  if (!url) return sendJson(res, 400, { error: 'bad request target' }, { connection: 'close' });
  const timer = setTimeout(() => {
    if (res.headersSent) return;
    log.warn({ path: url.pathname }, 'HTTP handler did not answer in time');
    sendJson(res, 503, { error: 'timed out' }, { connection: 'close' });
  }, handlerTimeoutMs);
  timer.unref();
  try {
    await handle({ req, res, method: req.method ?? 'GET', url, path: url.pathname });
  } catch (err) {
    if (res.writableEnded || res.destroyed) return;
    if (err instanceof HttpError) {
      if (!res.headersSent) return sendJson(res, err.status, { error: err.message }, err.headers);
    } else if (req.destroyed && !req.complete) {
      log.debug({ err, path: url.pathname }, 'HTTP request aborted by the client');
    } else {
      log.error({ err, path: url.pathname }, 'HTTP request failed');
      if (!res.headersSent) return sendJson(res, 500, { error: 'internal error' }, { connection: 'close' });
    }
    // The answer had begun: the client learns of the failure by the connection closing.
    res.destroy();
  } finally {
    clearTimeout(timer);
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const log = options.logger.child({ server: options.name });
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderSize,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
    },
    (req, res) => {
      dispatch(req, res, options.handle, log, limits.handlerTimeoutMs).catch((err: unknown) => {
        // Only a bug in dispatch itself gets here; the connection is dropped, the process lives.
        log.error({ err }, 'HTTP dispatch failed');
        res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => onClientError(err, socket, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'HTTP server error'));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
