/**
 * Batch sizes that adapt to the server. Writes start from what pre-flight says (`max_batch_size`) and the client's
 * known limits (Chroma Cloud: 300); reads start from a page size that keeps an answer to a few MiB. Then the server's
 * own answers teach: a quota error ("Quota exceeded: 'Number of records' exceeded quota limit for action 'Upsert':
 * current usage of 1000 exceeds limit of 300", as Chroma Cloud words it) sets the limit it names, and an answer too
 * large to read halves the page. Splitting a write by body size and on 413 stays the client's job (batching.ts).
 * No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import { ChromaError, ChromaResponseTooLargeError } from '../../chroma/errors';
import type { Embedding, Metadata } from '../../chroma/types';
import { formatCount } from '../../util/text';

/** Most records gathered for one write call (the client may still split it by body size). */
export const MAX_WRITE_RECORDS = 1000;
/**
 * Most records per read page, and the answer size a page aims at: with two pages read ahead and one being written,
 * an export holds about three answers (their text, bytes and parsed values) at a time, ~50 MiB at these sizes.
 */
export const MAX_PAGE_RECORDS = 500;
const PAGE_TARGET_BYTES = 4 * 1024 * 1024;

type QuotaKind = 'Number of records' | 'Limit value';

/** The limit a quota error names for `kind`, or undefined when the error is not that quota. */
export function quotaLimit(e: unknown, kind: QuotaKind): number | undefined {
  if (!(e instanceof ChromaError)) {
    return undefined;
  }
  const text = e.serverMessage ?? e.message;
  const m = /'([^']+)' exceeded quota limit for action '[^']*': current usage of \d+ exceeds limit of (\d+)/.exec(text);
  if (!m || m[1] !== kind) {
    return undefined;
  }
  const n = Number(m[2]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A JSON answer's bytes per record with `dimension` values as JSON numbers (~12 characters each) and some text. */
function recordAnswerBytes(dimension: number | null | undefined): number {
  return (dimension ?? 384) * 12 + 512;
}

export class AdaptiveLimits {
  /** What the server taught, for the final report ("at most 300 records per write"). */
  readonly learnt: string[] = [];

  private constructor(
    /** Records per write call. */
    public writeSize: number,
    /** Records per read page. */
    public pageSize: number,
  ) {}

  /** Starting sizes for writes to (and reads from) a client's server; pre-flight is asked once per client. */
  static async of(client: ChromaClient, opts: { dimension?: number | null; signal?: AbortSignal; write?: boolean } = {}): Promise<AdaptiveLimits> {
    let write = MAX_WRITE_RECORDS;
    if (opts.write !== false) {
      const pre = await client.preflight({ signal: opts.signal });
      write = Math.min(write, pre.max_batch_size, client.limits.maxRecordsPerWrite ?? Infinity);
    }
    const page = Math.min(MAX_PAGE_RECORDS, client.limits.maxRecordsPerRead ?? Infinity, Math.floor(PAGE_TARGET_BYTES / recordAnswerBytes(opts.dimension)));
    return new AdaptiveLimits(Math.max(1, Math.floor(write)), Math.max(1, page));
  }

  /** After a failed write: true when it taught a smaller size (send the rest again), else false (a real failure). */
  learnFromWrite(e: unknown): boolean {
    const limit = quotaLimit(e, 'Number of records');
    if (limit !== undefined && limit < this.writeSize) {
      this.writeSize = limit;
      this.learnt.push(`at most ${formatCount(limit)} records per write`);
      return true;
    }
    return false;
  }

  /** After a failed read of `asked` records: true when it taught a smaller page (read it again), else false. */
  learnFromRead(e: unknown, asked: number): boolean {
    // Reads run ahead: several may be refused for the same reason; the size is learnt once.
    const limit = quotaLimit(e, 'Limit value');
    if (limit !== undefined && limit < asked) {
      if (limit < this.pageSize) {
        this.pageSize = limit;
        this.learnt.push(`at most ${formatCount(limit)} records per read`);
      }
      return true;
    }
    if (e instanceof ChromaResponseTooLargeError && asked > 1) {
      const half = Math.max(1, Math.floor(asked / 2));
      if (half < this.pageSize) {
        this.pageSize = half;
        this.learnt.push(`pages of ${formatCount(half)} records (larger answers were too large to read)`);
      }
      return true;
    }
    return false;
  }
}

/** Records ready to write: every one with an embedding. */
export interface WriteBatch {
  ids: string[];
  embeddings: Embedding[];
  documents: (string | null)[];
  metadatas: (Metadata | null)[];
  uris: (string | null)[];
}

function slice(b: WriteBatch, start: number, end: number): WriteBatch {
  if (start === 0 && end === b.ids.length) {
    return b;
  }
  return {
    ids: b.ids.slice(start, end),
    embeddings: b.embeddings.slice(start, end),
    documents: b.documents.slice(start, end),
    metadatas: b.metadatas.slice(start, end),
    uris: b.uris.slice(start, end),
  };
}

/**
 * Upserts a batch in calls of the current write size; a quota error shrinks the size and the rest is sent again
 * (upsert is idempotent, so records a refused call may have carried are simply written once more).
 * `onWritten` gets each call's record count once it is written.
 */
export async function upsertAdaptive(
  client: ChromaClient,
  collection: CollectionRef,
  batch: WriteBatch,
  limits: AdaptiveLimits,
  opts: { signal?: AbortSignal; onWritten?: (n: number) => void } = {},
): Promise<void> {
  const hasUris = batch.uris.some((u) => u !== null);
  for (let start = 0; start < batch.ids.length; ) {
    const end = Math.min(batch.ids.length, start + limits.writeSize);
    const part = slice(batch, start, end);
    try {
      await client.upsert(
        collection,
        { ids: part.ids, embeddings: part.embeddings, documents: part.documents, metadatas: part.metadatas, uris: hasUris ? part.uris : undefined },
        { signal: opts.signal },
      );
    } catch (e) {
      if (limits.learnFromWrite(e)) {
        continue;
      }
      throw e;
    }
    opts.onWritten?.(end - start);
    start = end;
  }
}
