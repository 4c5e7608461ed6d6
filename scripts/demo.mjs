#!/usr/bin/env node
// `npm run demo`: the extension against a local Chroma server with sample data, in a real VS Code.
//
// 1. Installs what is missing (scripts/setup.sh), builds the extension and the helpers.
// 2. Starts Chroma (`chroma run` from the npm chromadb package) on port 8000, data in .demo/chroma-data, and
//    fills it with sample collections (idempotent).
// 3. Starts code-server (VS Code 1.100 in the browser) on port 8080 with the extension loaded from this folder,
//    and prints the address to open. Ctrl+C stops both.
//
// Options: --chroma-port N, --port N (code-server), --screenshot FILE (open the workbench headless in chromium,
// save a screenshot, and exit), --no-vscode (only the server and its data, e.g. for desktop VS Code's F5).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const screenshot = opt('--screenshot');
const withVscode = !args.includes('--no-vscode');

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: ${cmd} ${cmdArgs.join(' ')} failed`);
    process.exit(1);
  }
}

function portFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

async function pickPort(preferred) {
  if (await portFree(preferred)) return preferred;
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  console.log(`demo: port ${preferred} is taken, using ${port}`);
  return port;
}

run('bash', ['scripts/setup.sh']);
run('npm', ['run', '--silent', 'build']);
run('npm', ['run', '--silent', 'compile-tests']);

const { ChromaServer } = require(join(ROOT, 'out/test/support/chromaServer.js'));
const { seedSampleData } = require(join(ROOT, 'out/test/support/sampleData.js'));
const { ChromaClient } = require(join(ROOT, 'out/src/chroma/index.js'));

const dataDir = join(ROOT, '.demo', 'chroma-data');
mkdirSync(dataDir, { recursive: true });
const chromaPort = await pickPort(Number(opt('--chroma-port', 8000)));
const chroma = await ChromaServer.start({ path: dataDir, port: chromaPort });
const client = new ChromaClient({ url: chroma.url });
const made = await seedSampleData(client);
console.log(`demo: Chroma ${await client.version()} at http://localhost:${chromaPort} (data in .demo/chroma-data)`);
console.log(`demo: sample collections: ${made.join(', ')}`);

let codeServer;
let browser;
async function shutdown(code) {
  await browser?.close().catch(() => undefined);
  codeServer?.kill('SIGTERM');
  await chroma.pause();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

if (!withVscode) {
  console.log('demo: Chroma is running; press Ctrl+C to stop it.');
} else {
  const tools = process.env.CHROMA_EXPLORER_TOOLS || join(homedir(), '.cache', 'chroma-explorer-tools');
  const entry = join(tools, 'code-server-4.100.3', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const home = join(ROOT, '.demo', 'vscode');
  const workspace = join(ROOT, '.demo', 'workspace');
  mkdirSync(join(home, 'user-data', 'User'), { recursive: true });
  mkdirSync(join(home, 'extensions'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  // The demo's VS Code has its own user settings: a connection to the demo server (no token needed).
  const settingsFile = join(home, 'user-data', 'User', 'settings.json');
  let settings = {};
  try {
    settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  } catch {
    // first run
  }
  const demoConnection = { name: `demo (localhost:${chromaPort})`, url: `http://localhost:${chromaPort}` };
  const others = (settings['chroma.connections'] ?? []).filter((c) => !String(c.name).startsWith('demo ('));
  settings = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'git.openRepositoryInParentFolders': 'never',
    ...settings,
    'chroma.connections': [demoConnection, ...others],
  };
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  if (!existsSync(join(workspace, 'notes.md'))) {
    writeFileSync(join(workspace, 'notes.md'), '# Notes\n\nChroma stores embeddings next to documents and metadata.\n');
  }
  const port = await pickPort(Number(opt('--port', 8080)));
  codeServer = spawn(
    process.execPath,
    [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', join(home, 'user-data'),
      '--extensions-dir', join(home, 'extensions'), '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', workspace],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const payload = encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]]));
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${payload}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (screenshot) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForTimeout(3000);
    // Open the Chroma view and expand connection → database → collection → records, as a user would.
    await page.locator('.activitybar [aria-label^="Chroma"]').first().click();
    const row = (text) => page.locator('.monaco-list-row', { hasText: text }).first();
    for (const text of [demoConnection.name, 'default_database', 'chroma-facts']) {
      await row(text).waitFor({ timeout: 30_000 });
      await row(text).click();
      await page.waitForTimeout(1200);
    }
    await row('fact-0003').click();
    await page.waitForTimeout(2500);
    await page.screenshot({ path: resolve(screenshot) });
    console.log(`demo: screenshot saved to ${screenshot}`);
    await shutdown(0);
  } else {
    console.log(`demo: open ${url}`);
    console.log('demo: (VS Code in the browser, with Chroma Explorer loaded from this folder). Ctrl+C stops everything.');
  }
}
