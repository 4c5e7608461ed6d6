/**
 * Where import and copy write: records arrive in batches; ids already in the target are skipped when resuming;
 * records without an embedding (or all, when re-embedding) are embedded from their documents with the target's
 * function; then they are upserted in batches that adapt to the server. One write is in flight while the next batch
 * is read and prepared, so reading and writing overlap. Nothing is ever sent without embeddings. No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import { checkDimension } from '../../embedding/core/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { upsertAdaptive } from './adaptive';
import type { AdaptiveLimits, WriteBatch } from './adaptive';
import type { TransferRecord } from './format';

/** Texts per embedding call (hosted functions cap inputs per request; the local model batches this many well). */
const EMBED_BATCH = 64;
/** Ids of skipped records kept for the report. */
const KEEP_IDS = 5;

export interface SinkCounts {
  /** Records the server confirmed written. */
  written: number;
  /** Records left out because the target already had their id (resuming). */
  skippedExisting: number;
  /** Records left out because they have neither an embedding nor a document to embed. */
  skippedNoText: number;
  /** The first few of those, for the report. */
  noTextIds: string[];
  /** Records embedded here (from their documents). */
  embedded: number;
}

export interface SinkOptions {
  client: ChromaClient;
  collection: CollectionRef;
  limits: AdaptiveLimits;
  /** Leave out records whose id the target already has (resume), instead of overwriting them. */
  skipExisting: boolean;
  /** The target's function: embeds records that come without an embedding, or all of them with `reembed`. */
  embedder?: EmbeddingFunction;
  reembed?: boolean;
  signal?: AbortSignal;
  onProgress?: (c: SinkCounts) => void;
}

export class RecordSink {
  readonly counts: SinkCounts = { written: 0, skippedExisting: 0, skippedNoText: 0, noTextIds: [], embedded: 0 };
  private inFlight?: Promise<void>;
  private failure?: { error: unknown };
  private readonly target: CollectionRef;
  private embedder?: EmbeddingFunction;

  constructor(private readonly opts: SinkOptions) {
    // a copy: the dimension is filled in by the first write to an empty collection
    this.target = { ...opts.collection };
    this.embedder = opts.embedder;
  }

  /** Sets the function for records without an embedding, once it is known. */
  setEmbedder(embedder: EmbeddingFunction | undefined): void {
    this.embedder = embedder;
  }

  /** Records per batch worth gathering before `push`. */
  get batchSize(): number {
    return this.opts.limits.writeSize;
  }

  /** Prepares a batch (skip, embed) and starts writing it once the previous write is done. */
  async push(records: readonly TransferRecord[]): Promise<void> {
    this.rethrow();
    const batch = await this.prepare(records);
    await this.settle();
    if (batch.ids.length === 0) {
      this.opts.onProgress?.({ ...this.counts });
      return;
    }
    const run = this.write(batch);
    this.inFlight = run.then(
      () => undefined,
      (error: unknown) => {
        this.failure = { error };
      },
    );
  }

  /** Waits for the last write; throws its failure, if any. */
  async finish(): Promise<SinkCounts> {
    await this.settle();
    return { ...this.counts };
  }

  private async settle(): Promise<void> {
    if (this.inFlight) {
      await this.inFlight;
      this.inFlight = undefined;
    }
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure) {
      throw this.failure.error;
    }
  }

  private async write(batch: WriteBatch): Promise<void> {
    const { client, limits, signal } = this.opts;
    await upsertAdaptive(client, this.target, batch, limits, {
      signal,
      onWritten: (n) => {
        this.counts.written += n;
        this.opts.onProgress?.({ ...this.counts });
      },
    });
    this.target.dimension ??= batch.embeddings[0]?.length;
  }

  private async prepare(records: readonly TransferRecord[]): Promise<WriteBatch> {
    const { client, signal } = this.opts;
    let keep = records;
    if (this.opts.skipExisting && records.length > 0) {
      const found = await client.get(this.target, { ids: records.map((r) => r.id), include: [] }, { signal });
      const present = new Set(found.ids);
      keep = records.filter((r) => !present.has(r.id));
      this.counts.skippedExisting += records.length - keep.length;
    }
    const embeddings: (TransferRecord['embedding'])[] = keep.map((r) => (this.opts.reembed ? null : r.embedding));
    const missing: number[] = [];
    embeddings.forEach((e, i) => e === null && missing.push(i));
    const dropped = new Set<number>();
    if (missing.length > 0) {
      const embedder = this.embedder;
      const texts: number[] = [];
      for (const i of missing) {
        const doc = keep[i].document;
        if (doc === null || doc === '' || !embedder) {
          dropped.add(i);
          this.counts.skippedNoText++;
          if (this.counts.noTextIds.length < KEEP_IDS) {
            this.counts.noTextIds.push(keep[i].id);
          }
        } else {
          texts.push(i);
        }
      }
      for (let s = 0; s < texts.length; s += EMBED_BATCH) {
        const part = texts.slice(s, s + EMBED_BATCH);
        const vectors = await embedder!.embed(part.map((i) => keep[i].document as string), { signal });
        checkDimension(vectors, this.target.dimension, embedder!.name);
        part.forEach((i, k) => (embeddings[i] = vectors[k]));
        this.counts.embedded += part.length;
      }
    }
    const batch: WriteBatch = { ids: [], embeddings: [], documents: [], metadatas: [], uris: [] };
    keep.forEach((r, i) => {
      if (!dropped.has(i)) {
        batch.ids.push(r.id);
        batch.embeddings.push(embeddings[i]!);
        batch.documents.push(r.document);
        batch.metadatas.push(r.metadata);
        batch.uris.push(r.uri);
      }
    });
    return batch;
  }
}
