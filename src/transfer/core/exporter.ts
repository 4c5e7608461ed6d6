/**
 * Export: a collection (all of it, a filter's matches, or chosen ids) to a JSONL file, page by page with the next
 * page fetched while the current one is written, so memory stays flat whatever the size. Resuming appends to a
 * partial file: a cut-off last line is dropped, the manifest must be the same collection and selection, and the
 * last record written is checked against the server at its position, so a collection that changed meanwhile is
 * reported instead of being resumed into a wrong file. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { quote } from '../../chroma/sanitize';
import type { Collection, GetResult, Include } from '../../chroma/types';
import { formatCount } from '../../util/text';
import { AdaptiveLimits } from './adaptive';
import { TransferError, cancelledBy } from './errors';
import {
  buildManifest,
  canonicalJson,
  encodeManifest,
  normalizeSelection,
  parseManifest,
  recordEncoder,
  recordIdOf,
} from './format';
import type { EmbeddingEncoding, Manifest, RecordEncoder, Selection } from './format';
import { LineWriter, dropPartialLine, scanLines } from './lines';
import { pages } from './pages';
import type { LineScan } from './lines';
import { formatSize } from '../../util/size';
import { formatSeconds } from './report';

export interface ExportOptions {
  client: ChromaClient;
  collection: Collection;
  /** The file's path. */
  file: string;
  /** The file's name for messages (default: the path). */
  fileLabel?: string;
  selection?: Selection;
  embeddingEncoding: EmbeddingEncoding;
  /** Append to a partial export of the same collection and selection in `file`, if it holds one. */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { written: number; total: number }) => void;
  /** The clock for `exportedAt` (tests pin it). */
  now?: () => Date;
}

export interface ExportResult {
  file: string;
  /** Records written by this run. */
  written: number;
  /** Records the file held before this run (resumed), else 0. */
  resumedAfter: number;
  /** Records the export holds when complete (the manifest's count). */
  total: number;
  /** Bytes of a cut-off last line dropped before resuming. */
  droppedBytes: number;
  /** The file's size after this run. */
  bytes: number;
  ms: number;
  cancelled: boolean;
  /** For a whole-collection export: the collection's count changed while it ran (the file may miss records). */
  changedDuring?: { before: number; after: number };
  /** What the server taught about its limits. */
  learnt: string[];
}

/** How a partial export stands, for asking whether to resume. */
export interface PartialExport {
  manifest: Manifest;
  /** Complete record lines. */
  records: number;
  /** Whether it is an export of this collection and selection (so it can be resumed). */
  sameExport: boolean;
}

function sameExport(m: Manifest, client: ChromaClient, collection: Collection, selection: Selection | undefined): boolean {
  return (
    m.collection.id === collection.id &&
    m.source.url === client.baseUrl &&
    m.source.tenant === collection.tenant &&
    m.source.database === collection.database &&
    canonicalJson(m.selection ?? null) === canonicalJson(normalizeSelection(selection) ?? null)
  );
}

/** What an existing file holds, when it is one of our exports; undefined for a missing, empty or foreign file. */
export async function inspectExport(
  file: string,
  client: ChromaClient,
  collection: Collection,
  selection: Selection | undefined,
): Promise<PartialExport | undefined> {
  const scan = await scanLines(file, file);
  if (!scan?.firstLine) {
    return undefined;
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(scan.firstLine, file);
  } catch {
    return undefined;
  }
  return { manifest, records: scan.lines - 1, sameExport: sameExport(manifest, client, collection, selection) };
}

const INCLUDE_ALL: Exclude<Include, 'distances'>[] = ['documents', 'metadatas', 'uris', 'embeddings'];

