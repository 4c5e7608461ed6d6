/**
 * The health check of a scanned collection: what a person would want fixed, each finding with its count and a few
 * example ids. No `vscode` here.
 */
import type { Scan } from './scan';

export type FindingKind =
  | 'noDocument'
  | 'duplicateDocument'
  | 'duplicateEmbedding'
  | 'notNormalised'
  | 'zeroVector'
  | 'dimensionMismatch'
  | 'mixedTypes'
  | 'missingSource';

export interface Finding {
  kind: FindingKind;
  title: string;
  /** Records concerned (for mixedTypes: records whose value is not of its key's most common type). */
  count: number;
  /** Up to MAX_EXAMPLES of them; for duplicates, the members of the largest groups together. */
  exampleIds: string[];
  detail?: string;
}

export interface HealthOptions {
  space: 'l2' | 'cosine' | 'ip';
  /** The collection's embedding function returns unit vectors (Chroma's default does). */
  normalising: boolean;
  /** Whether a workspace-relative path (a record's `source`) exists; asked once per distinct path. */
  sourceExists: (source: string) => Promise<boolean>;
}

export const MAX_EXAMPLES = 10;
/** How far a norm may be from 1 and still count as normalised (float32 rounding and lossy storage stay inside). */
export const NORM_TOLERANCE = 1e-2;
/** sourceExists calls at a time. */
const SOURCE_CHECKS_AT_ONCE = 8;
/** What the extension's own ids end in after `<source>#`: a chunk index, a content hash, or a line range. */
const OWN_ID_SUFFIX = /^(?:\d+|[0-9a-f]{16}|L\d+-L\d+)$/;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const list = (items: string[], max = 5) => (items.length > max ? `${items.slice(0, max).join(', ')}, …` : items.join(', '));

/** Every finding with a count above zero, in a fixed order (data first, then vectors, metadata, sources). */
export async function healthCheck(scan: Scan, opts: HealthOptions): Promise<Finding[]> {
  const findings: (Finding | undefined)[] = [
    noDocument(scan),
    duplicateDocuments(scan),
    ...vectorFindings(scan, opts),
    dimensionMismatch(scan),
    mixedTypes(scan),
    await missingSources(scan, opts.sourceExists),
  ];
  return findings.filter((f): f is Finding => f !== undefined && f.count > 0);
}

function noDocument(scan: Scan): Finding | undefined {
  const rows = scan.documents.flatMap((d, i) => (d === null || d === '' ? [i] : []));
  return rows.length === 0
    ? undefined
    : {
        kind: 'noDocument',
        title: 'Records without a document',
        count: rows.length,
        exampleIds: rows.slice(0, MAX_EXAMPLES).map((i) => scan.ids[i]),
        detail: `${plural(rows.length, 'record')} ${rows.length === 1 ? 'has' : 'have'} no document text: they can be found by vector and metadata, not by document filters.`,
      };
}

/** Groups of two or more rows, largest first (then by first row): what duplicate findings report. */
function groupsOf(rows: Iterable<number[]>): number[][] {
  return [...rows].filter((g) => g.length > 1).sort((a, b) => b.length - a.length || a[0] - b[0]);
}

function examplesFromGroups(groups: number[][], ids: string[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    for (const row of g) {
      if (out.length === MAX_EXAMPLES) {
        return out;
      }
      out.push(ids[row]);
    }
  }
  return out;
}

function duplicateDocuments(scan: Scan): Finding | undefined {
  const byText = new Map<string, number[]>();
  scan.documents.forEach((d, i) => {
    if (d) {
      const g = byText.get(d);
      if (g) {
        g.push(i);
      } else {
        byText.set(d, [i]);
      }
    }
  });
  const groups = groupsOf(byText.values());
  const count = groups.reduce((s, g) => s + g.length, 0);
  return count === 0
    ? undefined
    : {
        kind: 'duplicateDocument',
        title: 'Duplicate documents',
        count,
        exampleIds: examplesFromGroups(groups, scan.ids),
        detail: `${plural(count, 'record')} share their exact document text with another (${plural(groups.length, 'group')}; the largest has ${groups[0].length}).`,
      };
}

