/**
 * The transfer file format, JSON Lines: a manifest on the first line (what the collection was, where it came from,
 * how embeddings are written), then one record per line. Embeddings are base64 of little-endian float32 by default
 * (what Chroma's own `supports_base64_encoding` takes, 4 bytes per value, exact), or JSON numbers on request.
 * Server credentials never go into a file. No `vscode` here.
 */
import { base64ToEmbedding, embeddingToBase64 } from '../../chroma/encoding';
import { quote } from '../../chroma/sanitize';
import type { Collection, CollectionConfiguration, Embedding, Metadata, Where, WhereDocument } from '../../chroma/types';
import { formatCount } from '../../util/text';
import { TransferError } from './errors';

export const FORMAT = 'chroma-explorer/jsonl';
export const FORMAT_VERSION = 1;

/** How embeddings are written in a file. */
export type EmbeddingEncoding = 'base64-float32-le' | 'json-numbers' | 'none';

/** The `chroma.transfer.embeddingFormat` setting's values, as encodings. */
export function encodingFor(format: 'base64' | 'numbers' | 'none'): EmbeddingEncoding {
  return format === 'numbers' ? 'json-numbers' : format === 'none' ? 'none' : 'base64-float32-le';
}

/** What part of a collection an export holds: everything, a filter's matches, or chosen ids. */
export interface Selection {
  where?: Where;
  whereDocument?: WhereDocument;
  ids?: string[];
}

export interface Manifest {
  format: typeof FORMAT;
  version: number;
  collection: {
    name: string;
    id: string;
    metadata: Metadata | null;
    /** `configuration_json` as the server returned it: index settings and the embedding function. */
    configuration: CollectionConfiguration | null;
    dimension: number | null;
    /** Newer servers' per-key index settings, where the server returned some. */
    schema?: Record<string, unknown> | null;
  };
  /** Records the export holds (counted when it started). */
  count: number;
  /** Where it was exported from: the server's root URL (never a credential), tenant and database. */
  source: { url: string; tenant: string; database: string };
  exportedAt: string;
  embeddingEncoding: EmbeddingEncoding;
  /** Present when the export holds part of the collection. */
  selection?: Selection;
}

/** One record as a file holds it. */
export interface TransferRecord {
  id: string;
  document: string | null;
  metadata: Metadata | null;
  uri: string | null;
  /** null: the file has none for this record (it is embedded from its document on import). */
  embedding: Embedding | null;
}

