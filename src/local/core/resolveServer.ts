/**
 * Which Chroma serves a data folder, in the order, so that a folder opens with the Chroma that wrote it:
 * 1. the setting `chroma.local.serverCommand` (a path or a command line; when set, it is the only choice);
 * 2. the workspace's own Chroma, nearest the data folder first: `node_modules/.bin/chroma` (npm chromadb), then a
 *    Python environment: the interpreter the Python extension selected, then `.venv`, `venv`, `env`
 *    (`bin/chroma`, or `Scripts/chroma.exe` on Windows);
 * 3. `chroma` on the PATH (followed to its real path to learn what it is);
 * 4. a Chroma the installer put in the extension's global storage (see installer.ts).
 * Every candidate looked at is returned, found or not, so a tooltip or log can say why this one was chosen.
 */
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { splitCommandLine } from './commandLine';
import { containingWorkspaceFolder, isInside } from './dataFolder';
import type { LocalServerError } from './errors';
import { findInstalled } from './installed';
import { describeProvenance, learnProvenance, npmPackageAt } from './provenance';
import type { Provenance } from './provenance';

export type ServerSource = 'setting' | 'workspace-npm' | 'python-interpreter' | 'workspace-venv' | 'path' | 'installed';

export const SOURCE_LABELS: Record<ServerSource, string> = {
  setting: 'the setting chroma.local.serverCommand',
  'workspace-npm': "the workspace's node_modules",
  'python-interpreter': 'the selected Python interpreter',
  'workspace-venv': "the workspace's Python environment",
  path: 'the PATH',
  installed: "the extension's own install",
};

/** A Chroma to run: `command args… run --path F --host 127.0.0.1 --port P` (see launch.ts). */
export interface ServerCommand {
  source: ServerSource;
  /** The file that was found (the bin, the script, the setting's program). */
  path: string;
  /** The program, or a JavaScript entry when `node` is true. */
  command: string;
  /** Arguments before `run …` (from the setting's command line). */
  args: string[];
  /** True: `command` is a JavaScript file, run with a Node runner (not through its shebang or a shim). */
  node: boolean;
  provenance: Provenance;
  /** For tooltips: "npm chromadb 3.0.6 (binding 1.0.1) from the workspace's node_modules". */
  description: string;
}

export interface Candidate {
  source: ServerSource;
  /** The path (or command line) looked at. */
  path: string;
  found: boolean;
}

export interface Resolution {
  chosen?: ServerCommand;
  candidates: Candidate[];
  /** Why nothing was chosen when the setting names something unusable. */
  problem?: string;
}

export interface ResolveOptions {
  dataFolder: string;
  workspaceFolders: readonly string[];
  /** The value of `chroma.local.serverCommand` ('' or undefined: not set). */
  setting?: string;
  /** The interpreter the Python extension selected, if any. */
  pythonInterpreter?: string;
  /** Where the installer puts Chroma (a folder in global storage). */
  installDir?: string;
  /** PATH (and PATHEXT on Windows) come from here; process.env by default. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

const VENV_NAMES = ['.venv', 'venv', 'env'];
const JS = /\.(c|m)?js$/i;

async function isExecutableFile(path: string, windows: boolean): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) {
      return false;
    }
    await access(path, windows ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Folders from the data folder's parent up to its workspace folder, then the other workspace folders. */
export function searchFolders(dataFolder: string, workspaceFolders: readonly string[]): string[] {
  const out: string[] = [];
  const root = containingWorkspaceFolder(dataFolder, workspaceFolders);
  let dir = dirname(dataFolder);
  if (root !== undefined && isInside(dataFolder, root) && dataFolder !== root) {
    while (isInside(dir, root)) {
      out.push(dir);
      if (dir === root) {
        break;
      }
      dir = dirname(dir);
    }
  } else {
    out.push(root ?? dir);
  }
  for (const w of workspaceFolders) {
    if (!out.includes(w)) {
      out.push(w);
    }
  }
  return out;
}

async function commandFor(source: ServerSource, path: string, extraArgs: string[] = []): Promise<ServerCommand> {
  const provenance = await learnProvenance(path);
  let command = path;
  let node = JS.test(path);
  if (provenance.kind === 'npm' && extraArgs.length === 0) {
    // Run the package's JavaScript entry with Node: a shebang needs `node` on the PATH, a .cmd shim needs cmd.exe.
    command = provenance.entry;
    node = true;
  }
  return { source, path, command, args: extraArgs, node, provenance, description: `${describeProvenance(provenance)} from ${SOURCE_LABELS[source]}` };
}

/** The programs `name` may be on this platform, in PATH order. */
async function onPath(name: string, env: NodeJS.ProcessEnv, windows: boolean): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(windows ? ';' : delimiter).filter(Boolean);
  const exts = windows && !extname(name) ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const full = join(dir, name + ext.toLowerCase());
      if (await isExecutableFile(full, windows)) {
        return full;
      }
    }
  }
  return undefined;
}

