/**
 * Writes (add, upsert, update): checked before sending, split into batches the server takes, sent one after another
 * so that "what was written" stays exact when a write fails or is cancelled. A batch holds at most the server's
 * `max_batch_size` records (and the client's own cap); a byte cap applies only where one is needed: on 0.x servers,
 * where a configured limit says so, and after a server or proxy refused a body as too large (413), when the client
 * learns a bound under what was refused and sends the rest (and later writes) under it. No `vscode` here.
 */
import { DEFAULT_MAX_PAYLOAD_BYTES, batchBytes, batchEnd, sliceRecords } from './batching';
import { colPath } from './caller';
import type { ApiCaller } from './caller';
import type { CollectionRef, WriteOptions, WriteResult } from './clientTypes';
import { encodeEmbeddings } from './encoding';
import { ChromaError, ChromaInvalidArgumentError, ChromaServerError } from './errors';
import type { RecordLimits } from './limits';
import { hasListValues } from './listValues';
import { oneLine } from './sanitize';
import type { Server } from './server';
import { anyShape } from './shapes';
import type { PreflightChecks, RecordSet, UpdateRecordSet } from './types';
import { validateRecordSet, validateUpdateRecordSet } from './validate';

export type WriteOp = 'add' | 'upsert' | 'update';

/**
 * A failed write whose server said the embeddings' dimension is wrong, as a refusal that shows its words. 0.x can
 * answer this with a 500 whose body has only the Python exception (`{"error": "InvalidDimensionException('Embedding
 * dimension 2 does not match collection dimensionality 3')"}`): the words are in it, not in a message.
 */
function dimensionRefusal(e: unknown, host: string): ChromaInvalidArgumentError | undefined {
  if (!(e instanceof ChromaServerError)) {
    return undefined;
  }
  const said = e.serverMessage ?? /^\w*Dimension\w*\((['"])(.*)\1\)$/s.exec(e.serverKind ?? '')?.[2];
  if (said === undefined || !/dimension/i.test(said)) {
    return undefined;
  }
  return new ChromaInvalidArgumentError(
    `Chroma at ${host} refused the records: ${oneLine(said, 200).replace(/\.?$/, '.')} Use the same embedding model for every record of a collection.`,
    { status: e.status, serverKind: e.serverKind, serverMessage: said, operation: e.operation },
  );
}

/** A 0.5.18–0.6.x server: its pre-flight has no `supports_base64_encoding` (every 1.x one has it). */
export function isLegacyPreflight(pre: PreflightChecks): boolean {
  return pre.supports_base64_encoding === undefined;
}

export class Writes {
  /** A bound on a body's estimated bytes learnt from a 413 (Infinity until one came). */
  private learntMaxBytes = Infinity;

  constructor(
    private readonly caller: ApiCaller,
    private readonly server: Server,
    private readonly caps: { maxPayloadBytes?: number; maxRecordsPerWrite: number },
  ) {}

  async write(op: WriteOp, collection: CollectionRef, records: RecordSet | UpdateRecordSet, opts: WriteOptions): Promise<WriteResult> {
    await this.validate(op, collection, records, opts);
    const pre = await this.server.preflight(opts);
    const base64 = pre.supports_base64_encoding === true;
    // Chroma Cloud's pre-flight has said 1,000 where it takes 300: its documented limit wins.
    const maxRecords = Math.min(pre.max_batch_size, this.caps.maxRecordsPerWrite, this.server.limits.maxRecordsPerWrite ?? Infinity);
    const path = `${colPath(collection)}/${op}`;
    const total = records.ids.length;
    const result: WriteResult = { written: 0, batches: 0 };
    for (let start = 0; start < total; ) {
      const end = batchEnd(records, start, { maxRecords, maxBytes: this.maxBytes(pre), base64 });
      try {
        await this.send(op, path, sliceRecords(records, start, end), base64, opts);
      } catch (e) {
        if (e instanceof ChromaError && e.code === 'payload-too-large' && end - start > 1) {
          // Nothing of this batch was written: keep bodies under half of it from now on, and send it again so.
          this.learntMaxBytes = Math.min(this.learntMaxBytes, Math.floor(batchBytes(records, start, end, base64) / 2));
          continue;
        }
        throw dimensionRefusal(e, this.caller.host) ?? e;
      }
      result.written += end - start;
      result.batches += 1;
      opts.onProgress?.(result.written, total);
      start = end;
    }
    return result;
  }

  /** The byte cap of one body: the configured one, else 8 MiB on a 0.x server, else none; under a learnt one. */
  private maxBytes(pre: PreflightChecks): number {
    const configured = this.caps.maxPayloadBytes;
    const cap = configured !== undefined && configured > 0 ? configured : isLegacyPreflight(pre) ? DEFAULT_MAX_PAYLOAD_BYTES : Infinity;
    return Math.min(cap, this.learntMaxBytes);
  }

  /** Checked by the client's limits; list values also by whether the server takes them (asked only when there are some). */
  private async validate(op: WriteOp, collection: CollectionRef, records: RecordSet | UpdateRecordSet, opts: WriteOptions): Promise<void> {
    const check = (limits: RecordLimits) =>
      op === 'update'
        ? validateUpdateRecordSet(records, collection.dimension, limits)
        : validateRecordSet(records as RecordSet, collection.dimension, limits);
    check(this.server.limits);
    // list values passed Chroma 1.5's rules: a server too old for them refuses the first one, saying so
    if (hasListValues(records.metadatas)) {
      const limits = await this.server.recordLimits({ signal: opts.signal });
      if (limits.listsRefusedBy !== undefined) {
        check(limits);
      }
    }
  }

  private async send(op: WriteOp, path: string, slice: RecordSet | UpdateRecordSet, base64: boolean, opts: WriteOptions): Promise<void> {
    const body = {
      ids: slice.ids,
      embeddings: slice.embeddings ? encodeEmbeddings(slice.embeddings, base64) : undefined,
      documents: slice.documents,
      metadatas: slice.metadatas,
      uris: slice.uris,
    };
    const post = () => this.caller.call('POST', path, anyShape, { signal: opts.signal, idempotent: op === 'upsert', body });
    try {
      await post();
    } catch (e) {
      // A timed-out write may or may not have landed. An upsert writes the same records again either way, so it is
      // sent once more; an add or update is not (whether it was written is unknown, and says so).
      if (!(op === 'upsert' && e instanceof ChromaError && e.code === 'timeout')) {
        throw e;
      }
      await post();
    }
  }
}
