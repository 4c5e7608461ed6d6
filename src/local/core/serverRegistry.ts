/**
 * One server per data folder across windows: a state file per running server in a folder of global storage, named
 * by a hash of the folder's real path, holding its port, PIDs, command and start time. A second window reads it and
 * connects instead of starting a second process on the same files. A state is live only when its PID exists AND its
 * heartbeat answers on that port AND (on Linux) that process's command line names the folder; otherwise the file
 * is stale and removed. Writes are atomic (a temp file renamed over). A start lock (exclusive create) keeps two
 * windows from starting on the same folder at the same moment.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { answersHeartbeat } from './heartbeat';
import { LOCAL_HOST } from './launch';
import { canReadProc, cmdlineOf, pidAlive } from './procfs';

export interface ServerState {
  /** The data folder's real path (the key). */
  folder: string;
  port: number;
  /** The chroma process. */
  pid: number;
  /** Its watchdog, when there is one. */
  watchdogPid?: number;
  /** The extension host that started it. */
  ownerPid: number;
  /** What runs, for tooltips: "npm chromadb 3.0.6 (binding 1.0.1) from the workspace's node_modules". */
  description: string;
  /** The program and arguments that were run. */
  command?: string[];
  /** ISO time. */
  startedAt: string;
  /** For a snapshot: the folder it is a copy of. */
  snapshotOf?: string;
  /** Set by a window that stops another's server, so the owner sees a requested stop, not a crash. */
  stopRequested?: boolean;
}

/** The real path of a folder; for one not made yet, its parent's real path and its name. */
export async function folderKey(folder: string): Promise<string> {
  try {
    return await realpath(folder);
  } catch {
    try {
      return join(await realpath(dirname(folder)), basename(folder));
    } catch {
      return folder;
    }
  }
}

function isState(v: unknown): v is ServerState {
  const s = v as Partial<ServerState> | null;
  return (
    !!s &&
    typeof s.folder === 'string' &&
    Number.isInteger(s.port) &&
    Number.isInteger(s.pid) &&
    Number.isInteger(s.ownerPid) &&
    typeof s.description === 'string' &&
    typeof s.startedAt === 'string'
  );
}

/** PID alive, heartbeat answering on the port, and (Linux) the process's command line naming the folder. */
export async function isLive(state: ServerState, opts: { timeoutMs?: number } = {}): Promise<boolean> {
  if (!pidAlive(state.pid)) {
    return false;
  }
  if (canReadProc()) {
    const args = await cmdlineOf(state.pid);
    if (!args || !args.includes(state.folder)) {
      return false;
    }
  }
  return answersHeartbeat(`http://${LOCAL_HOST}:${state.port}`, { timeoutMs: opts.timeoutMs });
}

export class ServerRegistry {
  /** `dir`: a folder of global storage for the state files (made on first write). */
  constructor(readonly dir: string) {}

  private file(key: string, ext = 'json'): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.${ext}`);
  }

  async read(folder: string): Promise<ServerState | undefined> {
    try {
      const data: unknown = JSON.parse(await readFile(this.file(await folderKey(folder)), 'utf8'));
      return isState(data) ? data : undefined;
    } catch {
      return undefined;
    }
  }

  async write(state: ServerState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(state.folder);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, JSON.stringify(state, null, 2));
    await rename(temp, target);
  }

  /** Removes the folder's state, only if it is still the one of `pid` when given (another window may have replaced it). */
  async remove(folder: string, pid?: number): Promise<void> {
    const key = await folderKey(folder);
    if (pid !== undefined && (await this.read(key))?.pid !== pid) {
      return;
    }
    await rm(this.file(key), { force: true });
  }

  /** The folder's live server, removing a stale state file on the way. */
  async findLive(folder: string, opts: { timeoutMs?: number } = {}): Promise<ServerState | undefined> {
    const state = await this.read(folder);
    if (!state) {
      return undefined;
    }
    if (await isLive(state, opts)) {
      return state;
    }
    await this.remove(state.folder, state.pid);
    return undefined;
  }

  /** Every live server in the registry (stale files removed). */
  async listLive(): Promise<ServerState[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const out: ServerState[] = [];
    for (const name of names) {
      try {
        const data: unknown = JSON.parse(await readFile(join(this.dir, name), 'utf8'));
        if (isState(data) && (await this.findLive(data.folder))) {
          out.push(data);
        }
      } catch {
        // removed meanwhile, or not ours
      }
    }
    return out;
  }

  /**
   * Takes the start lock of a folder, or returns undefined while another live process holds it. A lock whose
   * holder is gone, or older than `staleMs` (a start never takes that long), is taken over.
   */
  async lock(folder: string, staleMs = 120_000): Promise<{ release(): Promise<void> } | undefined> {
    await mkdir(this.dir, { recursive: true });
    const file = this.file(await folderKey(folder), 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return { release: () => rm(file, { force: true }) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw e;
        }
      }
      const holder = Number(await readFile(file, 'utf8').catch(() => ''));
      const age = Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? 0);
      if (pidAlive(holder) && age < staleMs) {
        return undefined;
      }
      await rm(file, { force: true });
    }
    return undefined;
  }
}