/** Rows that carry a vector of the scan's dimension. */
function vectorRows(scan: Scan): number[] {
  const skip = new Set([...scan.dimMismatch, ...(scan.noEmbedding ?? [])]);
  const rows: number[] = [];
  if (scan.dim > 0) {
    for (let i = 0; i < scan.ids.length; i++) {
      if (!skip.has(i)) {
        rows.push(i);
      }
    }
  }
  return rows;
}

function vectorFindings(scan: Scan, opts: HealthOptions): (Finding | undefined)[] {
  const { vectors, dim } = scan;
  const rows = vectorRows(scan);
  const zero: number[] = [];
  const off: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  const checkNorm = opts.space === 'cosine' || opts.normalising;
  /** Rows by a hash of their bytes; rows in one bucket are compared byte for byte. */
  const buckets = new Map<number, number[]>();
  const words = new Uint32Array(vectors.buffer, vectors.byteOffset, vectors.length);
  for (const row of rows) {
    const o = row * dim;
    let sq = 0;
    let h = 0x811c9dc5;
    for (let j = 0; j < dim; j++) {
      const x = vectors[o + j];
      sq += x * x;
      h = Math.imul(h ^ words[o + j], 0x01000193);
    }
    if (sq === 0) {
      zero.push(row);
      continue;
    }
    if (checkNorm) {
      const norm = Math.sqrt(sq);
      if (Math.abs(norm - 1) > NORM_TOLERANCE) {
        off.push(row);
        lo = Math.min(lo, norm);
        hi = Math.max(hi, norm);
      }
    }
    const b = buckets.get(h);
    if (b) {
      b.push(row);
    } else {
      buckets.set(h, [row]);
    }
  }
  const groups = groupsOf(exactGroups(buckets, words, dim));
  const duplicates = groups.reduce((s, g) => s + g.length, 0);
  const why =
    opts.space === 'cosine'
      ? 'the collection uses cosine distance'
      : 'the collection’s embedding function returns unit vectors, so these did not come from it';
  return [
    duplicates === 0
      ? undefined
      : {
          kind: 'duplicateEmbedding',
          title: 'Duplicate embeddings',
          count: duplicates,
          exampleIds: examplesFromGroups(groups, scan.ids),
          detail: `${plural(duplicates, 'record')} have exactly the same vector as another (${plural(groups.length, 'group')}; the largest has ${groups[0].length}): they are always found together.`,
        },
    off.length === 0
      ? undefined
      : {
          kind: 'notNormalised',
          title: 'Vectors that are not normalised',
          count: off.length,
          exampleIds: off.slice(0, MAX_EXAMPLES).map((i) => scan.ids[i]),
          detail: `${plural(off.length, 'vector')} ${off.length === 1 ? 'has' : 'have'} a length of ${lo === hi ? lo.toPrecision(4) : `${lo.toPrecision(4)} to ${hi.toPrecision(4)}`}, not 1 (±${NORM_TOLERANCE}), while ${why}.`,
        },
    zero.length === 0
      ? undefined
      : {
          kind: 'zeroVector',
          title: 'Zero vectors',
          count: zero.length,
          exampleIds: zero.slice(0, MAX_EXAMPLES).map((i) => scan.ids[i]),
          detail: `${plural(zero.length, 'vector')} ${zero.length === 1 ? 'is' : 'are'} all zeros: they have no direction, so cosine distance is undefined for them and queries rank them arbitrarily.`,
        },
  ];
}

/** Splits hash buckets into groups of byte-identical rows. */
function* exactGroups(buckets: Map<number, number[]>, words: Uint32Array, dim: number): Generator<number[]> {
  const same = (a: number, b: number) => {
    for (let j = 0; j < dim; j++) {
      if (words[a * dim + j] !== words[b * dim + j]) {
        return false;
      }
    }
    return true;
  };
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) {
      continue;
    }
    const groups: number[][] = [];
    for (const row of bucket) {
      const g = groups.find((x) => same(x[0], row));
      if (g) {
        g.push(row);
      } else {
        groups.push([row]);
      }
    }
    yield* groups;
  }
}

function dimensionMismatch(scan: Scan): Finding | undefined {
  const rows = scan.dimMismatch;
  if (rows.length === 0) {
    return undefined;
  }
  const others = [...new Set(scan.mismatchDims ?? [])].sort((a, b) => a - b).map(String);
  return {
    kind: 'dimensionMismatch',
    title: 'Embeddings of another dimension',
    count: rows.length,
    exampleIds: rows.slice(0, MAX_EXAMPLES).map((i) => scan.ids[i]),
    detail: `Most records have ${scan.dim}-dimensional embeddings; ${plural(rows.length, 'record')} ${rows.length === 1 ? 'has' : 'have'} ${others.length ? `${list(others)} dimensions` : 'another dimension'}, so queries cannot compare them.`,
  };
}

