/**
 * Reading and appending JSON Lines files in constant memory: lines streamed from disk one chunk at a time, a file
 * scanned for resuming (its first line, how many complete lines, the last one, where a partial line starts), and
 * whole pages of lines appended with each write awaited (the backpressure: nothing piles up in memory).
 * No `vscode` here.
 */
import { createReadStream } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { TransferError } from './errors';

const NEWLINE = 0x0a;
const CHUNK_BYTES = 1024 * 1024;
/** A longer line is refused rather than read into memory (a 16 KB document is Cloud's limit; 10 MB ones happen). */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

function lineText(buf: Buffer): string {
  const end = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length;
  return buf.toString('utf8', 0, end);
}

/**
 * The lines of a file, in order, without their `\n` (or `\r\n`); a last line without a newline is yielded too.
 * `name` is for messages.
 */
export async function* readLines(path: string, name: string, opts: { signal?: AbortSignal } = {}): AsyncGenerator<string, void, undefined> {
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal: opts.signal });
  let carry: Buffer[] = [];
  let carried = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        const piece = chunk.subarray(start, nl);
        if (carried > 0) {
          carry.push(piece);
          yield lineText(Buffer.concat(carry));
          carry = [];
          carried = 0;
        } else {
          yield lineText(piece);
        }
        start = nl + 1;
      }
      if (start < chunk.length) {
        carried += chunk.length - start;
        if (carried > MAX_LINE_BYTES) {
          throw new TransferError('bad-line', `${name} has a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not a file this can read.`);
        }
        // copied: the stream may reuse its chunk
        carry.push(Buffer.from(chunk.subarray(start)));
      }
    }
    if (carried > 0) {
      yield lineText(Buffer.concat(carry));
    }
  } finally {
    stream.destroy();
  }
}

/** What a file holds, for resuming an export into it. */
export interface LineScan {
  /** The file's size in bytes. */
  size: number;
  /** Complete lines (each ended by `\n`). */
  lines: number;
  /** The first complete line, if any. */
  firstLine?: string;
  /** The last complete line, if any (the same as the first when there is one). */
  lastLine?: string;
  /** Bytes up to and including the last `\n`: what is kept when a partial last line is dropped. */
  completeBytes: number;
}

async function readRange(fh: FileHandle, start: number, end: number, name: string): Promise<string> {
  if (end - start > MAX_LINE_BYTES) {
    throw new TransferError('bad-line', `${name} has a line of more than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not a file this can read.`);
  }
  const buf = Buffer.alloc(end - start);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
    if (bytesRead === 0) {
      break;
    }
    got += bytesRead;
  }
  return lineText(buf.subarray(0, got));
}

/**
 * Scans a file in one pass (reading, never changing it): its complete lines, the first and last of them, and where
 * a partial last line begins. Undefined when the file does not exist.
 */
export async function scanLines(path: string, name: string, opts: { signal?: AbortSignal } = {}): Promise<LineScan | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let lines = 0;
    let first = -1;
    let last = -1;
    let beforeLast = -1;
    for (let pos = 0; pos < size; ) {
      if (opts.signal?.aborted) {
        throw new TransferError('failed', `Reading ${name} was cancelled.`);
      }
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) {
        break;
      }
      const view = buf.subarray(0, bytesRead);
      for (let i = view.indexOf(NEWLINE); i !== -1; i = view.indexOf(NEWLINE, i + 1)) {
        lines++;
        beforeLast = last;
        last = pos + i;
        if (first < 0) {
          first = last;
        }
      }
      pos += bytesRead;
    }
    const scan: LineScan = { size, lines, completeBytes: last + 1 };
    if (lines > 0) {
      scan.firstLine = await readRange(fh, 0, first, name);
      scan.lastLine = lines === 1 ? scan.firstLine : await readRange(fh, beforeLast + 1, last, name);
    }
    return scan;
  } finally {
    await fh.close();
  }
}

/** Drops what follows the last complete line (a line cut off by a crash or a kill). */
export async function dropPartialLine(path: string, scan: LineScan): Promise<number> {
  const dropped = scan.size - scan.completeBytes;
  if (dropped > 0) {
    await truncate(path, scan.completeBytes);
  }
  return dropped;
}

/** Appends text to a file, one awaited write at a time. */
export class LineWriter {
  private bytes = 0;

  private constructor(private readonly fh: FileHandle) {}

  /** `append`: after what the file holds; else the file is emptied first. */
  static async open(path: string, append: boolean): Promise<LineWriter> {
    return new LineWriter(await open(path, append ? 'a' : 'w'));
  }

  /** Bytes written through this writer. */
  get written(): number {
    return this.bytes;
  }

  /** Writes `data` (text as UTF-8) completely before resolving. */
  async write(data: string | Buffer): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await this.fh.writeFile(buf);
    this.bytes += buf.length;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
