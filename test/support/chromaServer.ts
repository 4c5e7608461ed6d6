/**
 * Starts a real Chroma server (`chroma run` from the npm `chromadb` package, binding pinned to 1.0.1 through
 * package.json `overrides`) on a free port with a temp data dir, waits for its heartbeat, and stops exactly the
 * process it started. Used by the plain mocha suites, the extension-host suites, the benchmarks and the demo.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The project root, from out/test/support or test/support. */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) {
      throw new Error(`No package.json above ${__dirname}`);
    }
    dir = up;
  }
  return dir;
})();

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface ChromaServerOptions {
  /** Data directory; a fresh temp dir by default (removed on stop). */
  path?: string;
  port?: number;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** How long to wait for the heartbeat, in ms (default 60 s). */
  startTimeoutMs?: number;
}

export class ChromaServer {
  private child?: ChildProcess;
  private output = '';
  private constructor(
    readonly port: number,
    readonly path: string,
    private readonly ownsPath: boolean,
    private readonly env: Record<string, string>,
    private readonly startTimeoutMs: number,
  ) {}

  static async start(opts: ChromaServerOptions = {}): Promise<ChromaServer> {
    const port = opts.port ?? (await freePort());
    const path = opts.path ?? mkdtempSync(join(tmpdir(), 'chroma-explorer-test-'));
    const server = new ChromaServer(port, path, !opts.path, opts.env ?? {}, opts.startTimeoutMs ?? 60_000);
    await server.launch();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the server printed, for failure messages. */
  get log(): string {
    return this.output;
  }

  private async launch(): Promise<void> {
    const cli = join(PROJECT_ROOT, 'node_modules', 'chromadb', 'dist', 'cli.mjs');
    if (!existsSync(cli)) {
      throw new Error(`Chroma's CLI is missing at ${cli}: run npm ci.`);
    }
    // Inside Electron's extension host, process.execPath is Electron: make it behave as Node.
    const env: NodeJS.ProcessEnv = { ...process.env, ANONYMIZED_TELEMETRY: 'False', ...this.env };
    if (process.versions.electron) {
      env.ELECTRON_RUN_AS_NODE = '1';
    }
    this.output = '';
    const child = spawn(process.execPath, [cli, 'run', '--path', this.path, '--port', String(this.port)], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`chroma run exited with ${child.exitCode ?? child.signalCode} before answering:\n${this.output}`);
      }
      try {
        const res = await fetch(`${this.url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          return;
        }
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.kill();
    throw new Error(`chroma run did not answer its heartbeat within ${this.startTimeoutMs} ms:\n${this.output}`);
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) {
      return;
    }
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /**
   * SIGKILLs the server, as a crash or an OOM kill would: no shutdown, no flush. Keeps the data, so `restart` brings
   * it back on the same port and path. `chroma run` serves from this one process (the native binding runs inside
   * Node; `ps` shows no child), and it shares the test runner's process group, so the pid alone is killed.
   */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) {
      return;
    }
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the process but keeps the data, so `restart` brings the same server back on the same port. */
  async pause(): Promise<void> {
    await this.kill();
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** Stops the process and removes the temp data dir it made. */
  async stop(): Promise<void> {
    await this.kill();
    if (this.ownsPath) {
      rmSync(this.path, { recursive: true, force: true });
    }
  }
}
