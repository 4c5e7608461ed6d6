/**
 * Typed guards for what a Chroma server answers. Each one takes the parsed JSON body and returns it typed (with
 * fields older servers omit filled in, and base64 embeddings decoded), or throws ShapeMismatch saying what was
 * expected where. Extra fields newer servers add (`schema`, `resource_name`, …) pass through untouched; wrong types
 * and inconsistent lengths are refused, so garbage never reaches the tree or the record views as data.
 */
import { base64ToEmbedding } from './encoding';
import type {
  Collection,
  CollectionConfiguration,
  Database,
  GetResult,
  Healthcheck,
  Identity,
  Include,
  IndexingStatus,
  Metadata,
  PreflightChecks,
  QueryResult,
  Scope,
  SearchResult,
  Tenant,
} from './types';

/** A body that is not what the endpoint answers. `message` is "expected …, got …", prefixed with where. */
export class ShapeMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeMismatch';
  }
}

export type Shape<T> = (value: unknown) => T;

type Obj = Record<string, unknown>;

function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'object':
      return 'an object';
    case 'number':
      return Number.isFinite(value) ? 'a number' : String(value);
    default:
      return `a ${typeof value}`;
  }
}

function mismatch(at: string, expected: string, value: unknown): never {
  throw new ShapeMismatch(`${at ? `${at}: ` : ''}expected ${expected}, got ${kindOf(value)}`);
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown, at: string, what = 'an object'): Obj {
  return isObj(value) ? value : mismatch(at, what, value);
}

function str(value: unknown, at: string): string {
  return typeof value === 'string' ? value : mismatch(at, 'a string', value);
}

function nonEmptyStr(value: unknown, at: string): string {
  return typeof value === 'string' && value.length > 0 ? value : mismatch(at, 'a non-empty string', value);
}

/** Longest tenant, database or collection name (or collection id) taken: Chroma's own names stop at 512. */
const MAX_NAME_CHARS = 1024;

/** A name that goes back into request paths: non-empty and of a sane length. */
function name(value: unknown, at: string): string {
  if (typeof value === 'string' && value.length > MAX_NAME_CHARS) {
    throw new ShapeMismatch(`${at}: expected a name of at most ${MAX_NAME_CHARS} characters, got ${value.length}`);
  }
  return nonEmptyStr(value, at);
}

function names(value: unknown, at: string): string[] {
  const list = arr(value, at, 'an array of strings');
  list.forEach((v, i) => name(v, `${at}[${i}]`));
  return list as string[];
}

function int(value: unknown, at: string, min = 0): number {
  return Number.isSafeInteger(value) && (value as number) >= min
    ? (value as number)
    : mismatch(at, min > 0 ? `a whole number ≥ ${min}` : 'a whole number ≥ 0', value);
}

function arr(value: unknown, at: string, what = 'an array'): unknown[] {
  return Array.isArray(value) ? value : mismatch(at, what, value);
}

function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/** null or absent → null; otherwise checked. */
function nullable<T>(value: unknown, check: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : check(value);
}

function strings(value: unknown, at: string): string[] {
  const list = arr(value, at, 'an array of strings');
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') {
      mismatch(`${at}[${i}]`, 'a string', list[i]);
    }
  }
  return list as string[];
}

function uniqueIds(value: unknown, at: string): string[] {
  const ids = strings(value, at);
  const empty = ids.indexOf('');
  if (empty !== -1) {
    throw new ShapeMismatch(`${at}[${empty}]: expected a non-empty id, got an empty string`);
  }
  if (new Set(ids).size !== ids.length) {
    throw new ShapeMismatch(`${at}: expected unique ids, got a repeated one`);
  }
  return ids;
}

// ------------------------------------------------------------------ system

export const heartbeatShape: Shape<number> = (value) => {
  const ns = obj(value, '', 'an object with a "nanosecond heartbeat"')['nanosecond heartbeat'];
  return typeof ns === 'number' && Number.isFinite(ns) ? ns : mismatch('"nanosecond heartbeat"', 'a number', ns);
};