/** Counts what an export will hold: the collection's count, a filter's matches (ids only), or the chosen ids that exist. */
async function countSelection(client: ChromaClient, collection: Collection, selection: Selection | undefined, signal?: AbortSignal): Promise<number> {
  if (!selection) {
    return client.count(collection, { signal });
  }
  if (selection.ids) {
    let n = 0;
    for (let i = 0; i < selection.ids.length; i += 1000) {
      const got = await client.get(collection, { ids: selection.ids.slice(i, i + 1000), where: selection.where, whereDocument: selection.whereDocument, include: [] }, { signal });
      n += got.ids.length;
    }
    return n;
  }
  let n = 0;
  for await (const page of client.iterateRecords(collection, { where: selection.where, whereDocument: selection.whereDocument, include: [], pageSize: 1000 }, { signal })) {
    n += page.ids.length;
  }
  return n;
}

/** Where a run starts: after `records` lines, at `offset` (paged) or `idIndex` (chosen ids). */
interface Start {
  records: number;
  offset: number;
  idIndex: number;
}

/** Checks a partial file against the collection and finds where to go on. */
async function resumePoint(
  scan: LineScan,
  client: ChromaClient,
  collection: Collection,
  selection: Selection | undefined,
  label: string,
  signal?: AbortSignal,
): Promise<Start> {
  const records = scan.lines - 1;
  if (records === 0) {
    return { records: 0, offset: 0, idIndex: 0 };
  }
  const lastId = recordIdOf(scan.lastLine ?? '');
  if (lastId === undefined) {
    throw new TransferError('changed', `The last line of ${label} is not a record, so the export cannot be resumed. Start it over.`);
  }
  if (selection?.ids) {
    const at = selection.ids.indexOf(lastId);
    if (at < 0) {
      throw new TransferError('changed', `${label} ends with record ${quote(lastId)}, which is not among the chosen records. Start the export over.`);
    }
    return { records, offset: 0, idIndex: at + 1 };
  }
  const page = await client.get(collection, { where: selection?.where, whereDocument: selection?.whereDocument, offset: records - 1, limit: 1, include: [] }, { signal });
  const now = page.ids[0];
  if (now !== lastId) {
    const what = now === undefined ? `it now has fewer than ${formatCount(records)} records${selection ? ' matching' : ''}` : `record ${formatCount(records)} is now ${quote(now)}, the file's last is ${quote(lastId)}`;
    throw new TransferError(
      'changed',
      `"${collection.name}" changed since ${label} was started (${what}), so appending would give a wrong file. Start the export over.`,
    );
  }
  return { records, offset: records, idIndex: 0 };
}

/** A page as the bytes of its lines: line by line into buffers, which is ~5× faster than UTF-8 of one long string. */
function pageBytes(page: GetResult, encode: RecordEncoder): Buffer {
  const parts = new Array<Buffer>(page.ids.length);
  for (let i = 0; i < page.ids.length; i++) {
    parts[i] = Buffer.from(`${encode(page.ids[i], page.documents?.[i], page.metadatas?.[i], page.uris?.[i], page.embeddings?.[i])}\n`, 'utf8');
  }
  return Buffer.concat(parts);
}

/** Where an export begins: a new file's manifest, or the manifest and resume point of the file it appends to. */
interface ExportStart {
  manifest: Manifest;
  start: Start;
  resuming: boolean;
  /** Bytes of a cut-off last line dropped before appending. */
  droppedBytes: number;
  /** Bytes of the file's complete lines before this run. */
  completeBytes: number;
}

async function exportStart(opts: ExportOptions, selection: ReturnType<typeof normalizeSelection>, label: string): Promise<ExportStart> {
  const { client, collection, file, signal } = opts;
  const scan = opts.resume ? await scanLines(file, label, { signal }) : undefined;
  if (scan?.firstLine !== undefined) {
    const manifest = parseManifest(scan.firstLine, label);
    if (!sameExport(manifest, client, collection, selection)) {
      throw new TransferError('other-export', `${label} holds an export of another collection or selection: choose another file, or start over.`);
    }
    const start = await resumePoint(scan, client, collection, manifest.selection, label, signal);
    const droppedBytes = await dropPartialLine(file, scan);
    return { manifest, start, resuming: true, droppedBytes, completeBytes: scan.completeBytes };
  }
  const count = await countSelection(client, collection, selection, signal);
  const manifest = buildManifest({
    collection,
    count,
    sourceUrl: client.baseUrl,
    embeddingEncoding: opts.embeddingEncoding,
    selection,
    exportedAt: (opts.now ?? (() => new Date()))(),
  });
  return { manifest, start: { records: 0, offset: 0, idIndex: 0 }, resuming: false, droppedBytes: 0, completeBytes: scan?.completeBytes ?? 0 };
}

