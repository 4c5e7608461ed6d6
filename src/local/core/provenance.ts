/**
 * What a `chroma` found on disk is, learnt cheaply from files beside it (nothing is run): the npm `chromadb` package
 * (its package.json, its CLI entry and its platform binding's version) or a Python environment (the version of the
 * chromadb distribution installed in its site-packages).
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface NpmProvenance {
  kind: 'npm';
  /** The chromadb package folder (real path). */
  packageDir: string;
  version?: string;
  /** Its CLI's JavaScript entry (package.json `bin.chroma`), to run with Node. */
  entry: string;
  /** The platform binding beside it, by Node's resolution from the package. */
  binding?: { name: string; version?: string };
}

export interface PythonProvenance {
  kind: 'python';
  /** The environment's root (the folder with pyvenv.cfg or conda-meta). */
  env: string;
  /** chromadb's version from its dist-info in site-packages. */
  version?: string;
}

export type Provenance = NpmProvenance | PythonProvenance | { kind: 'unknown' };

/** The name of the binding package the chromadb CLI loads here (its src/bindings.ts), or undefined where it loads none. */
export function bindingPackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  if (platform === 'darwin' && (arch === 'arm64' || arch === 'x64')) {
    return `chromadb-js-bindings-darwin-${arch}`;
  }
  if (platform === 'linux' && (arch === 'arm64' || arch === 'x64')) {
    return `chromadb-js-bindings-linux-${arch}-gnu`;
  }
  // chromadb's CLI (3.0–3.5) loads only the Windows ARM64 binding; on x64 it throws "Only ARM64 is supported".
  if (platform === 'win32' && arch === 'arm64') {
    return 'chromadb-js-bindings-win32-arm64-msvc';
  }
  return undefined;
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const data: unknown = JSON.parse(await readFile(file, 'utf8'));
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The chromadb package in `packageDir` (a folder with its package.json), with its CLI entry and binding. */
export async function npmPackageAt(packageDir: string): Promise<NpmProvenance | undefined> {
  let dir: string;
  try {
    dir = await realpath(packageDir);
  } catch {
    return undefined;
  }
  const pkg = await readJson(join(dir, 'package.json'));
  if (pkg?.name !== 'chromadb') {
    return undefined;
  }
  const bin = pkg.bin;
  const rel = typeof bin === 'string' ? bin : bin && typeof bin === 'object' ? (bin as Record<string, unknown>).chroma : undefined;
  if (typeof rel !== 'string' || !(await isFile(join(dir, rel)))) {
    return undefined;
  }
  const version = typeof pkg.version === 'string' ? pkg.version : undefined;
  return { kind: 'npm', packageDir: dir, version, entry: join(dir, rel), binding: await bindingNear(dir) };
}

/** The platform binding as Node would resolve it from the chromadb package: its own node_modules, then up. */
async function bindingNear(packageDir: string): Promise<{ name: string; version?: string } | undefined> {
  const name = bindingPackageName();
  if (!name) {
    return undefined;
  }
  let dir = packageDir;
  for (let i = 0; i < 12; i++) {
    const candidate = basename(dir) === 'node_modules' ? join(dir, name) : join(dir, 'node_modules', name);
    const pkg = await readJson(join(candidate, 'package.json'));
    if (pkg) {
      return { name, version: typeof pkg.version === 'string' ? pkg.version : undefined };
    }
    const up = dirname(dir);
    if (up === dir) {
      break;
    }
    dir = up;
  }
  return { name };
}

/** The chromadb package a file belongs to (the CLI's real path), found by walking up to its package.json. */
export async function npmPackageOf(file: string): Promise<NpmProvenance | undefined> {
  let dir = dirname(file);
  for (let i = 0; i < 6; i++) {
    if (await isFile(join(dir, 'package.json'))) {
      return npmPackageAt(dir);
    }
    const up = dirname(dir);
    if (up === dir) {
      return undefined;
    }
    dir = up;
  }
  return undefined;
}

/** The Python environment whose `bin/` or `Scripts/` (or root, for conda on Windows) holds `file`. */
export async function pythonEnvOf(file: string): Promise<string | undefined> {
  const bin = dirname(file);
  for (const root of [dirname(bin), bin]) {
    if ((await isFile(join(root, 'pyvenv.cfg'))) || (await isDir(join(root, 'conda-meta')))) {
      return root;
    }
  }
  return undefined;
}

/** chromadb's version in an environment, from `chromadb-<version>.dist-info` in its site-packages. */
export async function pythonChromaVersion(env: string): Promise<string | undefined> {
  const sitePackages = [join(env, 'Lib', 'site-packages')];
  for (const lib of ['lib', 'lib64']) {
    try {
      for (const name of await readdir(join(env, lib))) {
        if (/^python\d/.test(name)) {
          sitePackages.push(join(env, lib, name, 'site-packages'));
        }
      }
    } catch {
      // no such folder
    }
  }
  for (const dir of sitePackages) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    const found = names.map((n) => /^chromadb-(\d[^-]*)\.dist-info$/i.exec(n)?.[1]).find((v) => v !== undefined);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** What a command file is: follows links, then asks npm's and Python's layouts. */
export async function learnProvenance(file: string): Promise<Provenance> {
  let real = file;
  try {
    real = await realpath(file);
  } catch {
    return { kind: 'unknown' };
  }
  if (/\.(c|m)?js$/i.test(real)) {
    const npm = await npmPackageOf(real);
    if (npm) {
      return npm;
    }
  }
  // A Windows npm shim (chroma.cmd) or pnpm's shell shim sits in a bin folder beside node_modules.
  if (/\.(cmd|ps1)$/i.test(real) || basename(dirname(real)) === '.bin' || (await isDir(join(dirname(real), 'node_modules', 'chromadb')))) {
    const near = basename(dirname(real)) === '.bin' ? dirname(dirname(real)) : join(dirname(real), 'node_modules');
    const npm = await npmPackageAt(join(near, 'chromadb'));
    if (npm) {
      return npm;
    }
  }
  for (const candidate of real === file ? [file] : [real, file]) {
    const env = await pythonEnvOf(candidate);
    if (env) {
      return { kind: 'python', env, version: await pythonChromaVersion(env) };
    }
  }
  return { kind: 'unknown' };
}

/** "npm chromadb 3.0.6 (binding 1.0.1)", "Python chromadb 1.0.15", "chroma". */
export function describeProvenance(p: Provenance): string {
  if (p.kind === 'npm') {
    const binding = p.binding?.version ? ` (binding ${p.binding.version})` : p.binding ? ' (binding missing)' : '';
    return `npm chromadb ${p.version ?? '(version unknown)'}${binding}`;
  }
  if (p.kind === 'python') {
    return `Python chromadb ${p.version ?? '(version unknown)'}`;
  }
  return 'chroma (version unknown)';
}
