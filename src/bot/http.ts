/**
 * The bot's HTTP listeners (src/ops/http.ts): the public one (Telegram's webhook, FACEIT's webhook) and the ops
 * endpoints — /livez (cheap liveness: the process answers, no I/O), /healthz (readiness: PostgreSQL, Redis, Temporal
 * and a health-check workflow per tier) and /metrics. The ops endpoints are served on the public listener unless
 * BOT_OPS_PORT gives them their own (bound to OPS_HOST, e.g. a private interface).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { register as defaultRegistry, Registry } from 'prom-client';
import { startHttpServer, sendJson, type HttpLimits, type HttpRequest } from '../ops/http';
import type { HealthReport } from './health';

export interface BotOpsEndpoints {
  registry: Registry;
  health: () => Promise<HealthReport>;
}

export interface BotHttpOptions {
  /** 0 = a free port. */
  port: number;
  /** Interface to listen on; every interface when unset. */
  host?: string;
  logger: Logger;
  /** /livez, /healthz and /metrics on this listener too (when they have no port of their own). */
  ops?: BotOpsEndpoints;
  webhook?: { path: string; handle: (request: HttpRequest) => Promise<unknown> };
  /** Further endpoints (e.g. FACEIT's webhook): each answers and resolves true, or resolves false to pass. */
  routes?: Array<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>;
  limits?: Partial<HttpLimits>;
}

export interface BotHttpServer {
  port: number;
  close(): Promise<void>;
}

const OPS_PATHS = new Set(['/livez', '/healthz', '/metrics']);
const startedAt = Date.now();

/** Answers the ops endpoints; resolves false for any other path. */
async function serveOps(ops: BotOpsEndpoints, request: HttpRequest): Promise<boolean> {
  const { res, method, path } = request;
  if (!OPS_PATHS.has(path)) return false;
  if (method !== 'GET') return (sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET' }), true);
  if (path === '/livez') {
    // Liveness only: the event loop answers. Docker's health check polls this; readiness is /healthz.
    sendJson(res, 200, { ok: true, uptimeS: Math.round((Date.now() - startedAt) / 1000) });
  } else if (path === '/healthz') {
    const report = await ops.health();
    sendJson(res, report.ok ? 200 : 503, report);
  } else {
    // The bot's own registry and the process-wide one (the FACEIT client's counters, the budget gauge,
    // telegram_delivery_uncertain_total of the bot's progress replies).
    const registry =
      ops.registry === defaultRegistry ? defaultRegistry : Registry.merge([ops.registry, defaultRegistry]);
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': ops.registry.contentType });
    res.end(text);
  }
  return true;
}

export async function startBotHttpServer(options: BotHttpOptions): Promise<BotHttpServer> {
  const { webhook } = options;
  return startHttpServer({
    name: 'bot',
    port: options.port,
    host: options.host,
    logger: options.logger,
    limits: options.limits,
    handle: async (request) => {
      const { req, res, method, path } = request;
      if (webhook && path === webhook.path) {
        if (method === 'POST') return void (await webhook.handle(request));
        return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
      }
      for (const route of options.routes ?? []) if (await route(req, res)) return;
      if (options.ops && (await serveOps(options.ops, request))) return;
      sendJson(res, 404, { error: 'not found' });
    },
  });
}

/** The ops endpoints on a listener of their own (BOT_OPS_PORT on OPS_HOST). */
export async function startBotOpsServer(options: {
  port: number;
  host?: string;
  logger: Logger;
  ops: BotOpsEndpoints;
  limits?: Partial<HttpLimits>;
}): Promise<BotHttpServer> {
  return startHttpServer({
    name: 'bot-ops',
    port: options.port,
    host: options.host,
    logger: options.logger,
    limits: options.limits,
    handle: async (request) => {
      if (!(await serveOps(options.ops, request))) sendJson(request.res, 404, { error: 'not found' });
    },
  });
}
