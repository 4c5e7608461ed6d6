/**
 * Import: a JSONL export into a new collection (made with the manifest's configuration and metadata, so the index
 * settings and the embedding function come along; 0.x servers get the legacy create, which the client handles) or
 * an existing one. The file is streamed; records are upserted in batches that adapt to the server; a run can resume
 * by skipping ids the collection already has. A file whose dimension differs from the collection's is refused before
 * anything is written; a file without embeddings is embedded with the target's function. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { Collection, CollectionConfiguration, Metadata, Scope } from '../../chroma/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { formatCount } from '../../util/text';
import { AdaptiveLimits } from './adaptive';
import { TransferError } from './errors';
import { decodeRecord, parseManifest } from './format';
import type { Manifest, TransferRecord } from './format';
import { readLines } from './lines';
import { formatSeconds } from './report';
import type { SinkCounts } from './sink';
import { TargetWriter, createConfiguration, createTarget, dropIfCreated } from './writeTarget';
import type { WriteTarget } from './writeTarget';

export type ImportTarget = { kind: 'existing'; collection: Collection } | { kind: 'new'; name: string; scope?: Partial<Scope> };

/** How records are written into the target: the options an import and a copy share. */
export interface WriteOptions {
  /** Leave out records whose id the target collection already has (resume), instead of overwriting them. */
  skipExisting?: boolean;
  /** Embed every document with the target's function instead of writing the source's embeddings. */
  reembed?: boolean;
  /**
   * The target's embedding function, asked for only when some records need embedding (no embeddings in the source,
   * or `reembed`); undefined when the user declined to choose one.
   */
  embedderFor?: (collection: Collection) => Promise<EmbeddingFunction | undefined>;
  signal?: AbortSignal;
  onProgress?: (p: { read: number; total: number; counts: SinkCounts }) => void;
}

export interface ImportOptions extends WriteOptions {
  client: ChromaClient;
  file: string;
  fileLabel?: string;
  into: ImportTarget;
}

export interface ImportResult {
  collection: Collection;
  created: boolean;
  /** Records the file holds, when known (0: unknown). */
  total: number;
  /** Records read. */
  read: number;
  counts: SinkCounts;
  ms: number;
  cancelled: boolean;
  learnt: string[];
  /** Set when the server stored another configuration than the file's (e.g. its own index type). */
  configurationChanged?: boolean;
}

/** Reads the manifest (first line) of a file. */
export async function readManifest(file: string, label = file, signal?: AbortSignal): Promise<Manifest> {
  for await (const line of readLines(file, label, { signal })) {
    return parseManifest(line, label);
  }
  throw new TransferError('not-an-export', `${label} is empty. Choose a .jsonl file made by Export Collection….`);
}

/** Refuses embeddings of one dimension into a collection of another, before anything is written. */
export function checkImportDimension(manifest: Manifest, collection: Collection, reembed: boolean, label: string): void {
  const file = manifest.collection.dimension;
  const target = collection.dimension;
  if (reembed || manifest.embeddingEncoding === 'none' || file === null || target === null || file === target) {
    return;
  }
  throw new TransferError(
    'dimension',
    `${label} holds ${file}-dimensional embeddings, but "${collection.name}" holds ${target}-dimensional ones. ` +
      'Import into a new collection, or re-embed the documents with the collection\'s function.',
  );
}

/** What an import reads: JSONL (a manifest and records) or CSV (rows mapped to records). */
export interface ImportSource {
  /** The file's name for messages. */
  label: string;
  /** Records the file holds, when known (0: unknown), for progress and reports. */
  total: number;
  /** What a new collection is made with. */
  create: { metadata?: Metadata; configuration?: CollectionConfiguration };
  /** Whether every record needs embedding (the file has no embeddings). */
  noEmbeddings: boolean;
  /** Refuses an existing collection the file does not fit (e.g. another dimension). */
  checkExisting?: (c: Collection) => void;
  /** The records, in file order (a bad one throws, naming its line). */
  records: AsyncIterable<TransferRecord>;
}

export async function importFile(opts: ImportOptions): Promise<ImportResult> {
  const label = opts.fileLabel ?? opts.file;
  const lines = readLines(opts.file, label, { signal: opts.signal });
  try {
    const first = await lines.next();
    if (first.done) {
      throw new TransferError('not-an-export', `${label} is empty. Choose a .jsonl file made by Export Collection….`);
    }
    const manifest = parseManifest(first.value, label);
    const records = async function* (): AsyncGenerator<TransferRecord> {
      let lineNo = 1;
      for await (const line of lines) {
        lineNo++;
        if (line !== '') {
          yield decodeRecord(line, `Line ${formatCount(lineNo)} of ${label}`);
        }
      }
    };
    return await runImport(opts, {
      label,
      total: manifest.count,
      create: { metadata: manifest.collection.metadata ?? undefined, configuration: createConfiguration(manifest.collection.configuration) },
      noEmbeddings: manifest.embeddingEncoding === 'none',
      checkExisting: (c) => checkImportDimension(manifest, c, opts.reembed ?? false, label),
      records: records(),
    });
  } finally {
    await lines.return(undefined);
  }
}

