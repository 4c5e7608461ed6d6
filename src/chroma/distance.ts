/** Which distance a collection's index uses, from wherever its server version keeps it. */
import type { Collection } from './types';

// The configuration is free-form JSON from the server: read each field only when it has the expected type.
const objectOf = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const stringOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** `schema` of newer servers (1.2+): the embedding key's vector index, else the defaults' one. */
function schemaSpace(schema: unknown): string | undefined {
  const s = objectOf(schema);
  const space = (types: unknown) => stringOf(objectOf(objectOf(objectOf(objectOf(types)?.float_list)?.vector_index)?.config)?.space);
  return space(objectOf(s?.keys)?.['#embedding']) ?? space(s?.defaults);
}

/**
 * The distance (`l2`, `cosine`, `ip`), in the order the server itself honours it:
 * - 1.x: `configuration_json.hnsw.space` or `.spann.space` (it wins over metadata: 1.0.0 stores the configuration's
 *   space when both are given), then the newer servers' `schema`;
 * - 0.x: the `hnsw:space` metadata key, which is what 0.5/0.6's index reads, then
 *   `configuration_json.hnsw_configuration.space`;
 * - else `l2`, Chroma's default.
 */
export function distanceSpace(c: Pick<Collection, 'configuration_json' | 'metadata'> & { schema?: unknown }): string {
  const cfg = objectOf(c.configuration_json);
  return (
    stringOf(objectOf(cfg?.hnsw)?.space) ??
    stringOf(objectOf(cfg?.spann)?.space) ??
    schemaSpace(c.schema) ??
    stringOf(objectOf(c.metadata)?.['hnsw:space']) ??
    stringOf(objectOf(cfg?.hnsw_configuration)?.space) ??
    'l2'
  );
}
