#!/usr/bin/env node
// Runs the extension-host test suite (out/test/host/index.js) in a real VS Code and exits with its result.
//
// - Where VS Code can be downloaded (CHROMA_EXPLORER_VSCODE=electron): @vscode/test-electron downloads VS Code
//   and runs the suite in its extension host.
// - Otherwise (the default, and what CI here uses): code-server 4.100.3 (VS Code 1.100's server and web workbench)
//   from the npm registry, installed into a cache folder by scripts/install-code-server.sh, with the workbench
//   opened in headless Debian chromium through playwright-core. The workbench takes the same launch arguments as
//   desktop VS Code (extensionDevelopmentPath, extensionTestsPath), runs the suite in its real Node extension host,
//   and reports the extension host's console and the suite's exit code back to this script.
//
// Either way the same run() of the same suite runs. Mocha's report is streamed here as it happens.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TESTS_ENTRY = join(ROOT, 'out', 'test', 'host', 'index.js');
const WORKSPACE_FIXTURE = join(ROOT, 'test', 'fixtures', 'workspace');
const ARTIFACTS = join(ROOT, '.test-artifacts');
const CODE_SERVER_VERSION = '4.100.3';
const TOOLS = process.env.CHROMA_EXPLORER_TOOLS || join(homedir(), '.cache', 'chroma-explorer-tools');
const SUITE_TIMEOUT_MS = Number(process.env.CHROMA_EXPLORER_HOST_TIMEOUT_MS || 30 * 60_000);

function fail(message) {
  console.error(`run-host-tests: ${message}`);
  process.exit(1);
}

for (const [file, how] of [
  [join(ROOT, 'dist', 'extension.js'), 'npm run build'],
  [TESTS_ENTRY, 'npm run compile-tests'],
]) {
  if (!existsSync(file)) fail(`${file} is missing: run ${how} first.`);
}

/** A fresh copy of the fixture workspace, so tests may write into it. */
function makeWorkspace() {
  const ws = mkdtempSync(join(tmpdir(), 'chroma-explorer-ws-'));
  if (existsSync(WORKSPACE_FIXTURE)) cpSync(WORKSPACE_FIXTURE, ws, { recursive: true });
  return ws;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function runWithElectron() {
  const { runTests } = await import('@vscode/test-electron');
  const workspace = makeWorkspace();
  try {
    return await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: TESTS_ENTRY,
      // The suite writes ~/.chroma/credentials: give it a scratch home, never the user's.
      extensionTestsEnv: { HOME: mkdtempSync(join(tmpdir(), 'chroma-explorer-home-')) },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
  } catch (e) {
    console.error(`run-host-tests: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
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

/** Lines of the workbench's own log that are the closed network, not a failure. */
const NOISE = /open-vsx\.org|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|marketplace|update\.code\.visualstudio|vscode-unpkg|Failed to load resource|\[UriError\]|Ignoring the error while validating workspace folder|^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions|\[Service Worker\]|ChatSessionStore)/i;

async function runWithCodeServer() {
  const install = spawnSync('bash', [join(ROOT, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
  if (install.status !== 0) fail('installing code-server failed (see above).');
  const entry = join(TOOLS, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) fail(`code-server is not at ${entry}.`);
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium)) fail(`chromium is not at ${chromium}: apt-get install chromium (or set CHROMIUM_PATH).`);

  mkdirSync(ARTIFACTS, { recursive: true });
  const logFile = createWriteStream(join(ARTIFACTS, 'host-tests.log'));
  const scratch = mkdtempSync(join(tmpdir(), 'chroma-explorer-vscode-'));
  const userData = join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'workbench.enableExperiments': false,
        'git.openRepositoryInParentFolders': 'never',
      },
      null,
      2,
    ),
  );
  const workspace = makeWorkspace();
  // The extension host inherits code-server's environment: a scratch HOME keeps the suite (which writes
  // ~/.chroma/credentials) away from the user's own files.
  const home = join(scratch, 'home');
  mkdirSync(home, { recursive: true });
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userData,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home } },
  );
  server.stdout.on('data', (d) => logFile.write(`[code-server] ${d}`));
  server.stderr.on('data', (d) => logFile.write(`[code-server] ${d}`));

  let browser;
  let exitCode = 1;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 180_000);
    const { chromium: pw } = await import('playwright-core');
    browser = await pw.launch({
      executablePath: chromium,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let settle;
    const finished = new Promise((r) => (settle = r));
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = formatLogMessage(message);
      logFile.write(`[${level}] ${text}\n`);
      if (NOISE.test(text)) return;
      // The extension host's console (mocha's report) arrives as log lines; print them as they come.
      process.stdout.write(`${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    page.on('pageerror', (err) => logFile.write(`[pageerror] ${err.message}\n`));
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(TESTS_ENTRY)],
    ];
    const url =
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer;
    const timeout = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), SUITE_TIMEOUT_MS);
    });
    const result = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      await page.screenshot({ path: join(ARTIFACTS, 'host-tests-timeout.png') }).catch(() => undefined);
      console.error(`run-host-tests: the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s.`);
      exitCode = 1;
    } else {
      exitCode = result;
    }
  } catch (e) {
    console.error(`run-host-tests: ${e instanceof Error ? e.message : String(e)}`);
    exitCode = 1;
  } finally {
    await browser?.close().catch(() => undefined);
    server.kill('SIGTERM');
    await new Promise((r) => {
      if (server.exitCode !== null) return r();
      const t = setTimeout(() => server.kill('SIGKILL'), 5000);
      server.once('exit', () => (clearTimeout(t), r()));
    });
    logFile.end();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
  return exitCode;
}

const mode = process.env.CHROMA_EXPLORER_VSCODE || 'code-server';
if (mode !== 'electron' && mode !== 'code-server') fail(`CHROMA_EXPLORER_VSCODE must be electron or code-server, not ${mode}.`);
console.log(`run-host-tests: running the extension-host suite in ${mode === 'electron' ? 'VS Code (test-electron)' : `code-server ${CODE_SERVER_VERSION}`}`);
const code = mode === 'electron' ? await runWithElectron() : await runWithCodeServer();
console.log(`run-host-tests: suite exited with ${code}`);
process.exit(code);
