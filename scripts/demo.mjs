#!/usr/bin/env node
// `npm run demo`: the extension against a local Chroma server with sample data, in a real VS Code.
//
// 1. Installs what is missing (scripts/setup.sh), builds the extension and the helpers.
// 2. Starts Chroma (`chroma run` from the npm chromadb package) on port 8000, its data a folder of the demo's
//    workspace (.demo/workspace/demo-data, so the Chroma view lists it under Local data as it would a repository's
//    ./chroma), and fills it with sample collections (test/support/demoData.ts; idempotent), embedded with Chroma's default
//    embedding function (all-MiniLM-L6-v2, downloaded once into ~/.cache/chroma like Chroma's Python client does),
//    which each collection stores. Where the model cannot be downloaded, says so and uses demo vectors (a hashed
//    bag of words) that this script serves for queries on 127.0.0.1:8111, stored as a `huggingface_server`.
// 3. Starts code-server (VS Code 1.100 in the browser) on port 8080 with the extension loaded from this folder and
//    its own profile (.demo/vscode: a connection to the demo server, the demo vectors' host trusted, local data
//    folders served by this repository's Chroma) on a workspace with a note and an evaluation set over chroma-facts
//    (scripts/lib/demoWorkspace.mjs), and prints the address to open. Ctrl+C stops everything.
//
// Options: --chroma-port N, --port N (code-server), --vectors-port N (the demo vectors, 8111), --images (`npm run
// images`: with fresh data and a fresh profile in .demo/images, drive the workbench headless in chromium and retake
// every README and walkthrough image in media/, see scripts/lib/images.mjs, then exit), --no-vscode (only the server
// and its data, e.g. for desktop VS Code's F5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { seedWorkspace } from './lib/demoWorkspace.mjs';
import { IMAGE_VIEWPORT, takeImages } from './lib/images.mjs';
import { launchChromium, QUIET_SETTINGS, ROOT, startCodeServer } from './lib/workbench.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const images = args.includes('--images');
// The images start from nothing, so that they are the same on every machine: their own data and VS Code profile.
const demoDir = images ? join(ROOT, '.demo', 'images') : join(ROOT, '.demo');
if (images) rmSync(demoDir, { recursive: true, force: true });
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
const { DEMO_VECTORS_PORT, demoChromaSettings, describeSeed, prepareDemo, shareModelCache } = require(join(ROOT, 'out/test/support/demoData.js'));
const { ChromaClient } = require(join(ROOT, 'out/src/chroma/index.js'));

// Progress replaces its own line in a terminal; other output starts on a fresh line.
let progressAt = 0;
let progressOpen = false;
function progress(line) {
  if (!process.stdout.isTTY || Date.now() - progressAt < 100) return;
  progressAt = Date.now();
  process.stdout.write(`\r${line}\x1b[K`);
  progressOpen = true;
}
function say(line) {
  if (progressOpen) process.stdout.write('\n');
  progressOpen = false;
  console.log(line);
}

// In the workspace, as a repository's ./chroma is: the Chroma view lists it under Local data (served by this
// script's server, so opening it from there offers a snapshot, as for any folder another process has open).
const dataDir = join(demoDir, 'workspace', 'demo-data');
mkdirSync(dataDir, { recursive: true });
const chromaPort = await pickPort(Number(opt('--chroma-port', 8000)));
const chroma = await ChromaServer.start({ path: dataDir, port: chromaPort });
const client = new ChromaClient({ url: chroma.url });
let demo;
try {
  demo = await prepareDemo(client, { vectorsPort: Number(opt('--vectors-port', DEMO_VECTORS_PORT)), say, progress });
} catch (e) {
  say(`demo: filling the demo server failed: ${e instanceof Error ? e.message : String(e)}`);
  await chroma.pause();
  process.exit(1);
}
const { embedding, collections } = demo;
for (const line of describeSeed(collections)) say(line);
say(`demo: Chroma ${await client.version()} at http://localhost:${chromaPort} (data in ${relative(ROOT, dataDir)})`);
say(`demo: sample collections (${embedding.description}): ${collections.map((c) => c.collection).join(', ')}`);

let server;
let browser;
async function shutdown(code) {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await embedding.server?.stop();
  await chroma.pause();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

if (!withVscode) {
  if (embedding.server) {
    say(`demo: VS Code asks once before it sends query text to ${embedding.server.origin} (the demo vectors): choose Allow, or list it in chroma.embedding.trustedHosts in your user settings.`);
  }
  say('demo: Chroma is running; press Ctrl+C to stop it.');
} else {
  const home = join(demoDir, 'vscode');
  const workspace = join(demoDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  // The demo's VS Code has its own user settings: a connection to the demo server (no token needed) and, with demo
  // vectors, their host trusted with query text. The user's own VS Code profile is never written.
  const settingsFile = join(home, 'user-data', 'User', 'settings.json');
  let settings = {};
  try {
    settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  } catch {
    // first run
  }
  // New Local Chroma… and Open Chroma Data Folder… serve folders with the Chroma this repository installed (a
  // setting of the demo's profile, which the person may change there).
  const localChroma = { 'chroma.local.serverCommand': join(ROOT, 'node_modules', '.bin', 'chroma') };
  settings = { ...QUIET_SETTINGS, ...localChroma, ...settings, ...demoChromaSettings(settings, { chromaPort, trustedOrigin: embedding.server?.origin }) };
  const demoConnection = settings['chroma.connections'][0];
  // A note to add to a collection, and an evaluation set over chroma-facts for the Test Explorer.
  seedWorkspace(workspace, { connection: demoConnection.name });
  // Its HOME is its own too: the default model is linked from Chroma's cache, not downloaded again.
  shareModelCache(join(home, 'home'));
  server = await startCodeServer({
    workspace,
    settings,
    port: Number(opt('--port', 8080)),
    userData: join(home, 'user-data'),
    extensionsDir: join(home, 'extensions'),
    home: join(home, 'home'),
  });
  const url = server.url([['extensionDevelopmentPath', ROOT]]);
  if (images) {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: IMAGE_VIEWPORT });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForTimeout(3000);
    try {
      await takeImages(page, { connection: demoConnection.name, mediaDir: join(ROOT, 'media') });
    } catch (e) {
      const file = join(demoDir, 'failed.png');
      await page.screenshot({ path: file }).catch(() => undefined);
      say(`images: ${e instanceof Error ? e.message : String(e)} (the workbench then: ${file})`);
      await shutdown(1);
    }
    await shutdown(0);
  } else {
    say(`demo: open ${url}`);
    say('demo: (VS Code in the browser, with Chroma Explorer loaded from this folder). Ctrl+C stops everything.');
  }
}
