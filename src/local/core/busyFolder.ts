/**
 * Is a data folder in use by another process? Chroma's folder is not safe for two processes at once. Linux shows it
 * (/proc/<pid>/fd links to chroma.sqlite3 and its -wal, -shm and -journal files); elsewhere we say we cannot check.
 */
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { SQLITE_FILE } from './dataFolder';
import { canReadProc, processesHolding } from './procfs';
import type { OpenFileHolder } from './procfs';

export type BusyCheck =
  | { checked: false; reason: string }
  | {
      checked: true;
      /** Other processes with the folder's database open: empty when it is free. */
      holders: OpenFileHolder[];
      /** False when the scan ran out of time or some processes could not be read: a free answer is then not certain. */
      certain: boolean;
      /** Processes that could not be looked at (another user's). */
      unreadable: number;
    };

export async function checkFolderBusy(
  folder: string,
  opts: { excludePids?: readonly number[]; timeoutMs?: number; platform?: NodeJS.Platform } = {},
): Promise<BusyCheck> {
  if (!canReadProc(opts.platform)) {
    return { checked: false, reason: 'This system does not let the extension see which processes have the folder open.' };
  }
  let real = folder;
  try {
    real = await realpath(folder);
  } catch {
    // a folder not made yet holds nothing
    return { checked: true, holders: [], certain: true, unreadable: 0 };
  }
  const db = join(real, SQLITE_FILE);
  const files = [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];
  const scan = await processesHolding(files, { excludePids: opts.excludePids, timeoutMs: opts.timeoutMs });
  return { checked: true, holders: scan.holders, certain: scan.complete && scan.unreadable === 0, unreadable: scan.unreadable };
}

/** "pid 4242 (python app.py)", for the modal that names the other process. */
export function describeHolder(h: OpenFileHolder): string {
  return h.command ? `pid ${h.pid} (${h.command})` : `pid ${h.pid}`;
}
