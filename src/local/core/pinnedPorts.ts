/**
 * The port a data folder's server is started on once it has been saved as a connection: a saved connection stores a
 * URL, and a URL holds a port, so the folder's server keeps that port from then on (every start, restart, window)
 * and the saved connection follows the folder. One small JSON file in global storage, keyed by the folder's real
 * path, shared by every window; written whole through a temporary file and a rename.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Bounds what is read back: the file is ours, but a damaged one must not break a start. */
const MAX_ENTRIES = 1000;

function validPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536;
}

export class PinnedPorts {
  constructor(private readonly file: string) {}

  private async readAll(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    let data: unknown;
    try {
      data = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      return out; // none yet, or unreadable: nothing pinned
    }
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      for (const [folder, port] of Object.entries(data).slice(0, MAX_ENTRIES)) {
        if (validPort(port)) {
          out.set(folder, port);
        }
      }
    }
    return out;
  }

  private async writeAll(all: Map<string, number>): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(Object.fromEntries(all), null, 1));
    await rename(temp, this.file);
  }

  /** The port pinned for the folder (its real path), if any. */
  async get(folder: string): Promise<number | undefined> {
    return (await this.readAll()).get(folder);
  }

  async pin(folder: string, port: number): Promise<void> {
    if (!validPort(port)) {
      throw new RangeError(`not a TCP port: ${port}`);
    }
    const all = await this.readAll();
    all.set(folder, port);
    await this.writeAll(all);
  }

  async unpin(folder: string): Promise<void> {
    const all = await this.readAll();
    if (all.delete(folder)) {
      await this.writeAll(all);
    }
  }
}
