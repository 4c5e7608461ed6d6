/**
 * Writes a document's records to a collection, safely re-runnable: stable ids and upsert, unchanged chunks skipped,
 * metadata-only changes sent as updates (no re-embedding), chunks that no longer exist deleted by their `source`.
 * Embeddings always come from the collection's embedding function; nothing is sent without them.
 * Cancelling or failing midway reports exactly what was written; running again finishes the job. No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import type { Metadata, Where } from '../../chroma/types';
import { checkDimension } from '../../embedding/core/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import type { IngestRecord } from './records';

export interface IngestCounts {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Records written so far (added + updated), also when cancelled or failed. */
  written: number;
  total: number;
}

export interface IngestOptions {
  /** Records of the same source that are not in `records` are deleted (whole-file adds; not for selections). */
  replaceSource?: { key: 'source' | 'uri'; value: string };
  /** Texts embedded (and records upserted) per step. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (counts: IngestCounts) => void;
}

export class IngestError extends Error {
  constructor(
    message: string,
    readonly counts: IngestCounts,
    readonly reason: unknown,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

function sameMetadata(a: Metadata | null | undefined, b: Metadata): boolean {
  if (!a) {
    return false;
  }
  for (const k of Object.keys(b)) {
    if (k !== 'addedAt' && a[k] !== b[k]) {
      return false;
    }
  }
  return Object.keys(a).every((k) => k === 'addedAt' || k in b);
}

/** What is there already: for a whole source, all its records; else the records with these ids. */
async function existing(client: ChromaClient, col: CollectionRef, records: readonly IngestRecord[], opts: IngestOptions): Promise<Map<string, Metadata | null>> {
  const { signal } = opts;
  const found = new Map<string, Metadata | null>();
  const pages = opts.replaceSource
    ? client.iterateRecords(col, { where: { [opts.replaceSource.key]: opts.replaceSource.value } as Where, include: ['metadatas'], pageSize: 1000 }, { signal })
    : (async function* () {
        for (let i = 0; i < records.length; i += 1000) {
          yield await client.get(col, { ids: records.slice(i, i + 1000).map((r) => r.id), include: ['metadatas'] }, { signal });
        }
      })();
  for await (const page of pages) {
    page.ids.forEach((id, i) => found.set(id, page.metadatas?.[i] ?? null));
  }
  return found;
}

/** What a run has to do: records to embed and upsert, records whose metadata alone changed, and how many are unchanged. */
export interface IngestPlan {
  toEmbed: IngestRecord[];
  metaOnly: IngestRecord[];
  unchanged: number;
}

/**
 * Sorts the records against what is there (`before`, by id): new ones and changed texts (another sha256) are embedded,
 * changed metadata (ignoring `addedAt`) is only updated, the rest is unchanged.
 */
export function planIngest(records: readonly IngestRecord[], before: ReadonlyMap<string, Metadata | null>): IngestPlan {
  const plan: IngestPlan = { toEmbed: [], metaOnly: [], unchanged: 0 };
  for (const r of records) {
    const old = before.get(r.id);
    if (old === undefined || old?.sha256 !== r.metadata.sha256) {
      plan.toEmbed.push(r);
    } else if (!sameMetadata(old, r.metadata)) {
      plan.metaOnly.push(r);
    } else {
      plan.unchanged++;
    }
  }
  return plan;
}

/** One run's fixed parts, shared by its steps. */
interface Run {
  client: ChromaClient;
  collection: CollectionRef;
  opts: IngestOptions;
  counts: IngestCounts;
  batch: number;
}

function throwIfCancelled(run: Run): void {
  if (run.opts.signal?.aborted === true) {
    throw new Error('cancelled');
  }
}

export async function ingestRecords(
  client: ChromaClient,
  collection: CollectionRef,
  embedder: EmbeddingFunction,
  records: readonly IngestRecord[],
  opts: IngestOptions = {},
): Promise<IngestCounts> {
  const counts: IngestCounts = { added: 0, updated: 0, unchanged: 0, removed: 0, written: 0, total: records.length };
  const run: Run = { client, collection, opts, counts, batch: opts.batchSize ?? 64 };
  try {
    const before = await existing(client, collection, records, opts);
    const plan = planIngest(records, before);
    counts.unchanged = plan.unchanged;
    await upsertEmbedded(run, embedder, plan.toEmbed, before);
    await updateMetadata(run, plan.metaOnly);
    if (opts.replaceSource) {
      await removeStale(run, records, before);
    }
    return counts;
  } catch (e) {
    const what = `${counts.written} of ${counts.total} records were written (${counts.added} new, ${counts.updated} updated)`;
    if (opts.signal?.aborted === true) {
      throw new IngestError(`Cancelled: ${what}. Run it again to finish; nothing is duplicated.`, counts, e);
    }
    const reason = e instanceof Error ? e.message : String(e);
    throw new IngestError(`${reason} ${what}; running it again finishes the job without duplicates.`, counts, e);
  }
}

/** Embeds and upserts the records, a batch at a time, checking every batch's dimension. */
async function upsertEmbedded(run: Run, embedder: EmbeddingFunction, toEmbed: readonly IngestRecord[], before: ReadonlyMap<string, unknown>): Promise<void> {
  const { client, collection, opts, counts } = run;
  let dimension = collection.dimension;
  for (let i = 0; i < toEmbed.length; i += run.batch) {
    throwIfCancelled(run);
    const slice = toEmbed.slice(i, i + run.batch);
    const embeddings = await embedder.embed(slice.map((r) => r.document), { signal: opts.signal });
    checkDimension(embeddings, dimension, embedder.name);
    dimension ??= embeddings[0]?.length;
    // upsert, never add: a write that timed out is sent again by the client and lands once either way.
    await client.upsert(
      collection,
      { ids: slice.map((r) => r.id), embeddings, documents: slice.map((r) => r.document), metadatas: slice.map((r) => r.metadata) },
      { signal: opts.signal },
    );
    for (const r of slice) {
      if (before.has(r.id)) {
        counts.updated++;
      } else {
        counts.added++;
      }
    }
    counts.written += slice.length;
    opts.onProgress?.({ ...counts });
  }
}

/** Sends the records whose metadata alone changed as updates (no re-embedding). */
async function updateMetadata(run: Run, metaOnly: readonly IngestRecord[]): Promise<void> {
  const { client, collection, opts, counts } = run;
  for (let i = 0; i < metaOnly.length; i += run.batch) {
    throwIfCancelled(run);
    const slice = metaOnly.slice(i, i + run.batch);
    await client.update(collection, { ids: slice.map((r) => r.id), metadatas: slice.map((r) => r.metadata) }, { signal: opts.signal });
    counts.updated += slice.length;
    counts.written += slice.length;
    opts.onProgress?.({ ...counts });
  }
}

/** Deletes the source's records that are no longer among `records`, 1000 ids a request. */
async function removeStale(run: Run, records: readonly IngestRecord[], before: ReadonlyMap<string, unknown>): Promise<void> {
  const keep = new Set(records.map((r) => r.id));
  const stale = [...before.keys()].filter((id) => !keep.has(id));
  for (let i = 0; i < stale.length; i += 1000) {
    throwIfCancelled(run);
    await run.client.delete(run.collection, { ids: stale.slice(i, i + 1000) }, { signal: run.opts.signal });
    run.counts.removed += Math.min(1000, stale.length - i);
  }
}

/** "notes.md: 42 chunks (30 new, 10 updated, 2 removed)". */
export function describeCounts(name: string, c: IngestCounts): string {
  const parts = [`${c.added} new`, `${c.updated} updated`];
  if (c.unchanged) {
    parts.push(`${c.unchanged} unchanged`);
  }
  parts.push(`${c.removed} removed`);
  return `${name}: ${c.total} chunk${c.total === 1 ? '' : 's'} (${parts.join(', ')})`;
}