async function fromSetting(setting: string, opts: ResolveOptions, windows: boolean): Promise<Resolution> {
  const workspaceFolder = containingWorkspaceFolder(opts.dataFolder, opts.workspaceFolders) ?? opts.workspaceFolders[0];
  const base = workspaceFolder ?? process.cwd();
  const candidates: Candidate[] = [{ source: 'setting', path: setting, found: false }];
  // The whole value may be one path with blanks in it.
  const whole = resolve(base, setting.split('${workspaceFolder}').join(base));
  let words: string[];
  if (await isExecutableFile(whole, windows)) {
    words = [whole];
  } else {
    try {
      words = splitCommandLine(setting, { windows, workspaceFolder });
    } catch (e) {
      return { candidates, problem: (e as LocalServerError).message };
    }
  }
  const [program, ...args] = words;
  const found = program === undefined ? undefined : /[\\/]/.test(program) ? resolve(base, program) : await onPath(program, opts.env ?? process.env, windows);
  if (!found || !(JS.test(found) || (await isExecutableFile(found, windows)))) {
    const why = program === undefined ? 'it is empty' : `${program} was not found${/[\\/]/.test(program) ? '' : ' on the PATH'} or cannot be run`;
    return { candidates, problem: `The setting chroma.local.serverCommand cannot be used: ${why}. Fix the setting or clear it to use the workspace's Chroma.` };
  }
  candidates[0].found = true;
  const chosen = await commandFor('setting', found, args);
  if (chosen.provenance.kind === 'unknown') {
    // `node …/cli.mjs` or a loader before it: learn from the first argument that is a file.
    for (const arg of args) {
      if (isAbsolute(arg) || /[\\/]/.test(arg)) {
        const p = await learnProvenance(resolve(base, arg));
        if (p.kind !== 'unknown') {
          return { chosen: { ...chosen, provenance: p, description: `${describeProvenance(p)} from ${SOURCE_LABELS.setting}` }, candidates };
        }
      }
    }
  }
  return { chosen, candidates };
}

/** The Chroma for a data folder, and every candidate considered. */
export async function resolveServerCommand(opts: ResolveOptions): Promise<Resolution> {
  const platform = opts.platform ?? process.platform;
  const windows = platform === 'win32';
  if (opts.setting?.trim()) {
    return fromSetting(opts.setting.trim(), opts, windows);
  }
  const candidates: Candidate[] = [];
  const look = async (source: ServerSource, path: string, ok: (p: string) => Promise<boolean>): Promise<boolean> => {
    const found = await ok(path);
    candidates.push({ source, path, found });
    return found;
  };
  const folders = searchFolders(opts.dataFolder, opts.workspaceFolders);
  for (const dir of folders) {
    for (const name of windows ? ['chroma.cmd', 'chroma'] : ['chroma']) {
      const bin = join(dir, 'node_modules', '.bin', name);
      if (await look('workspace-npm', bin, (p) => isExecutableFile(p, windows))) {
        const chosen = await commandFor('workspace-npm', bin);
        if (chosen.provenance.kind === 'npm') {
          return { chosen, candidates };
        }
        candidates[candidates.length - 1].found = false; // a shim whose package is gone
      }
    }
  }
  const venvBins = (root: string) => (windows ? [join(root, 'Scripts', 'chroma.exe'), join(root, 'chroma.exe')] : [join(root, 'bin', 'chroma')]);
  const interpreters = opts.pythonInterpreter ? [dirname(dirname(opts.pythonInterpreter)), dirname(opts.pythonInterpreter)] : [];
  const pythonRoots: [ServerSource, string][] = [
    ...[...new Set(interpreters)].map((r): [ServerSource, string] => ['python-interpreter', r]),
    ...folders.flatMap((dir) => VENV_NAMES.map((n): [ServerSource, string] => ['workspace-venv', join(dir, n)])),
  ];
  const seen = new Set<string>();
  for (const [source, root] of pythonRoots) {
    for (const bin of venvBins(root)) {
      if (!seen.has(bin)) {
        seen.add(bin);
        if (await look(source, bin, (p) => isExecutableFile(p, windows))) {
          return { chosen: await commandFor(source, bin), candidates };
        }
      }
    }
  }
  const fromPath = await onPath('chroma', opts.env ?? process.env, windows);
  candidates.push({ source: 'path', path: fromPath ?? 'chroma', found: fromPath !== undefined });
  if (fromPath) {
    return { chosen: await commandFor('path', fromPath), candidates };
  }
  if (opts.installDir) {
    const installed = await findInstalled(opts.installDir);
    const npm = installed ? await npmPackageAt(installed.packageDir) : undefined;
    candidates.push({ source: 'installed', path: installed?.packageDir ?? opts.installDir, found: npm !== undefined });
    if (npm) {
      return {
        chosen: { source: 'installed', path: npm.entry, command: npm.entry, args: [], node: true, provenance: npm, description: `${describeProvenance(npm)} from ${SOURCE_LABELS.installed}` },
        candidates,
      };
    }
  }
  return { candidates };
}
