/**
 * nginx (Debian's) in front of a real Chroma server, checking a token the way deployments of the open-source
 * server do: `x-chroma-token: T` or `Authorization: Bearer T`, else 401. Config, logs and temp files live in a
 * temp dir; stop() ends the process it started.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './chromaServer';

function nginxBinary(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) {
    if (existsSync(p)) {
      return p;
    }
  }
  throw new Error('nginx is not installed: apt-get install nginx (scripts/setup.sh does).');
}

export class NginxTokenProxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(upstreamUrl: string, token: string): Promise<NginxTokenProxy> {
    const dir = mkdtempSync(join(tmpdir(), 'chroma-explorer-nginx-'));
    const port = await freePort();
    const upstream = new URL(upstreamUrl);
    const q = (s: string) => s.replace(/["\\$]/g, '');
    const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 128; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 64m;
  server {
    listen 127.0.0.1:${port};
    location / {
      set $authorized 0;
      if ($http_x_chroma_token = "${q(token)}") { set $authorized 1; }
      if ($http_authorization = "Bearer ${q(token)}") { set $authorized 1; }
      if ($authorized = 0) {
        add_header Content-Type application/json always;
        return 401 '{"error":"Unauthorized","message":"missing or wrong token"}';
      }
      proxy_set_header X-Chroma-Token "";
      proxy_set_header Authorization "";
      proxy_pass http://${upstream.hostname}:${upstream.port};
    }
  }
}
`;
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const child = spawn(nginxBinary(), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
      }
      try {
        await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
        break;
      } catch {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`nginx did not listen on ${port}: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return new NginxTokenProxy(child, dir, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGQUIT');
      const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
