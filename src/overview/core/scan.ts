/**
 * Reads a collection's records for the overview: all of them, or a sample of `limit` records spread evenly over the
 * whole collection, with progress and cancel. Embeddings go straight into one Float32Array (n × dim); only the page
 * being read is ever held as number arrays. No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import { ChromaAbortedError } from '../../chroma/errors';
import type { Collection, GetResult, Metadata } from '../../chroma/types';

export interface Scan {
  /** The collection's count (or, when records were added while reading, how many were read). */
  total: number;
  /** True when fewer than total were read. */
  sampled: boolean;
  ids: string[];
  documents: (string | null)[];
  metadatas: (Metadata | null)[];
  /** The most common embedding dimension (0 if none). */
  dim: number;
  /**
   * n × dim, row i = record i; rows of records with another dimension or no embedding are zeros. On a
   * SharedArrayBuffer (where there is one), so project() hands it to its worker without copying.
   */
  vectors: Float32Array;
  /** Indices of records whose embedding has another dimension. */
  dimMismatch: number[];
  /** The dimension of each record in dimMismatch, in the same order (scanCollection always fills it). */
  mismatchDims?: number[];
  /** Indices of records the server sent no embedding for (scanCollection always fills it). */
  noEmbedding?: number[];
}

export interface ScanOptions {
  /** Read at most this many records, spread evenly over the collection (default: all). */
  limit?: number;
  /** Records per request (default 500; Chroma Cloud's 300-record reads are split by the client). */
  pageSize?: number;
  signal?: AbortSignal;
  /** After each page: records read so far, and how many will be read. */
  onProgress?: (read: number, of: number) => void;
}

const DEFAULT_PAGE = 500;
/**
 * A sample is read as this many windows (or more, when the sample needs more pages), at offsets spread over the
 * collection: enough that records added in batches (one file, one import) are all represented.
 */
const MIN_WINDOWS = 20;

/** Half-open ranges [start, end) of offsets to read: one for a full read, else evenly spread windows. */
export function sampleWindows(total: number, limit: number, pageSize: number): [number, number][] {
  if (limit >= total) {
    return [[0, Infinity]];
  }
  if (limit <= 0) {
    return [];
  }
  const windows = Math.min(limit, Math.max(MIN_WINDOWS, Math.ceil(limit / pageSize)));
  const out: [number, number][] = [];
  let end = 0;
  for (let k = 0; k < windows; k++) {
    const size = Math.floor(((k + 1) * limit) / windows) - Math.floor((k * limit) / windows);
    // Window k starts at its share of the collection; never before the previous one ends.
    const start = Math.max(end, Math.floor((k * total) / windows));
    end = Math.min(total, start + size);
    if (end > start) {
      out.push([start, end]);
    }
  }
  return out;
}

interface PageRequest {
  offset: number;
  limit: number;
}

/**
 * The pages of the windows, each at most `pageSize`. A full read ([0, ∞)) is planned in whole pages up to `count`:
 * its last page comes back short unless records were added meanwhile.
 */
function pagesOf(windows: [number, number][], count: number, pageSize: number): PageRequest[] {
  const pages: PageRequest[] = [];
  for (const [start, end] of windows) {
    const stop = Math.min(end, count);
    for (let offset = start; offset < stop; offset += pageSize) {
      pages.push({ offset, limit: end === Infinity ? pageSize : Math.min(pageSize, stop - offset) });
    }
  }
  return pages;
}

/** The same promise, marked handled: a request made ahead and then not awaited (cancel, error) must not crash. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * A Float32Array of `length` zeros, on shared memory where there is any: the projection worker then reads the rows
 * in place (copying 100,000 × 384 floats to a worker costs over a second; sharing costs nothing).
 */
export function sharedFloats(length: number): Float32Array {
  return typeof SharedArrayBuffer === 'function' ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
}

/** Grows a Float32Array by doubling; the rows are filled as pages arrive. */
class RowStore {
  data: Float32Array;
  constructor(
    readonly dim: number,
    capacity: number,
  ) {
    this.data = sharedFloats(Math.max(1, capacity) * dim);
  }
  ensure(rows: number): void {
    if (rows * this.dim > this.data.length) {
      const bigger = sharedFloats(Math.max(rows, (this.data.length / Math.max(1, this.dim)) * 2) * this.dim);
      bigger.set(this.data);
      this.data = bigger;
    }
  }
  /** Exactly `rows` rows. */
  rows(rows: number): Float32Array {
    if (this.data.length === rows * this.dim) {
      return this.data;
    }
    const exact = sharedFloats(rows * this.dim);
    exact.set(this.data.subarray(0, rows * this.dim));
    return exact;
  }
}

/**
 * Reads the records of `collection` with their embeddings, documents and metadatas, in pages of at most `pageSize`
 * records, the next page requested while the last one is stored (two requests at most in flight). A read that is
 * cancelled through `signal` rejects with a ChromaAbortedError.
 */
