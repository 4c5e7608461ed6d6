#!/usr/bin/env node
// Activation in a real VS Code (code-server 4.100.3's extension host, driven by headless chromium): for Chroma
// Explorer's production bundle and for an empty extension loaded in the same extension host, in the same run:
// - the time the extension host spends on the extension's own work: loading its code (VS Code's performance marks
//   code/extHost/willLoadExtensionCode/<id> → didLoadExtensionCode/<id>) plus its activate() call until it
//   resolved (willActivateExtension → didActivateExtension); and, for reference, the whole span from the start of
//   loading to activate() resolving, which also holds VS Code's own set-up of the ExtensionContext;
// - the JavaScript files the extension host evaluated for it (a probe extension activated on `*`, before both,
//   counts Module.prototype._compile calls under each extension's folder), and the modules bundled into them;
// Both are installed from VSIX files, as a user installs them (the workbench takes one development extension: the
// probe); ours is the linux-x64 package `npm run package` writes.
// - the bundle's size.
// Each round is a fresh extension host (a new workbench page). Prints medians and the ratio ours/empty.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, QUIET_SETTINGS, ROOT, runTestsInWorkbench, startCodeServer } from '../scripts/lib/workbench.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OURS = 'chroma-explorer.chroma-explorer';
const EMPTY = 'bench.empty-extension';

const run = (args, cwd = ROOT) => {
  const r = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
};
run(['scripts/package.mjs', '--target', 'linux-x64']);
run(['esbuild.mjs', '--production', '--metafile']);
const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8'));
const bundledModules = Object.keys(Object.values(meta.outputs).find((o) => o.entryPoint)?.inputs ?? {}).length;
const bundleBytes = statSync(join(ROOT, 'dist', 'extension.js')).size;

const dir = mkdtempSync(join(tmpdir(), 'chroma-explorer-bench-activation-'));
const write = (path, text) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const manifest = (name, activationEvents) =>
  JSON.stringify({ name, publisher: 'bench', version: '0.0.1', license: 'MIT', repository: 'none', engines: { vscode: '^1.100.0' }, activationEvents, main: './extension.js' });

// Activated on `*`, before any other extension: counts the files each extension folder makes Node evaluate.
write('probe/package.json', manifest('probe', ['*']));
write(
  'probe/extension.js',
  `const Module = require('module');
const compile = Module.prototype._compile;
const files = (globalThis.__benchEvaluated = []);
Module.prototype._compile = function (content, filename) { files.push(filename); return compile.call(this, content, filename); };
exports.activate = () => {};`,
);
write('empty/package.json', manifest('empty-extension', ['onStartupFinished']));
write('empty/extension.js', 'exports.activate = () => {};');
write(
  'runner/index.js',
  `const vscode = require('vscode');
const { writeFileSync } = require('fs');
exports.run = async () => {
  const ids = ${JSON.stringify([OURS, EMPTY])};
  for (const id of ids) {
    const ext = vscode.extensions.getExtension(id);
    if (!ext) throw new Error(id + ' is not loaded; loaded: ' + vscode.extensions.all.map((e) => e.id).filter((x) => !x.startsWith('vscode.')).join(', '));
    await ext.activate();
  }
  const marks = globalThis.MonacoPerformanceMarks.getMarks();
  const at = (name) => marks.find((m) => m.name === name)?.startTime;
  const out = {};
  for (const id of ids) {
    const folder = vscode.extensions.getExtension(id).extensionPath;
    // Loading the code, plus the activate() call until it resolved. Between the two, VS Code builds the
    // ExtensionContext (storage, secrets) with round trips to the workbench: the same for every extension.
    const load = at('code/extHost/didLoadExtensionCode/' + id) - at('code/extHost/willLoadExtensionCode/' + id);
    const activate = at('code/extHost/didActivateExtension/' + id) - at('code/extHost/willActivateExtension/' + id);
    const total = at('code/extHost/didActivateExtension/' + id) - at('code/extHost/willLoadExtensionCode/' + id);
    out[id] = { ms: load + activate, load, activate, total, files: globalThis.__benchEvaluated.filter((f) => f.startsWith(folder + '/')).map((f) => f.slice(folder.length + 1)) };
  }
  writeFileSync(process.env.BENCH_ACTIVATION_OUT, JSON.stringify(out));
};`,
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

write('empty/LICENSE', 'MIT');
run([join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '-o', join(dir, 'empty.vsix')], join(dir, 'empty'));

const outFile = join(dir, 'result.json');
const workspace = join(dir, 'workspace');
mkdirSync(workspace);
let server;
let browser;
const ours = [];
const empty = [];
const parts = { ours: [], empty: [] };
let files = { ours: [], empty: [] };
try {
  server = await startCodeServer({
    workspace,
    settings: QUIET_SETTINGS,
    env: { BENCH_ACTIVATION_OUT: outFile },
    vsix: [join(ROOT, 'chroma-explorer-linux-x64.vsix'), join(dir, 'empty.vsix')],
  });
  browser = await launchChromium();
  for (let round = 0; round <= ROUNDS; round++) {
    rmSync(outFile, { force: true });
    const code = await runTestsInWorkbench(browser, server, {
      developmentPaths: [join(dir, 'probe')],
      testsPath: join(dir, 'runner', 'index.js'),
      timeoutMs: 120_000,
      onLog: (level, text) => {
        if (level === 'error' || process.env.BENCH_VERBOSE) console.error(`[${level}] ${text}`);
      },
    });
    if (code !== 0) throw new Error(`round ${round}: the workbench run ended with ${code}`);
    const r = JSON.parse(readFileSync(outFile, 'utf8'));
    if (round === 0) continue; // warm-up: code-server's first page load also warms its caches
    ours.push(r[OURS].ms);
    empty.push(r[EMPTY].ms);
    parts.ours.push(r[OURS]);
    parts.empty.push(r[EMPTY]);
    files = { ours: r[OURS].files, empty: r[EMPTY].files };
  }
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const o = median(ours);
const e = median(empty);
console.log(`activation in code-server's extension host, median of ${ROUNDS} fresh extension hosts`);
console.log(`  empty extension     ${e.toFixed(1)} ms`);
console.log(`  Chroma Explorer     ${o.toFixed(1)} ms   ratio to empty ${(o / e).toFixed(2)}   goal ≤ 15 ms or ≤ 1.5×`);
const m = (xs, k) => median(xs.map((x) => x[k])).toFixed(1);
console.log(`  load + activate()   ours ${m(parts.ours, 'load')} + ${m(parts.ours, 'activate')} ms; empty ${m(parts.empty, 'load')} + ${m(parts.empty, 'activate')} ms`);
console.log(`  whole span          ours ${m(parts.ours, 'total')} ms; empty ${m(parts.empty, 'total')} ms (with VS Code's ExtensionContext set-up)`);
console.log(`  files evaluated     ${files.ours.length} (${files.ours.join(', ')}); empty extension ${files.empty.length}`);
console.log(`  modules bundled     ${bundledModules} in dist/extension.js`);
console.log(`  dist/extension.js   ${(bundleBytes / 1024).toFixed(1)} KiB   goal ≤ 200 KB`);
console.log(`  rounds (ms) ours [${ours.map((x) => x.toFixed(1)).join(', ')}] empty [${empty.map((x) => x.toFixed(1)).join(', ')}]`);
