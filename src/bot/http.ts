/** The bot's HTTP server: /healthz, /metrics and, in webhook mode, the Telegram webhook (src/ops/http.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { register as defaultRegistry, Registry } from 'prom-client';
import { startHttpServer, sendJson, type HttpLimits, type HttpRequest } from '../ops/http';
import type { HealthReport } from './health';

export interface BotHttpOptions {
  /** 0 = a free port. */
  port: number;
  logger: Logger;
  registry: Registry;
  health: () => Promise<HealthReport>;
  webhook?: { path: string; handle: (request: HttpRequest) => Promise<unknown> };
  /** Further endpoints (e.g. FACEIT's webhook): each answers and resolves true, or resolves false to pass. */
  routes?: Array<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>;
  limits?: Partial<HttpLimits>;
}

export interface BotHttpServer {
  port: number;
  close(): Promise<void>;
}

export async function startBotHttpServer(options: BotHttpOptions): Promise<BotHttpServer> {
  const { webhook } = options;
  return startHttpServer({
    name: 'bot',
    port: options.port,
    logger: options.logger,
    limits: options.limits,
    handle: async (request) => {
      const { req, res, method, path } = request;
      if (webhook && path === webhook.path) {
        if (method === 'POST') return void (await webhook.handle(request));
        return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
      }
      for (const route of options.routes ?? []) if (await route(req, res)) return;
      if (path !== '/healthz' && path !== '/metrics') return sendJson(res, 404, { error: 'not found' });
      if (method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
      if (path === '/healthz') {
        const report = await options.health();
        return sendJson(res, report.ok ? 200 : 503, report);
      }
      // The bot's own registry and the process-wide one (the FACEIT client's counters, the budget gauge,
      // telegram_delivery_uncertain_total of the bot's progress replies).
      const registry =
        options.registry === defaultRegistry
          ? defaultRegistry
          : Registry.merge([options.registry, defaultRegistry]);
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': options.registry.contentType });
      res.end(text);
    },
  });
}
