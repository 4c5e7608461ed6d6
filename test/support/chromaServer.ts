/**
 * Starts a real Chroma server on a free port with a temp data dir, waits for its heartbeat, and stops exactly the
 * process it started. Used by the plain mocha suites, the extension-host suites, the benchmarks and the demo.
 *
 * Which server runs is chosen by `CHROMA_EXPLORER_SERVER`:
 * - `1.0.0` (default): `chroma run` from the project's npm `chromadb`, binding pinned to 1.0.1 by package.json
 *   `overrides`;
 * - `newest`: npm `chromadb` 3.5.0 with binding 1.3.4 (the core of Python chromadb 1.5.9), installed by
 *   scripts/setup-newest-chroma.sh with Debian 13's libc beside it, and run through that libc's loader because the
 *   binding needs glibc 2.38+.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir, userInfo } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

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

export type ChromaServerKind = '1.0.0' | 'newest';

const SERVER_ENV = 'CHROMA_EXPLORER_SERVER';
const BINDING = 'chromadb-js-bindings-linux-x64-gnu';

/** The server the suites run against, from `CHROMA_EXPLORER_SERVER` (default `1.0.0`). */
export function serverKindFromEnv(): ChromaServerKind {
  const value = process.env[SERVER_ENV]?.trim() || '1.0.0';
  if (value !== '1.0.0' && value !== 'newest') {
    throw new Error(`${SERVER_ENV} must be 1.0.0 or newest, not ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * The folder scripts/setup-newest-chroma.sh installs into. HOME may be a scratch home here (the extension-host
 * runner gives VS Code one), so the account's own home is tried too.
 */
function newestDir(): string {
  const candidates = [
    process.env.CHROMA_EXPLORER_TOOLS,
    join(homedir(), '.cache', 'chroma-explorer-tools'),
    join(userInfo().homedir, '.cache', 'chroma-explorer-tools'),
  ]
    .filter((d): d is string => !!d)
    .map((d) => join(d, 'chroma-newest'));
  const found = candidates.find((d) => existsSync(join(d, '.installed')));
  if (!found) {
    throw new Error(`The newest Chroma server is not installed (looked in ${candidates.join(', ')}): run bash scripts/setup.sh.`);
  }
  return found;
}

/** A real Node to run through trixie's loader: inside the extension host, process.execPath is Electron. */
function nodeBinary(): string {
  if (!process.versions.electron) {
    return process.execPath;
  }
  const found = (process.env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'node'))
    .find((p) => existsSync(p));
  if (!found) {
    throw new Error('No node on PATH to run the newest Chroma server with.');
  }
  return found;
}

function packageVersion(modules: string, name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '?';
  } catch {
    return 'missing';
  }
}

interface ServerCommand {
  command: string;
  args: string[];
  /** How long a stop waits after SIGTERM before SIGKILL. */
  graceMs: number;
}

function serverCommand(kind: ChromaServerKind, path: string, port: number): ServerCommand {
  const run = ['run', '--path', path, '--port', String(port), '--host', '127.0.0.1'];
  if (kind === '1.0.0') {
    const cli = join(PROJECT_ROOT, 'node_modules', 'chromadb', 'dist', 'cli.mjs');
    if (!existsSync(cli)) {
      throw new Error(`Chroma's CLI is missing at ${cli}: run npm ci.`);
    }
    return { command: process.execPath, args: [cli, ...run], graceMs: 5000 };
  }
  const dir = newestDir();
  const cli = join(dir, 'node_modules', 'chromadb', 'dist', 'cli.mjs');
  const libs = join(dir, 'usr', 'lib', 'x86_64-linux-gnu');
  return {
    command: join(dir, 'usr', 'lib64', 'ld-linux-x86-64.so.2'),
    args: ['--library-path', libs, nodeBinary(), cli, ...run],
    // It ignores SIGTERM (SIGINT takes 1.5 s): a short grace, then SIGKILL, instead of 5 s per stop.
    graceMs: 500,
  };
}

/** The server and its packages, for summary lines: `Chroma newest (chromadb 3.5.0, binding 1.3.4)`. */
export function describeServer(kind: ChromaServerKind = serverKindFromEnv()): string {
  let modules: string;
  try {
    modules = kind === '1.0.0' ? join(PROJECT_ROOT, 'node_modules') : join(newestDir(), 'node_modules');
  } catch {
    return `Chroma ${kind} (not installed)`;
  }
  return `Chroma ${kind} (chromadb ${packageVersion(modules, 'chromadb')}, binding ${packageVersion(modules, BINDING)})`;
}

export interface ChromaServerOptions {
  /** Data directory; a fresh temp dir by default (removed on stop). */
  path?: string;
  port?: number;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** How long to wait for the heartbeat, in ms (default 60 s). */
  startTimeoutMs?: number;
  /** Which server; `CHROMA_EXPLORER_SERVER` by default. */
  kind?: ChromaServerKind;
}

export class ChromaServer {
  /** The kinds of server this process has started, so a summary line can name them. */
  static readonly started = new Set<ChromaServerKind>();
  private child?: ChildProcess;
  private output = '';
  private graceMs = 5000;
  private constructor(
    readonly port: number,
    readonly path: string,
    private readonly ownsPath: boolean,
    private readonly env: Record<string, string>,
    private readonly startTimeoutMs: number,
    readonly kind: ChromaServerKind,
  ) {}

  static async start(opts: ChromaServerOptions = {}): Promise<ChromaServer> {
    const port = opts.port ?? (await freePort());
    const path = opts.path ?? mkdtempSync(join(tmpdir(), 'chroma-explorer-test-'));
    const kind = opts.kind ?? serverKindFromEnv();
    const server = new ChromaServer(port, path, !opts.path, opts.env ?? {}, opts.startTimeoutMs ?? 60_000, kind);
    ChromaServer.started.add(kind);
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
    const { command, args, graceMs } = serverCommand(this.kind, this.path, this.port);
    this.graceMs = graceMs;
    // Inside Electron's extension host, process.execPath is Electron: make it behave as Node.
    const env: NodeJS.ProcessEnv = { ...process.env, ANONYMIZED_TELEMETRY: 'False', ...this.env };
    if (process.versions.electron) {
      env.ELECTRON_RUN_AS_NODE = '1';
    }
    this.output = '';
    const child = spawn(command, args, {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), this.graceMs);
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
