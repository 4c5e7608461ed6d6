/**
 * Edit Collection…: what of a collection can be changed (its name, metadata, and the configuration parts Chroma
 * lets you modify after creation), read from the collection as the server sent it, checked as typed, and the
 * modify payload that carries only what changed. Chroma 1.x takes `new_configuration` with `hnsw` (ef_search,
 * num_threads, batch_size, sync_threshold, resize_factor), `spann` (search_nprobe, ef_search) and
 * `embedding_function`; the space and the build parameters are fixed once the collection exists. No `vscode` here.
 */
import { describeError } from '../../chroma/errors';
import type { RecordLimits } from '../../chroma/limits';
import type { Collection, EmbeddingFunctionConfig, Metadata, ModifyCollectionParams } from '../../chroma/types';
import { validateCollectionMetadata } from '../../chroma/validate';

export type IndexKind = 'hnsw' | 'spann';

export interface ParamSpec {
  key: string;
  kind: 'int' | 'float';
  /** What it does, in a few words. */
  detail: string;
}

export const MODIFIABLE: Readonly<Record<IndexKind, readonly ParamSpec[]>> = {
  hnsw: [
    { key: 'ef_search', kind: 'int', detail: 'candidates kept while searching: higher is more accurate and slower' },
    { key: 'num_threads', kind: 'int', detail: 'threads used to build and search the index' },
    { key: 'batch_size', kind: 'int', detail: 'records per batch written to the index' },
    { key: 'sync_threshold', kind: 'int', detail: 'records written before the index is saved to disk' },
    { key: 'resize_factor', kind: 'float', detail: 'how much the index grows when it is full' },
  ],
  spann: [
    { key: 'search_nprobe', kind: 'int', detail: 'clusters searched per query: higher is more accurate and slower' },
    { key: 'ef_search', kind: 'int', detail: 'candidates kept while searching a cluster' },
  ],
};

