#!/usr/bin/env node
// Writes one VSIX per platform that onnxruntime-node ships binaries for (read from its bin/ folder), each holding
// only that platform's binaries: chroma-explorer-<target>.vsix. `--target T` (repeatable) packages only those.
// The production bundle is built first. .vscodeignore lists what every package holds; this script adds the one
// platform's binary folder to a copy of it per target.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ORT_BIN = join(ROOT, 'node_modules', 'onnxruntime-node', 'bin');

// `linux-x64`, `darwin-arm64`, … for every bin/napi-v<N>/<os>/<arch> folder of onnxruntime-node.
export function shippedTargets() {
  const targets = new Set();
  for (const napi of readdirSync(ORT_BIN)) {
    for (const os of readdirSync(join(ORT_BIN, napi))) {
      for (const arch of readdirSync(join(ORT_BIN, napi, os))) targets.add(`${os}-${arch}`);
    }
  }
  return [...targets].sort();
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const wanted = process.argv.flatMap((a, i, all) => (all[i - 1] === '--target' ? [a] : []));
  const all = shippedTargets();
  const targets = wanted.length ? wanted : all;
  for (const t of targets) {
    if (!all.includes(t)) {
      console.error(`package: onnxruntime-node ships no binaries for ${t} (it has ${all.join(', ')}).`);
      process.exit(1);
    }
  }
  run(process.execPath, ['esbuild.mjs', '--production']);
  const base = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
  const scratch = mkdtempSync(join(tmpdir(), 'chroma-explorer-package-'));
  try {
    for (const target of targets) {
      const [os, arch] = target.split('-');
      const ignoreFile = join(scratch, `${target}.vscodeignore`);
      writeFileSync(ignoreFile, `${base.trimEnd()}\n!node_modules/onnxruntime-node/bin/napi-v*/${os}/${arch}/**\n`);
      const out = `chroma-explorer-${target}.vsix`;
      if (existsSync(join(ROOT, out))) rmSync(join(ROOT, out));
      console.log(`package: ${out}`);
      run(process.execPath, [
        join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
        'package',
        '--target', target,
        '--ignoreFile', ignoreFile,
        '--no-rewrite-relative-links',
        '-o', out,
      ]);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
