import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { register as defaultRegistry, type Registry } from 'prom-client';
import { sendJson, startHttpServer, type HttpLimits } from './http';

export type HealthCheck = () => Promise<unknown>;

/**
 * The operations endpoints of a process: `/livez` (liveness: the process answers, no I/O), `/healthz` (every check
 * must pass within its timeout; 503 otherwise, with each check's result) and `/metrics` (Prometheus text from
 * prom-client). Served through src/ops/http.ts, on `host` (OPS_HOST) when given.
 */
export async function startOpsServer(options: {
  port: number;
  host?: string;
  logger: Logger;
  checks: Record<string, HealthCheck>;
  registry?: Registry;
  checkTimeoutMs?: number;
  limits?: Partial<HttpLimits>;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const registry = options.registry ?? defaultRegistry;
  const timeoutMs = options.checkTimeoutMs ?? 5000;
  const http = await startHttpServer({
    name: 'ops',
    port: options.port,
    host: options.host,
    logger: options.logger,
    limits: options.limits,
    handle: async ({ res, method, path }) => {
      if (path !== '/healthz' && path !== '/metrics' && path !== '/livez')
        return sendJson(res, 404, { error: 'not found' });
      if (method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET' });
      if (path === '/livez') return sendJson(res, 200, { ok: true });
      if (path === '/healthz') {
        const results = await runChecks(options.checks, timeoutMs);
        const ok = Object.values(results).every((r) => r.ok);
        return sendJson(res, ok ? 200 : 503, { ok, checks: results });
      }
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    },
  });
  options.logger.info({ port: http.port }, 'ops endpoints: /livez, /healthz, /metrics');
  return http;
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
