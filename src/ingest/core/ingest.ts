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

export async function ingestRecords(
  client: ChromaClient,
  collection: CollectionRef,
  embedder: EmbeddingFunction,
  records: readonly IngestRecord[],
  opts: IngestOptions = {},
): Promise<IngestCounts> {
  const counts: IngestCounts = { added: 0, updated: 0, unchanged: 0, removed: 0, written: 0, total: records.length };
  const cancelled = () => opts.signal?.aborted === true;
  try {
    const before = await existing(client, collection, records, opts);
    const toEmbed: IngestRecord[] = [];
    const metaOnly: IngestRecord[] = [];
    for (const r of records) {
      const old = before.get(r.id);
      if (old === undefined) {
        toEmbed.push(r);
      } else if (old?.sha256 !== r.metadata.sha256) {
        toEmbed.push(r);
      } else if (!sameMetadata(old, r.metadata)) {
        metaOnly.push(r);
      } else {
        counts.unchanged++;
      }
    }
    const batch = opts.batchSize ?? 64;
    let dimension = collection.dimension;
    for (let i = 0; i < toEmbed.length; i += batch) {
      if (cancelled()) {
        throw new Error('cancelled');
      }
      const slice = toEmbed.slice(i, i + batch);
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
    for (let i = 0; i < metaOnly.length; i += batch) {
      if (cancelled()) {
        throw new Error('cancelled');
      }
      const slice = metaOnly.slice(i, i + batch);
      await client.update(collection, { ids: slice.map((r) => r.id), metadatas: slice.map((r) => r.metadata) }, { signal: opts.signal });
      counts.updated += slice.length;
      counts.written += slice.length;
      opts.onProgress?.({ ...counts });
    }
    if (opts.replaceSource) {
      const keep = new Set(records.map((r) => r.id));
      const stale = [...before.keys()].filter((id) => !keep.has(id));
      for (let i = 0; i < stale.length; i += 1000) {
        if (cancelled()) {
          throw new Error('cancelled');
        }
        await client.delete(collection, { ids: stale.slice(i, i + 1000) }, { signal: opts.signal });
        counts.removed += Math.min(1000, stale.length - i);
      }
    }
    return counts;
  } catch (e) {
    const what = `${counts.written} of ${counts.total} records were written (${counts.added} new, ${counts.updated} updated)`;
    if (cancelled()) {
      throw new IngestError(`Cancelled: ${what}. Run it again to finish; nothing is duplicated.`, counts, e);
    }
    const reason = e instanceof Error ? e.message : String(e);
    throw new IngestError(`${reason} ${what}; running it again finishes the job without duplicates.`, counts, e);
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
