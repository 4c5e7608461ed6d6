#!/usr/bin/env node
// Runs the click suite (test/click, issue 11): a plain mocha process that starts a real Chroma 1.0.0, the loopback
// proxy, code-server and headless chromium, and drives the workbench as a person does: the activity bar, the tree,
// the palette and quick picks by typing. No command is called through the API.
//
// - The extension under test is this folder (its dist/, `npm run build`), or CHROMA_EXPLORER_CLICK_EXT (another
//   checkout, e.g. an older commit, to show a test catches a bug).
// - CHROMA_EXPLORER_CLICK_GREP: run only the tests whose titles match.
// - CHROMA_EXPLORER_CLICK_SLOWDOWN: how many times slower the workbench's CPU runs in the tree tests (Chromium's CPU
//   throttling; the busy machine), default 6, 1 = full speed.
// - CHROMA_EXPLORER_CLICK_COUNT_MS: how late the proxy answers each collection count (default 300).
// Failures leave .test-artifacts/click-<test>.png and .txt; the workbench's log is .test-artifacts/click-tests.log.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installCodeServer, ROOT } from './lib/workbench.mjs';

function fail(message) {
  console.error(`run-click-tests: ${message}`);
  process.exit(1);
}

const extension = process.env.CHROMA_EXPLORER_CLICK_EXT || ROOT;
for (const [file, how] of [
  [join(extension, 'dist', 'extension.js'), `npm run build (in ${extension})`],
  [join(ROOT, 'out', 'test', 'click', 'support', 'hooks.js'), 'npm run compile-tests'],
]) {
  if (!existsSync(file)) fail(`${file} is missing: run ${how} first.`);
}
// Install before mocha starts, so the suite's own timeouts do not count a first install.
installCodeServer();

const args = [join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', join(ROOT, '.mocharc.click.json')];
if (process.env.CHROMA_EXPLORER_CLICK_GREP) args.push('--grep', process.env.CHROMA_EXPLORER_CLICK_GREP);
console.log(`run-click-tests: clicking through ${extension === ROOT ? 'this checkout' : extension} in code-server`);
const started = Date.now();
const run = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
console.log(`run-click-tests: done in ${Math.round((Date.now() - started) / 1000)} s (exit ${run.status ?? run.signal})`);
process.exit(run.status ?? 1);
