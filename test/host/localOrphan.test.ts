/**
 * No local Chroma outlives its window (issue 21 §3). This suite runs in one VS Code; it opens a second one (its own
 * code-server and headless chromium page, the same way scripts/run-host-tests.mjs runs this suite) on a workspace
 * with a data folder, whose extension host opens the folder through the extension's command (localWindow.ts). Then
 * it ends that window as the harness ends its own: the page is closed, then its code-server is stopped (SIGTERM,
 * SIGKILL after 5 s), and with it the extension host. Afterwards no process of that folder may be left. Only
 * processes whose command line names this test's own folder are looked at (other engineers' servers run too).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import { ChromaServer, PROJECT_ROOT } from '../support/chromaServer';
import { until } from './support';
import { processesOf } from '../support/processes';

interface CodeServer {
  url(args: Array<[string, string]>): string;
  stop(): Promise<void>;
}
interface WorkbenchLib {
  QUIET_SETTINGS: Record<string, unknown>;
  startCodeServer(opts: { workspace: string; settings?: Record<string, unknown>; env?: Record<string, string | undefined>; log?: (line: string) => void }): Promise<CodeServer>;
  launchChromium(): Promise<Browser>;
}

// A real dynamic import: tsc would turn `import()` into require(), which cannot load an ES module.
const importEsm = new Function('s', 'return import(s)') as (specifier: string) => Promise<unknown>;


/**
 * The workbench library, with code-server from the tools cache this suite's own code-server runs from (this
 * extension host's HOME is a scratch folder, so the default cache under HOME would be empty).
 */
async function workbenchLib(): Promise<WorkbenchLib> {
  const appRoot = vscode.env.appRoot; // TOOLS/code-server-4.100.3/node_modules/code-server/lib/vscode
  if (!process.env.CHROMA_EXPLORER_TOOLS && /[/\\]code-server-[\d.]+[/\\]node_modules[/\\]code-server[/\\]lib[/\\]vscode$/.test(appRoot)) {
    process.env.CHROMA_EXPLORER_TOOLS = resolve(appRoot, '..', '..', '..', '..', '..');
  }
  return (await importEsm(pathToFileURL(join(PROJECT_ROOT, 'scripts', 'lib', 'workbench.mjs')).href)) as WorkbenchLib;
}

/** This extension host's VS Code and code-server variables would make the second code-server a child or client of the first. */
function cleanEnv(): Record<string, undefined> {
  const env: Record<string, undefined> = {};
  for (const key of Object.keys(process.env)) {
    if (/^(VSCODE_|ELECTRON_|CODE_SERVER_)/.test(key)) {
      env[key] = undefined;
    }
  }
  return env;
}

describe('local Chroma: no server outlives its window', () => {
  let ws = '';
  let browser: Browser | undefined;
  let server: CodeServer | undefined;

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    if (ws) {
      for (const pid of processesOf(join(ws, 'data'))) {
        process.kill(pid, 'SIGKILL'); // only a failed test leaves one; never another folder's
      }
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it("a data folder's server started by a second window is gone once that window and its code-server end", async function () {
    this.timeout(300_000);
    ws = realpathSync(mkdtempSync(join(tmpdir(), 'chroma-explorer-orphan-')));
    const data = join(ws, 'data');
    mkdirSync(data);
    const writer = await ChromaServer.start({ path: data, kind: '1.0.0' });
    try {
      await new ChromaClient({ url: writer.url }).createCollection({ name: 'orphan-check' });
    } finally {
      await writer.stop();
    }
    assert.deepEqual(processesOf(data), [], 'the folder is free before the window opens it');
    mkdirSync(join(ws, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'chroma'), join(ws, 'node_modules', '.bin', 'chroma'));

    const lib = await workbenchLib();
    const log: string[] = [];
    server = await lib.startCodeServer({ workspace: ws, settings: lib.QUIET_SETTINGS, env: cleanEnv(), log: (line) => log.push(line) }).catch((e: Error) => {
      throw new Error(`${e.message}\n${log.slice(-20).join('')}`);
    });
    browser = await lib.launchChromium();
    const page: Page = await browser.newPage();
    let ready: number | undefined;
    let failed: string | undefined;
    await page.exposeFunction('codeAutomationLog', (_level: string, message: unknown) => {
      const text = Array.isArray(message) ? message.join(' ') : String(message);
      log.push(text);
      const m = /(?:^|")(ready (\d+)|failed (.*))/.exec(text);
      if (m?.[2]) {
        ready = Number(m[2]);
      } else if (m?.[3]) {
        failed = m[3];
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      failed ??= `the second window's tests module ended with ${code}`;
    });
    await page.goto(
      server.url([
        ['extensionDevelopmentPath', PROJECT_ROOT],
        ['extensionTestsPath', join(PROJECT_ROOT, 'out', 'test', 'host', 'localWindow.js')],
      ]),
    );
    await until(() => ready ?? failed, 'the second window to open ./data', 180_000);
    assert.equal(failed, undefined, `the second window could not open ./data: ${failed}\n${log.slice(-20).join('\n')}`);
    const running = processesOf(data);
    assert.ok(ready !== undefined && running.includes(ready), `its server (pid ${ready}) runs on the folder, found ${running.join(', ')}`);

    // The window closes, then its code-server stops: the extension host ends.
    await page.close();
    await server.stop();
    server = undefined;
    await until(() => processesOf(data).length === 0, `no process of ${data} (left: ${processesOf(data).join(', ')})`, 20_000);
  });
});
