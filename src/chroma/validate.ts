/**
 * Checks made before anything is sent, so that a bad call fails with a message that names the offending record
 * instead of a server error, or worse, a 200 that breaks the collection.
 */
import { ChromaInvalidArgumentError } from './errors';
import { listValueProblem } from './listValues';
import { BREAKING_METADATA_KEYS, DEFAULT_RECORD_LIMITS, MAX_METADATA_KEYS_SETTING } from './limits';
import type { RecordLimits } from './limits';
import { quote } from './sanitize';
import type { Embedding, Metadata, RecordSet, UpdateMetadata, UpdateRecordSet } from './types';

const NAME_CHARS = /^[a-zA-Z0-9._-]+$/;
const ALNUM = /[a-zA-Z0-9]/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Why `name` is not a valid collection name, or undefined when it is. Chroma's rule, checked client-side. */
export function collectionNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 512) {
    return `must be 3–512 characters long (it has ${name.length})`;
  }
  if (!NAME_CHARS.test(name)) {
    const bad = [...name].find((c) => !/[a-zA-Z0-9._-]/.test(c));
    return `may only contain letters, digits, ".", "_" and "-" (found ${JSON.stringify(bad)})`;
  }
  if (!ALNUM.test(name[0]) || !ALNUM.test(name[name.length - 1])) {
    return 'must start and end with a letter or a digit';
  }
  if (name.includes('..')) {
    return 'must not contain ".."';
  }
  const ip = IPV4.exec(name);
  if (ip && ip.slice(1).every((part) => Number(part) <= 255)) {
    return 'must not be an IPv4 address';
  }
  return undefined;
}

/** The sentence shown for an invalid collection name (input validators), or undefined when it is valid. */
export function collectionNameMessage(name: string): string | undefined {
  const problem = collectionNameProblem(name);
  return problem ? `Collection name ${quote(name)} is invalid: it ${problem}.` : undefined;
}

export function validateCollectionName(name: string): void {
  const message = collectionNameMessage(name);
  if (message) {
    throw new ChromaInvalidArgumentError(message);
  }
}

/** Tenant and database names: Chroma asks for 3 or more characters. */
export function validateScopeName(kind: 'tenant' | 'database', name: string): void {
  if (name.length < 3) {
    throw new ChromaInvalidArgumentError(`The ${kind} name ${quote(name)} is too short: use 3 or more characters.`);
  }
}

export function validateIds(ids: readonly string[], what = 'ids'): void {
  if (ids.length === 0) {
    throw new ChromaInvalidArgumentError(`No ${what} given: pass at least one id.`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (typeof id !== 'string' || id.length === 0) {
      throw new ChromaInvalidArgumentError(`Record ${i} has an empty id: every record needs a non-empty string id.`);
    }
    if (seen.has(id)) {
      throw new ChromaInvalidArgumentError(`The id ${quote(id)} appears more than once: ids must be unique within a call.`);
    }
    seen.add(id);
  }
}

interface MetadataRules {
  /** `null` removes a key: allowed in updates only. */
  allowNull: boolean;
  /** Keys starting with `chroma:` are Chroma's own, in records. */
  reservedPrefix: boolean;
  maxKeys: number;
  /** Ends the "has N metadata keys" sentence: the limit, the setting, what to do. */
  tooMany: string;
  /**
   * What a list value meets: `check` (Chroma 1.5's rules; the server has lists or it is not known), `collection`
   * (a collection's metadata never holds one), or the server's name when it is too old for them.
   */
  lists: 'check' | 'collection' | { refusedBy: string };
}

function validateMetadataValue(subject: string, key: string, value: unknown, rules: MetadataRules): void {
  if (value === null && rules.allowNull) {
    return;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new ChromaInvalidArgumentError(`${subject}: metadata ${quote(key)} is ${value}; numbers must be finite.`);
      }
      return;
    default: {
      if (Array.isArray(value)) {
        validateListValue(subject, key, value, rules.lists);
        return;
      }
      const kind = value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
      const lists = rules.lists === 'collection' ? '' : ', or a list of one of those';
      throw new ChromaInvalidArgumentError(`${subject}: metadata ${quote(key)} is ${kind}; values must be a string, number or boolean${lists}.`);
    }
  }
}

function validateListValue(subject: string, key: string, value: readonly unknown[], lists: MetadataRules['lists']): void {
  if (lists === 'collection') {
    throw new ChromaInvalidArgumentError(
      `${subject}: metadata ${quote(key)} is a list; a collection's metadata takes only strings, numbers and booleans (list values are for records).`,
    );
  }
  if (lists !== 'check') {
    throw new ChromaInvalidArgumentError(
      `${subject}: metadata ${quote(key)} is a list; this server (${lists.refusedBy}) is too old for list metadata values: they need Chroma 1.5 or later. ` +
        'Store it as a string instead (e.g. "red,blue").',
    );
  }
  const problem = listValueProblem(value);
  if (problem) {
    throw new ChromaInvalidArgumentError(`${subject}: metadata ${quote(key)} ${problem}.`);
  }
}

