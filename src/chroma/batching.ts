/** Splitting a write into batches the server accepts: by its `max_batch_size` and by request body size. */
import { encodedEmbeddingBytes } from './encoding';
import type { RecordSet, UpdateRecordSet } from './types';

export interface BatchLimits {
  /** Records per request, from the server's pre-flight checks. */
  maxRecords: number;
  /** Estimated JSON body bytes per request. */
  maxBytes: number;
  /** Whether embeddings travel as base64 (smaller) or JSON numbers. */
  base64: boolean;
}

/**
 * A default body budget well under the limits proxies and servers commonly set, and small enough that one write
 * stays well under the client's timeout.
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/**
 * Most records per write whatever the server allows: Chroma 1.x's own `max_batch_size`. 0.5/0.6 servers advertise
 * 41,666, and one add of that many small records took 9.7 s idle and over 20 s under load, past the timeout.
 */
export const DEFAULT_MAX_RECORDS_PER_WRITE = 5461;

function utf8Bytes(s: string | null | undefined): number {
  return s ? Buffer.byteLength(s, 'utf8') + 2 : 4;
}

/** Estimated JSON bytes of record `i`: an upper bound close enough to keep bodies under the budget. */
export function recordBytes(records: RecordSet | UpdateRecordSet, i: number, base64: boolean): number {
  let n = utf8Bytes(records.ids[i]) + 4;
  const e = records.embeddings?.[i];
  if (e) {
    n += encodedEmbeddingBytes(e.length, base64);
  }
  n += utf8Bytes(records.documents?.[i]);
  n += utf8Bytes(records.uris?.[i]);
  const m = records.metadatas?.[i];
  n += m ? utf8Bytes(JSON.stringify(m)) : 4;
  return n;
}

/** Half-open index ranges [start, end) covering all records, each within both limits (a lone huge record alone). */
export function planBatches(records: RecordSet | UpdateRecordSet, limits: BatchLimits): Array<[number, number]> {
  const total = records.ids.length;
  const maxRecords = Math.max(1, Math.floor(limits.maxRecords));
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < total; i++) {
    const size = recordBytes(records, i, limits.base64);
    if (i > start && (i - start >= maxRecords || bytes + size > limits.maxBytes)) {
      ranges.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < total) {
    ranges.push([start, total]);
  }
  return ranges;
}

/** Records [start, end) of a record set, as a record set. */
export function sliceRecords<T extends RecordSet | UpdateRecordSet>(records: T, start: number, end: number): T {
  if (start === 0 && end === records.ids.length) {
    return records;
  }
  const out = { ids: records.ids.slice(start, end) } as T;
  if (records.embeddings) {out.embeddings = records.embeddings.slice(start, end);}
  if (records.documents) {out.documents = records.documents.slice(start, end);}
  if (records.metadatas) {(out as RecordSet).metadatas = (records as RecordSet).metadatas?.slice(start, end);}
  if (records.uris) {out.uris = records.uris.slice(start, end);}
  return out;
}
