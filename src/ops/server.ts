import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { register as defaultRegistry, type Registry } from 'prom-client';

export type HealthCheck = () => Promise<unknown>;

/**
 * The operations endpoints of a process: `/healthz` (every check must pass within its timeout; 503 otherwise,
 * with each check's result) and `/metrics` (Prometheus text from prom-client).
 */
export async function startOpsServer(options: {
  port: number;
  logger: Logger;
  checks: Record<string, HealthCheck>;
  registry?: Registry;
  checkTimeoutMs?: number;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const registry = options.registry ?? defaultRegistry;
  const timeoutMs = options.checkTimeoutMs ?? 5000;
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/healthz') {
        const results = await runChecks(options.checks, timeoutMs);
        const ok = Object.values(results).every((r) => r.ok);
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok, checks: results }));
      } else if (req.method === 'GET' && req.url === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(await registry.metrics());
      } else {
        res.writeHead(404).end();
      }
    })().catch((err: unknown) => {
      options.logger.error({ err }, 'ops endpoint failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, resolve));
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'ops endpoints: /healthz, /metrics');
  return { server, port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

type CheckResult = { ok: boolean; ms: number; error?: string };

async function runChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs: number,
): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        });
        await Promise.race([check(), timeout]);
        return [name, { ok: true, ms: Date.now() - started }] satisfies [string, CheckResult];
      } catch (err) {
        return [name, { ok: false, ms: Date.now() - started, error: String(err) }] satisfies [
          string,
          CheckResult,
        ];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}
