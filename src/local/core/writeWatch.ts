/**
 * Tells when a running server has written to its data folder, so the size shown for it follows (a new folder is
 * 0 B until Chroma writes chroma.sqlite3 at its start, and grows with every write). Watches the folder itself, not
 * its tree: every write goes through chroma.sqlite3 (and its -wal file) at the top, which inotify, FSEvents and
 * ReadDirectoryChangesW all report for a watched folder. Calls are throttled: at most one per `intervalMs`, and the
 * last write of a burst is always followed by one, so a long import updates the size as it goes and once at its end.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';

export interface WriteWatch {
  dispose(): void;
}

export function watchWrites(folder: string, onWrite: () => void, opts: { intervalMs?: number } = {}): WriteWatch {
  const interval = opts.intervalMs ?? 1000;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    if (!disposed) {
      onWrite();
    }
  };
  const changed = () => {
    if (disposed || timer) {
      return;
    }
    timer = setTimeout(fire, Math.max(0, last + interval - Date.now()));
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(folder, { persistent: false }, changed);
    watcher.on('error', () => watcher?.close()); // the folder went away: nothing more to follow
  } catch {
    watcher = undefined; // cannot be watched here: the size is refreshed when the server stops, as before
  }
  return {
    dispose() {
      disposed = true;
      watcher?.close();
      if (timer) {
        clearTimeout(timer);
      }
    },
  };
}
