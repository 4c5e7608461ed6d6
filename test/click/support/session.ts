/**
 * The click suite's world, started once for the whole run (mocha root hooks, see hooks.ts): a real Chroma 1.0.0
 * with the suite's data, the loopback proxy in front of it (collection counts slowed), one code-server, headless
 * chromium. Each test opens its own window on a fresh copy of the workspace (fresh workspace state: nothing
 * restored from an earlier test) with the user settings it needs, as a developer runs the extension (F5).
 */
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ChromaClient } from '../../../src/chroma';
import { ChromaServer, PROJECT_ROOT } from '../../support/chromaServer';
import { TestProxy } from '../../support/proxy';
import type { SeenRequest } from '../../support/proxy';
import { seed } from './data';
import { ClickWindow, TOAST_RECORDER } from './window';

/** What scripts/lib/workbench.mjs exports that the suite uses. */
interface CodeServer {
  home: string;
  writeSettings(settings: Record<string, unknown>): void;
  stop(): Promise<void>;
}
interface WorkbenchLib {
  QUIET_SETTINGS: Record<string, unknown>;
  NOISE: RegExp;
  startCodeServer(opts: { workspace: string; settings?: Record<string, unknown>; home?: string; log?: (line: string) => void }): Promise<CodeServer>;
  launchChromium(): Promise<Browser>;
  openWorkbench(
    browser: Browser,
    server: CodeServer,
    opts: { developmentPaths: string[]; folder: string; context?: BrowserContext; initScript?: string; onLog?: (level: string, text: string) => void },
  ): Promise<{ context: BrowserContext; page: Page }>;
}

// A real dynamic import: tsc would turn `import()` into require(), which cannot load an ES module.
const importEsm = new Function('s', 'return import(s)') as (specifier: string) => Promise<unknown>;

export const ARTIFACTS = join(PROJECT_ROOT, '.test-artifacts');
const WORKSPACE_FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'workspace');
const COUNT_PATH = /^\/api\/v2\/tenants\/[^/]+\/databases\/[^/]+\/collections\/[^/]+\/count(\?|$)/;
const TOTAL_PATH = /^\/api\/v2\/tenants\/[^/]+\/databases\/[^/]+\/collections_count(\?|$)/;

export interface ConnectionSetting {
  name: string;
  url: string;
  /** The header a token goes in (its value is in secret storage, never in settings). */
  authHeader?: string;
}

export class ClickSession {
  /** Collection count requests the proxy has seen, and how many the server has answered (after the delay). */
  counts = { requested: 0, answered: 0, lastAt: 0 };
  /** The workspace folder of the window opened last (tests write files into it and read what commands wrote). */
  folder = '';
  private totalsHeld?: Promise<void>;
  private countsHeld?: Promise<void>;
  private context?: BrowserContext;

  private constructor(
    readonly chroma: ChromaServer,
    readonly proxy: TestProxy,
    readonly client: ChromaClient,
    private readonly lib: WorkbenchLib,
    private readonly server: CodeServer,
    private readonly browser: Browser,
    private readonly scratch: string,
    readonly extension: string,
    /** The workbench's HOME (its extension host's): where Chroma's model cache is. */
    readonly home: string,
    readonly countDelayMs: number,
    readonly cpuSlowdown: number,
    private readonly log: WriteStream,
  ) {
    const started = new WeakMap<object, number>();
    const isCount = (req: SeenRequest) => req.method === 'GET' && COUNT_PATH.test(req.path);
    proxy.decide = (req) => {
      started.set(req, Date.now());
      if (isCount(req)) {
        this.counts.requested++;
        this.counts.lastAt = Date.now();
        const held = this.countsHeld;
        return held ? { action: 'hold', until: held.then(() => new Promise((r) => setTimeout(r, countDelayMs))) } : { action: 'delay', ms: countDelayMs };
      }
      if (this.totalsHeld && req.method === 'GET' && TOTAL_PATH.test(req.path)) {
        return { action: 'hold', until: this.totalsHeld };
      }
      return { action: 'pass' };
    };
    proxy.onAnswer = (req, status) => {
      if (isCount(req)) {
        this.counts.answered++;
        this.counts.lastAt = Date.now();
      }
      this.logLine(`proxy: ${req.method} ${req.path} → ${status} in ${Date.now() - (started.get(req) ?? Date.now())} ms`);
    };
  }

  static async start(): Promise<ClickSession> {
    const extension = process.env.CHROMA_EXPLORER_CLICK_EXT || PROJECT_ROOT;
    if (!existsSync(join(extension, 'dist', 'extension.js'))) {
      throw new Error(`${extension}/dist/extension.js is missing: run npm run build there first.`);
    }
    const countDelayMs = Number(process.env.CHROMA_EXPLORER_CLICK_COUNT_MS || 300);
    const cpuSlowdown = Number(process.env.CHROMA_EXPLORER_CLICK_SLOWDOWN || 6);
    mkdirSync(ARTIFACTS, { recursive: true });
    const log = createWriteStream(join(ARTIFACTS, 'click-tests.log'));
    const scratch = mkdtempSync(join(tmpdir(), 'chroma-explorer-click-'));
    const chroma = await ChromaServer.start();
    const proxy = await TestProxy.start(chroma.url);
    const client = new ChromaClient({ url: chroma.url, timeoutMs: 30_000 });
    const lib = (await importEsm(pathToFileURL(join(PROJECT_ROOT, 'scripts', 'lib', 'workbench.mjs')).href)) as WorkbenchLib;
    const home = join(scratch, 'home');
    await installTinyModel(home);
    const [, server] = await Promise.all([
      seed(client),
      lib.startCodeServer({ workspace: makeWorkspace(scratch, 'start'), settings: lib.QUIET_SETTINGS, home, log: (line) => log.write(line) }),
    ]);
    const browser = await lib.launchChromium();
    log.write(`[click] extension under test: ${extension}\n`);
    return new ClickSession(chroma, proxy, client, lib, server, browser, scratch, extension, home, countDelayMs, cpuSlowdown, log);
  }

