/**
 * Splitting a write into batches the server accepts: by its `max_batch_size`, and by request body size where a byte
 * cap applies (a 0.x server, a configured limit, or one learnt from a 413; see writes.ts). Without a byte cap no
 * record's size is estimated.
 */
import { encodedEmbeddingBytes } from './encoding';
import type { RecordSet, UpdateRecordSet } from './types';

export interface BatchLimits {
  /** Records per request, from the server's pre-flight checks. */
  maxRecords: number;
  /** Estimated JSON body bytes per request; Infinity for no byte cap. */
  maxBytes: number;
  /** Whether embeddings travel as base64 (smaller) or JSON numbers. */
  base64: boolean;
}

/**
 * The body budget on 0.x servers: small enough that one write stays well under the client's timeout there (they take
 * embeddings as JSON numbers only, and are slow to store them), and well under the limits proxies commonly set.
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

/** The end (exclusive) of the batch that starts at `start`: within both limits, and at least one record. */
export function batchEnd(records: RecordSet | UpdateRecordSet, start: number, limits: BatchLimits): number {
  const last = Math.min(records.ids.length, start + Math.max(1, Math.floor(limits.maxRecords)));
  if (limits.maxBytes === Infinity) {
    return last;
  }
  let bytes = recordBytes(records, start, limits.base64);
  let end = start + 1;
  for (; end < last; end++) {
    const size = recordBytes(records, end, limits.base64);
    if (bytes + size > limits.maxBytes) {
      break;
    }
    bytes += size;
  }
  return end;
}

/** Estimated JSON bytes of records [start, end). */
export function batchBytes(records: RecordSet | UpdateRecordSet, start: number, end: number, base64: boolean): number {
  let bytes = 0;
  for (let i = start; i < end; i++) {
    bytes += recordBytes(records, i, base64);
  }
  return bytes;
}

/** Half-open index ranges [start, end) covering all records, each within both limits (a lone huge record alone). */
export function planBatches(records: RecordSet | UpdateRecordSet, limits: BatchLimits): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < records.ids.length; ) {
    const end = batchEnd(records, start, limits);
    ranges.push([start, end]);
    start = end;
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
