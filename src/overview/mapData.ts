/**
 * The embedding map's data as the page takes it: coordinates as base64 float32 chunks (100,000 points are about
 * 1.07 MB of text in six messages, instead of several MB of JSON numbers), a byte per point for its colour, and the
 * last query's hits as point indices. No `vscode` here.
 */
import type { Metadata } from '../chroma/types';
import { describeInput } from '../query/core/resultsModel';
import type { QueryRun, QuerySpec } from '../query/core/spec';
import { displayLine, formatCount } from '../util/text';
import type { Facet } from './core/facets';
import { LIMITS } from './core/protocol';
import type { LegendEntry, Method, Scale, ToWebview } from './core/protocol';
import { valueLabel } from './views';

/** Colour code of a point without a value for the key. */
export const NO_VALUE = 255;
/** Categories coloured one by one; the rest share "other". */
const MAX_CATEGORIES = 10;
/** Numeric keys with many values are coloured by this many quantile bins. */
const BINS = 6;

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** `points` messages for n points (x, y pairs in `coords`), LIMITS.pointsPerChunk at a time. */
export function pointMessages(coords: Float32Array, n: number, method: Method): ToWebview[] {
  const out: ToWebview[] = [];
  // Float32Array bytes are little-endian on every platform VS Code runs on, as the page reads them.
  const bytes = new Uint8Array(coords.buffer, coords.byteOffset, n * 2 * 4);
  for (let offset = 0; offset < n || (n === 0 && out.length === 0); offset += LIMITS.pointsPerChunk) {
    const end = Math.min(n, offset + LIMITS.pointsPerChunk);
    out.push({ type: 'points', method, n, offset, coords: base64(bytes.subarray(offset * 8, end * 8)) });
  }
  return out;
}

const keyOf = (v: unknown) => `${typeof v}:${String(v)}`;

function formatNumber(x: number): string {
  return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/** Numbers that take many values: coloured by quantile bins rather than one colour per value. */
function isContinuous(f: Facet): boolean {
  const numbers = f.types.number;
  if (numbers === 0 || numbers < f.present / 2) {
    return false;
  }
  const covered = f.top
    .filter((t) => typeof t.value === 'number')
    .slice(0, MAX_CATEGORIES)
    .reduce((a, t) => a + t.count, 0);
  return f.distinct > MAX_CATEGORIES || covered < numbers * 0.8;
}

/** Each point's colour for the facet `facet` (undefined: no colouring), with the legend. */
export function colorMessage(metadatas: readonly (Metadata | null)[], facet: Facet | undefined): ToWebview {
  const n = metadatas.length;
  const codes = new Uint8Array(n).fill(NO_VALUE);
  const legend: LegendEntry[] = [];
  let scale: Scale = 'category';
  if (facet) {
    const key = facet.key;
    if (isContinuous(facet)) {
      scale = 'sequential';
      const values: number[] = [];
      for (const m of metadatas) {
        const v = m?.[key] as unknown;
        if (typeof v === 'number' && Number.isFinite(v)) {
          values.push(v);
        }
      }
      values.sort((a, b) => a - b);
      // upper bounds of each bin (quantiles), without repeats
      const bounds: number[] = [];
      for (let b = 1; b <= BINS; b++) {
        const q = values[Math.min(values.length - 1, Math.ceil((values.length * b) / BINS) - 1)];
        if (bounds.length === 0 || q > bounds[bounds.length - 1]) {
          bounds.push(q);
        }
      }
      const counts = new Array<number>(bounds.length).fill(0);
      metadatas.forEach((m, i) => {
        const v = m?.[key] as unknown;
        if (typeof v === 'number' && Number.isFinite(v)) {
          let b = 0;
          while (b < bounds.length - 1 && v > bounds[b]) {
            b++;
          }
          codes[i] = b;
          counts[b]++;
        }
      });
      bounds.forEach((hi, b) => legend.push({ label: `${b === 0 ? formatNumber(values[0]) : `> ${formatNumber(bounds[b - 1])}`} – ${formatNumber(hi)}`, count: counts[b] }));
    } else {
      const code = new Map<string, number>();
      for (const t of facet.top.slice(0, MAX_CATEGORIES)) {
        code.set(keyOf(t.value), legend.length);
        legend.push({ label: valueLabel(t.value), count: 0 });
      }
      let other = -1;
      metadatas.forEach((m, i) => {
        if (!m || !Object.prototype.hasOwnProperty.call(m, key)) {
          return;
        }
        let c = code.get(keyOf(m[key]));
        if (c === undefined) {
          if (other < 0) {
            other = legend.length;
            legend.push({ label: 'other values', count: 0 });
          }
          c = other;
        }
        codes[i] = c;
        legend[c].count++;
      });
    }
  }
  const missing = facet ? codes.reduce((a, c) => a + (c === NO_VALUE ? 1 : 0), 0) : 0;
  return { type: 'colors', key: facet ? displayLine(facet.key, LIMITS.label) : null, scale, legend, missing, codes: base64(codes) };
}

/**
 * The facet to colour by when the user has not chosen: the first key most records have whose values fall into a
 * few categories (a file type, a source, a label), else none.
 */
export function defaultColorFacet(facets: readonly Facet[], records: number): number {
  return facets.findIndex((f) => {
    if (f.present < records / 2 || f.distinct < 2 || f.distinct > MAX_CATEGORIES || isContinuous(f)) {
      return false;
    }
    const covered = f.top.reduce((a, t) => a + t.count, 0);
    return covered >= f.present * 0.9 && f.top[0].count < f.present;
  });
}

/** The last query on a collection: what it asked, its own vector and its hits. */
export interface LastQuery {
  label: string;
  vector: readonly number[];
  hitIds: readonly string[];
}

/** Where the overview finds the last query run on a collection (the query workbench, wired by the composition root). */
export interface QueryHighlights {
  lastFor(connection: string, collectionId: string): LastQuery | undefined;
  /** Fires when other queries are shown. */
  onDidChange?: (listener: () => unknown) => { dispose(): unknown };
}

/** The newest shown query run on that collection (the results view's entries, newest first), for QueryHighlights. */
export function lastQueryIn(entries: readonly { spec: QuerySpec; run?: QueryRun }[], connection: string, collectionId: string): LastQuery | undefined {
  const run = entries.find((e) => e.run && e.spec.connection === connection && e.run.collection.id === collectionId)?.run;
  return run && { label: describeInput(run.spec.input, 80), vector: run.queryVector, hitIds: run.hits.map((h) => h.id) };
}

/** The highlight message: hits as indices of the points shown (hits outside a sample are counted as missing). */
export function highlightMessage(q: LastQuery | undefined, indexOf: ReadonlyMap<string, number>, queryXY: readonly number[] | null): ToWebview {
  if (!q) {
    return { type: 'highlight', label: '', hits: [], missing: 0, query: null };
  }
  const hits: number[] = [];
  let missing = 0;
  for (const id of q.hitIds.slice(0, 10_000)) {
    const i = indexOf.get(id);
    if (i === undefined) {
      missing++;
    } else {
      hits.push(i);
    }
  }
  const label = `Last query: ${q.label} · ${formatCount(q.hitIds.length)} hits`;
  return { type: 'highlight', label: displayLine(label, LIMITS.label), hits, missing, query: queryXY && queryXY.length === 2 ? [queryXY[0], queryXY[1]] : null };
}
