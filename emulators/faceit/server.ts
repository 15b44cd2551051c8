import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { endpointOf } from '../../src/faceit/endpoints';
import { errorBody, routeApi } from './api-routes';
import { EmulatorControl, type LatencySettings } from './control';
import { routeControl } from './control-http';
import { Faults } from './faults';
import { type RateLimitOptions, RateWindow } from './rate-window';
import { RequestLog } from './request-log';
import { WebhookSender } from './webhooks';
import { World } from './world';

/**
 * An HTTP server the product cannot tell from FACEIT's Data API v4: same paths under /data/v4, bearer auth,
 * per-key rate limit with FACEIT's headers, FACEIT's error shape, configurable latency and faults, plus a
 * control API under /__control. Order per request: auth → rate limit → 429 storm → injected fault → route.
 */

export interface FaceitEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: string | number;
  /** Size of the synthetic world (default 5000). */
  players?: number;
  /** Added before every answer (default 50 ms), plus up to `latencyJitterMs` at random (default 0). */
  latencyMs?: number;
  latencyJitterMs?: number;
  /** Accepted API keys (default ['emulator-key']). */
  apiKeys?: string[];
  rateLimit?: RateLimitOptions;
  /** "Now" of the synthetic history (default: today 00:00 UTC, so a day's runs see identical data). */
  anchorTime?: number;
}

export interface FaceitEmulator {
  /** e.g. http://127.0.0.1:12345/data/v4 — use as FACEIT_API_BASE_URL. */
  baseUrl: string;
  origin: string;
  port: number;
  /** The first accepted key. */
  apiKey: string;
  control: EmulatorControl;
  stop(): Promise<void>;
}

const COSMETIC_HEADERS = {
  'faceit-env': 'emulator',
  'faceit-service': 'open-data-api',
  'x-faceit-gateway': 'true',
  'x-faceit-ratelimit-name': 'gateway-open-faceit-ratelimit',
};

export async function startFaceitEmulator(options: FaceitEmulatorOptions = {}): Promise<FaceitEmulator> {
  const seed = options.seed ?? 1;
  const anchor = options.anchorTime ?? Date.now() - (Date.now() % 86_400_000);
  const world = new World(seed, options.players ?? 5000, anchor);
  const apiKeys = new Set(options.apiKeys ?? ['emulator-key']);
  const rate = new RateWindow(options.rateLimit);
  const faults = new Faults(seed);
  const log = new RequestLog();
  const latency: LatencySettings = {
    latencyMs: options.latencyMs ?? 50,
    latencyJitterMs: options.latencyJitterMs ?? 0,
  };
  const control = new EmulatorControl(world, faults, log, rate, new WebhookSender(world, seed), latency);
  const hanging = new Set<ServerResponse>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...COSMETIC_HEADERS,
      ...headers,
    });
    res.end(text);
  };
  const delayed = (fn: () => void) => {
    const ms = latency.latencyMs + Math.random() * latency.latencyJitterMs;
    if (ms <= 0) return fn();
    setTimeout(fn, ms);
  };

  const handleApi = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const path = url.pathname.slice('/data/v4'.length);
    const now = Date.now();
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const key = auth?.[1].trim();
    const entry = {
      at: now,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      key: key?.slice(-4),
    };
    if (!key || !apiKeys.has(key)) {
      log.record({ ...entry, status: 401 });
      return delayed(() =>
        send(res, 401, errorBody(401, 'Unauthorized: invalid or missing API key', 'err_un0')),
      );
    }
    log.arrival(key, now - (now % rate.windowMs));
    const decision = rate.take(key, now);
    const endpoint = endpointOf(path, url.searchParams);
    const record = (status: number, fault?: string) => log.record({ ...entry, endpoint, status, fault });
    if (!decision.allowed) {
      record(429);
      return delayed(() => send(res, 429, errorBody(429, 'Too Many Requests', 'err_tm0'), decision.headers));
    }
    const stormRetryAfter = faults.storm(endpoint, now);
    if (stormRetryAfter !== undefined) {
      record(429, 'storm');
      const headers = {
        ...decision.headers,
        'ratelimit-remaining': '0',
        'retry-after': String(stormRetryAfter),
      };
      return delayed(() => send(res, 429, errorBody(429, 'Too Many Requests', 'err_tm0'), headers));
    }
    const fault = faults.decide(endpoint);
    if (fault === 'hang') {
      record(0, 'hang');
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault === 'server-error') {
      const status = faults.serverErrorStatus();
      record(status, 'server-error');
      const message = status === 500 ? 'Internal Server Error' : 'Service Unavailable';
      return delayed(() => send(res, status, errorBody(status, message, 'err_is0'), decision.headers));
    }
    const routed =
      req.method === 'GET'
        ? routeApi(world, path, url.searchParams)
        : { status: 405, body: errorBody(405, 'Method not allowed', 'err_mn0') };
    let body = routed.status === 200 ? faults.oddItem(endpoint, routed.body) : routed.body;
    const share = routed.status === 200 ? faults.dropShare(endpoint) : 0;
    if (share > 0) body = faults.dropKeys(body, share);
    let text = JSON.stringify(body);
    if (fault === 'malformed' && routed.status === 200) text = faults.malformedBody(text);
    record(routed.status, fault === 'malformed' ? 'malformed' : share > 0 ? 'missing-keys' : undefined);
    delayed(() => send(res, routed.status, text, decision.headers));
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, { error: 'body must be JSON' });
    }
    const result = await routeControl(control, req.method ?? 'GET', url.pathname, url.searchParams, body);
    send(res, result.status, result.body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const work = url.pathname.startsWith('/__control')
      ? handleControl(req, res, url)
      : url.pathname.startsWith('/data/v4/')
        ? Promise.resolve(handleApi(req, res, url))
        : Promise.resolve(send(res, 404, errorBody(404, 'not found', 'err_nf0')));
    work.catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody(500, `emulator bug: ${String(err)}`, 'err_is0'));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    baseUrl: `${origin}/data/v4`,
    origin,
    port,
    apiKey: [...apiKeys][0],
    control,
    stop: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
