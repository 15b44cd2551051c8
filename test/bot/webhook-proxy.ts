import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP reverse proxy in front of bot replicas, as nginx is in production: each connection goes to the next replica
 * in turn (Telegram opens one per delivery), and to the following one when a replica refuses the connection.
 * Steering for tests: pin the replicas it uses, or lose the answer of the next connection (the request reaches the
 * replica, its answer never reaches Telegram, as when a connection breaks on the way back).
 */
export interface TestProxy {
  url: string;
  /** The replicas (ports) connections go to from now on, tried in turn. */
  use(ports: number[]): void;
  /** The next `count` connections reach a replica, but its answer is dropped (the connection closes). */
  dropNextAnswers(count?: number): void;
  /** The replica port each connection reached, in order. */
  routed: number[];
  close(): Promise<void>;
}

export async function startProxy(ports: number[]): Promise<TestProxy> {
  let targets = [...ports];
  let turn = 0;
  let drops = 0;
  const routed: number[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    client.pause();
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const order = targets.map((_, i) => targets[(turn + i) % targets.length]);
    turn++;
    const drop = drops > 0;
    if (drop) drops--;
    const attempt = (i: number): void => {
      if (i >= order.length) return void client.destroy();
      const upstream = connect(order[i], '127.0.0.1');
      let connected = false;
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        if (connected) client.destroy();
      });
      upstream.on('error', () => {
        if (!connected) attempt(i + 1);
        upstream.destroy();
      });
      upstream.once('connect', () => {
        connected = true;
        routed.push(order[i]);
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        if (drop) upstream.once('data', () => client.destroy());
        else upstream.pipe(client);
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use(next) {
      targets = [...next];
    },
    dropNextAnswers(count = 1) {
      drops += count;
    },
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