  /** The connections of the settings: the proxy, under one or two names (the second by another host name). */
  connections(n: 1 | 2): ConnectionSetting[] {
    const url = new URL(this.proxy.url);
    const all = [
      { name: 'acceptance', url: `http://127.0.0.1:${url.port}` },
      { name: 'second', url: `http://localhost:${url.port}` },
    ];
    return all.slice(0, n);
  }

  /**
   * Opens a new workbench window with these connections (and any other `settings`) in the user settings, on a fresh
   * copy of the workspace.
   */
  async open(
    title: string,
    connections: ConnectionSetting[],
    settings: Record<string, unknown> = {},
    prepare?: (workspace: string) => Promise<void>,
  ): Promise<ClickWindow> {
    this.server.writeSettings({ ...this.lib.QUIET_SETTINGS, ...settings, 'chroma.connections': connections });
    const folder = makeWorkspace(this.scratch, title);
    this.folder = folder;
    await prepare?.(folder);
    this.logLine(`===== ${title} =====`);
    // One browser context for the suite: its HTTP cache serves the workbench's code to each new window.
    this.context ??= await this.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const { page } = await this.lib.openWorkbench(this.browser, this.server, {
      developmentPaths: [this.extension],
      folder,
      context: this.context,
      initScript: TOAST_RECORDER,
      onLog: (level, text) => {
        if (!this.lib.NOISE.test(text)) {
          this.log.write(`[${level}] ${text}\n`);
        }
      },
    });
    return new ClickWindow(page, (text) => this.logLine(text));
  }

  /**
   * Replaces the user settings while a window is open, as a person editing settings.json does: the window reads them
   * again (its file watcher).
   */
  rewriteSettings(connections: ConnectionSetting[], settings: Record<string, unknown> = {}): void {
    this.server.writeSettings({ ...this.lib.QUIET_SETTINGS, ...settings, 'chroma.connections': connections });
  }

  logLine(text: string): void {
    this.log.write(`[click ${new Date().toISOString().slice(11, 23)}] ${text}\n`);
  }

  /** Counts the proxy has not answered yet. */
  get countsPending(): number {
    return this.counts.requested - this.counts.answered;
  }

  /** No count asked for or answered in the last `quietMs`, and none pending. */
  countsQuiet(quietMs = 1_000): boolean {
    return this.countsPending === 0 && Date.now() - this.counts.lastAt >= quietMs;
  }

  /**
   * Holds the server's answers to "how many collections" (collections_count, slow on large databases) until the
   * returned function is called: the test decides when the total arrives.
   */
  holdTotals(): () => void {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    this.totalsHeld = held;
    return () => {
      if (this.totalsHeld === held) {
        this.totalsHeld = undefined;
      }
      release();
    };
  }

  /**
   * Holds the answers to collection counts until the returned function is called (then each comes after its usual
   * delay): the test decides that counts are still unanswered when the user clicks.
   */
  holdCounts(): () => void {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    this.countsHeld = held;
    return () => {
      if (this.countsHeld === held) {
        this.countsHeld = undefined;
      }
      release();
    };
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop().catch(() => undefined);
    await this.proxy.stop().catch(() => undefined);
    await this.chroma.stop().catch(() => undefined);
    this.log.end();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** A fresh copy of the fixture workspace plus a Markdown file to add. */
function makeWorkspace(scratch: string, title: string): string {
  const dir = mkdtempSync(join(scratch, `ws-${title.replace(/[^\w-]+/g, '-').slice(0, 40)}-`));
  cpSync(WORKSPACE_FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'guide.md'), GUIDE);
  return dir;
}

export const GUIDE = Array.from(
  { length: 6 },
  (_, i) => `## Step ${i + 1}\n\n${'Chroma keeps the embeddings of these notes in a collection, next to their text. '.repeat(12)}\n`,
).join('\n');

/** Chroma's default model, as the tiny test model, where the extension looks for it under the workbench's HOME. */
export function modelDir(home: string): string {
  return join(home, '.cache', 'chroma', 'onnx_models', 'all-MiniLM-L6-v2');
}

async function installTinyModel(home: string): Promise<void> {
  const dir = modelDir(home);
  mkdirSync(dir, { recursive: true });
  const tar = await import('tar');
  await tar.x({ file: join(PROJECT_ROOT, 'test', 'fixtures', 'tiny-model', 'onnx.tar.gz'), cwd: dir });
}