export async function exportCollection(opts: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const { client, collection, file, signal } = opts;
  const label = opts.fileLabel ?? file;
  const selection = normalizeSelection(opts.selection);
  const { manifest, start, resuming, droppedBytes, completeBytes } = await exportStart(opts, selection, label);
  const encoding = manifest.embeddingEncoding;
  const encode = recordEncoder(encoding);
  const limits = await AdaptiveLimits.of(client, { dimension: collection.dimension, signal, write: false });
  const include = encoding === 'none' ? INCLUDE_ALL.filter((i) => i !== 'embeddings') : INCLUDE_ALL;
  const writer = await LineWriter.open(file, resuming);
  let written = 0;
  const total = manifest.count;
  const result = (cancelled: boolean, bytes: number): ExportResult => ({
    file,
    written,
    resumedAfter: start.records,
    total,
    droppedBytes,
    bytes,
    ms: performance.now() - started,
    cancelled,
    learnt: limits.learnt,
  });
  let size = completeBytes;
  try {
    if (!resuming) {
      await writer.write(encodeManifest(manifest) + '\n');
    }
    opts.onProgress?.({ written: start.records, total });
    for await (const page of pages(client, collection, manifest.selection, start, limits, include, signal)) {
      await writer.write(pageBytes(page, encode));
      written += page.ids.length;
      opts.onProgress?.({ written: start.records + written, total });
      if (signal?.aborted) {
        break;
      }
    }
  } catch (e) {
    await writer.close();
    size += writer.written;
    if (cancelledBy(signal)) {
      return result(true, size);
    }
    const why = e instanceof Error ? e.message : String(e);
    throw new TransferError(
      'failed',
      `${why.replace(/\.?$/, '.')} ${formatCount(start.records + written)} records are in ${label}; export again to the same file to resume.`,
    );
  }
  await writer.close();
  size += writer.written;
  if (signal?.aborted) {
    return result(true, size);
  }
  const out = result(false, size);
  if (!manifest.selection) {
    const after = await client.count(collection, { signal }).catch(() => undefined);
    if (after !== undefined && after !== start.records + written) {
      out.changedDuring = { before: total, after };
    }
  }
  return out;
}

/** The one-line report of an export. */
export function describeExport(r: ExportResult, name: string, label: string): string {
  const done = r.resumedAfter + r.written;
  // a resume after the collection grew appends the new records too; the manifest keeps the first count
  const records = done > r.total ? `${formatCount(done)} records (${formatCount(r.total)} when the export began)` : `${formatCount(done)} of ${formatCount(r.total)} records`;
  if (r.cancelled) {
    return `Export of "${name}" cancelled: ${records} are in ${label}. Export again to the same file to resume.`;
  }
  const resumed = r.resumedAfter > 0 ? ` (resumed: ${formatCount(r.resumedAfter)} were there, ${formatCount(r.written)} added)` : '';
  const dropped = r.droppedBytes > 0 ? `; a cut-off last line (${formatSize(r.droppedBytes)}) was dropped first` : '';
  const changed = r.changedDuring
    ? ` Warning: the collection had ${formatCount(r.changedDuring.before)} records when the export started and ${formatCount(r.changedDuring.after)} at its end; export again for an exact copy.`
    : '';
  const learnt = r.learnt.length ? ` The server allowed ${r.learnt.join(', ')}.` : '';
  return `Exported ${records} of "${name}" to ${label}${resumed}${dropped}: ${formatSize(r.bytes)} in ${formatSeconds(r.ms)}.${changed}${learnt}`;
}