export async function scanCollection(
  client: ChromaClient,
  collection: Collection | CollectionRef,
  opts: ScanOptions = {},
): Promise<Scan> {
  const signal = opts.signal;
  const stopIfCancelled = () => {
    if (signal?.aborted) {
      throw new ChromaAbortedError(`Reading ${collection.name ?? 'the collection'} was cancelled.`);
    }
  };
  stopIfCancelled();
  const pageSize = Math.max(1, Math.floor(opts.pageSize ?? DEFAULT_PAGE));
  const count = await client.count(collection, { signal });
  const limit = opts.limit === undefined ? Infinity : Math.max(0, Math.floor(opts.limit));
  const wanted = Math.min(limit, count);
  const known = typeof collection.dimension === 'number' && collection.dimension > 0 ? collection.dimension : undefined;
  const rows = new ScanRows(known, wanted);
  const include: ('embeddings' | 'documents' | 'metadatas')[] = ['embeddings', 'documents', 'metadatas'];
  const fetchPage = ({ offset, limit: ask }: PageRequest) => client.get(collection, { include, limit: ask, offset }, { signal });
  const take = (page: GetResult) => {
    rows.take(page);
    opts.onProgress?.(rows.ids.length, Math.max(wanted, rows.ids.length));
  };
  const planned = pagesOf(sampleWindows(count, limit, pageSize), count, pageSize);
  // One request ahead: the server prepares the next page while this one is parsed and stored.
  let next = planned.length ? quiet(fetchPage(planned[0])) : undefined;
  let lastFull = false;
  for (let k = 0; k < planned.length && next; k++) {
    const page = await next;
    stopIfCancelled();
    next = k + 1 < planned.length ? quiet(fetchPage(planned[k + 1])) : undefined;
    take(page);
    lastFull = page.ids.length === planned[k].limit;
  }
  // A full read goes on past the count while pages come back full (records added while reading).
  if (limit >= count && (lastFull || planned.length === 0)) {
    for (let offset = planned.length * pageSize; ; offset += pageSize) {
      stopIfCancelled();
      const page = await fetchPage({ offset, limit: pageSize });
      take(page);
      if (page.ids.length < pageSize) {
        break;
      }
    }
  }
  stopIfCancelled();
  return rows.finish(count);
}

/** The records read so far: ids, documents and metadatas, embeddings in rows by dimension. */
class ScanRows {
  readonly ids: string[] = [];
  private readonly documents: (string | null)[] = [];
  private readonly metadatas: (Metadata | null)[] = [];
  private readonly seen = new Set<string>();
  private store: RowStore | undefined;
  /** Rows whose dimension is not the store's: kept aside until the most common dimension is known. */
  private readonly aside = new Map<number, Float32Array>();
  private readonly dims = new Map<number, number>();
  private readonly noEmbedding: number[] = [];

  constructor(
    known: number | undefined,
    private readonly wanted: number,
  ) {
    this.store = known ? new RowStore(known, wanted) : undefined;
  }

  take(page: GetResult): void {
    for (let i = 0; i < page.ids.length; i++) {
      const id = page.ids[i];
      // A collection changed while being read can hand a record out twice: keep the first.
      if (this.seen.has(id)) {
        continue;
      }
      this.seen.add(id);
      const row = this.ids.length;
      this.ids.push(id);
      this.documents.push(page.documents?.[i] ?? null);
      this.metadatas.push(page.metadatas?.[i] ?? null);
      const embedding = page.embeddings?.[i];
      if (!embedding) {
        this.noEmbedding.push(row);
        continue;
      }
      this.dims.set(embedding.length, (this.dims.get(embedding.length) ?? 0) + 1);
      this.store ??= new RowStore(embedding.length, this.wanted);
      if (embedding.length === this.store.dim) {
        this.store.ensure(row + 1);
        this.store.data.set(embedding, row * this.store.dim);
      } else {
        this.aside.set(row, Float32Array.from(embedding));
      }
    }
  }

  /** The scan of what was read, `count` being the collection's count before reading. */
  finish(count: number): Scan {
    const n = this.ids.length;
    const dim = mostCommon(this.dims);
    const vectors = this.vectors(n, dim);
    const dimMismatch: number[] = [];
    const mismatchDims: number[] = [];
    for (const [row, v] of [...this.aside].sort((a, b) => a[0] - b[0])) {
      if (v.length !== dim) {
        dimMismatch.push(row);
        mismatchDims.push(v.length);
      }
    }
    const total = Math.max(count, n);
    const { ids, documents, metadatas, noEmbedding } = this;
    return { total, sampled: n < total, ids, documents, metadatas, dim, vectors, dimMismatch, mismatchDims, noEmbedding };
  }

  /** n × dim rows of the records of dimension `dim`; the store's other rows are then set aside as mismatches. */
  private vectors(n: number, dim: number): Float32Array {
    const store = this.store;
    // Rows without an embedding, or set aside, at the end were never stored: they are zeros too.
    store?.ensure(n);
    if (dim === 0) {
      return new Float32Array(0);
    }
    if (store && store.dim === dim) {
      return store.rows(n);
    }
    // The store's first dimension lost the vote (only on servers that mix dimensions): rebuild around the winner.
    const vectors = sharedFloats(n * dim);
    for (const [row, v] of this.aside) {
      if (v.length === dim) {
        vectors.set(v, row * dim);
      }
    }
    if (store) {
      for (const [row, v] of storeRows(store, n, this.aside, this.noEmbedding)) {
        this.aside.set(row, v);
      }
    }
    return vectors;
  }
}

/** The rows held in the store (those not set aside and not missing), as their own arrays. */
function storeRows(store: RowStore, n: number, aside: Map<number, Float32Array>, missing: number[]): [number, Float32Array][] {
  const skip = new Set(missing);
  const out: [number, Float32Array][] = [];
  for (let row = 0; row < n; row++) {
    if (!aside.has(row) && !skip.has(row)) {
      out.push([row, store.data.slice(row * store.dim, (row + 1) * store.dim)]);
    }
  }
  return out;
}

/** The key with the highest count (the smaller key on a tie); 0 for none. */
function mostCommon(counts: Map<number, number>): number {
  let best = 0;
  let bestCount = 0;
  for (const [key, c] of counts) {
    if (c > bestCount || (c === bestCount && key < best)) {
      best = key;
      bestCount = c;
    }
  }
  return best;
}