/** A selection with empty parts dropped and ids deduplicated (in their first order); undefined for "everything". */
export function normalizeSelection(s: Selection | undefined): Selection | undefined {
  if (!s) {
    return undefined;
  }
  const out: Selection = {};
  if (s.where && Object.keys(s.where).length > 0) {
    out.where = s.where;
  }
  if (s.whereDocument && Object.keys(s.whereDocument).length > 0) {
    out.whereDocument = s.whereDocument;
  }
  if (s.ids) {
    out.ids = [...new Set(s.ids)];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** JSON with object keys sorted: two selections typed in a different key order compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

export function buildManifest(args: {
  collection: Collection;
  count: number;
  sourceUrl: string;
  embeddingEncoding: EmbeddingEncoding;
  selection?: Selection;
  exportedAt: Date;
}): Manifest {
  const c = args.collection;
  const manifest: Manifest = {
    format: FORMAT,
    version: FORMAT_VERSION,
    collection: {
      name: c.name,
      id: c.id,
      metadata: c.metadata ?? null,
      configuration: c.configuration_json ?? null,
      dimension: c.dimension ?? null,
    },
    count: args.count,
    source: { url: args.sourceUrl, tenant: c.tenant, database: c.database },
    exportedAt: args.exportedAt.toISOString(),
    embeddingEncoding: args.embeddingEncoding,
  };
  if (c.schema !== undefined && c.schema !== null) {
    manifest.collection.schema = c.schema;
  }
  const selection = normalizeSelection(args.selection);
  if (selection) {
    manifest.selection = selection;
  }
  return manifest;
}

export function encodeManifest(m: Manifest): string {
  return JSON.stringify(m);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ENCODINGS: readonly EmbeddingEncoding[] = ['base64-float32-le', 'json-numbers', 'none'];

/** The manifest of a file (its first line), checked; `file` names it in messages. */
export function parseManifest(line: string, file: string): Manifest {
  const notOurs = (why: string) =>
    new TransferError('not-an-export', `${file} is not a Chroma Explorer export (${why}). Choose a .jsonl file made by Export Collection….`);
  let value: unknown;
  try {
    value = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
  } catch {
    throw notOurs('its first line is not JSON');
  }
  if (!isObject(value) || value.format !== FORMAT) {
    throw notOurs(`its first line has no "format": "${FORMAT}"`);
  }
  if (typeof value.version !== 'number' || value.version > FORMAT_VERSION) {
    throw new TransferError(
      'not-an-export',
      `${file} is in format version ${String(value.version)}, newer than this Chroma Explorer reads (${FORMAT_VERSION}). Update the extension.`,
    );
  }
  const c = value.collection;
  const src = value.source;
  const bad = (what: string) => notOurs(`its manifest has no valid ${what}`);
  if (!isObject(c) || typeof c.name !== 'string' || typeof c.id !== 'string') {
    throw bad('collection name and id');
  }
  if (c.dimension !== null && c.dimension !== undefined && !(Number.isInteger(c.dimension) && (c.dimension as number) > 0)) {
    throw bad('dimension');
  }
  if (c.metadata !== null && c.metadata !== undefined && !isObject(c.metadata)) {
    throw bad('collection metadata');
  }
  if (c.configuration !== null && c.configuration !== undefined && !isObject(c.configuration)) {
    throw bad('configuration');
  }
  if (!isObject(src) || typeof src.url !== 'string' || typeof src.tenant !== 'string' || typeof src.database !== 'string') {
    throw bad('source');
  }
  if (!ENCODINGS.includes(value.embeddingEncoding as EmbeddingEncoding)) {
    throw bad('embeddingEncoding');
  }
  if (typeof value.count !== 'number' || !Number.isInteger(value.count) || value.count < 0) {
    throw bad('count');
  }
  const sel = value.selection;
  if (sel !== undefined && (!isObject(sel) || (sel.ids !== undefined && !(Array.isArray(sel.ids) && sel.ids.every((i) => typeof i === 'string'))))) {
    throw bad('selection');
  }
  return value as unknown as Manifest;
}

/** Keys in a fixed order: servers return metadata keys in any order, and the same record must give the same line. */
function sortedKeys(m: Metadata): Metadata {
  const keys = Object.keys(m);
  if (keys.length < 2) {
    return m;
  }
  keys.sort();
  const out: Metadata = {};
  for (const k of keys) {
    out[k] = m[k];
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A record's fields as `get` returns them; embeddings arrive as JSON numbers. */
export type RecordEncoder = (
  id: string,
  document: string | null | undefined,
  metadata: Metadata | null | undefined,
  uri: string | null | undefined,
  embedding: Embedding | null | undefined,
) => string;

/**
 * Encodes records as lines (no newline), null fields left out: the same text JSON.stringify gives for the record,
 * built field by field so that an export spends its time on the server's pages, not here. Each encoder keeps one
 * float32 scratch vector for base64, reused record after record.
 */
export function recordEncoder(encoding: EmbeddingEncoding): RecordEncoder {
  let scratch = new Float32Array(0);
  const base64 = (e: Embedding): string => {
    if (!LITTLE_ENDIAN || e instanceof Float32Array) {
      return embeddingToBase64(e);
    }
    if (scratch.length < e.length) {
      scratch = new Float32Array(e.length);
    }
    for (let i = 0; i < e.length; i++) {
      scratch[i] = e[i];
    }
    return Buffer.from(scratch.buffer, 0, e.length * 4).toString('base64');
  };
  // JSON.stringify writes -0 as 0: numbers are written here so that every float32 comes back with its bits.
  const numbers = (e: Embedding): string => {
    let out = '';
    for (let i = 0; i < e.length; i++) {
      const v = e[i];
      out += (i ? ',' : '') + (Object.is(v, -0) ? '-0.0' : Number.isFinite(v) ? String(v) : 'null');
    }
    return `[${out}]`;
  };
  return (id, document, metadata, uri, embedding) => {
    let line = `{"id":${JSON.stringify(id)}`;
    if (document !== null && document !== undefined) {
      line += `,"document":${JSON.stringify(document)}`;
    }
    if (metadata !== null && metadata !== undefined) {
      line += `,"metadata":${JSON.stringify(sortedKeys(metadata))}`;
    }
    if (uri !== null && uri !== undefined) {
      line += `,"uri":${JSON.stringify(uri)}`;
    }
    if (embedding && encoding !== 'none') {
      line += encoding === 'base64-float32-le' ? `,"embedding":"${base64(embedding)}"` : `,"embedding":${numbers(embedding)}`;
    }
    return `${line}}`;
  };
}

/** One record as a line (no newline); for many, make one recordEncoder and reuse it. */
export function encodeRecord(
  id: string,
  document: string | null | undefined,
  metadata: Metadata | null | undefined,
  uri: string | null | undefined,
  embedding: Embedding | null | undefined,
  encoding: EmbeddingEncoding,
): string {
  return recordEncoder(encoding)(id, document, metadata, uri, embedding);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A record line, checked; `at` names it in messages ("line 12 of x.jsonl"). */
export function decodeRecord(line: string, at: string): TransferRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new TransferError('bad-line', `${at} is not valid JSON${line.length < 2 ? ' (an empty line)' : ''}. Fix or remove that line, then import again.`);
  }
  const bad = (what: string) => new TransferError('bad-line', `${at}: ${what}. Fix or remove that line, then import again.`);
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') {
    throw bad('it has no "id" (a non-empty string)');
  }
  const { id, document = null, metadata = null, uri = null, embedding = null } = value;
  if (document !== null && typeof document !== 'string') {
    throw bad(`record ${quote(id)} has a "document" that is not a string`);
  }
  if (metadata !== null && !isObject(metadata)) {
    throw bad(`record ${quote(id)} has a "metadata" that is not an object`);
  }
  if (uri !== null && typeof uri !== 'string') {
    throw bad(`record ${quote(id)} has a "uri" that is not a string`);
  }
  let vector: Embedding | null = null;
  if (typeof embedding === 'string') {
    if (embedding.length % 4 !== 0 || !BASE64.test(embedding)) {
      throw bad(`record ${quote(id)} has an "embedding" that is not base64`);
    }
    const bytes = (embedding.length / 4) * 3 - (embedding.endsWith('==') ? 2 : embedding.endsWith('=') ? 1 : 0);
    if (bytes === 0 || bytes % 4 !== 0) {
      throw bad(`record ${quote(id)} has an "embedding" whose bytes are not whole float32 values`);
    }
    vector = base64ToEmbedding(embedding);
  } else if (Array.isArray(embedding)) {
    if (!embedding.every((x) => typeof x === 'number')) {
      throw bad(`record ${quote(id)} has an "embedding" with values that are not numbers`);
    }
    vector = embedding as number[];
  } else if (embedding !== null) {
    throw bad(`record ${quote(id)} has an "embedding" that is neither base64 nor an array of numbers`);
  }
  return { id, document, metadata: metadata as Metadata | null, uri, embedding: vector };
}

/** Just the id of a record line (for resuming), or undefined when the line is not a record. */
export function recordIdOf(line: string): string | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return isObject(v) && typeof v.id === 'string' ? v.id : undefined;
  } catch {
    return undefined;
  }
}

/** "the whole collection", "the records matching a filter", "12 chosen records": for messages. */
export function describeSelection(s: Selection | undefined): string {
  if (!s) {
    return 'the whole collection';
  }
  if (s.ids) {
    return `${formatCount(s.ids.length)} chosen record${s.ids.length === 1 ? '' : 's'}`;
  }
  return 'the records matching a filter';
}
