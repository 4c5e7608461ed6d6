/**
 * Snapshots: when another process has a data folder open, a copy of it in global storage is served instead, so
 * nothing we do writes to the user's files. Each snapshot is `<snapshotsDir>/<id>/data` (the Chroma folder) beside
 * `snapshot.json` (what it is a copy of, its label, whether to keep it). A snapshot is deleted when its server stops
 * unless the user keeps it; leftovers of a window that died are found by listSnapshots.
 *
 * The copy is made file by file while the other process may be writing: SQLite's own files are copied first and
 * last-changed files again if they changed during the copy, but a copy of a database being written can still be
 * torn; Chroma then reports it when it opens the snapshot, and the original is never touched either way.
 */
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SQLITE_FILE } from './dataFolder';
import { LocalServerError, errorText } from './errors';

export const SNAPSHOT_META = 'snapshot.json';

export interface Snapshot {
  /** The snapshot's own folder (holds data/ and snapshot.json). */
  dir: string;
  /** The Chroma data folder to serve. */
  dataDir: string;
  /** The folder it is a copy of (absolute). */
  source: string;
  /** "snapshot of ./chroma, 12:03" */
  label: string;
  createdAt: string;
  keep: boolean;
}

/** "snapshot of ./chroma, 12:03" (the time of day in the local zone, 24-hour). */
export function snapshotLabel(displayPath: string, at: Date): string {
  const hh = String(at.getHours()).padStart(2, '0');
  const mm = String(at.getMinutes()).padStart(2, '0');
  return `snapshot of ${displayPath}, ${hh}:${mm}`;
}

async function sqliteStamp(dir: string): Promise<string> {
  const s = await stat(join(dir, SQLITE_FILE)).catch(() => undefined);
  return s ? `${s.size}:${s.mtimeMs}` : '';
}

/** Copies `source` into a new snapshot under `snapshotsDir`. */
export async function createSnapshot(source: string, snapshotsDir: string, opts: { displayPath: string; now?: Date }): Promise<Snapshot> {
  const at = opts.now ?? new Date();
  const id = `${at.toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  const dir = join(snapshotsDir, id);
  const dataDir = join(dir, 'data');
  try {
    await mkdir(dir, { recursive: true });
    // Up to three tries while the database keeps changing under the copy.
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await sqliteStamp(source);
      await rm(dataDir, { recursive: true, force: true });
      await cp(source, dataDir, { recursive: true, preserveTimestamps: true, errorOnExist: false });
      if ((await sqliteStamp(source)) === before) {
        break;
      }
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new LocalServerError(`Could not copy ${opts.displayPath} into a snapshot: ${errorText(e)}.`, 'folder');
  }
  const snap: Snapshot = { dir, dataDir, source, label: snapshotLabel(opts.displayPath, at), createdAt: at.toISOString(), keep: false };
  await writeMeta(snap);
  return snap;
}

async function writeMeta(s: Snapshot): Promise<void> {
  const { source, label, createdAt, keep } = s;
  await writeFile(join(s.dir, SNAPSHOT_META), JSON.stringify({ source, label, createdAt, keep }, null, 2));
}

/** Marks a snapshot to be kept when its server stops. */
export async function keepSnapshot(s: Snapshot): Promise<Snapshot> {
  const kept = { ...s, keep: true };
  await writeMeta(kept);
  return kept;
}

export async function deleteSnapshot(s: Snapshot): Promise<void> {
  await rm(s.dir, { recursive: true, force: true });
}

/** The snapshots in `snapshotsDir`, oldest first. */
export async function listSnapshots(snapshotsDir: string): Promise<Snapshot[]> {
  let names: string[];
  try {
    names = await readdir(snapshotsDir);
  } catch {
    return [];
  }
  const out: Snapshot[] = [];
  for (const name of names) {
    const dir = join(snapshotsDir, name);
    try {
      const m = JSON.parse(await readFile(join(dir, SNAPSHOT_META), 'utf8')) as Partial<Snapshot>;
      if (typeof m.source === 'string' && typeof m.label === 'string' && typeof m.createdAt === 'string') {
        out.push({ dir, dataDir: join(dir, 'data'), source: m.source, label: m.label, createdAt: m.createdAt, keep: m.keep === true });
      }
    } catch {
      // a copy that never finished: not listed
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
