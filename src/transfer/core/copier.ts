/**
 * Copy a collection to another connection, database or name: records stream from the source's pages straight into
 * the target's writes (no temporary file), one read and one write in flight at a time. A new target is made with
 * the source's configuration and metadata. A run resumes by skipping ids the target already has; documents can be
 * re-embedded with the target's function. Writes adapt to the target's limits (pre-flight, then its quota errors).
 * No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { Collection, GetResult } from '../../chroma/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { formatCount } from '../../util/text';
import { AdaptiveLimits } from './adaptive';
import { TransferError } from './errors';
import type { TransferRecord } from './format';
import type { ImportTarget, WriteOptions } from './importer';
import { pages } from './pages';
import { formatSeconds } from './report';
import type { SinkCounts } from './sink';
import { TargetWriter, createConfiguration, createTarget, dropIfCreated } from './writeTarget';
import type { WriteTarget } from './writeTarget';

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
  const reembed = opts.reembed ?? false;
  refuseSelfCopy(opts);
  if (reembed && !opts.embedderFor) {
    throw new TransferError('needs-embedding', 'Re-embedding needs the target collection\'s embedding function.');
  }
  const target = await copyTarget(opts);
  const { collection } = target;
  let embedder: EmbeddingFunction | undefined;
  if (reembed) {
    embedder = await opts.embedderFor!(collection);
    if (!embedder) {
      await dropIfCreated(dst.client, target, signal);
      throw new TransferError('needs-embedding', `No embedding function was chosen for "${collection.name}"; nothing was copied.`);
    }
  }
  const total = await src.client.count(src.collection, { signal });
  const readLimits = await AdaptiveLimits.of(src.client, { dimension: src.collection.dimension, signal, write: false });
  const writeLimits = await AdaptiveLimits.of(dst.client, { dimension: src.collection.dimension, signal });
  const writer = new TargetWriter({ client: dst.client, collection, limits: writeLimits, embedder }, opts, total);
  const { sink } = writer;
  const include = reembed ? (['documents', 'metadatas', 'uris'] as const) : (['documents', 'metadatas', 'uris', 'embeddings'] as const);
  const cancelled = await writer.run(
    async () => {
      for await (const page of pages(src.client, src.collection, undefined, { offset: 0, idIndex: 0 }, readLimits, [...include], signal)) {
        writer.read += page.ids.length;
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
    },
    (why, written) =>
      written > 0
        ? `${why} ${formatCount(written)} of ${formatCount(total)} records were copied to "${collection.name}"; copy again into the same collection and choose Skip Existing to resume.`
        : `${why} Nothing was copied.`,
  );
  return {
    source: src.collection,
    collection,
    created: target.created,
    read: writer.read,
    total,
    counts: { ...sink.counts },
    ms: performance.now() - started,
    cancelled,
    learnt: [...readLimits.learnt, ...writeLimits.learnt],
    configurationChanged: target.configurationChanged,
  };
}

/** Refuses a copy onto the source itself (same server, scope and collection, or the same name for a new one). */
function refuseSelfCopy({ source: src, target: dst }: CopyOptions): void {
  const into = dst.into;
  const scopeOf = into.kind === 'existing' ? into.collection : { tenant: into.scope?.tenant ?? src.collection.tenant, database: into.scope?.database ?? src.collection.database };
  if (
    sameServer(src.client, dst.client) &&
    scopeOf.tenant === src.collection.tenant &&
    scopeOf.database === src.collection.database &&
    (into.kind === 'existing' ? into.collection.id === src.collection.id : into.name === src.collection.name)
  ) {
    throw new TransferError('same-collection', `"${src.collection.name}" cannot be copied onto itself: choose another name, database or connection.`);
  }
}

/** The collection to copy into: an existing one of the same dimension (unless re-embedding), or a new one made like the source. */
async function copyTarget({ source: src, target: dst, reembed, signal }: CopyOptions): Promise<WriteTarget> {
  const into = dst.into;
  if (into.kind !== 'existing') {
    const configuration = createConfiguration(src.collection.configuration_json ?? null);
    return createTarget(dst.client, into, { metadata: src.collection.metadata ?? undefined, configuration }, signal);
  }
  const collection = into.collection;
  const a = src.collection.dimension;
  const b = collection.dimension;
  if (!reembed && a !== null && b !== null && a !== b) {
    throw new TransferError(
      'dimension',
      `"${src.collection.name}" holds ${a}-dimensional embeddings, but "${collection.name}" holds ${b}-dimensional ones. ` +
        'Copy into a new collection, or re-embed the documents with the target\'s function.',
    );
  }
  return { collection, created: false };
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
