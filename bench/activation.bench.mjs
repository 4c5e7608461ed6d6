#!/usr/bin/env node
// Activation in a real VS Code: code-server 4.100.3's extension host, driven by headless chromium. Chroma Explorer's
// production bundle and an empty extension are installed from VSIX files, with their activation events removed, so
// that neither starts while the workbench itself is loading (on these 2 cores chromium's rendering would be timed
// too). Once the workbench is idle, the runner activates the empty extension, then ours, and reads:
// - VS Code's own performance marks: loading the extension's code (code/extHost/willLoadExtensionCode/<id> →
//   didLoadExtensionCode) and its activate() call until it resolved (willActivateExtension → didActivateExtension);
//   between the two VS Code builds the ExtensionContext, the same for every extension;
// - the JavaScript files the extension host required for it (a probe extension activated on `*` wraps
//   Module.prototype._compile; dist/extension.js then loads dist/main.js from V8's code cache, written 10 s after
//   the first activation, as in any session), and the modules bundled into dist/main.js;
// - the bundle's size.
// Each round is a fresh extension host (a new workbench page). Prints medians and the ratio ours/empty.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, QUIET_SETTINGS, ROOT, runTestsInWorkbench, startCodeServer } from '../scripts/lib/workbench.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OURS = 'chroma-explorer.chroma-explorer';
const EMPTY = 'bench.empty-extension';
const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

const run = (args, cwd = ROOT) => {
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(1);
};
if (!process.env.BENCH_KEEP_BUNDLE) run(["esbuild.mjs", "--production", "--metafile"]);
const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8'));
const bundledModules = Object.keys(Object.values(meta.outputs).find((o) => o.entryPoint)?.inputs ?? {}).length;
const bundleBytes = statSync(join(ROOT, 'dist', 'main.js')).size;
const bootstrapBytes = statSync(join(ROOT, 'dist', 'extension.js')).size;

const dir = mkdtempSync(join(tmpdir(), 'chroma-explorer-bench-activation-'));
const write = (path, text) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const manifest = (name, activationEvents, extra = {}) =>
  JSON.stringify({ name, publisher: 'bench', version: '0.0.1', license: 'MIT', engines: { vscode: '^1.100.0' }, activationEvents, main: './extension.js', ...extra });