export const versionShape: Shape<string> = (value) =>
  typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : mismatch('', 'a short version string', value);

export const preflightShape: Shape<PreflightChecks> = (value) => {
  const o = obj(value, '');
  int(o.max_batch_size, 'max_batch_size', 1);
  optional(o.supports_base64_encoding, (v) => (typeof v === 'boolean' ? v : mismatch('supports_base64_encoding', 'true or false', v)));
  return o as PreflightChecks;
};

export const healthcheckShape: Shape<Healthcheck> = (value) => obj(value, '') as Healthcheck;

export const identityShape: Shape<Identity> = (value) => {
  const o = obj(value, '');
  return {
    ...o,
    user_id: optional(o.user_id, (v) => str(v, 'user_id')) ?? '',
    tenant: name(o.tenant, 'tenant'),
    databases: optional(o.databases, (v) => names(v, 'databases')) ?? [],
  };
};

// ------------------------------------------------------------------ tenants, databases, collections

export const tenantShape: Shape<Tenant> = (value) => {
  const o = obj(value, '');
  return { ...o, name: name(o.name, 'name') };
};

export function databaseShape(tenant: string, at = ''): Shape<Database> {
  return (value) => {
    const o = obj(value, at);
    const p = at ? `${at}.` : '';
    return {
      ...o,
      id: str(o.id, `${p}id`),
      name: name(o.name, `${p}name`),
      tenant: optional(o.tenant, (v) => name(v, `${p}tenant`)) ?? tenant,
    };
  };
}

export const countShape: Shape<number> = (value) => int(value, '');

const SCALAR = new Set(['string', 'number', 'boolean']);

function scalar(value: unknown): boolean {
  return SCALAR.has(typeof value) && (typeof value !== 'number' || Number.isFinite(value));
}

function numbers(value: unknown, at: string): number[] {
  const list = arr(value, at, 'an array of numbers');
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      mismatch(`${at}[${i}]`, 'a finite number', v);
    }
  }
  return list as number[];
}

/**
 * One metadata value as servers send it: a string, number, boolean or null; newer servers (1.2+) also send arrays of
 * those and sparse vectors (`{indices, values}`), which are passed on as they are.
 */
function metadataValue(value: unknown, at: string): void {
  if (value === null || scalar(value)) {
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!scalar(value[i])) {
        mismatch(`${at}[${i}]`, 'a string, number or boolean', value[i]);
      }
    }
    return;
  }
  if (isObj(value) && Array.isArray(value.indices) && Array.isArray(value.values)) {
    numbers(value.indices, `${at}.indices`);
    numbers(value.values, `${at}.values`);
    return;
  }
  mismatch(at, 'a string, number, boolean or null', value);
}

function metadata(value: unknown, at: string): Metadata {
  const o = obj(value, at, 'an object of key/value pairs');
  for (const key of Object.keys(o)) {
    metadataValue(o[key], `${at}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`);
  }
  return o as Metadata;
}

/** A collection; `scope` fills tenant and database when an older server leaves them out. */
export function collectionShape(scope: Scope, at = ''): Shape<Collection> {
  return (value) => {
    const o = obj(value, at);
    const p = at ? `${at}.` : '';
    return {
      ...o,
      id: name(o.id, `${p}id`),
      name: name(o.name, `${p}name`),
      metadata: nullable(o.metadata, (v) => metadata(v, `${p}metadata`)),
      dimension: nullable(o.dimension, (v) => int(v, `${p}dimension`)),
      configuration_json: nullable(o.configuration_json, (v) => obj(v, `${p}configuration_json`) as CollectionConfiguration),
      tenant: optional(o.tenant, (v) => name(v, `${p}tenant`)) ?? scope.tenant,
      database: optional(o.database, (v) => name(v, `${p}database`)) ?? scope.database,
      log_position: optional(o.log_position, (v) => int(v, `${p}log_position`)),
      version: optional(o.version, (v) => int(v, `${p}version`)),
    };
  };
}