function checkMetadata(subject: string, metadata: unknown, rules: MetadataRules): void {
  if (metadata === null || metadata === undefined) {
    return;
  }
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ChromaInvalidArgumentError(`${subject}: metadata must be an object of key/value pairs.`);
  }
  const keys = Object.keys(metadata);
  if (keys.length > rules.maxKeys) {
    throw new ChromaInvalidArgumentError(`${subject} has ${keys.length.toLocaleString('en-US')} metadata keys${rules.tooMany}`);
  }
  for (const key of keys) {
    if (key.length === 0) {
      throw new ChromaInvalidArgumentError(`${subject}: a metadata key is empty.`);
    }
    if (rules.reservedPrefix && key.startsWith('chroma:')) {
      throw new ChromaInvalidArgumentError(`${subject}: metadata key ${quote(key)} is reserved by Chroma.`);
    }
    validateMetadataValue(subject, key, (metadata as Record<string, unknown>)[key], rules);
  }
}

/** Why a number of keys is too many, ending the sentence: names the limit and the setting that changes it. */
function tooManyKeys(limits: RecordLimits): string {
  const limit = limits.maxMetadataKeys.toLocaleString('en-US');
  const fold = 'Keep fewer keys, e.g. fold some into one JSON string.';
  return limits.cloud
    ? `; Chroma Cloud allows ${limit} (setting ${MAX_METADATA_KEYS_SETTING}). ${fold}`
    : `, over the limit of ${limit} (setting ${MAX_METADATA_KEYS_SETTING}): ` +
        `${BREAKING_METADATA_KEYS.toLocaleString('en-US')} or more in one record break a Chroma 1.0 collection for good. ${fold}`;
}

/**
 * A record's metadata: string, number or boolean values, or lists of one of those where the server takes them (null
 * too in updates), and not too many keys.
 */
export function validateMetadata(
  id: string,
  metadata: Metadata | UpdateMetadata | null | undefined,
  update = false,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): void {
  checkMetadata(`Record ${quote(id)}`, metadata, {
    allowNull: update,
    reservedPrefix: true,
    maxKeys: limits.maxMetadataKeys,
    tooMany: tooManyKeys(limits),
    lists: limits.listsRefusedBy === undefined ? 'check' : { refusedBy: limits.listsRefusedBy },
  });
}


/**
 * A collection's own metadata, checked as a record's is (Chroma answers 422 to nested values), without lists: the
 * newest server closes the connection on a create or modify with one, and changes nothing.
 */
export function validateCollectionMetadata(metadata: unknown, limits: RecordLimits = DEFAULT_RECORD_LIMITS): void {
  checkMetadata('The collection', metadata, {
    allowNull: false,
    reservedPrefix: false,
    maxKeys: limits.maxMetadataKeys,
    tooMany: tooManyKeys(limits),
    lists: 'collection',
  });
}

