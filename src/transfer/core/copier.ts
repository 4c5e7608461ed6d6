/**
 * Copy a collection to another connection, database or name: records stream from the source's pages straight into
 * the target's writes (no temporary file), one read and one write in flight at a time. A new target is made with
 * the source's configuration and metadata. A run resumes by skipping ids the target already has; documents can be
 * re-embedded with the target's function. Writes adapt to the target's limits (pre-flight, then its quota errors).
 * No `vscode` here.
 */
import { legacyKeeps } from '../../chroma/legacyCreate';
import type { ChromaClient } from '../../chroma/client';
import type { Collection, GetResult } from '../../chroma/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { formatCount } from '../../util/text';
import { AdaptiveLimits } from './adaptive';
import { TransferError, cancelledBy } from './errors';
import type { TransferRecord } from './format';
import { createConfiguration, keeps } from './importer';
import type { ImportTarget, WriteOptions } from './importer';
import { pages } from './pages';
import { formatSeconds } from './report';
import { RecordSink } from './sink';
import type { SinkCounts } from './sink';

export interface CopyOptions extends WriteOptions {
  source: { client: ChromaClient; collection: Collection };
  target: { client: ChromaClient; into: ImportTarget };
}

export interface CopyResult {
  source: Collection;
  collection: Collection;
  created: boolean;
  /** Records read from the source. */
  read: number;
  /** The source's count when the copy started. */
  total: number;
  counts: SinkCounts;
  ms: number;
  cancelled: boolean;
  learnt: string[];
  configurationChanged?: boolean;
}

function pageRecords(page: GetResult): TransferRecord[] {
  return page.ids.map((id, i) => ({
    id,
    document: page.documents?.[i] ?? null,
    metadata: page.metadatas?.[i] ?? null,
    uri: page.uris?.[i] ?? null,
    embedding: page.embeddings?.[i] ?? null,
  }));
}

function sameServer(a: ChromaClient, b: ChromaClient): boolean {
  return a === b || a.baseUrl === b.baseUrl;
}

