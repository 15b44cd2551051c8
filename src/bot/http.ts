/** The bot's HTTP server: /healthz, /metrics and, in webhook mode, the Telegram webhook. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { HealthReport } from './health';

export interface BotHttpOptions {
  /** 0 = a free port. */
  port: number;
  logger: Logger;
  registry: Registry;
  health: () => Promise<HealthReport>;
  webhook?: { path: string; handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown> };
  /** Further endpoints (e.g. FACEIT's webhook): each answers and resolves true, or resolves false to pass. */
  routes?: Array<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>;
}

export interface BotHttpServer {
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

export async function startBotHttpServer(options: BotHttpOptions): Promise<BotHttpServer> {
  const { logger, webhook } = options;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bot').pathname;
    const work = async () => {
      if (webhook && path === webhook.path && req.method === 'POST') return webhook.handle(req, res);
      for (const route of options.routes ?? []) if (await route(req, res)) return;
      if (req.method !== 'GET') return send(res, 405, '{"error":"method not allowed"}');
      if (path === '/healthz') {
        const report = await options.health();
        return send(res, report.ok ? 200 : 503, JSON.stringify(report));
      }
      if (path === '/metrics')
        return send(res, 200, await options.registry.metrics(), options.registry.contentType);
      return send(res, 404, '{"error":"not found"}');
    };
    work().catch((err: unknown) => {
      logger.error({ err, path }, 'bot HTTP request failed');
      if (!res.headersSent) send(res, 500, '{"error":"internal error"}');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
