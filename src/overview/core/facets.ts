/**
 * Metadata facets: per key, how many records have it, with which value types, its most common values and, for
 * numbers, a histogram. No `vscode` here.
 */
import type { Metadata } from '../../chroma/types';

export type FacetValue = string | number | boolean;

export interface FacetTypes {
  string: number;
  number: number;
  boolean: number;
  /** Arrays of scalars (newer servers). */
  array: number;
  /** Anything else a server sent: null, objects such as sparse vectors. */
  other: number;
}

export interface Facet {
  key: string;
  /** Records that have the key. */
  present: number;
  types: FacetTypes;
  /**
   * The most common scalar values, most common first (ties: numbers, then booleans, then strings, each ascending); a
   * list value's elements count as values, each once per record that holds it.
   */
  top: { value: FacetValue; count: number }[];
  /** Over the key's number values (list elements too): `bins` equal-width bins from min to max (one bin when min = max). */
  histogram?: { min: number; max: number; bins: number[] };
  /** Distinct scalar values; a lower bound when `distinctCapped`. */
  distinct: number;
  /** Distinct values stopped being tracked at DISTINCT_CAP: `top` then counts only the values seen first. */
  distinctCapped: boolean;
}

/** Distinct values counted per key: bounds memory when a key is unique per record (hashes, timestamps). */
export const DISTINCT_CAP = 50_000;

const TYPE_ORDER = { number: 0, boolean: 1, string: 2 } as const;

function typeOf(value: unknown): keyof FacetTypes {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return Array.isArray(value) ? 'array' : 'other';
  }
}

function compareValues(a: FacetValue, b: FacetValue): number {
  const ta = TYPE_ORDER[typeof a as keyof typeof TYPE_ORDER];
  const tb = TYPE_ORDER[typeof b as keyof typeof TYPE_ORDER];
  if (ta !== tb) {
    return ta - tb;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Tally {
  present: number;
  types: FacetTypes;
  /** One Map keeps 1, '1' and true apart. */
  counts: Map<FacetValue, number>;
  capped: boolean;
  min: number;
  max: number;
}

/**
 * One facet per key seen in `metadatas`, the most common keys first (ties by key). `topN` values per key (default
 * 10), `bins` histogram bins for number values (default 20).
 */
export function computeFacets(metadatas: readonly (Metadata | null)[], opts: { topN?: number; bins?: number } = {}): Facet[] {
  const topN = Math.max(0, Math.floor(opts.topN ?? 10));
  const binCount = Math.max(1, Math.floor(opts.bins ?? 20));
  const tallies = new Map<string, Tally>();
  for (const metadata of metadatas) {
    if (!metadata || typeof metadata !== 'object') {
      continue;
    }
    for (const key of Object.keys(metadata)) {
      const value: unknown = metadata[key];
      let t = tallies.get(key);
      if (!t) {
        t = { present: 0, types: { string: 0, number: 0, boolean: 0, array: 0, other: 0 }, counts: new Map(), capped: false, min: Infinity, max: -Infinity };
        tallies.set(key, t);
      }
      t.present++;
      const type = typeOf(value);
      t.types[type]++;
      if (type === 'array') {
        // a list's elements are its values: each counted once per record that holds it
        for (const element of new Set(value as unknown[])) {
          tallyScalar(t, element);
        }
      } else {
        tallyScalar(t, value);
      }
    }
  }
  const facets: Facet[] = [];
  for (const [key, t] of tallies) {
    const facet: Facet = { key, present: t.present, types: t.types, top: topValues(t.counts, topN), distinct: t.counts.size, distinctCapped: t.capped };
    if (t.min <= t.max) {
      facet.histogram = histogram(metadatas, key, t.min, t.max, binCount);
    }
    facets.push(facet);
  }
  return facets.sort((a, b) => b.present - a.present || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One string, number or boolean of a key (anything else is not a value to count). */
function tallyScalar(t: Tally, value: unknown): void {
  const type = typeOf(value);
  if (type === 'array' || type === 'other' || (type === 'number' && !Number.isFinite(value))) {
    return;
  }
  const scalar = value as FacetValue;
  if (type === 'number') {
    t.min = Math.min(t.min, scalar as number);
    t.max = Math.max(t.max, scalar as number);
  }
  const seen = t.counts.get(scalar);
  if (seen !== undefined) {
    t.counts.set(scalar, seen + 1);
  } else if (t.counts.size < DISTINCT_CAP) {
    t.counts.set(scalar, 1);
  } else {
    t.capped = true;
  }
}

/** The `n` largest counts, without sorting every distinct value. */
function topValues(counts: Map<FacetValue, number>, n: number): { value: FacetValue; count: number }[] {
  const better = (a: { value: FacetValue; count: number }, b: { value: FacetValue; count: number }) =>
    a.count !== b.count ? a.count > b.count : compareValues(a.value, b.value) < 0;
  const top: { value: FacetValue; count: number }[] = [];
  if (n === 0) {
    return top;
  }
  for (const [value, count] of counts) {
    const entry = { value, count };
    if (top.length === n && !better(entry, top[n - 1])) {
      continue;
    }
    let at = top.length === n ? n - 1 : top.length;
    top[at] = entry;
    while (at > 0 && better(top[at], top[at - 1])) {
      [top[at], top[at - 1]] = [top[at - 1], top[at]];
      at--;
    }
  }
  return top;
}

function histogram(metadatas: readonly (Metadata | null)[], key: string, min: number, max: number, count: number): { min: number; max: number; bins: number[] } {
  const bins = new Array<number>(min === max ? 1 : count).fill(0);
  const width = (max - min) / bins.length;
  const add = (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v)) {
      // The last bin is closed on the right, so max lands in it.
      bins[width > 0 ? Math.min(bins.length - 1, Math.floor((v - min) / width)) : 0]++;
    }
  };
  for (const metadata of metadatas) {
    const v: unknown = metadata?.[key];
    if (Array.isArray(v)) {
      new Set(v).forEach(add);
    } else {
      add(v);
    }
  }
  return { min, max, bins };
}