export async function copyCollection(opts: CopyOptions): Promise<CopyResult> {
  const started = performance.now();
  const { signal } = opts;
  const src = opts.source;
  const dst = opts.target;
  const into = dst.into;
  const reembed = opts.reembed ?? false;
  const onSameServer = sameServer(src.client, dst.client);
  const scopeOf = into.kind === 'existing' ? into.collection : { tenant: into.scope?.tenant ?? src.collection.tenant, database: into.scope?.database ?? src.collection.database };
  if (
    onSameServer &&
    scopeOf.tenant === src.collection.tenant &&
    scopeOf.database === src.collection.database &&
    (into.kind === 'existing' ? into.collection.id === src.collection.id : into.name === src.collection.name)
  ) {
    throw new TransferError('same-collection', `"${src.collection.name}" cannot be copied onto itself: choose another name, database or connection.`);
  }
  if (reembed && !opts.embedderFor) {
    throw new TransferError('needs-embedding', 'Re-embedding needs the target collection\'s embedding function.');
  }
  let collection: Collection;
  let created = false;
  let configurationChanged: boolean | undefined;
  if (into.kind === 'existing') {
    collection = into.collection;
    const a = src.collection.dimension;
    const b = collection.dimension;
    if (!reembed && a !== null && b !== null && a !== b) {
      throw new TransferError(
        'dimension',
        `"${src.collection.name}" holds ${a}-dimensional embeddings, but "${collection.name}" holds ${b}-dimensional ones. ` +
          'Copy into a new collection, or re-embed the documents with the target\'s function.',
      );
    }
  } else {
    const configuration = createConfiguration(src.collection.configuration_json ?? null);
    collection = await dst.client.createCollection(
      { name: into.name, metadata: src.collection.metadata ?? undefined, configuration },
      { scope: into.scope, signal },
    );
    created = true;
    if (configuration && collection.configuration_json) {
      configurationChanged = !(legacyKeeps(collection, configuration) ?? keeps(collection.configuration_json, configuration));
    }
  }
  let embedder: EmbeddingFunction | undefined;
  if (reembed) {
    embedder = await opts.embedderFor!(collection);
    if (!embedder) {
      if (created) {
        await dst.client.deleteCollection(collection.name, { scope: collection, signal }).catch(() => undefined);
      }
      throw new TransferError('needs-embedding', `No embedding function was chosen for "${collection.name}"; nothing was copied.`);
    }
  }
  const total = await src.client.count(src.collection, { signal });
  const readLimits = await AdaptiveLimits.of(src.client, { dimension: src.collection.dimension, signal, write: false });
  const writeLimits = await AdaptiveLimits.of(dst.client, { dimension: src.collection.dimension, signal });
  let read = 0;
  const sink = new RecordSink({
    client: dst.client,
    collection,
    limits: writeLimits,
    skipExisting: opts.skipExisting ?? false,
    embedder,
    reembed,
    signal,
    onProgress: (counts) => opts.onProgress?.({ read, total, counts }),
  });
  const result = (cancelled: boolean): CopyResult => ({
    source: src.collection,
    collection,
    created,
    read,
    total,
    counts: { ...sink.counts },
    ms: performance.now() - started,
    cancelled,
    learnt: [...readLimits.learnt, ...writeLimits.learnt],
    configurationChanged,
  });
  const include = reembed ? (['documents', 'metadatas', 'uris'] as const) : (['documents', 'metadatas', 'uris', 'embeddings'] as const);
  try {
    for await (const page of pages(src.client, src.collection, undefined, { offset: 0, idIndex: 0 }, readLimits, [...include], signal)) {
      read += page.ids.length;
      const records = pageRecords(page);
      for (let i = 0; i < records.length; ) {
        // the size may shrink while a push waits: step by what was taken, never re-read it
        const part = records.slice(i, i + sink.batchSize);
        i += part.length;
        await sink.push(part);
      }
      if (signal?.aborted) {
        break;
      }
    }
    await sink.finish();
  } catch (e) {
    if (cancelledBy(signal)) {
      await sink.finish().catch(() => undefined);
      return result(true);
    }
    // what is in flight lands (or fails) before the report counts it
    await sink.finish().catch(() => undefined);
    const why = e instanceof Error ? e.message : String(e);
    const done = `${formatCount(sink.counts.written)} of ${formatCount(total)} records were copied to "${collection.name}"`;
    throw new TransferError(
      'failed',
      sink.counts.written > 0 ? `${why.replace(/\.?$/, '.')} ${done}; copy again into the same collection and choose Skip Existing to resume.` : `${why.replace(/\.?$/, '.')} Nothing was copied.`,
    );
  }
  return result(signal?.aborted === true);
}

/** The one-line report of a copy. `where` names the target ("local/default_database"). */
export function describeCopy(r: CopyResult, where: string): string {
  const c = r.counts;
  const to = `${r.created ? 'new collection' : 'collection'} "${r.collection.name}" on ${where}`;
  const parts: string[] = [];
  if (c.skippedExisting) {
    parts.push(`${formatCount(c.skippedExisting)} skipped (already there)`);
  }
  if (c.skippedNoText) {
    parts.push(`${formatCount(c.skippedNoText)} skipped (no document to embed, e.g. ${c.noTextIds.map((i) => JSON.stringify(i)).join(', ')})`);
  }
  if (c.embedded) {
    parts.push(`${formatCount(c.embedded)} re-embedded with the target's function`);
  }
  const detail = parts.length ? ` (${parts.join('; ')})` : '';
  const learnt = r.learnt.length ? ` The servers allowed ${r.learnt.join(', ')}.` : '';
  const config = r.configurationChanged ? ' The target server stored its own variant of the configuration (e.g. another index type).' : '';
  if (r.cancelled) {
    return `Copy of "${r.source.name}" cancelled: ${formatCount(c.written)} of ${formatCount(r.total)} records were written to ${to}${detail}. Copy again into it and choose Skip Existing to resume.`;
  }
  return `Copied ${formatCount(c.written)} of ${formatCount(r.read)} records of "${r.source.name}" to ${to}${detail} in ${formatSeconds(r.ms)}.${config}${learnt}`;
}