// Activated on `*`, before any other extension: times each JavaScript file the extension host compiles.
write('probe/package.json', manifest('probe', ['*']));
write(
  'probe/extension.js',
  `const Module = require('module');
const compile = Module.prototype._compile;
const files = (globalThis.__benchCompiled = []);
Module.prototype._compile = function (content, filename) {
  const t = performance.now();
  try { return compile.call(this, content, filename); } finally { files.push({ filename, ms: performance.now() - t }); }
};
exports.activate = () => {};`,
);
write('empty/package.json', manifest('empty-extension', []));
write('empty/extension.js', 'exports.activate = () => {};');
write('empty/LICENSE', 'MIT');
// Ours, as packaged, but activated by the runner only: the same bundle, manifest and contributions.
const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
ours.activationEvents = [];
delete ours.scripts;
delete ours.devDependencies;
delete ours.dependencies;
write('ours/package.json', JSON.stringify(ours));
for (const f of ['dist/extension.js', 'dist/main.js', 'dist/chunks', 'dist/vendor', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md']) cpSync(join(ROOT, f), join(dir, 'ours', f), { recursive: true });
write(
  'runner/index.js',
  `const vscode = require('vscode');
const { writeFileSync } = require('fs');
exports.run = async () => {
  await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_MS)));
  const out = {};
  for (const id of ${JSON.stringify([EMPTY, OURS])}) {
    const ext = vscode.extensions.getExtension(id);
    if (!ext) throw new Error(id + ' is not loaded');
    if (ext.isActive) throw new Error(id + ' activated before the runner asked');
    const profiling = process.env.BENCH_PROFILE && id === ${JSON.stringify(OURS)};
    const session = profiling ? new (require('inspector').Session)() : undefined;
    const post = (m, p) => new Promise((res, rej) => session.post(m, p, (err, r) => (err ? rej(err) : res(r))));
    if (session) { session.connect(); await post('Profiler.enable'); await post('Profiler.setSamplingInterval', { interval: 100 }); await post('Profiler.start'); }
    await ext.activate();
    if (session) { const { profile } = await post('Profiler.stop'); writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile)); session.disconnect(); }
    const marks = globalThis.MonacoPerformanceMarks.getMarks();
    const at = (name) => marks.find((m) => m.name === name + id)?.startTime;
    const load = at('code/extHost/didLoadExtensionCode/') - at('code/extHost/willLoadExtensionCode/');
    const activate = at('code/extHost/didActivateExtension/') - at('code/extHost/willActivateExtension/');
    const folder = ext.extensionPath + '/';
    const files = globalThis.__benchCompiled.filter((f) => f.filename.startsWith(folder)).map((f) => ({ file: f.filename.slice(folder.length), ms: f.ms }));
    out[id] = { load, activate, ms: load + activate, files };
  }
  // The first round stays until the bundle's code cache is written (10 s after activation), as any session does.
  const warm = process.env.BENCH_ACTIVATION_OUT + '.warm';
  if (!require('fs').existsSync(warm)) {
    await new Promise((r) => setTimeout(r, 12000));
    writeFileSync(warm, '');
  }
  writeFileSync(process.env.BENCH_ACTIVATION_OUT, JSON.stringify(out));
};`,
);
for (const name of ['empty', 'ours']) {
  run([VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', join(dir, `${name}.vsix`)], join(dir, name));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const outFile = join(dir, 'result.json');
const workspace = join(dir, 'workspace');
mkdirSync(workspace);
let server;
let browser;
const rounds = [];
try {
  server = await startCodeServer({
    workspace,
    settings: QUIET_SETTINGS,
    env: { BENCH_ACTIVATION_OUT: outFile, BENCH_SETTLE_MS: process.env.BENCH_SETTLE_MS ?? '4000', BENCH_PROFILE: process.env.BENCH_PROFILE ?? '' },
    vsix: [join(dir, 'ours.vsix'), join(dir, 'empty.vsix')],
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
    if (round > 0) rounds.push(JSON.parse(readFileSync(outFile, 'utf8'))); // round 0 warms code-server's caches
  }
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const m = (id, k) => median(rounds.map((r) => r[id][k]));
const o = m(OURS, 'ms');
const e = m(EMPTY, 'ms');
const last = rounds[rounds.length - 1];
console.log(`activation in code-server's extension host, once the workbench is idle, median of ${ROUNDS} fresh extension hosts`);
console.log(`  empty extension     ${e.toFixed(1)} ms   (load ${m(EMPTY, 'load').toFixed(1)} + activate() ${m(EMPTY, 'activate').toFixed(1)})`);
console.log(`  Chroma Explorer     ${o.toFixed(1)} ms   (load ${m(OURS, 'load').toFixed(1)} + activate() ${m(OURS, 'activate').toFixed(1)})   ratio to empty ${(o / e).toFixed(2)}   goal ≤ 15 ms or ≤ 1.5×`);
console.log(`  files required      ${last[OURS].files.map((f) => f.file).join(', ')} (it loads dist/main.js from V8's code cache); empty extension ${last[EMPTY].files.length}`);
console.log(`  modules bundled     ${bundledModules} in dist/main.js`);
console.log(`  bundle              dist/main.js ${(bundleBytes / 1024).toFixed(1)} KiB + dist/extension.js ${(bootstrapBytes / 1024).toFixed(1)} KiB   goal: dist/main.js ≤ 100 KiB`);
console.log(`  rounds (ms) ours [${rounds.map((r) => r[OURS].ms.toFixed(1)).join(', ')}] empty [${rounds.map((r) => r[EMPTY].ms.toFixed(1)).join(', ')}]`);
