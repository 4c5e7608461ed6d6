/**
 * Which Chroma serves a data folder (resolveServer.ts), on real files laid out as npm, Python and the PATH lay them
 * out, and the chosen command serving a real folder.
 *
 * Python's Chroma (the PyPI chromadb) cannot run here: PyPI is out of reach. So the .venv test makes a real virtual
 * environment (`python3 -m venv`), with the console script pip writes for chromadb's `chroma` entry point, run by
 * that environment's own Python; only the chromadb package behind it is a stand-in, a few lines whose `app()` runs
 * the real npm Chroma CLI (Chroma 1.0.0) with the same arguments. The other Python layouts (the selected
 * interpreter, Windows' Scripts/chroma.exe) are looked up but not run, and there a shell script stands in.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveServerCommand } from '../../../../src/local/core/resolveServer';
import type { ServerCommand } from '../../../../src/local/core/resolveServer';
import { ChromaProcess } from '../../../../src/local/core/serverProcess';
import { NEWEST_CLI, PROJECT_CLI, PROJECT_ROOT, newestSetting, processesServing, roundTrip, useTempDir } from './support';

const MODULES = join(PROJECT_ROOT, 'node_modules');
const BINDING = 'chromadb-js-bindings-linux-x64-gnu';

function file(path: string, text: string, mode = 0o644): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** A workspace with npm chromadb installed as npm lays it out (the packages linked from the project's own). */
function npmWorkspace(ws: string): void {
  mkdirSync(join(ws, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(MODULES, 'chromadb'), join(ws, 'node_modules', 'chromadb'));
  symlinkSync(join(MODULES, BINDING), join(ws, 'node_modules', BINDING));
  symlinkSync('../chromadb/dist/cli.mjs', join(ws, 'node_modules', '.bin', 'chroma'));
}

/** A Python environment's layout for lookups that do not run it: pyvenv.cfg, the dist-info, and a shell script as `chroma`. */
function venv(root: string, version: string, windows = false): string {
  file(join(root, 'pyvenv.cfg'), 'home = /usr/bin\nversion = 3.12.3\n');
  const site = windows ? join(root, 'Lib', 'site-packages') : join(root, 'lib', 'python3.12', 'site-packages');
  file(join(site, `chromadb-${version}.dist-info`, 'METADATA'), `Name: chromadb\nVersion: ${version}\n`);
  const bin = windows ? join(root, 'Scripts', 'chroma.exe') : join(root, 'bin', 'chroma');
  return file(bin, `#!/bin/sh\nexec "${process.execPath}" "${PROJECT_CLI}" "$@"\n`, 0o755);
}

/**
 * A real Python virtual environment with chromadb "installed" as pip installs it: `bin/chroma` is pip's console
 * script for `chromadb.cli.cli:app` (run by the environment's Python), the dist-info names the version, and the
 * package itself is the stand-in described in the header.
 */
function pythonVenv(root: string, version: string): string {
  execFileSync('python3', ['-m', 'venv', '--without-pip', root]);
  const python = join(root, 'bin', 'python');
  const site = execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: 'utf8' }).trim();
  file(join(site, 'chromadb', '__init__.py'), '');
  file(join(site, 'chromadb', 'cli', '__init__.py'), '');
  file(
    join(site, 'chromadb', 'cli', 'cli.py'),
    ['import os', 'import sys', '', 'def app():', `    os.execv(${JSON.stringify(process.execPath)}, [${JSON.stringify(process.execPath)}, ${JSON.stringify(PROJECT_CLI)}, *sys.argv[1:]])`, ''].join('\n'),
  );
  const info = join(site, `chromadb-${version}.dist-info`);
  file(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: chromadb\nVersion: ${version}\n`);
  file(join(info, 'entry_points.txt'), '[console_scripts]\nchroma = chromadb.cli.cli:app\n');
  return file(
    join(root, 'bin', 'chroma'),
    [
      `#!${python}`,
      '# -*- coding: utf-8 -*-',
      'import re',
      'import sys',
      'from chromadb.cli.cli import app',
      "if __name__ == '__main__':",
      "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])",
      '    sys.exit(app())',
      '',
    ].join('\n'),
    0o755,
  );
}

async function serveAndRoundTrip(folder: string, command: ServerCommand): Promise<void> {
  const proc = await ChromaProcess.start({ folder, command });
  try {
    await roundTrip(proc.url, 'lookup');
  } finally {
    await proc.stop();
  }
  assert.deepEqual(await processesServing(folder), []);
}

