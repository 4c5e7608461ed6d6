/**
 * Creating a collection on Chroma 0.5.18–0.6.x. These servers answer the 1.x `configuration` body with 500
 * `KeyError('_type')`; they take `{"_type": "CollectionConfigurationInternal", "hnsw_configuration": {…, "_type":
 * "HNSWConfigurationInternal"}}`, but their index reads its settings from the `hnsw:*` metadata keys only (0.6.3
 * copies collection metadata to the vector segment and ignores the stored configuration). So the legacy body carries
 * both; Chroma 1.0.0 accepts it too and honours the metadata keys. The embedding function has no place on 0.x.
 */
import { ChromaError } from './errors';
import type { CollectionConfiguration, Metadata } from './types';

/** Which body a server took for a create with a configuration: learnt from its answers, remembered per client. */
export type CreateShape = 'current' | 'legacy' | 'metadata';

/** 1.x HNSW field → [0.x configuration field, 0.x metadata key]. */
const HNSW_FIELDS: Record<string, [string, string]> = {
  space: ['space', 'hnsw:space'],
  ef_construction: ['ef_construction', 'hnsw:construction_ef'],
  ef_search: ['ef_search', 'hnsw:search_ef'],
  max_neighbors: ['M', 'hnsw:M'],
  num_threads: ['num_threads', 'hnsw:num_threads'],
  resize_factor: ['resize_factor', 'hnsw:resize_factor'],
  batch_size: ['batch_size', 'hnsw:batch_size'],
  sync_threshold: ['sync_threshold', 'hnsw:sync_threshold'],
};

function objectOf(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The HNSW settings of a 1.x configuration (SPANN's space counts too: 0.x only has HNSW). */
function hnswSettings(cfg: CollectionConfiguration | undefined): Array<[string, string | number]> {
  const hnsw = objectOf(cfg?.hnsw) ?? {};
  const out: Array<[string, string | number]> = [];
  for (const key of Object.keys(HNSW_FIELDS)) {
    const v = hnsw[key];
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) {
      out.push([key, v]);
    }
  }
  const spannSpace = objectOf(cfg?.spann)?.space;
  if (!out.some(([k]) => k === 'space') && typeof spannSpace === 'string') {
    out.push(['space', spannSpace]);
  }
  return out;
}

/** True when a configuration asks for something a create must carry (HNSW/SPANN settings or an embedding function). */
export function hasConfiguration(cfg: CollectionConfiguration | undefined): boolean {
  return cfg !== undefined && Object.values(cfg).some((v) => v !== undefined && v !== null);
}

/** The collection metadata with the configuration's HNSW settings as 0.x `hnsw:*` keys (the configuration wins). */
export function legacyMetadata(metadata: Metadata | undefined, cfg: CollectionConfiguration | undefined): Metadata | undefined {
  const out: Metadata = { ...metadata };
  for (const [key, value] of hnswSettings(cfg)) {
    out[HNSW_FIELDS[key][1]] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The 0.x configuration body, or undefined when there are no HNSW settings to carry. */
export function legacyConfiguration(cfg: CollectionConfiguration | undefined): Record<string, unknown> | undefined {
  const hnsw: Record<string, unknown> = {};
  for (const [key, value] of hnswSettings(cfg)) {
    // 0.x checks resize_factor's Python type: a whole number arrives as int and is refused, so leave it out.
    if (key === 'resize_factor' && Number.isInteger(value)) {
      continue;
    }
    hnsw[HNSW_FIELDS[key][0]] = value;
  }
  if (Object.keys(hnsw).length === 0) {
    return undefined;
  }
  return { _type: 'CollectionConfigurationInternal', hnsw_configuration: { ...hnsw, _type: 'HNSWConfigurationInternal' } };
}

/**
 * The answer of a 0.5.18–0.6.x server to a 1.x configuration body: 500 `{"error": "KeyError('_type')"}`, raised
 * while parsing the body, before anything is created (so sending another shape cannot make a duplicate).
 */
export function isConfigurationShapeRefusal(e: unknown): boolean {
  return e instanceof ChromaError && e.status === 500 && /^KeyError\(['"]_type['"]\)$/.test(e.serverKind ?? '');
}

/**
 * A 0.x server refusing the legacy configuration while parsing it (a ValueError or TypeError becomes 400
 * InvalidArgumentError; a missing key a 500 KeyError): nothing was created, so metadata alone may be tried.
 */
export function isLegacyConfigurationRefusal(e: unknown): boolean {
  if (!(e instanceof ChromaError)) {
    return false;
  }
  return (e.status === 400 && e.serverKind === 'InvalidArgumentError') || (e.status === 500 && /^(KeyError|ValueError|TypeError)\(/.test(e.serverKind ?? ''));
}

/**
 * For a collection 0.5/0.6 made (its configuration is `hnsw_configuration`): whether its index uses the HNSW settings
 * `asked` for, read where that index reads them (the `hnsw:*` metadata keys, else the stored configuration). The
 * embedding function is not compared: 0.x has no place for one. Undefined for other servers' collections.
 */
export function legacyKeeps(
  collection: { configuration_json?: unknown; metadata?: Metadata | null },
  asked: CollectionConfiguration | undefined,
): boolean | undefined {
  const stored = objectOf(objectOf(collection.configuration_json)?.hnsw_configuration);
  if (!stored) {
    return undefined;
  }
  const metadata = collection.metadata ?? {};
  return hnswSettings(asked).every(([key, value]) => {
    const [field, metaKey] = HNSW_FIELDS[key];
    return (metadata[metaKey] ?? stored[field]) === value;
  });
}
