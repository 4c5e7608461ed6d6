#!/usr/bin/env node
// Runs the extension-host test suite (out/test/host/index.js) in a real VS Code and exits with its result.
//
// - Where VS Code can be downloaded (CHROMA_EXPLORER_VSCODE=electron): @vscode/test-electron downloads VS Code
//   and runs the suite in its extension host.
// - Otherwise (the default, and what CI here uses): code-server 4.100.3 (VS Code 1.100's server and web workbench)
//   from the npm registry, with the workbench opened in headless Debian chromium through playwright-core
//   (scripts/lib/workbench.mjs). The workbench takes the same launch arguments as desktop VS Code
//   (extensionDevelopmentPath, extensionTestsPath), runs the suite in its real Node extension host, and reports the
//   extension host's console and the suite's exit code back to this script.
//
// Either way the same run() of the same suite runs. Mocha's report is streamed here as it happens.
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, launchChromium, NOISE, QUIET_SETTINGS, ROOT, runTestsInWorkbench, startCodeServer } from './lib/workbench.mjs';

const TESTS_ENTRY = join(ROOT, 'out', 'test', 'host', 'index.js');
const WORKSPACE_FIXTURE = join(ROOT, 'test', 'fixtures', 'workspace');
const ARTIFACTS = join(ROOT, '.test-artifacts');
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
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function runWithCodeServer() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const logFile = createWriteStream(join(ARTIFACTS, 'host-tests.log'));
  const workspace = makeWorkspace();
  let server;
  let browser;
  try {
    // The extension host inherits code-server's environment, with a scratch HOME: the suite writes
    // ~/.chroma/credentials and must never touch the user's own files.
    server = await startCodeServer({ workspace, settings: QUIET_SETTINGS, log: (line) => logFile.write(line) });
    browser = await launchChromium();
    const result = await runTestsInWorkbench(browser, server, {
      developmentPaths: [ROOT],
      testsPath: TESTS_ENTRY,
      timeoutMs: SUITE_TIMEOUT_MS,
      onLog: (level, text, page) => {
        logFile.write(`[${level}] ${text}\n`);
        // A test asks for a picture of the workbench as it is now (README images): `[screenshot] name.png`.
        const shot = /^\[screenshot\] ([\w.-]+\.png)$/.exec(text);
        if (shot) void page.screenshot({ path: join(ARTIFACTS, shot[1]) }).catch((e) => logFile.write(`screenshot ${shot[1]}: ${e.message}\n`));
        // The extension host's console (mocha's report) arrives as log lines; print them as they come.
        if (level !== 'pageerror' && !NOISE.test(text)) process.stdout.write(`${text}\n`);
      },
      onTimeout: (page) => page.screenshot({ path: join(ARTIFACTS, 'host-tests-timeout.png') }).catch(() => undefined),
    });
    if (result === 'timeout') {
      console.error(`run-host-tests: the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s.`);
      return 1;
    }
    return result;
  } catch (e) {
    console.error(`run-host-tests: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    logFile.end();
    rmSync(workspace, { recursive: true, force: true });
  }
}

const mode = process.env.CHROMA_EXPLORER_VSCODE || 'code-server';
if (mode !== 'electron' && mode !== 'code-server') fail(`CHROMA_EXPLORER_VSCODE must be electron or code-server, not ${mode}.`);
console.log(`run-host-tests: running the extension-host suite in ${mode === 'electron' ? 'VS Code (test-electron)' : `code-server ${CODE_SERVER_VERSION}`}`);
const code = mode === 'electron' ? await runWithElectron() : await runWithCodeServer();
console.log(`run-host-tests: suite exited with ${code}`);
process.exit(code);