describe('server command lookup (real files, real servers)', function () {
  this.timeout(120_000);
  const temp = useTempDir();
  const noPath = { PATH: '' };

  it("a workspace's node_modules/.bin/chroma comes first (before its .venv): npm chromadb 3.0.6, binding 1.0.1, serves Chroma 1.0.0", async () => {
    const ws = temp();
    npmWorkspace(ws);
    venv(join(ws, '.venv'), '1.0.0');
    const folder = join(ws, 'chroma');
    const r = await resolveServerCommand({ dataFolder: folder, workspaceFolders: [ws], env: noPath });
    const c = r.chosen as ServerCommand;
    assert.equal(c.source, 'workspace-npm');
    assert.equal(c.path, join(ws, 'node_modules', '.bin', 'chroma'));
    assert.equal(c.command, PROJECT_CLI);
    assert.equal(c.node, true);
    assert.deepEqual(c.provenance, { kind: 'npm', packageDir: join(MODULES, 'chromadb'), version: '3.0.6', entry: PROJECT_CLI, binding: { name: BINDING, version: '1.0.1' } });
    assert.equal(c.description, "npm chromadb 3.0.6 (binding 1.0.1) from the workspace's node_modules");
    assert.deepEqual(r.candidates, [{ source: 'workspace-npm', path: join(ws, 'node_modules', '.bin', 'chroma'), found: true }]);
    await serveAndRoundTrip(folder, c);
  });

  it('the nearest node_modules to the data folder wins in a nested project', async () => {
    const ws = temp();
    npmWorkspace(join(ws, 'packages', 'app'));
    const r = await resolveServerCommand({ dataFolder: join(ws, 'packages', 'app', 'data', 'chroma'), workspaceFolders: [ws], env: noPath });
    assert.deepEqual(
      r.candidates.map((c) => [c.path, c.found]),
      [
        [join(ws, 'packages', 'app', 'data', 'node_modules', '.bin', 'chroma'), false],
        [join(ws, 'packages', 'app', 'node_modules', '.bin', 'chroma'), true],
      ],
    );
  });

  it("a workspace's .venv/bin/chroma (a real venv, pip's entry-point script): Python chromadb with the version of its dist-info; serves", async () => {
    const ws = temp();
    const bin = pythonVenv(join(ws, '.venv'), '1.0.0');
    const folder = join(ws, 'chroma');
    const r = await resolveServerCommand({ dataFolder: folder, workspaceFolders: [ws], env: noPath });
    const c = r.chosen as ServerCommand;
    assert.equal(c.source, 'workspace-venv');
    assert.equal(c.command, bin);
    assert.equal(c.node, false);
    assert.deepEqual(c.provenance, { kind: 'python', env: join(ws, '.venv'), version: '1.0.0' });
    assert.equal(c.description, "Python chromadb 1.0.0 from the workspace's Python environment");
    assert.deepEqual(
      r.candidates.map((x) => [x.source, x.path, x.found]),
      [
        ['workspace-npm', join(ws, 'node_modules', '.bin', 'chroma'), false],
        ['workspace-venv', join(ws, '.venv', 'bin', 'chroma'), true],
      ],
    );
    await serveAndRoundTrip(folder, c);
  });

  it("the Python extension's interpreter comes before the workspace's venv folders", async () => {
    const ws = temp();
    venv(join(ws, 'venv'), '1.0.0');
    const other = temp();
    venv(join(other, 'env-selected'), '1.0.15');
    const r = await resolveServerCommand({
      dataFolder: join(ws, 'chroma'),
      workspaceFolders: [ws],
      pythonInterpreter: join(other, 'env-selected', 'bin', 'python'),
      env: noPath,
    });
    assert.equal(r.chosen?.source, 'python-interpreter');
    assert.equal(r.chosen?.provenance.kind === 'python' && r.chosen.provenance.version, '1.0.15');
  });

  it('none in the workspace: chroma on the PATH, followed to its real path (npm)', async () => {
    const ws = temp();
    const bin = join(temp(), 'bin');
    mkdirSync(bin);
    symlinkSync(PROJECT_CLI, join(bin, 'chroma'));
    const r = await resolveServerCommand({ dataFolder: join(ws, 'chroma'), workspaceFolders: [ws], env: { PATH: `/nonexistent:${bin}` } });
    assert.equal(r.chosen?.source, 'path');
    assert.equal(r.chosen?.command, PROJECT_CLI);
    assert.equal(r.chosen?.description, 'npm chromadb 3.0.6 (binding 1.0.1) from the PATH');
    assert.deepEqual(
      r.candidates.map((c) => c.source),
      ['workspace-npm', 'workspace-venv', 'workspace-venv', 'workspace-venv', 'path'],
    );
  });

  it('nothing anywhere: no choice, every place looked at listed in order (the install is offered then)', async () => {
    const ws = temp();
    const r = await resolveServerCommand({ dataFolder: join(ws, 'chroma'), workspaceFolders: [ws], installDir: join(temp(), 'installs'), env: noPath });
    assert.equal(r.chosen, undefined);
    assert.deepEqual(
      r.candidates.map((c) => [c.source, c.path.replace(ws, 'WS'), c.found]),
      [
        ['workspace-npm', 'WS/node_modules/.bin/chroma', false],
        ['workspace-venv', 'WS/.venv/bin/chroma', false],
        ['workspace-venv', 'WS/venv/bin/chroma', false],
        ['workspace-venv', 'WS/env/bin/chroma', false],
        ['path', 'chroma', false],
        ['installed', r.candidates[5].path, false],
      ],
    );
  });

  it('the setting wins over everything: a command line that runs the newest server through its loader; serves', async () => {
    const ws = temp();
    npmWorkspace(ws);
    const folder = join(ws, 'chroma');
    const r = await resolveServerCommand({ dataFolder: folder, workspaceFolders: [ws], setting: newestSetting(), env: noPath });
    const c = r.chosen as ServerCommand;
    assert.equal(c.source, 'setting');
    assert.equal(c.node, false);
    assert.match(c.command, /ld-linux-x86-64\.so\.2$/);
    assert.equal(c.args.at(-1), NEWEST_CLI());
    assert.equal(c.description, 'npm chromadb 3.5.0 (binding 1.3.4) from the setting chroma.local.serverCommand');
    assert.deepEqual(r.candidates.map((x) => x.source), ['setting']);
    await serveAndRoundTrip(folder, c);
  });

  it('a setting naming a program that is not there is a problem, not a silent fallback', async () => {
    const ws = temp();
    npmWorkspace(ws);
    const r = await resolveServerCommand({ dataFolder: join(ws, 'chroma'), workspaceFolders: [ws], setting: 'no-such-chroma run', env: noPath });
    assert.equal(r.chosen, undefined);
    assert.equal(
      r.problem,
      "The setting chroma.local.serverCommand cannot be used: no-such-chroma was not found on the PATH or cannot be run. Fix the setting or clear it to use the workspace's Chroma.",
    );
    const spaced = join(temp(), 'my tools');
    mkdirSync(spaced);
    symlinkSync(PROJECT_CLI, join(spaced, 'chroma.mjs'));
    const whole = await resolveServerCommand({ dataFolder: join(ws, 'chroma'), workspaceFolders: [ws], setting: join(spaced, 'chroma.mjs'), env: noPath });
    assert.equal(whole.chosen?.command, PROJECT_CLI, 'an unquoted path with a blank in it is taken whole');
    assert.equal(whole.chosen?.node, true);
  });

  it('Windows layouts: node_modules/.bin/chroma.cmd runs the package entry with Node; Scripts/chroma.exe with Lib/site-packages; a PATH shim beside node_modules', async () => {
    const ws = temp();
    mkdirSync(join(ws, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(join(MODULES, 'chromadb'), join(ws, 'node_modules', 'chromadb'));
    file(join(ws, 'node_modules', '.bin', 'chroma.cmd'), '@ECHO off\r\n"%_prog%" "%dp0%\\..\\chromadb\\dist\\cli.mjs" %*\r\n');
    const npm = await resolveServerCommand({ dataFolder: join(ws, 'chroma'), workspaceFolders: [ws], platform: 'win32', env: { PATH: '' } });
    assert.equal(npm.chosen?.source, 'workspace-npm');
    assert.equal(npm.chosen?.path, join(ws, 'node_modules', '.bin', 'chroma.cmd'));
    assert.equal(npm.chosen?.command, PROJECT_CLI);
    assert.equal(npm.chosen?.node, true);

    const py = temp();
    const exe = venv(join(py, '.venv'), '1.0.20', true);
    const r = await resolveServerCommand({ dataFolder: join(py, 'chroma'), workspaceFolders: [py], platform: 'win32', env: { PATH: '' } });
    assert.equal(r.chosen?.command, exe);
    assert.deepEqual(r.chosen?.provenance, { kind: 'python', env: join(py, '.venv'), version: '1.0.20' });

    const global = temp();
    mkdirSync(join(global, 'node_modules'));
    symlinkSync(join(MODULES, 'chromadb'), join(global, 'node_modules', 'chromadb'));
    file(join(global, 'chroma.cmd'), '@ECHO off\r\n');
    const onPath = await resolveServerCommand({ dataFolder: join(temp(), 'chroma'), workspaceFolders: [], platform: 'win32', env: { PATH: `C:\\nowhere;${global}`, PATHEXT: '.EXE;.CMD' } });
    assert.equal(onPath.chosen?.source, 'path');
    assert.equal(onPath.chosen?.path, join(global, 'chroma.cmd'));
    assert.equal(onPath.chosen?.command, PROJECT_CLI);
  });
});
