/**
 * UMAP to 2-D with umap-js (PAIR-code/umap-js: the maintained JavaScript port, MIT, one small dependency), seeded so
 * the same input gives the same map, with progress per epoch. It runs synchronously: in the extension it runs inside
 * the projection worker, where cancelling terminates the worker. No `vscode` here.
 *
 * Extra points (a query) are placed with umap-js's `transform`, which embeds new points against the fitted layout
 * without moving it (checked: 2 points against 2,000 take ~0.2 s and land in their clusters). Should it fail, they are
 * placed at the distance-weighted mean of the layout positions of their nearest records instead.
 */
import { UMAP } from 'umap-js';
import { pca2d } from './pca';
import { seededRandom } from '../../util/random';

export interface UmapOptions {
  /** Called now and then with the fraction done and the phase (`nearest neighbours`, `layout 12/500`). */
  onProgress?: (fraction: number, phase: string) => void;
  /** Neighbours per point (default 15, at most n − 1). */
  nNeighbors?: number;
  /** How tightly points may pack (default 0.1). */
  minDist?: number;
  /** Layout epochs (default: umap-js's, from 500 for up to 2,500 points down to 200 above 7,500). */
  nEpochs?: number;
  seed?: number;
}

/** Neighbours an extra point is placed among. */
const PLACE_NEIGHBOURS = 5;
/** The share of the progress bar the neighbour graph takes before the layout epochs start (measured at 10,000 × 384). */
const GRAPH_SHARE = 0.4;

/** Euclidean distance on the rows as stored (Float32Array views): a plain loop, far faster than umap-js's Math.pow one. */
function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j] - b[j];
    s += d * d;
  }
  return Math.sqrt(s);
}

function rowsOf(vectors: Float32Array, n: number, dim: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => vectors.subarray(i * dim, (i + 1) * dim));
}

export function umap2d(
  vectors: Float32Array,
  n: number,
  dim: number,
  extra?: Float32Array,
  opts: UmapOptions = {},
): { coords: Float32Array; extraCoords: Float32Array } {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 0 || vectors.length < n * dim) {
    throw new RangeError(`UMAP needs ${n} × ${dim} values, got ${vectors.length}.`);
  }
  const progress = opts.onProgress ?? (() => undefined);
  // UMAP needs a few neighbours per point; below that, PCA says as much.
  if (n < 4 || dim === 0) {
    return pca2d(vectors, n, dim, extra, { onProgress: progress });
  }
  const rows = rowsOf(vectors, n, dim);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(opts.nNeighbors ?? 15, n - 1)),
    minDist: opts.minDist ?? 0.1,
    nEpochs: opts.nEpochs,
    random: seededRandom(opts.seed ?? 0x5eed),
    // umap-js only indexes rows and reads their length: Float32Array views avoid copying n × dim numbers.
    distanceFn: euclidean as (a: number[], b: number[]) => number,
  });
  progress(0, 'nearest neighbours');
  const epochs = umap.initializeFit(rows as unknown as number[][]);
  const every = Math.max(1, Math.floor(epochs / 100));
  for (let e = 0; e < epochs; ) {
    e = umap.step();
    if (e % every === 0 || e === epochs) {
      progress(GRAPH_SHARE + ((1 - GRAPH_SHARE) * e) / epochs, `layout ${e}/${epochs}`);
    }
    if (e >= epochs) {
      break;
    }
  }
  const layout = umap.getEmbedding();
  const coords = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    coords[2 * i] = layout[i][0];
    coords[2 * i + 1] = layout[i][1];
  }
  const extraCoords = placeExtra(umap, rows, coords, extra, dim);
  progress(1, 'done');
  return { coords, extraCoords };
}

function placeExtra(umap: UMAP, rows: Float32Array[], coords: Float32Array, extra: Float32Array | undefined, dim: number): Float32Array {
  const count = extra && dim > 0 ? Math.floor(extra.length / dim) : 0;
  if (!extra || count === 0) {
    return new Float32Array(0);
  }
  try {
    const placed = umap.transform(rowsOf(extra, count, dim) as unknown as number[][]);
    const out = new Float32Array(2 * count);
    placed.forEach((p, i) => {
      out[2 * i] = p[0];
      out[2 * i + 1] = p[1];
    });
    if (out.every(Number.isFinite)) {
      return out;
    }
  } catch {
    // umap-js could not embed them (too few records for its search graph): place them by neighbours below.
  }
  return placeByNeighbours(rows, coords, extra, dim);
}

/** Each extra row at the distance-weighted mean of its PLACE_NEIGHBOURS nearest rows' positions. */
export function placeByNeighbours(rows: Float32Array[], coords: Float32Array, extra: Float32Array | undefined, dim: number): Float32Array {
  const count = extra && dim > 0 ? Math.floor(extra.length / dim) : 0;
  const out = new Float32Array(2 * count);
  const k = Math.min(PLACE_NEIGHBOURS, rows.length);
  for (let e = 0; e < count && extra; e++) {
    const q = extra.subarray(e * dim, (e + 1) * dim);
    // The k nearest, kept sorted (k is small).
    const best: { d: number; i: number }[] = [];
    for (let i = 0; i < rows.length; i++) {
      const d = euclidean(q, rows[i]);
      if (best.length < k || d < best[best.length - 1].d) {
        if (best.length === k) {
          best.pop();
        }
        let at = best.length;
        while (at > 0 && best[at - 1].d > d) {
          at--;
        }
        best.splice(at, 0, { d, i });
      }
    }
    let wx = 0;
    let wy = 0;
    let w = 0;
    for (const { d, i } of best) {
      const f = 1 / (d + 1e-9);
      wx += f * coords[2 * i];
      wy += f * coords[2 * i + 1];
      w += f;
    }
    out[2 * e] = w > 0 ? wx / w : 0;
    out[2 * e + 1] = w > 0 ? wy / w : 0;
  }
  return out;
}
