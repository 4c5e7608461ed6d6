// A real VS Code for scripts: code-server 4.100.3 (VS Code 1.100's server and web workbench, from the npm
// registry) and headless Debian chromium driven by playwright-core. Used by the host-test runner, the activation
// benchmark and the demo, so the way VS Code is started is written once.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
const TOOLS = process.env.CHROMA_EXPLORER_TOOLS || join(homedir(), '.cache', 'chroma-explorer-tools');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Settings that keep a scratch VS Code quiet and offline. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Lines of the workbench's own log that are the closed network, not a failure. */
export const NOISE =
  /open-vsx\.org|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|marketplace|update\.code\.visualstudio|vscode-unpkg|Failed to load resource|\[UriError\]|Ignoring the error while validating workspace folder|^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions|\[Service Worker\]|ChatSessionStore)/i;

export function freePort(preferred = 0) {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', (e) => (preferred ? freePort(0).then(res, rej) : rej(e)));
    srv.listen(preferred, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Installs code-server into the tools cache (idempotent) and returns its entry script. */
export function installCodeServer() {
  const install = spawnSync('bash', [join(ROOT, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error('installing code-server failed (see above)');
  const entry = join(TOOLS, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server is not at ${entry}`);
  return entry;
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} while starting`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Starts code-server on a folder. `home`/`userData`/`extensionsDir` default to a scratch folder removed by stop();
 * `settings` are written as the user settings; `vsix` files are installed first; `env` reaches the extension host.
 */
export async function startCodeServer(opts) {
  const entry = installCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'chroma-explorer-vscode-'));
  const userData = opts.userData ?? join(scratch, 'user-data');
  const extensionsDir = opts.extensionsDir ?? join(scratch, 'extensions');
  const home = opts.home ?? join(scratch, 'home');
  for (const d of [join(userData, 'User'), extensionsDir, home]) mkdirSync(d, { recursive: true });
  if (opts.settings) writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(opts.settings, null, 2));
  const env = { ...process.env, HOME: home, ...opts.env };
  const base = [entry, '--user-data-dir', userData, '--extensions-dir', extensionsDir];
  for (const vsix of opts.vsix ?? []) {
    const r = spawnSync(process.execPath, [...base, '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`installing ${vsix} failed: ${r.stderr || r.stdout}`);
  }
  const port = await freePort(opts.port ?? 0);
  const child = spawn(
    process.execPath,
    [...base, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', opts.workspace],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  child.stdout.on('data', (d) => opts.log?.(`[code-server] ${d}`));
  child.stderr.on('data', (d) => opts.log?.(`[code-server] ${d}`));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 180_000);
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  return {
    port,
    home,
    userData,
    /**
     * The workbench URL, with launch arguments (`[['extensionDevelopmentPath', path], …]`, local paths), on the
     * server's folder or another one (a fresh folder has fresh workspace state: no restored tree expansion).
     */
    url(args = [], folder = opts.workspace) {
      const payload = args.map(([k, v]) => [k, k.endsWith('Path') ? remote(v) : v]);
      return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}` +
        (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
    },
    /** Replaces the user settings; a workbench opened afterwards reads them. */
    writeSettings(settings) {
      writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => {
        if (child.exitCode !== null || child.signalCode !== null) return r();
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => (clearTimeout(t), r()));
      });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is not at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The workbench forwards console calls as an array of console.log's arguments; format them like Node does. */
function formatLogMessage(message) {
  if (Array.isArray(message)) return format(...message);
  if (typeof message !== 'string') return JSON.stringify(message);
  try {
    const args = JSON.parse(message);
    if (Array.isArray(args)) return format(...args);
  } catch {
    // a plain string
  }
  return message;
}

/**
 * Opens the workbench with extension-test launch arguments and waits for the tests module's run() to settle:
 * resolves to its exit code (0 when run() resolved), or 'timeout'. The extension host's console goes to
 * onLog(level, text, page).
 */
export async function runTestsInWorkbench(browser, server, { developmentPaths, testsPath, timeoutMs, onLog, onTimeout }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    let settle;
    const finished = new Promise((r) => (settle = r));
    await page.exposeFunction('codeAutomationLog', (level, message) => onLog?.(level, formatLogMessage(message), page));
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    page.on('pageerror', (err) => onLog?.('pageerror', err.message));
    const args = [...developmentPaths.map((p) => ['extensionDevelopmentPath', p]), ['extensionTestsPath', testsPath]];
    await page.goto(server.url(args));
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const result = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') await onTimeout?.(page);
    return result;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Opens the workbench as a developer runs the extension (F5): only `extensionDevelopmentPath`, no tests, on `folder`
 * (a fresh folder has fresh workspace state). In `context` when given (a new page there: its HTTP cache makes the
 * workbench load faster), else in a browser context of its own. `initScript` runs in the page before the workbench
 * loads; `onLog` receives the page's console, which carries the extension host's. Resolves when the workbench is
 * shown; closing the page closes the window (and its extension host).
 */
export async function openWorkbench(browser, server, { developmentPaths, folder, context, initScript, onLog, viewport = { width: 1400, height: 900 } }) {
  const ctx = context ?? (await browser.newContext({ viewport }));
  let page;
  try {
    page = await ctx.newPage();
    if (context) await page.setViewportSize(viewport);
    if (initScript) await page.addInitScript(initScript);
    page.on('console', (msg) => onLog?.(msg.type(), msg.text()));
    page.on('pageerror', (err) => onLog?.('pageerror', err.message));
    await page.goto(server.url(developmentPaths.map((p) => ['extensionDevelopmentPath', p]), folder));
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    return { context: ctx, page };
  } catch (e) {
    await (context ? page?.close() : ctx.close())?.catch(() => undefined);
    throw e;
  }
}
