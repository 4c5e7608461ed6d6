/**
 * The metadata keys of a collection, learnt from a sample of its records: for each key, the kinds of values it
 * holds, how many sampled records have it, and a few example values. The quick filter builder offers them. No
 * `vscode` here.
 */
import type { ChromaClient, CollectionRef, Signal } from '../../chroma/client';
import { truncate } from '../../util/text';

/** What a metadata value is. Newer servers (1.5+) also store lists of one scalar kind. */
export type ValueKind = 'string' | 'int' | 'float' | 'bool' | 'string[]' | 'int[]' | 'float[]' | 'bool[]';

export type Scalar = string | number | boolean;

export interface MetadataKey {
  key: string;
  /** Most frequent first. */
  kinds: ValueKind[];
  /** How many sampled records have the key. */
  count: number;
  /** A few distinct values seen (strings cut short), for hints. */
  examples: Scalar[];
}

export interface KeySample {
  keys: MetadataKey[];
  /** How many records were read. */
  sampled: number;
  /** Whether more keys were seen than are listed. */
  truncated: boolean;
}

/** Records read: Chroma Cloud's per-read limit, so one request everywhere. */
export const DEFAULT_SAMPLE_SIZE = 300;
/** Distinct keys tracked; a record may have thousands on a local server. */
export const MAX_KEYS = 500;
const MAX_EXAMPLES = 5;

const KIND_LABELS: Record<ValueKind, string> = {
  string: 'string',
  int: 'whole number',
  float: 'number',
  bool: 'boolean',
  'string[]': 'list of strings',
  'int[]': 'list of whole numbers',
  'float[]': 'list of numbers',
  'bool[]': 'list of booleans',
};

export function kindLabel(kind: ValueKind): string {
  return KIND_LABELS[kind];
}

function scalarKind(v: unknown): 'string' | 'int' | 'float' | 'bool' | undefined {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isFinite(v) ? (Number.isInteger(v) ? 'int' : 'float') : undefined;
    default:
      return undefined;
  }
}

/** A value's kind, or undefined for what no filter can compare (null, objects such as sparse vectors). */
export function valueKind(v: unknown): ValueKind | undefined {
  if (Array.isArray(v)) {
    const kinds = new Set(v.map(scalarKind));
    if (v.length === 0 || kinds.has(undefined)) {
      return undefined;
    }
    // A list of numbers with any decimal is a list of floats.
    const kind = kinds.has('float') && kinds.size === 2 && kinds.has('int') ? 'float' : kinds.size === 1 ? [...kinds][0] : undefined;
    return kind && (`${kind}[]` as ValueKind);
  }
  return scalarKind(v);
}

interface Tally {
  count: number;
  kinds: Map<ValueKind, number>;
  examples: Scalar[];
}

/** The keys of these metadatas, most common first (then by name). */
export function summarizeKeys(metadatas: ReadonlyArray<Record<string, unknown> | null | undefined>): { keys: MetadataKey[]; truncated: boolean } {
  const tallies = new Map<string, Tally>();
  let truncated = false;
  for (const m of metadatas) {
    if (!m || typeof m !== 'object') {
      continue;
    }
    for (const [key, value] of Object.entries(m)) {
      const kind = valueKind(value);
      if (kind === undefined) {
        continue;
      }
      let t = tallies.get(key);
      if (!t) {
        if (tallies.size >= MAX_KEYS) {
          truncated = true;
          continue;
        }
        t = { count: 0, kinds: new Map(), examples: [] };
        tallies.set(key, t);
      }
      t.count++;
      t.kinds.set(kind, (t.kinds.get(kind) ?? 0) + 1);
      const example = Array.isArray(value) ? (value[0] as Scalar) : (value as Scalar);
      const shown = typeof example === 'string' ? truncate(example, 60) : example;
      if (t.examples.length < MAX_EXAMPLES && !t.examples.includes(shown)) {
        t.examples.push(shown);
      }
    }
  }
  const keys = [...tallies.entries()].map(([key, t]) => ({
    key,
    count: t.count,
    kinds: [...t.kinds.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k),
    examples: t.examples,
  }));
  keys.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { keys, truncated };
}

/** Reads up to `limit` records' metadata (the first ones Chroma lists) and summarizes their keys. */
export async function sampleMetadataKeys(
  client: ChromaClient,
  collection: CollectionRef,
  opts: Signal & { limit?: number } = {},
): Promise<KeySample> {
  const limit = opts.limit ?? DEFAULT_SAMPLE_SIZE;
  const page = await client.get(collection, { limit, include: ['metadatas'] }, { signal: opts.signal });
  const metadatas = (page.metadatas ?? []) as ReadonlyArray<Record<string, unknown> | null>;
  const { keys, truncated } = summarizeKeys(metadatas);
  return { keys, sampled: page.ids.length, truncated };
}
