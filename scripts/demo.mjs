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
// save a screenshot, and exit), --walkthrough-images DIR (the same, for each step of the Get Started walkthrough:
// media/walkthrough), --no-vscode (only the server and its data, e.g. for desktop VS Code's F5).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { launchChromium, QUIET_SETTINGS, ROOT, startCodeServer } from './lib/workbench.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const screenshot = opt('--screenshot');
const walkthrough = opt('--walkthrough-images');
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

let server;
let browser;
async function shutdown(code) {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await chroma.pause();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

if (!withVscode) {
  console.log('demo: Chroma is running; press Ctrl+C to stop it.');
} else {
  const home = join(ROOT, '.demo', 'vscode');
  const workspace = join(ROOT, '.demo', 'workspace');
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
  settings = { ...QUIET_SETTINGS, ...settings, 'chroma.connections': [demoConnection, ...others] };
  if (!existsSync(join(workspace, 'notes.md'))) {
    writeFileSync(join(workspace, 'notes.md'), '# Notes\n\nChroma stores embeddings next to documents and metadata.\n');
  }
  server = await startCodeServer({
    workspace,
    settings,
    port: Number(opt('--port', 8080)),
    userData: join(home, 'user-data'),
    extensionsDir: join(home, 'extensions'),
    home: join(home, 'home'),
  });
  const url = server.url([['extensionDevelopmentPath', ROOT]]);
  if (screenshot || walkthrough) {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForTimeout(3000);
    if (walkthrough) {
      await walkthroughImages(page, { connection: demoConnection.name, dir: resolve(walkthrough) });
    } else {
      await openTree(page, demoConnection.name);
      await page.screenshot({ path: resolve(screenshot) });
      console.log(`demo: screenshot saved to ${screenshot}`);
    }
    await shutdown(0);
  } else {
    console.log(`demo: open ${url}`);
    console.log('demo: (VS Code in the browser, with Chroma Explorer loaded from this folder). Ctrl+C stops everything.');
  }
}

/** Opens the Chroma view and expands connection → database → collection → a record, as a user would. */
async function openTree(page, connection) {
  await page.locator('.activitybar [aria-label^="Chroma"]').first().click();
  const row = (text) => page.locator('.monaco-list-row', { hasText: text }).first();
  for (const text of [connection, 'default_database', 'chroma-facts']) {
    await row(text).waitFor({ timeout: 30_000 });
    await row(text).click();
    await page.waitForTimeout(1200);
  }
  await row('fact-0003').click();
  await page.waitForTimeout(2500);
}

/** Runs a command from the palette by typing its title, as a user does. */
async function palette(page, title) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await page.keyboard.type(title, { delay: 10 });
  await page.waitForTimeout(600);
  await page.keyboard.press('Enter');
}

/** The walkthrough's images (media/walkthrough/*.png): each step shown in the demo workbench. */
async function walkthroughImages(page, { connection, dir }) {
  mkdirSync(dir, { recursive: true });
  const shot = async (name) => {
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(dir, `${name}.png`) });
    console.log(`demo: ${join(dir, `${name}.png`)}`);
  };
  const escape = async () => {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  };
  const pickerShown = () => page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await palette(page, 'Chroma: Add Connection');
  await pickerShown();
  await shot('connect');
  await escape();
  await openTree(page, connection);
  await shot('browse');
  // Add the workspace's notes.md: the collection picker, as the command shows it (database, then collection).
  await page.keyboard.press('Control+P');
  await page.keyboard.type('notes.md', { delay: 10 });
  await page.waitForTimeout(600);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1500);
  await palette(page, 'Chroma: Add Active File to Collection');
  await pickerShown();
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter'); // default_database
  await page.waitForTimeout(1200);
  await shot('add');
  await escape();
  // Query: pick the collection, type the text.
  await palette(page, 'Chroma: Query Collection');
  await pickerShown();
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter'); // default_database
  await page.waitForTimeout(1200);
  await page.keyboard.type('chroma-facts', { delay: 10 });
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1000);
  await page.keyboard.type('where are embeddings stored?', { delay: 10 });
  await shot('query');
  await escape();
  await palette(page, 'Chroma: Server Telemetry');
  await page.waitForTimeout(2500);
  await shot('telemetry');
}
