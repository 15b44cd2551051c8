import { Counter, Registry } from 'prom-client';
import { startOpsServer } from '../../src/ops/server';
import { testLogger } from '../harness';

describe('ops endpoints', () => {
  it('answers /healthz with every check, 503 when one fails, and /metrics in Prometheus text', async () => {
    const registry = new Registry();
    new Counter({ name: 'faceit_upstream_calls_total', help: 'calls', registers: [registry] }).inc(3);
    let redisUp = true;
    const ops = await startOpsServer({
      port: 0,
      logger: testLogger,
      registry,
      checkTimeoutMs: 300,
      checks: {
        database: async () => undefined,
        redis: async () => {
          if (!redisUp) throw new Error('connection refused');
        },
        temporal: () => new Promise((resolve) => setTimeout(resolve, 10)),
      },
    });
    try {
      const url = `http://127.0.0.1:${ops.port}`;
      const healthy = await fetch(`${url}/healthz`);
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({
        ok: true,
        checks: { database: { ok: true }, redis: { ok: true } },
      });

      redisUp = false;
      const sick = await fetch(`${url}/healthz`);
      expect(sick.status).toBe(503);
      expect(await sick.json()).toMatchObject({
        ok: false,
        checks: { redis: { ok: false, error: 'Error: connection refused' } },
      });

      const metrics = await fetch(`${url}/metrics`);
      expect(await metrics.text()).toContain('faceit_upstream_calls_total 3');
      expect((await fetch(`${url}/nope`)).status).toBe(404);
    } finally {
      await ops.close();
    }
  });
});