/** Writes a source's records into the target (made first when new): the part JSONL and CSV imports share. */
export async function runImport(opts: Omit<ImportOptions, 'file' | 'fileLabel'>, source: ImportSource): Promise<ImportResult> {
  const started = performance.now();
  const { client, signal } = opts;
  const { label, total } = source;
  const reembed = opts.reembed ?? false;
  const mayNeedEmbedding = reembed || source.noEmbeddings;
  if (mayNeedEmbedding && !opts.embedderFor) {
    throw new TransferError('needs-embedding', `${label} has no embeddings: choose a collection with an embedding function to embed its documents.`);
  }
  const target = opts.into.kind === 'existing' ? existingTarget(opts.into.collection, source) : await createTarget(client, opts.into, source.create, signal);
  const { collection } = target;
  // Embedding is needed for a file without embeddings; for one with them, only for records that lack one.
  let embedder: EmbeddingFunction | undefined;
  let asked = false;
  const resolveEmbedder = async (): Promise<EmbeddingFunction | undefined> => {
    if (!asked) {
      asked = true;
      embedder = await opts.embedderFor?.(collection);
    }
    return embedder;
  };
  if (mayNeedEmbedding && !(await resolveEmbedder())) {
    await dropIfCreated(client, target, signal);
    throw new TransferError('needs-embedding', `No embedding function was chosen for "${collection.name}", so the documents of ${label} cannot be embedded; nothing was imported.`);
  }
  const limits = await AdaptiveLimits.of(client, { dimension: collection.dimension, signal });
  const writer = new TargetWriter({ client, collection, limits, embedder }, opts, total);
  const { sink } = writer;
  const cancelled = await writer.run(
    async () => {
      let batch: TransferRecord[] = [];
      for await (const record of source.records) {
        if (!record.embedding && !asked) {
          sink.setEmbedder(await resolveEmbedder());
        }
        batch.push(record);
        writer.read++;
        if (batch.length >= sink.batchSize) {
          await sink.push(batch);
          batch = [];
        }
        if (signal?.aborted) {
          break;
        }
      }
      if (batch.length > 0 && !signal?.aborted) {
        await sink.push(batch);
      }
    },
    (why, written) =>
      written > 0
        ? `${why} ${formatCount(written)}${total ? ` of ${formatCount(total)}` : ''} records were written to "${collection.name}"; import again and choose Skip Existing to resume.`
        : `${why} Nothing was written.`,
  );
  return {
    collection,
    created: target.created,
    total,
    read: writer.read,
    counts: { ...sink.counts },
    ms: performance.now() - started,
    cancelled,
    learnt: limits.learnt,
    configurationChanged: target.configurationChanged,
  };
}

/** An existing collection to import into, once the source has checked it fits. */
function existingTarget(collection: Collection, source: ImportSource): WriteTarget {
  source.checkExisting?.(collection);
  return { collection, created: false };
}

/** The one-line report of an import. */
export function describeImport(r: ImportResult, label: string): string {
  const c = r.counts;
  const into = `${r.created ? 'new collection' : 'collection'} "${r.collection.name}"`;
  const parts: string[] = [];
  if (c.skippedExisting) {
    parts.push(`${formatCount(c.skippedExisting)} skipped (already there)`);
  }
  if (c.skippedNoText) {
    parts.push(`${formatCount(c.skippedNoText)} skipped (no embedding and no document to embed, e.g. ${c.noTextIds.map((i) => JSON.stringify(i)).join(', ')})`);
  }
  if (c.embedded) {
    parts.push(`${formatCount(c.embedded)} embedded with the collection's function`);
  }
  const detail = parts.length ? ` (${parts.join('; ')})` : '';
  const learnt = r.learnt.length ? ` The server allowed ${r.learnt.join(', ')}.` : '';
  const config = r.configurationChanged ? ' The server stored its own variant of the configuration (e.g. another index type).' : '';
  if (r.cancelled) {
    return `Import cancelled: ${formatCount(c.written)}${r.total ? ` of ${formatCount(r.total)}` : ''} records from ${label} were written to ${into}${detail}. Import again and choose Skip Existing to resume.`;
  }
  return `Imported ${formatCount(c.written)} of ${formatCount(r.read)} records from ${label} into ${into}${detail} in ${formatSeconds(r.ms)}.${config}${learnt}`;
}
