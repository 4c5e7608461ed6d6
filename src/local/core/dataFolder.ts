/**
 * Chroma data folders: a folder that holds `chroma.sqlite3` (beside one folder per segment). Telling one, sizing it
 * (a walk bounded in entries and time), naming it for people ("./chroma"), and making a new empty one.
 */
import { lstat, mkdir, opendir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { LocalServerError, errorText } from './errors';
import { formatSize as formatBytes } from '../../util/size';

export const SQLITE_FILE = 'chroma.sqlite3';
/** The folder `New Local Chroma…` proposes, relative to a workspace folder. */
export const DEFAULT_NEW_FOLDER = 'chroma';

export async function isDataFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, SQLITE_FILE))).isFile();
  } catch {
    return false;
  }
}

/** The data folder of a `chroma.sqlite3` path (what `workspace.findFiles('**\/chroma.sqlite3')` gives), else undefined. */
export function dataFolderOfSqlite(file: string): string | undefined {
  return basename(file) === SQLITE_FILE ? dirname(file) : undefined;
}

export interface DataFolderInfo {
  path: string;
  /** Bytes of the regular files counted (symbolic links are not followed). */
  sizeBytes: number;
  /** False when the walk stopped at its entry or time bound: sizeBytes is then a lower bound. */
  sizeComplete: boolean;
  /** When chroma.sqlite3 last changed; undefined when the folder has none. */
  sqliteModified?: Date;
}

export interface SizeBounds {
  /** Most entries visited (default 20,000). */
  maxEntries?: number;
  /** Longest walk in ms (default 2,000). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Size of the folder and the time its database last changed. The walk is bounded, never unbounded on a huge folder. */
export async function dataFolderInfo(dir: string, bounds: SizeBounds = {}): Promise<DataFolderInfo> {
  let sqliteModified: Date | undefined;
  try {
    sqliteModified = (await stat(join(dir, SQLITE_FILE))).mtime;
  } catch {
    sqliteModified = undefined;
  }
  const { bytes, complete } = await folderSize(dir, bounds);
  return { path: dir, sizeBytes: bytes, sizeComplete: complete, sqliteModified };
}

async function folderSize(root: string, bounds: SizeBounds): Promise<{ bytes: number; complete: boolean }> {
  const maxEntries = bounds.maxEntries ?? 20_000;
  const deadline = Date.now() + (bounds.timeoutMs ?? 2_000);
  let entries = 0;
  let bytes = 0;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop() as string;
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      continue; // unreadable: counted as empty
    }
    for await (const entry of handle) {
      if (++entries > maxEntries || Date.now() > deadline || bounds.signal?.aborted) {
        return { bytes, complete: false }; // leaving the loop closes the handle
      }
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        stack.push(full);
      } else if (entry.isFile()) {
        try {
          bytes += (await lstat(full)).size;
        } catch {
          // removed while walking
        }
      }
    }
  }
  return { bytes, complete: true };
}

/**
 * Makes a folder for a new, empty Chroma (the server writes chroma.sqlite3 on its first start). An existing empty
 * folder is fine; one with files in it, or a data folder already, is refused: nothing in it is touched.
 */
export async function createDataFolder(dir: string): Promise<void> {
  let names: string[] | undefined;
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new LocalServerError(`${dir} is a file, not a folder. Choose another place for the new Chroma.`, 'folder');
    }
    names = undefined; // missing: made below
  }
  if (names?.includes(SQLITE_FILE)) {
    throw new LocalServerError(`${dir} is already a Chroma data folder: open it instead of making a new one.`, 'folder');
  }
  if (names?.length) {
    throw new LocalServerError(`${dir} is not empty (${names.length} entries). Choose an empty or new folder for the new Chroma.`, 'folder');
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new LocalServerError(`Could not make the folder ${dir}: ${errorText(e)}.`, 'folder');
  }
}

/** The workspace folder holding `path`, the deepest when they nest. */
export function containingWorkspaceFolder(path: string, workspaceFolders: readonly string[]): string | undefined {
  return workspaceFolders
    .filter((w) => isInside(path, w))
    .sort((a, b) => b.length - a.length)[0];
}

export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * How people see a data folder: `./chroma` inside the (only) workspace folder, `name/chroma` in a multi-root
 * workspace, `~/…` under the home folder, else the absolute path.
 */
export function displayPath(path: string, workspaceFolders: readonly string[], home?: string): string {
  const ws = containingWorkspaceFolder(path, workspaceFolders);
  if (ws !== undefined) {
    const rel = relative(ws, path).split(sep).join('/');
    if (workspaceFolders.length > 1) {
      return rel ? `${basename(ws)}/${rel}` : basename(ws);
    }
    return rel ? `./${rel}` : '.';
  }
  if (home && isInside(path, home)) {
    return `~/${relative(home, path).split(sep).join('/')}`;
  }
  return path;
}

/** "12 MiB", for the node's description; "≥ 12 MiB" when the walk stopped before the end. */
export function formatSize(bytes: number, complete = true): string {
  const text = formatBytes(bytes);
  return complete ? text : `≥ ${text}`;
}
