/**
 * The bot's operations endpoints can live on a private interface of their own (BOT_OPS_PORT + OPS_HOST), apart
 * from the public webhook port, and the liveness probe compose runs every 10 s is cheap: /livez starts no workflow,
 * while /healthz (readiness) runs the real checks, a health-check workflow included.
 */
import { freePort } from '../../dev/services/ports';
import { startBotWorld, type BotWorld } from '../bot/harness';

jest.setTimeout(120_000);

const PRIVATE_HOST = '127.0.0.2';

describe('the bot ops listener', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await startBotWorld({ env: { BOT_OPS_PORT: String(await freePort()), OPS_HOST: PRIVATE_HOST } });
  });
  afterAll(() => w?.stop());

  const healthWorkflows = async () => {
    let n = 0;
    for await (const _ of w.client.workflow.list({ query: `WorkflowType = 'healthCheckWorkflow'` })) n++;
    return n;
  };

  it('serves /livez, /healthz and /metrics only on the private interface, none on the public port', async () => {
    const { opsPort, httpPort } = w.bot!;
    expect(opsPort).not.toBe(httpPort);
    expect((await fetch(`http://${PRIVATE_HOST}:${opsPort}/livez`)).status).toBe(200);
    expect((await fetch(`http://${PRIVATE_HOST}:${opsPort}/metrics`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${opsPort}/livez`)).rejects.toThrow();
    for (const path of ['/livez', '/healthz', '/metrics'])
      expect({ path, status: (await fetch(`http://127.0.0.1:${httpPort}${path}`)).status }).toEqual({
        path,
        status: 404,
      });
  });

  it('answers /livez without starting a workflow; /healthz runs the checks', async () => {
    const { opsPort } = w.bot!;
    const before = await healthWorkflows();
    for (let i = 0; i < 20; i++)
      expect((await fetch(`http://${PRIVATE_HOST}:${opsPort}/livez`)).status).toBe(200);
    // Visibility lags a little: what 20 probes started would show within a second and a half.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await healthWorkflows()).toBe(before);
    expect((await fetch(`http://${PRIVATE_HOST}:${opsPort}/healthz`)).status).toBe(200);
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = await healthWorkflows();
    }
    // One health-check workflow per queue tier.
    expect(after).toBeGreaterThan(before);
  });
});