type ValueType = 'string' | 'number' | 'boolean' | 'array' | 'other';

function valueType(v: unknown): ValueType {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : Array.isArray(v) ? 'array' : 'other';
}

function mixedTypes(scan: Scan): Finding | undefined {
  /** Per key, the rows of each type. */
  const byKey = new Map<string, Map<ValueType, number[]>>();
  scan.metadatas.forEach((m, row) => {
    if (!m) {
      return;
    }
    for (const key of Object.keys(m)) {
      const type = valueType(m[key]);
      let types = byKey.get(key);
      if (!types) {
        types = new Map();
        byKey.set(key, types);
      }
      const rows = types.get(type);
      if (rows) {
        rows.push(row);
      } else {
        types.set(type, [row]);
      }
    }
  });
  const mixed: { key: string; summary: string; odd: number[] }[] = [];
  for (const [key, types] of byKey) {
    if (types.size < 2) {
      continue;
    }
    const sorted = [...types].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    mixed.push({
      key,
      summary: `${key} (${sorted.map(([t, rows]) => `${t} ${rows.length.toLocaleString('en-US')}`).join(', ')})`,
      odd: sorted.slice(1).flatMap(([, rows]) => rows),
    });
  }
  if (mixed.length === 0) {
    return undefined;
  }
  mixed.sort((a, b) => (a.key < b.key ? -1 : 1));
  const odd = [...new Set(mixed.flatMap((x) => x.odd))].sort((a, b) => a - b);
  return {
    kind: 'mixedTypes',
    title: 'Metadata keys used with more than one type',
    count: odd.length,
    exampleIds: odd.slice(0, MAX_EXAMPLES).map((i) => scan.ids[i]),
    detail: `${plural(mixed.length, 'key')}: ${list(mixed.map((x) => x.summary), 8)}. A filter such as {"key": 5} misses the records that hold "5"; the example ids hold the less common type.`,
  };
}

/** The `source` of a record whose id is the extension's own `<source>#<suffix>`, else undefined. */
export function ownSource(id: string, metadata: Record<string, unknown> | null): string | undefined {
  const source = metadata?.source;
  if (typeof source !== 'string' || !source || !id.startsWith(`${source}#`)) {
    return undefined;
  }
  return OWN_ID_SUFFIX.test(id.slice(source.length + 1)) ? source : undefined;
}

async function missingSources(scan: Scan, exists: (source: string) => Promise<boolean>): Promise<Finding | undefined> {
  const bySource = new Map<string, number[]>();
  scan.ids.forEach((id, row) => {
    const source = ownSource(id, scan.metadatas[row]);
    if (source !== undefined) {
      const rows = bySource.get(source);
      if (rows) {
        rows.push(row);
      } else {
        bySource.set(source, [row]);
      }
    }
  });
  const sources = [...bySource.keys()];
  const missing: string[] = [];
  for (let i = 0; i < sources.length; i += SOURCE_CHECKS_AT_ONCE) {
    const batch = sources.slice(i, i + SOURCE_CHECKS_AT_ONCE);
    // A check that fails says nothing about the file: only a plain "no" counts as missing.
    const answers = await Promise.all(batch.map((s) => exists(s).catch(() => true)));
    batch.forEach((s, k) => {
      if (answers[k] === false) {
        missing.push(s);
      }
    });
  }
  if (missing.length === 0) {
    return undefined;
  }
  missing.sort();
  const rows = missing.flatMap((s) => bySource.get(s) ?? []).sort((a, b) => a - b);
  return {
    kind: 'missingSource',
    title: 'Records whose source file is missing',
    count: rows.length,
    exampleIds: rows.slice(0, MAX_EXAMPLES).map((i) => scan.ids[i]),
    detail: `${plural(rows.length, 'record')} came from ${plural(missing.length, 'file')} that ${missing.length === 1 ? 'is' : 'are'} not in the workspace (${list(missing)}): moved, renamed or deleted since they were added.`,
  };
}