/** What Edit Collection… shows and changes. */
export interface CollectionSettings {
  name: string;
  metadata: Metadata | null;
  /** The collection's index; undefined when the server reports none. */
  index?: IndexKind;
  /** The server takes no configuration change (0.x: its modify has no configuration): the parameters are shown only. */
  indexFixed?: boolean;
  /** The index parameters as set (undefined: the server does not report it). */
  params: Record<string, number | undefined>;
  /** undefined: the server's configuration has no embedding function field (0.x); null: none is stored. */
  embeddingFunction?: EmbeddingFunctionConfig | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The HNSW parameters newer servers report in the schema only (num_threads, batch_size): `#embedding`'s vector index. */
function schemaIndexParams(c: Collection, index: IndexKind): Record<string, unknown> | undefined {
  const keys = isObject(c.schema) && isObject(c.schema.keys) ? c.schema.keys : undefined;
  const embedding = keys && isObject(keys['#embedding']) ? keys['#embedding'] : undefined;
  const list = embedding && isObject(embedding.float_list) ? embedding.float_list : undefined;
  const vector = list && isObject(list.vector_index) ? list.vector_index : undefined;
  const config = vector && isObject(vector.config) ? vector.config : undefined;
  const params = config?.[index];
  return isObject(params) ? params : undefined;
}

/**
 * The collection's index as its server reports it: 1.x's `configuration_json.hnsw` / `.spann`, or 0.5/0.6's
 * `configuration_json.hnsw_configuration` (whose parameters that server cannot change: `fixed`). Undefined when
 * the server reports none.
 */
export function indexOf(c: Collection): { kind: IndexKind; params: Record<string, unknown>; fixed: boolean } | undefined {
  const config = isObject(c.configuration_json) ? c.configuration_json : undefined;
  if (isObject(config?.spann)) {
    return { kind: 'spann', params: config.spann, fixed: false };
  }
  if (isObject(config?.hnsw)) {
    return { kind: 'hnsw', params: config.hnsw, fixed: false };
  }
  if (isObject(config?.hnsw_configuration)) {
    const params = Object.fromEntries(Object.entries(config.hnsw_configuration).filter(([k]) => k !== '_type'));
    return { kind: 'hnsw', params, fixed: true };
  }
  return undefined;
}

/** The collection's settings, as the server sent them. */
export function currentSettings(c: Collection): CollectionSettings {
  const config = isObject(c.configuration_json) ? c.configuration_json : undefined;
  const found = indexOf(c);
  const index = found?.kind;
  const params: Record<string, number | undefined> = {};
  if (found && index) {
    const fromConfig = found.params;
    const fromSchema = schemaIndexParams(c, index) ?? {};
    for (const spec of MODIFIABLE[index]) {
      const v = fromConfig[spec.key] ?? fromSchema[spec.key];
      params[spec.key] = typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    }
  }
  const ef = config && 'embedding_function' in config ? config.embedding_function : undefined;
  return {
    name: c.name,
    metadata: isObject(c.metadata) ? { ...c.metadata } : null,
    index,
    ...(found?.fixed ? { indexFixed: true } : {}),
    params,
    embeddingFunction: ef === undefined ? undefined : isObject(ef) ? (structuredClone(ef) as EmbeddingFunctionConfig) : null,
  };
}

/** Deep equality of JSON values, with object keys in any order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (!isObject(a) || !isObject(b)) {
    return false;
  }
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
}

/** The modify payload for going from `before` to `after`: only what changed; undefined when nothing did. */
export function modifyPayload(before: CollectionSettings, after: CollectionSettings): ModifyCollectionParams | undefined {
  const out: ModifyCollectionParams = {};
  if (after.name !== before.name) {
    out.name = after.name;
  }
  if (!sameJson(after.metadata ?? {}, before.metadata ?? {}) && after.metadata) {
    out.metadata = after.metadata;
  }
  const configuration: Record<string, unknown> = {};
  if (after.index && after.index === before.index && !before.indexFixed) {
    const changed: Record<string, number> = {};
    for (const spec of MODIFIABLE[after.index]) {
      const v = after.params[spec.key];
      if (v !== undefined && v !== before.params[spec.key]) {
        changed[spec.key] = v;
      }
    }
    if (Object.keys(changed).length > 0) {
      configuration[after.index] = changed;
    }
  }
  if (after.embeddingFunction && !sameJson(after.embeddingFunction, before.embeddingFunction)) {
    configuration.embedding_function = after.embeddingFunction;
  }
  if (Object.keys(configuration).length > 0) {
    out.configuration = configuration;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The changes between two settings, one line each ("ef_search: 100 → 200"), for the confirmation and the log. */
export function describeChanges(before: CollectionSettings, after: CollectionSettings): string[] {
  const payload = modifyPayload(before, after);
  if (!payload) {
    return [];
  }
  const lines: string[] = [];
  if (payload.name !== undefined) {
    lines.push(`name: ${before.name} → ${payload.name}`);
  }
  if (payload.metadata) {
    lines.push('metadata: replaced');
  }
  const config = payload.configuration ?? {};
  for (const index of ['hnsw', 'spann'] as const) {
    const changed = config[index] as Record<string, number> | undefined;
    for (const [key, v] of Object.entries(changed ?? {})) {
      lines.push(`${index}.${key}: ${before.params[key] ?? 'not reported'} → ${v}`);
    }
  }
  if (config.embedding_function) {
    lines.push(`embedding function: ${functionLabel(before.embeddingFunction)} → ${functionLabel(after.embeddingFunction)}`);
  }
  return lines;
}

export function functionLabel(ef: EmbeddingFunctionConfig | null | undefined): string {
  if (!ef) {
    return 'none';
  }
  return ef.type === 'known' && ef.name ? ef.name : ef.type;
}

/** A typed parameter value: a whole number ≥ 0 (a number > 0 for a factor). */
export function parseParam(spec: ParamSpec, text: string): { value: number } | { error: string } {
  const t = text.trim();
  if (t === '') {
    return { error: `Type a value for ${spec.key}.` };
  }
  const n = Number(t);
  if (spec.kind === 'int') {
    return Number.isSafeInteger(n) && n >= 0 && /^\d+$/.test(t) ? { value: n } : { error: `${spec.key} must be a whole number, 0 or more.` };
  }
  return Number.isFinite(n) && n > 0 ? { value: n } : { error: `${spec.key} must be a number greater than 0.` };
}

/** Typed JSON that must be an object; `notObject` says what was expected. */
function jsonObject(text: string, notObject: string): { object: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${describeError(e)}` };
  }
  return isObject(parsed) ? { object: parsed } : { error: notObject };
}

/** Typed metadata JSON: an object of string, number or boolean values, as Chroma takes for a collection. */
export function parseMetadata(text: string, limits?: RecordLimits): { metadata: Metadata } | { error: string } {
  const read = jsonObject(text, 'The metadata must be a JSON object, e.g. {"owner": "search-team"}.');
  if ('error' in read) {
    return read;
  }
  const parsed = read.object;
  if (Object.keys(parsed).length === 0) {
    return { error: 'Chroma cannot set a collection’s metadata to nothing: keep at least one key.' };
  }
  try {
    validateCollectionMetadata(parsed, limits);
  } catch (e) {
    return { error: describeError(e) };
  }
  return { metadata: parsed as Metadata };
}

/** A typed embedding function: `{"type": "known", "name": …, "config": {…}}`, as Chroma stores it. */
export function parseEmbeddingFunction(text: string): { embeddingFunction: EmbeddingFunctionConfig } | { error: string } {
  const read = jsonObject(text, 'Type a JSON object: {"type": "known", "name": "openai", "config": {…}}.');
  if ('error' in read) {
    return read;
  }
  const parsed = read.object;
  if (parsed.type !== 'known') {
    return { error: 'Only a "known" embedding function can be set: {"type": "known", "name": …, "config": {…}}.' };
  }
  if (typeof parsed.name !== 'string' || parsed.name.trim() === '') {
    return { error: '"name" must name the function, e.g. "openai" or "default".' };
  }
  if (!isObject(parsed.config)) {
    return { error: '"config" must be an object (use {} for none).' };
  }
  const extra = Object.keys(parsed).filter((k) => k !== 'type' && k !== 'name' && k !== 'config');
  if (extra.length > 0) {
    return { error: `Unknown field ${JSON.stringify(extra[0])}: only "type", "name" and "config" are stored.` };
  }
  return { embeddingFunction: { type: 'known', name: parsed.name, config: parsed.config } };
}
