/**
 * The reverse proxy in front of the bot replicas: Debian's nginx (installed with apt-get when missing, as
 * `npm run provision` installs redis-server), with the upstream settings docs/production.md gives operators: a
 * replica that refuses connections or times out is taken out for a few seconds and the request goes to the other one
 * (POSTs too: Telegram's webhook calls are safe to repeat because the bot dedupes by update_id).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { freePort, waitUntil } from '../../dev/services/ports';
import { spawnManaged, type ManagedProcess } from '../../dev/services/processes';

export interface Proxy {
  url: string;
  port: number;
  pid(): number;
  /** Stops nginx (SIGTERM: it closes its listeners) for `downMs`, then starts it again. */
  stopFor(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** nginx from PATH or /usr/sbin; installs Debian's nginx-light when root and missing. */
export function ensureNginx(say: (line: string) => void): string {
  const find = () => ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
  const found = find();
  if (found) return found;
  if (process.getuid?.() !== 0)
    throw new Error('nginx is not installed: run `sudo apt-get install -y nginx-light`, then start again');
  say('nginx not found: installing the Debian package nginx-light (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx-light'], {
    env,
    stdio: 'ignore',
  });
  // The package starts a system nginx on port 80: not ours, left as the package set it up.
  const installed = find();
  if (!installed) throw new Error('installed nginx-light, yet no nginx binary is there');
  return installed;
}

export function nginxConfig(o: { dir: string; port: number; upstreams: number[] }): string {
  const tmp = (name: string) => `${name}_temp_path ${join(o.dir, name)};`;
  return `# The rehearsal's reverse proxy (bench/rehearse/nginx.ts); docs/production.md shows the same upstream block.
worker_processes 1;
daemon off;
user root;
pid ${join(o.dir, 'nginx.pid')};
error_log ${join(o.dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${tmp('client_body')}
  ${tmp('proxy')}
  ${tmp('fastcgi')}
  ${tmp('uwsgi')}
  ${tmp('scgi')}
  upstream bot {
${o.upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${o.port};
    client_max_body_size 1m;
    location / {
      proxy_pass http://bot;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      # A replica that is down (refused, reset, timed out, 502/503) hands the request to the other one.
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 2;
    }
  }
}
`;
}

export async function startProxy(o: {
  bin: string;
  dir: string;
  upstreams: number[];
  logger: Logger;
}): Promise<Proxy> {
  mkdirSync(o.dir, { recursive: true });
  const port = await freePort();
  for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(join(o.dir, name), { recursive: true });
  const conf = join(o.dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ dir: o.dir, port, upstreams: o.upstreams }));
  const test = spawnSync(o.bin, ['-t', '-c', conf, '-p', o.dir], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed: ${test.stderr}`);
  let proc: ManagedProcess;
  const start = async () => {
    proc = spawnManaged('nginx', o.bin, ['-c', conf, '-p', o.dir], { logger: o.logger });
    await waitUntil(
      'nginx',
      async () => {
        // Any HTTP answer (the bots may still be starting) means nginx listens.
        await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
      },
      15_000,
    );
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: () => proc.pid,
    async stopFor(downMs) {
      await proc.stop('SIGTERM', 5_000);
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop: () => proc.stop('SIGTERM', 5_000),
  };
}
