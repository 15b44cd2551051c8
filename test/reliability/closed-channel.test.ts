import { createServer, type Server, type Socket } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { temporalInterceptors } from '../../src/temporal/client';

/**
 * A client closed while one of its calls waits to be retried (Temporal unreachable, the bot or a worker shutting
 * down): the call fails, and the process lives on. The SDK's retry alone would throw "Channel has been shut down"
 * from its timer, where nothing can catch it (it ended a CI run after every test had passed).
 */
describe('Temporal client closed during a retry', () => {
  let refusing: Server;
  let attempts = 0;
  let address: string;

  beforeAll(async () => {
    // Accepts and drops every connection: each call fails UNAVAILABLE, and the SDK schedules a retry.
    refusing = createServer((socket: Socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(refusing.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => refusing.close(resolve)));

  it('the waiting call fails with a clear error instead of crashing the process', async () => {
    const connection = Connection.lazy({ address, interceptors: temporalInterceptors() });
    const client = new Client({ connection });
    const call = client.workflow
      .getHandle('closed-channel-probe')
      .describe()
      .then(
        () => 'answered',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
    // The first attempt has failed and its retry is waiting on a timer: close now.
    const deadline = Date.now() + 5_000;
    while (attempts === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(attempts).toBeGreaterThan(0);
    await connection.close();
    const outcome = await Promise.race([
      call,
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 15_000)),
    ]);
    expect(outcome).not.toBe('still waiting');
    expect(outcome).not.toBe('answered');
    expect(outcome).not.toContain('Channel has been shut down');
  });

  it('a call started after the close fails too, and nothing escapes', async () => {
    const connection = Connection.lazy({ address, interceptors: temporalInterceptors() });
    const client = new Client({ connection });
    await connection.close();
    const outcome = await client.workflow
      .getHandle('closed-channel-probe')
      .describe()
      .then(
        () => 'answered',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
    expect(outcome).not.toBe('answered');
    // Give anything scheduled by the failed call a moment to run: an escaped error would fail this test.
    await new Promise((r) => setTimeout(r, 200));
  });
});
