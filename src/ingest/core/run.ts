/**
 * One "add documents" run: each document chunked (or, for a selection, kept whole) into records, then written
 * document by document with `ingestRecords`, with the counts of the whole run, its progress, and the messages a
 * person reads when it finishes, is cancelled or fails. The VS Code commands only gather the documents and show
 * what this returns. No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { chunkText, modeFor } from './chunker';
import { describeCounts, ingestRecords, IngestError } from './ingest';
import type { IngestCounts } from './ingest';
import { chunkId, chunkMetadata, selectionId } from './records';
import type { IdStrategy, IngestRecord, SourceInfo } from './records';

/** How documents are cut into records (the `chroma.ingest.*` settings). */
export interface ChunkConfig {
  chunkSize: number;
  chunkOverlap: number;
  chunkSizeTokens: number;
  chunkOverlapTokens: number;
  /** `auto`: count tokens when the embedding function has a tokenizer, else characters. */
  sizeUnit: 'auto' | 'characters';
  idStrategy: IdStrategy;
}

/** A document to add: its text, where it comes from, and its own chunking settings (they may differ per folder). */
export interface IngestDocument {
  name: string;
  text: string;
  info: SourceInfo;
  config: ChunkConfig;
  /** A selection becomes one record with a line-range id; its source's other records are kept. */
  selection?: { startLine: number; endLine: number };
}

export interface RunResult {
  counts: IngestCounts;
  /** Documents written completely. */
  files: number;
  /** Inputs that were not read, with why. */
  skipped: string[];
  /** "notes.md: 12 chunks (12 new, 0 updated, 0 removed)", with what was skipped. */
  message: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Why some inputs were not read (too large, binary, …): reported with the result. */
  skipped?: readonly string[];
  /** A token counter, when the embedding function has a tokenizer. */
  measure?: (text: string) => number;
  onProgress?: (message: string) => void;
  /** The time stamp written as `addedAt` (default: now). */
  addedAt?: string;
}

/** The run stopped: cancelled, or a document failed. `counts` is exactly what was written before. */
export class RunError extends Error {
  constructor(
    message: string,
    readonly counts: IngestCounts,
    readonly files: number,
    readonly cancelled: boolean,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

/** The records a document becomes: chunks with `<path>#<i>` ids, or one record for a selection. */
export function documentRecords(doc: IngestDocument, measure?: (s: string) => number, addedAt = new Date().toISOString()): IngestRecord[] {
  if (doc.selection) {
    const { startLine, endLine } = doc.selection;
    const chunk = { index: 0, text: doc.text, start: 0, end: doc.text.length, coreStart: 0, startLine, endLine };
    return [{ id: selectionId(doc.info.idBase, startLine, endLine), document: doc.text, metadata: chunkMetadata(doc.info, chunk, 1, addedAt) }];
  }
  const cfg = doc.config;
  const tokens = measure !== undefined && cfg.sizeUnit === 'auto';
  const chunks = chunkText(doc.text, {
    size: tokens ? cfg.chunkSizeTokens : cfg.chunkSize,
    overlap: tokens ? cfg.chunkOverlapTokens : cfg.chunkOverlap,
    mode: modeFor(doc.info.languageId),
    measure: tokens ? measure : undefined,
  });
  return chunks.map((c) => ({ id: chunkId(doc.info.idBase, c, cfg.idStrategy), document: c.text, metadata: chunkMetadata(doc.info, c, chunks.length, addedAt) }));
}

export function emptyCounts(): IngestCounts {
  return { added: 0, updated: 0, unchanged: 0, removed: 0, written: 0, total: 0 };
}

export function addCounts(a: IngestCounts, b: IngestCounts): IngestCounts {
  return {
    added: a.added + b.added,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    removed: a.removed + b.removed,
    written: a.written + b.written,
    total: a.total + b.total,
  };
}

/**
 * Adds documents to a collection, one after the other. Whole files replace their earlier records (stale chunks
 * are deleted); selections are added beside them. Safe to run again after a failure or a cancel.
 */
export async function ingestDocuments(
  client: ChromaClient,
  collection: CollectionRef,
  embedder: EmbeddingFunction,
  docs: readonly IngestDocument[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const skipped = opts.skipped ?? [];
  let total = emptyCounts();
  let files = 0;
  const cancelled = (): RunError =>
    new RunError(
      `Cancelled after ${files} of ${docs.length} file${docs.length === 1 ? '' : 's'}: ${total.written} records written in all ` +
        `(${total.added} new, ${total.updated} updated). Run it again to finish; nothing is duplicated.`,
      total,
      files,
      true,
    );
  for (const doc of docs) {
    if (opts.signal?.aborted) {
      throw cancelled();
    }
    const records = documentRecords(doc, opts.measure, opts.addedAt);
    const before = total.written;
    try {
      const counts = await ingestRecords(client, collection, embedder, records, {
        signal: opts.signal,
        replaceSource: doc.selection ? undefined : doc.info.source !== undefined ? { key: 'source', value: doc.info.source } : { key: 'uri', value: doc.info.uri },
        onProgress: (c) => opts.onProgress?.(`${docs.length > 1 ? `file ${files + 1} of ${docs.length} · ` : ''}${before + c.written} records written`),
      });
      total = addCounts(total, counts);
      files++;
    } catch (e) {
      if (!(e instanceof IngestError)) {
        throw e;
      }
      total = addCounts(total, e.counts);
      if (opts.signal?.aborted) {
        throw docs.length === 1 ? new RunError(e.message, total, files, true) : cancelled();
      }
      const message =
        docs.length === 1
          ? e.message
          : `${doc.name}: ${e.message} Before it, ${files} of ${docs.length} files were added (${total.written} records written in all).`;
      throw new RunError(message, total, files, false);
    }
  }
  const label = docs.length === 1 ? docs[0].name : `${files} files`;
  const message = describeCounts(label, total) + (skipped.length ? `; skipped ${skipped.length}: ${skipped.join('; ')}` : '');
  return { counts: total, files, skipped: [...skipped], message };
}