/** An array of items, each checked, of at most `limit` items when a limit was asked for. */
export function listShape<T>(item: (at: string) => Shape<T>, limit?: number): Shape<T[]> {
  return (value) => {
    const list = arr(value, '');
    if (limit !== undefined && list.length > limit) {
      throw new ShapeMismatch(`expected at most ${limit} items (the limit asked for), got ${list.length}`);
    }
    return list.map((v, i) => item(`[${i}]`)(v));
  };
}

// ------------------------------------------------------------------ records

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

/** null/absent → null; else an array with one entry per id, each checked. */
function perRecord<T>(value: unknown, at: string, count: number, item: (v: unknown, at: string) => T): T[] | null {
  if (value === undefined || value === null) {
    return null;
  }
  const list = arr(value, at);
  if (list.length !== count) {
    throw new ShapeMismatch(`${at}: expected ${count} entries (one per id), got ${list.length}`);
  }
  const out = new Array<T>(list.length);
  for (let i = 0; i < list.length; i++) {
    out[i] = item(list[i], `${at}[${i}]`);
  }
  return out;
}

const stringOrNull = (v: unknown, at: string): string | null => (v === null ? null : str(v, at));
const metadataOrNull = (v: unknown, at: string): Metadata | null => (v === null ? null : metadata(v, at));
const distance = (v: unknown, at: string): number | null =>
  v === null ? null : typeof v === 'number' && Number.isFinite(v) ? v : mismatch(at, 'a number or null', v);

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
    const embeddings = perRecord(o.embeddings, 'embeddings', n, embedding);
    sameDimension(embeddings, 'embeddings');
    return {
      ...o,
      ids,
      embeddings,
      documents: perRecord(o.documents, 'documents', n, stringOrNull),
      metadatas: perRecord(o.metadatas, 'metadatas', n, metadataOrNull),
      uris: perRecord(o.uris, 'uris', n, stringOrNull),
      include: include(o.include),
    };
  };
}

/** Per query, per result: an array of `queries` arrays, the i-th as long as ids[i]. */
function perResult<T>(
  value: unknown,
  at: string,
  ids: string[][],
  item: (v: unknown, at: string) => T,
): T[][] | null {
  if (value === undefined || value === null) {
    return null;
  }
  const outer = arr(value, at);
  if (outer.length !== ids.length) {
    throw new ShapeMismatch(`${at}: expected ${ids.length} lists (one per query), got ${outer.length}`);
  }
  return outer.map((inner, q) => perRecord(inner, `${at}[${q}]`, ids[q].length, item) ?? mismatch(`${at}[${q}]`, 'an array', inner));
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
    const embeddings = perResult(o.embeddings, 'embeddings', ids, embedding);
    embeddings?.forEach((row, q) => sameDimension(row, `embeddings[${q}]`));
    return {
      ...o,
      ids,
      embeddings,
      documents: perResult(o.documents, 'documents', ids, stringOrNull),
      metadatas: perResult(o.metadatas, 'metadatas', ids, metadataOrNull),
      uris: perResult(o.uris, 'uris', ids, stringOrNull),
      distances: perResult(o.distances, 'distances', ids, distance),
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
function perSearch<T>(value: unknown, at: string, ids: string[][], item: (v: unknown, at: string) => T): (T[] | null)[] {
  if (value === undefined || value === null) {
    return ids.map(() => null);
  }
  const outer = arr(value, at);
  if (outer.length !== ids.length) {
    throw new ShapeMismatch(`${at}: expected ${ids.length} lists (one per search), got ${outer.length}`);
  }
  return outer.map((inner, q) => perRecord(inner, `${at}[${q}]`, ids[q].length, item));
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
      documents: perSearch(o.documents, 'documents', ids, stringOrNull),
      embeddings: perSearch(o.embeddings, 'embeddings', ids, (v, at) => (v === null ? null : embedding(v, at))),
      metadatas: perSearch(o.metadatas, 'metadatas', ids, metadataOrNull),
      scores: perSearch(o.scores, 'scores', ids, distance),
    };
  };
}

/** Writes and deletes: Chroma answers `{}` (1.x) or `true` (0.6); any JSON is taken, nothing is read from it. */
export const anyShape: Shape<unknown> = (value) => value;