/** Documents must be strings (or null), within the server's documented size. */
function validateDocuments(ids: readonly string[], documents: readonly unknown[] | undefined, limits: RecordLimits): void {
  documents?.forEach((d, i) => {
    if (d === null || d === undefined) {
      return;
    }
    if (typeof d !== 'string') {
      throw new ChromaInvalidArgumentError(`Record ${quote(ids[i])}: the document must be a string.`);
    }
    const max = limits.maxDocumentBytes;
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so short strings need no count.
    if (max !== undefined && d.length * 3 > max && Buffer.byteLength(d, 'utf8') > max) {
      const where = limits.cloud ? 'Chroma Cloud takes' : 'the limit is';
      throw new ChromaInvalidArgumentError(
        `Record ${quote(ids[i])}: its document is ${bytes(Buffer.byteLength(d, 'utf8'))}; ${where} at most ${bytes(max)} per document. ` +
          'Split it into smaller chunks.',
      );
    }
  });
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} bytes${n >= 1024 ? ` (${Number((n / 1024).toFixed(1))} KB)` : ''}`;
}

/** Checks that every embedding is there, finite, of one dimension (and of `expected`, when known), within the server's limit. */
export function validateEmbeddings(
  ids: readonly string[],
  embeddings: readonly Embedding[],
  expected?: number | null,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): number {
  if (embeddings.length !== ids.length) {
    throw new ChromaInvalidArgumentError(
      `${ids.length} ids but ${embeddings.length} embeddings were given: each record needs exactly one embedding.`,
    );
  }
  let dim = expected ?? undefined;
  for (let i = 0; i < embeddings.length; i++) {
    const e = embeddings[i];
    if (!e || typeof e.length !== 'number') {
      throw new ChromaInvalidArgumentError(`Record ${quote(ids[i])} has no embedding.`);
    }
    if (e.length === 0) {
      throw new ChromaInvalidArgumentError(`Record ${quote(ids[i])} has an empty embedding.`);
    }
    if (limits.maxDimension !== undefined && e.length > limits.maxDimension) {
      const max = limits.maxDimension.toLocaleString('en-US');
      throw new ChromaInvalidArgumentError(
        `Record ${quote(ids[i])} has an embedding of dimension ${e.length.toLocaleString('en-US')}; ` +
          `${limits.cloud ? 'Chroma Cloud takes' : 'the limit is'} at most ${max} dimensions. Use a model (or a dimensions setting) of ${max} or fewer.`,
      );
    }
    if (dim === undefined) {
      dim = e.length;
    } else if (e.length !== dim) {
      const source = expected ? 'the collection expects' : `the first record has`;
      throw new ChromaInvalidArgumentError(
        `Record ${quote(ids[i])} has an embedding of dimension ${e.length}, but ${source} ${dim}. ` +
          'Use the same embedding model for every record of a collection.',
      );
    }
    for (let j = 0; j < e.length; j++) {
      const v = e[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ChromaInvalidArgumentError(
          `Record ${quote(ids[i])}: embedding value ${j} is ${typeof v === 'number' ? String(v) : typeof v}; every value must be a finite number.`,
        );
      }
    }
  }
  return dim ?? 0;
}

function checkLength(field: string, ids: readonly string[], values: readonly unknown[] | undefined): void {
  if (values !== undefined && values.length !== ids.length) {
    throw new ChromaInvalidArgumentError(
      `${ids.length} ids but ${values.length} ${field} were given: pass one per record (null where there is none).`,
    );
  }
}

/**
 * Validates an add/upsert. Embeddings are required: Chroma 1.0.0 answers an add with documents but no embeddings
 * with 200 and the collection is broken for good ("Failed to apply logs to the hnsw segment writer").
 * Returns the embeddings' dimension.
 */
export function validateRecordSet(
  records: RecordSet,
  expectedDimension?: number | null,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): number {
  validateIds(records.ids);
  if (!records.embeddings) {
    throw new ChromaInvalidArgumentError(
      'Refusing to send records without embeddings: the server would store them unindexed and the collection ' +
        "would break. Embed the documents first (with the collection's embedding function).",
    );
  }
  checkLength('documents', records.ids, records.documents);
  checkLength('metadatas', records.ids, records.metadatas);
  checkLength('uris', records.ids, records.uris);
  const dim = validateEmbeddings(records.ids, records.embeddings, expectedDimension, limits);
  records.metadatas?.forEach((m, i) => validateMetadata(records.ids[i], m, false, limits));
  validateDocuments(records.ids, records.documents, limits);
  return dim;
}

/** Validates an update. Changing a document without a new embedding would leave a stale vector: refused. */
export function validateUpdateRecordSet(
  records: UpdateRecordSet,
  expectedDimension?: number | null,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): void {
  validateIds(records.ids);
  checkLength('documents', records.ids, records.documents);
  checkLength('metadatas', records.ids, records.metadatas);
  checkLength('uris', records.ids, records.uris);
  if (records.documents && !records.embeddings) {
    throw new ChromaInvalidArgumentError(
      'Refusing to update documents without new embeddings: their vectors would no longer match their text. ' +
        'Embed the new documents and send the embeddings with them.',
    );
  }
  if (records.embeddings) {
    validateEmbeddings(records.ids, records.embeddings, expectedDimension, limits);
  }
  records.metadatas?.forEach((m, i) => validateMetadata(records.ids[i], m, true, limits));
  validateDocuments(records.ids, records.documents, limits);
}

export function validateQueryEmbeddings(
  embeddings: readonly Embedding[],
  expectedDimension?: number | null,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): void {
  if (embeddings.length === 0) {
    throw new ChromaInvalidArgumentError('No query embeddings given: pass at least one.');
  }
  validateEmbeddings(
    embeddings.map((_, i) => `query ${i}`),
    embeddings,
    expectedDimension,
    limits,
  );
}

/**
 * How many results a query may ask for: a query cannot be split the way a get is paged, so a count over the server's
 * per-read limit is refused before sending, naming the limit.
 */
export function validateResultCount(nResults: number, limits: RecordLimits = DEFAULT_RECORD_LIMITS): void {
  const max = limits.maxRecordsPerRead;
  if (max !== undefined && nResults > max) {
    throw new ChromaInvalidArgumentError(
      `A query for ${nResults.toLocaleString('en-US')} results is over the limit: ` +
        `${limits.cloud ? 'Chroma Cloud returns' : 'the server returns'} at most ${max.toLocaleString('en-US')} records per read. Ask for ${max.toLocaleString('en-US')} or fewer.`,
    );
  }
}

export function validatePaging(limit: number | undefined, offset: number | undefined): void {
  for (const [name, v] of [
    ['limit', limit],
    ['offset', offset],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new ChromaInvalidArgumentError(`${name} must be a whole number ≥ 0 (got ${v}).`);
    }
  }
}
