/**
 * Principal component analysis to 2-D, small and deterministic, for the embedding map. No `vscode` here.
 *
 * At 100,000 × 384 neither the full covariance (dim² per row: seconds) nor plain power iteration over all rows (a
 * pass costs ~0.1 s, and close eigenvalues need dozens) fits in 2 s. So:
 * 1. the mean of all rows;
 * 2. the covariance of a sample of rows spread over all of them (one from each of m equal strata, at a seeded place;
 *    all rows up to `sampleRows`, ~4,000 at 384-d: the sample shrinks as dim² grows so this step keeps its cost),
 *    centred on the full mean;
 * 3. its top eigenvectors by Lanczos with full reorthogonalisation, from a fixed-seed start vector (cheap: dim² per
 *    step);
 * 4. when rows were left out of the sample, one pass over all rows refines them: the Rayleigh–Ritz step of the true
 *    covariance on the span of the sample's top four (on 100,000 unit vectors in 30 clusters, a flat spectrum and so a
 *    hard case, the plane found keeps 98.7 % of the variance the exact one does);
 * 5. each component's sign is set so its largest-|value| loading is positive, and every row is projected.
 * Up to `sampleRows` rows this is exact PCA and does not depend on the rows' order (beyond float rounding); above it
 * is PCA of the sample, corrected on all rows, the same on every run for the same input.
 *
 * This file holds the steps and the passes over the rows (mean, covariances, projection); the eigen-solvers and
 * vector helpers are in linearAlgebra.ts.
 */
import { seededRandom } from '../../util/random';
import { dot, lanczosTop, normaliseSign, orthonormalise, rayleighRitz } from './linearAlgebra';

export interface PcaOptions {
  /** Called now and then with the fraction of the work done and what is being done. */
  onProgress?: (fraction: number, phase: string) => void;
  /** Rows whose covariance is formed (default: as many as fit ~6·10⁸ multiply-adds, ~4,000 at 384-d, ≥ 256). */
  sampleRows?: number;
}

export interface PcaResult {
  coords: Float32Array;
  extraCoords: Float32Array;
}

/** Components the sample's Lanczos step hands to the refinement pass: the two wanted and two that steady them. */
const BLOCK = 4;
/** Multiply-adds (rows × dim²) the sample covariance may cost. */
const COVARIANCE_BUDGET = 6e8;
const MIN_SAMPLE = 256;
const SEED = 0x5eed;

/**
 * Coordinates of `n` rows of `vectors` (row-major, `dim` wide) on the first two principal components, and of the rows
 * of `extra` (same width) on the same components and mean (a query placed on the map of its collection).
 */
export function pca2d(vectors: Float32Array, n: number, dim: number, extra?: Float32Array, opts: PcaOptions = {}): PcaResult {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 0 || vectors.length < n * dim) {
    throw new RangeError(`PCA needs ${n} × ${dim} values, got ${vectors.length}.`);
  }
  const extraRows = extra && dim > 0 ? Math.floor(extra.length / dim) : 0;
  const coords = new Float32Array(2 * n);
  const extraCoords = new Float32Array(2 * extraRows);
  if (n === 0 || dim === 0) {
    return { coords, extraCoords };
  }
  const progress = opts.onProgress ?? (() => undefined);
  const m = Math.min(n, Math.max(1, Math.floor(opts.sampleRows ?? Math.max(MIN_SAMPLE, COVARIANCE_BUDGET / (dim * dim)))));
  // Rough shares of the time, for the progress fraction.
  const cost = { mean: n * dim, covariance: (m * dim * dim) / 2, refine: m < n ? BLOCK * n * dim : 0, project: 2 * n * dim };
  const total = cost.mean + cost.covariance + cost.refine + cost.project;
  let done = 0;
  /** `share` of the work is done; `next` starts. */
  const step = (share: number, next: string) => {
    done += share;
    progress(Math.min(1, done / total), next);
  };

  step(0, 'mean');
  const mean = rowMean(vectors, n, dim);
  const covariancePhase = m < n ? `covariance of ${m.toLocaleString('en-US')} rows` : 'covariance';
  step(cost.mean, covariancePhase);
  const covariance = sampleCovariance(vectors, n, m, dim, mean, (rows) => progress((done + (cost.covariance * rows) / m) / total, covariancePhase));
  step(cost.covariance, 'components');
  const random = seededRandom(SEED);
  let top = lanczosTop(covariance, dim, BLOCK, random);
  if (m < n) {
    step(0, 'refining on all rows');
    const block = top.vectors.map((v) => Float64Array.from(v));
    while (block.length < Math.min(BLOCK, dim)) {
      block.push(Float64Array.from({ length: dim }, () => random() - 0.5));
    }
    orthonormalise(block, random);
    top = rayleighRitz(block, blockCovariance(vectors, n, dim, mean, block));
    done += cost.refine;
  }
  step(0, 'projecting');
  const components: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    const keep = c < top.vectors.length && top.values[c] > 1e-12 * Math.max(top.values[0], 0);
    const v = keep ? Float64Array.from(top.vectors[c]) : new Float64Array(dim);
    normaliseSign(v);
    components.push(v);
  }
  projectRows(vectors, n, dim, mean, components, coords);
  if (extra && extraRows > 0) {
    projectRows(extra, extraRows, dim, mean, components, extraCoords);
  }
  step(cost.project, 'done');
  return { coords, extraCoords };
}

