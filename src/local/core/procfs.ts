/**
 * What the system says about processes: alive or not (any platform), and on Linux, from /proc, a process's command
 * line and which processes hold a file open (its /proc/<pid>/fd links), bounded in time.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether a process with this PID exists (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's arguments from /proc (Linux), undefined elsewhere or when it is gone. */
export async function cmdlineOf(pid: number, procRoot = '/proc'): Promise<string[] | undefined> {
  try {
    const raw = await readFile(join(procRoot, String(pid), 'cmdline'), 'utf8');
    return raw.split('\0').filter((s, i, all) => s !== '' || i < all.length - 1);
  } catch {
    return undefined;
  }
}

export function canReadProc(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux';
}

export interface OpenFileHolder {
  pid: number;
  /** Its command line, joined with spaces and cut to 1,000 characters. */
  command: string;
  /** The files of interest it holds open. */
  files: string[];
}

export interface HolderScan {
  holders: OpenFileHolder[];
  /** Processes whose fd folder could not be read (another user's, without privileges). */
  unreadable: number;
  /** False when the scan stopped at its time bound. */
  complete: boolean;
}

/** Processes holding any of `files` open (the paths /proc shows: real paths), except `excludePids`. Linux only. */
export async function processesHolding(
  files: readonly string[],
  opts: { excludePids?: readonly number[]; timeoutMs?: number; procRoot?: string } = {},
): Promise<HolderScan> {
  const procRoot = opts.procRoot ?? '/proc';
  const wanted = new Set(files);
  const exclude = new Set([process.pid, ...(opts.excludePids ?? [])]);
  const deadline = Date.now() + (opts.timeoutMs ?? 2000);
  const pids = (await readdir(procRoot)).filter((n) => /^\d+$/.test(n)).map(Number).filter((p) => !exclude.has(p));
  const holders: OpenFileHolder[] = [];
  let unreadable = 0;
  for (const pid of pids) {
    if (Date.now() > deadline) {
      return { holders, unreadable, complete: false };
    }
    let fds: string[];
    try {
      fds = await readdir(join(procRoot, String(pid), 'fd'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') {
        unreadable++;
      }
      continue; // EACCES, or it exited meanwhile
    }
    const held = new Set<string>();
    for (const fd of fds) {
      try {
        const target = await readlink(join(procRoot, String(pid), 'fd', fd));
        if (wanted.has(target)) {
          held.add(target);
        }
      } catch {
        // closed meanwhile
      }
    }
    if (held.size) {
      const args = (await cmdlineOf(pid, procRoot)) ?? [];
      const command = args.join(' ');
      holders.push({ pid, command: command.length > 1000 ? `${command.slice(0, 999)}…` : command, files: [...held] });
    }
  }
  return { holders, unreadable, complete: true };
}
