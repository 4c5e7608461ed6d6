/**
 * Typed guards for the answers about records: get, query and search results, indexing status (see shapes.ts). Per
 * record, the arrays the server sent are checked in place and passed on as they are; only base64 embeddings are
 * decoded into new arrays. No `vscode` here.
 */
import { base64ToEmbedding } from './encoding';
import { ShapeMismatch, arr, finiteNumbers, int, isMetadata, metadata, mismatch, numbers, obj, optional, perRecord, str, strings, uniqueIds } from './shapeChecks';
import type { Shape } from './shapeChecks';
import type { GetResult, Include, IndexingStatus, Metadata, QueryResult, SearchResult } from './types';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** An embedding as JSON numbers or base64 of little-endian float32 (servers with `supports_base64_encoding`). */
function embedding(value: unknown, at: string): number[] {
  if (typeof value === 'string') {
    if (value.length % 4 !== 0 || !BASE64.test(value)) {
      throw new ShapeMismatch(`${at}: expected an embedding (numbers, or base64 of float32), got a string that is not base64`);
    }
    const bytes = (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
    if (bytes % 4 !== 0) {
      throw new ShapeMismatch(`${at}: expected base64 of float32 values, got ${bytes} bytes`);
    }
    const decoded = Array.from(base64ToEmbedding(value));
    return numbers(decoded, at);
  }
  return numbers(value, at);
}

/** The cheap tests: an embedding as numbers (a base64 one fails it, to be decoded), a document or uri, … */
const isNumbers = (v: unknown): boolean => Array.isArray(v) && finiteNumbers(v);
const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const isMetadataOrNull = (v: unknown): boolean => v === null || isMetadata(v);
const isDistance = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

const stringOrNull = (v: unknown, at: string): string | null => (v === null ? null : str(v, at));
const metadataOrNull = (v: unknown, at: string): Metadata | null => (v === null ? null : metadata(v, at));
const distance = (v: unknown, at: string): number | null =>
  v === null ? null : typeof v === 'number' && Number.isFinite(v) ? v : mismatch(at, 'a number or null', v);

/** Per-record checks: the cheap test, then the check that says where and why (or decodes). */
const EMBEDDING = [isNumbers, embedding] as const;
const STRING_OR_NULL = [isStringOrNull, stringOrNull] as const;
const METADATA_OR_NULL = [isMetadataOrNull, metadataOrNull] as const;
const DISTANCE = [isDistance, distance] as const;
const EMBEDDING_OR_NULL = [(v: unknown) => v === null || isNumbers(v), (v: unknown, at: string) => (v === null ? null : embedding(v, at))] as const;

type Check<T> = readonly [(v: unknown) => boolean, (v: unknown, at: string) => T];

function each<T>(value: unknown, at: string, count: number, [ok, item]: Check<T>): T[] | null {
  return perRecord(value, at, count, ok, item);
}

function sameDimension(vectors: number[][] | null, at: string): void {
  if (vectors && vectors.some((v) => v.length !== vectors[0].length)) {
    throw new ShapeMismatch(`${at}: expected embeddings of one dimension, got several`);
  }
}

function include(value: unknown): Include[] {
  return (optional(value, (v) => strings(v, 'include')) ?? []) as Include[];
}

/** A get result: ids, and per-record arrays of the same length; at most `limit` records when one was asked for. */
export function getResultShape(opts: { limit?: number } = {}): Shape<GetResult> {
  return (value) => {
    const o = obj(value, '');
    const ids = uniqueIds(o.ids, 'ids');
    if (opts.limit !== undefined && ids.length > opts.limit) {
      throw new ShapeMismatch(`ids: expected at most ${opts.limit} records (the limit asked for), got ${ids.length}`);
    }
    const n = ids.length;
    const embeddings = each(o.embeddings, 'embeddings', n, EMBEDDING);
    sameDimension(embeddings, 'embeddings');
    return {
      ...o,
      ids,
      embeddings,
      documents: each(o.documents, 'documents', n, STRING_OR_NULL),
      metadatas: each(o.metadatas, 'metadatas', n, METADATA_OR_NULL),
      uris: each(o.uris, 'uris', n, STRING_OR_NULL),
      include: include(o.include),
    };
  };
}

/** Per query, per result: an array of `queries` arrays, the i-th as long as ids[i]. */
function perResult<T>(value: unknown, at: string, ids: string[][], check: Check<T>): T[][] | null {
  if (value === undefined || value === null) {
    return null;
  }
  const outer = arr(value, at);
  if (outer.length !== ids.length) {
    throw new ShapeMismatch(`${at}: expected ${ids.length} lists (one per query), got ${outer.length}`);
  }
  return outer.map((inner, q) => each(inner, `${at}[${q}]`, ids[q].length, check) ?? mismatch(`${at}[${q}]`, 'an array', inner));
}

/** A query result for `queries` query vectors, each with at most `nResults` results. */
export function queryResultShape(opts: { queries: number; nResults: number }): Shape<QueryResult> {
  return (value) => {
    const o = obj(value, '');
    const outer = arr(o.ids, 'ids', 'an array of arrays of ids');
    if (outer.length !== opts.queries) {
      throw new ShapeMismatch(`ids: expected ${opts.queries} lists (one per query), got ${outer.length}`);
    }
    const ids = outer.map((inner, q) => {
      const row = uniqueIds(inner, `ids[${q}]`);
      if (row.length > opts.nResults) {
        throw new ShapeMismatch(`ids[${q}]: expected at most ${opts.nResults} results, got ${row.length}`);
      }
      return row;
    });
    const embeddings = perResult(o.embeddings, 'embeddings', ids, EMBEDDING);
    embeddings?.forEach((row, q) => sameDimension(row, `embeddings[${q}]`));
    return {
      ...o,
      ids,
      embeddings,
      documents: perResult(o.documents, 'documents', ids, STRING_OR_NULL),
      metadatas: perResult(o.metadatas, 'metadatas', ids, METADATA_OR_NULL),
      uris: perResult(o.uris, 'uris', ids, STRING_OR_NULL),
      distances: perResult(o.distances, 'distances', ids, DISTANCE),
      include: include(o.include),
    };
  };
}

/** An indexing status: whole op counts and a progress between 0 and 1. */
export const indexingStatusShape: Shape<IndexingStatus> = (value) => {
  const o = obj(value, '');
  const progress = o.op_indexing_progress;
  if (typeof progress !== 'number' || !Number.isFinite(progress) || progress < 0 || progress > 1) {
    mismatch('op_indexing_progress', 'a number from 0 to 1', progress);
  }
  return {
    ...o,
    num_indexed_ops: int(o.num_indexed_ops, 'num_indexed_ops'),
    num_unindexed_ops: int(o.num_unindexed_ops, 'num_unindexed_ops'),
    total_ops: int(o.total_ops, 'total_ops'),
    op_indexing_progress: progress as number,
  };
};

/** Per search, a list as long as that search's ids, or null where the field was not selected. */
function perSearch<T>(value: unknown, at: string, ids: string[][], check: Check<T>): (T[] | null)[] {
  if (value === undefined || value === null) {
    return ids.map(() => null);
  }
  const outer = arr(value, at);
  if (outer.length !== ids.length) {
    throw new ShapeMismatch(`${at}: expected ${ids.length} lists (one per search), got ${outer.length}`);
  }
  return outer.map((inner, q) => each(inner, `${at}[${q}]`, ids[q].length, check));
}

/** A search result for `searches` searches. */
export function searchResultShape(searches: number): Shape<SearchResult> {
  return (value) => {
    const o = obj(value, '');
    const outer = arr(o.ids, 'ids', 'an array of arrays of ids');
    if (outer.length !== searches) {
      throw new ShapeMismatch(`ids: expected ${searches} lists (one per search), got ${outer.length}`);
    }
    const ids = outer.map((inner, q) => uniqueIds(inner, `ids[${q}]`));
    return {
      ...o,
      ids,
      documents: perSearch(o.documents, 'documents', ids, STRING_OR_NULL),
      embeddings: perSearch(o.embeddings, 'embeddings', ids, EMBEDDING_OR_NULL),
      metadatas: perSearch(o.metadatas, 'metadatas', ids, METADATA_OR_NULL),
      scores: perSearch(o.scores, 'scores', ids, DISTANCE),
    };
  };
}