function rowMean(vectors: Float32Array, n: number, dim: number): Float64Array {
  const sum = new Float64Array(dim);
  for (let r = 0, o = 0; r < n; r++, o += dim) {
    for (let j = 0; j < dim; j++) {
      sum[j] += vectors[o + j];
    }
  }
  for (let j = 0; j < dim; j++) {
    sum[j] /= n;
  }
  return sum;
}

/**
 * Σ (x − μ)(x − μ)ᵀ over `m` rows spread over the `n` (all of them when m = n), as a full dim × dim matrix.
 * Four rows at a time: each entry of the upper triangle is loaded and stored once per four rows.
 */
function sampleCovariance(vectors: Float32Array, n: number, m: number, dim: number, mean: Float64Array, onRows: (rows: number) => void): Float64Array {
  const c = new Float64Array(dim * dim);
  const t = [0, 1, 2, 3].map(() => new Float64Array(dim));
  const [t0, t1, t2, t3] = t;
  // One row from each of m equal strata, at a seeded place in it: spread like an even stride, but without aliasing
  // with data that repeats with a period (records added round-robin: an even stride could take every other topic).
  const random = seededRandom(SEED ^ 0x9e3779b9);
  const rowAt = (i: number) => (m === n ? i : Math.min(n - 1, Math.floor(((i + random()) * n) / m)));
  for (let i = 0; i < m; i += 4) {
    const count = Math.min(4, m - i);
    for (let q = 0; q < 4; q++) {
      const tq = t[q];
      if (q < count) {
        const o = rowAt(i + q) * dim;
        for (let j = 0; j < dim; j++) {
          tq[j] = vectors[o + j] - mean[j];
        }
      } else {
        tq.fill(0);
      }
    }
    for (let a = 0; a < dim; a++) {
      const f0 = t0[a];
      const f1 = t1[a];
      const f2 = t2[a];
      const f3 = t3[a];
      const ro = a * dim;
      for (let b = a; b < dim; b++) {
        c[ro + b] += f0 * t0[b] + f1 * t1[b] + f2 * t2[b] + f3 * t3[b];
      }
    }
    if ((i & 1023) === 0) {
      onRows(i);
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a + 1; b < dim; b++) {
      c[b * dim + a] = c[a * dim + b];
    }
  }
  return c;
}

/**
 * Vᵀ C V for the block V (C the covariance of all rows, unscaled), in one pass: with s = (x − μ)·V per row,
 * Vᵀ C V = Σ s sᵀ. Rows stay float32; sums are float64.
 */
function blockCovariance(vectors: Float32Array, n: number, dim: number, mean: Float64Array, block: Float64Array[]): number[][] {
  const k = block.length;
  const meanDot = block.map((v) => dot(mean, v));
  const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const s = new Float64Array(k);
  for (let r = 0, o = 0; r < n; r++, o += dim) {
    for (let c = 0; c < k; c++) {
      const v = block[c];
      let acc = 0;
      for (let j = 0; j < dim; j++) {
        acc += vectors[o + j] * v[j];
      }
      s[c] = acc - meanDot[c];
    }
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        h[a][b] += s[a] * s[b];
      }
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) {
      h[a][b] = h[b][a];
    }
  }
  return h;
}

function projectRows(rows: Float32Array, n: number, dim: number, mean: Float64Array, components: Float64Array[], out: Float32Array): void {
  const [a, b] = components;
  const meanA = dot(mean, a);
  const meanB = dot(mean, b);
  for (let r = 0, o = 0; r < n; r++, o += dim) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < dim; j++) {
      const v = rows[o + j];
      x += v * a[j];
      y += v * b[j];
    }
    out[2 * r] = x - meanA;
    out[2 * r + 1] = y - meanB;
  }
}
