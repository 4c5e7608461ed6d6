/** PCA to 2-D: a planted plane is recovered, the picture is the same on every run and in any row order. */
import * as assert from 'node:assert/strict';
import { pca2d } from '../../../src/overview/core/pca';
import { seededRandom } from '../../../src/util/random';

/** Standard normal numbers from a seed (Box–Muller). */
function gaussian(seed: number): () => number {
  const u = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** A random orthonormal pair in `dim` dimensions. */
function plane(dim: number, seed: number): [Float64Array, Float64Array] {
  const g = gaussian(seed);
  const a = Float64Array.from({ length: dim }, g);
  const b = Float64Array.from({ length: dim }, g);
  const na = Math.hypot(...a);
  a.forEach((_, j) => (a[j] /= na));
  const ab = a.reduce((s, x, j) => s + x * b[j], 0);
  b.forEach((_, j) => (b[j] -= ab * a[j]));
  const nb = Math.hypot(...b);
  b.forEach((_, j) => (b[j] /= nb));
  return [a, b];
}

/**
 * `n` points on a plane through `offset` in `dim`-D: 2-D coordinates (u, v) with spreads 5 and 2 (so the components
 * are ordered), plus isotropic noise of `noise`.
 */
function planted(n: number, dim: number, noise: number, seed = 1) {
  const g = gaussian(seed + 100);
  const [a, b] = plane(dim, seed);
  const offset = Float64Array.from({ length: dim }, () => 3 * g());
  const uv = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    uv[2 * i] = 5 * g();
    uv[2 * i + 1] = 2 * g();
  }
  // Centred and uncorrelated in this sample, so the principal axes are exactly u and v (not a slight rotation).
  for (const axis of [0, 1]) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      m += uv[2 * i + axis] / n;
    }
    for (let i = 0; i < n; i++) {
      uv[2 * i + axis] -= m;
    }
  }
  let uu = 0;
  let uvDot = 0;
  for (let i = 0; i < n; i++) {
    uu += uv[2 * i] ** 2;
    uvDot += uv[2 * i] * uv[2 * i + 1];
  }
  for (let i = 0; i < n; i++) {
    uv[2 * i + 1] -= (uvDot / uu) * uv[2 * i];
  }
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const u = uv[2 * i];
    const v = uv[2 * i + 1];
    for (let j = 0; j < dim; j++) {
      vectors[i * dim + j] = offset[j] + u * a[j] + v * b[j] + noise * g();
    }
  }
  return { vectors, uv, a, b, offset };
}

const dist = (c: ArrayLike<number>, i: number, j: number) => Math.hypot(c[2 * i] - c[2 * j], c[2 * i + 1] - c[2 * j + 1]);

/** Largest relative error of pairwise distances over the first `pairs` pairs (i, i + 1). */
function distanceError(got: Float32Array, want: Float64Array, n: number): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i + 1 < n; i++) {
    scale = Math.max(scale, dist(want, i, i + 1));
  }
  for (let i = 0; i + 1 < n; i++) {
    worst = Math.max(worst, Math.abs(dist(got, i, i + 1) - dist(want, i, i + 1)) / scale);
  }
  return worst;
}

describe('pca2d', () => {
  it('recovers a plane planted in 64-D with small noise, up to rotation and reflection', () => {
    const n = 2000;
    const { vectors, uv } = planted(n, 64, 0.01);
    const { coords } = pca2d(vectors, n, 64);
    // Pairwise distances match the planted ones (an isometry of the plane).
    assert.ok(distanceError(coords, uv, n) < 0.01, `distance error ${distanceError(coords, uv, n)}`);
    // The first axis carries the larger spread (5 against 2): components come in order.
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sx += coords[2 * i] ** 2;
      sy += coords[2 * i + 1] ** 2;
    }
    const ratio = Math.sqrt(sx / sy);
    assert.ok(Math.abs(ratio - 2.5) < 0.15, `spread ratio ${ratio}`);
    // Each axis is the planted one up to sign: |corr| ≈ 1.
    const corr = (axis: number) => {
      let xy = 0;
      let xx = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        xy += coords[2 * i + axis] * uv[2 * i + axis];
        xx += coords[2 * i + axis] ** 2;
        yy += uv[2 * i + axis] ** 2;
      }
      return xy / Math.sqrt(xx * yy);
    };
    assert.ok(Math.abs(corr(0)) > 0.999 && Math.abs(corr(1)) > 0.999, `correlations ${corr(0)} ${corr(1)}`);
  });

  it('recovers the plane also when the covariance comes from a sample of the rows (large collections)', () => {
    const n = 6000;
    const { vectors, uv } = planted(n, 96, 0.05, 3);
    const sampled = pca2d(vectors, n, 96, undefined, { sampleRows: 500 });
    assert.ok(distanceError(sampled.coords, uv, n) < 0.02, `distance error ${distanceError(sampled.coords, uv, n)}`);
    const exact = pca2d(vectors, n, 96);
    let worst = 0;
    for (let i = 0; i < 2 * n; i++) {
      worst = Math.max(worst, Math.abs(sampled.coords[i] - exact.coords[i]));
    }
    // Same signs and axes as the exact run: the refinement pass over all rows lands on the same components.
    assert.ok(worst < 0.05, `largest coordinate difference from exact PCA ${worst}`);
  });

  it('does not alias with data that repeats every other row when it samples', () => {
    // Even rows spread along axis 0, odd rows along axis 1: a sample of every other row would see only one of them.
    const n = 4000;
    const dim = 16;
    const g = gaussian(21);
    const vectors = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < dim; j++) {
        vectors[i * dim + j] = 0.05 * g();
      }
      vectors[i * dim + (i % 2)] += (i % 2 ? 3 : 4) * g();
    }
    const variance = (c: Float32Array) => c.reduce((s, x) => s + x * x, 0);
    const exact = variance(pca2d(vectors, n, dim).coords);
    const sampled = variance(pca2d(vectors, n, dim, undefined, { sampleRows: n / 2 }).coords);
    assert.ok(sampled > 0.999 * exact, `the sampled plane keeps ${((100 * sampled) / exact).toFixed(2)} % of the variance`);
  });

  it('gives the same coordinates, signs included, on every run and for any row order', () => {
    const n = 1500;
    const dim = 48;
    const { vectors } = planted(n, dim, 0.2, 7);
    const first = pca2d(vectors, n, dim).coords;
    assert.deepEqual(pca2d(vectors, n, dim).coords, first);
    // Rows reversed and rotated: each row keeps its coordinates.
    const order = Array.from({ length: n }, (_, i) => (n - 1 - i + 400) % n);
    const shuffled = new Float32Array(n * dim);
    order.forEach((from, to) => shuffled.set(vectors.subarray(from * dim, (from + 1) * dim), to * dim));
    const again = pca2d(shuffled, n, dim).coords;
    order.forEach((from, to) => {
      assert.ok(Math.abs(again[2 * to] - first[2 * from]) < 1e-3 && Math.abs(again[2 * to + 1] - first[2 * from + 1]) < 1e-3, `row ${from}`);
    });
  });

  it('sets each component\'s sign so its largest loading is positive (16 components, 8 data sets)', () => {
    const n = 400;
    const dim = 24;
    /** The loadings: extra rows mean + e_j land at (u_j, v_j). */
    const loadings = (data: Float32Array) => {
      const mean = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dim; j++) {
          mean[j] += data[i * dim + j] / n;
        }
      }
      const extra = new Float32Array(dim * dim);
      for (let j = 0; j < dim; j++) {
        for (let c = 0; c < dim; c++) {
          extra[j * dim + c] = mean[c] + (c === j ? 1 : 0);
        }
      }
      const e = pca2d(data, n, dim, extra).extraCoords;
      return [0, 1].map((axis) => Array.from({ length: dim }, (_, j) => e[2 * j + axis]));
    };
    // Without the rule each sign is whatever the iteration ends on: all 16 positive would be a 1 in 65,536 chance.
    for (let seed = 1; seed <= 8; seed++) {
      const { vectors } = planted(n, dim, 0.05, seed * 13);
      for (const u of loadings(vectors)) {
        const largest = u.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
        assert.ok(largest > 0.1, `seed ${seed}: largest loading ${largest}`);
        assert.ok(Math.abs(Math.hypot(...u) - 1) < 1e-3, 'a unit component');
      }
    }
  });

  it('projects extra rows with the same mean and components as the data', () => {
    const n = 500;
    const dim = 20;
    const { vectors } = planted(n, dim, 0.1, 5);
    const extra = Float32Array.from([...vectors.subarray(3 * dim, 4 * dim), ...vectors.subarray(42 * dim, 43 * dim)]);
    const { coords, extraCoords } = pca2d(vectors, n, dim, extra);
    assert.equal(extraCoords.length, 4);
    assert.ok(Math.abs(extraCoords[0] - coords[6]) < 1e-4 && Math.abs(extraCoords[1] - coords[7]) < 1e-4);
    assert.ok(Math.abs(extraCoords[2] - coords[84]) < 1e-4 && Math.abs(extraCoords[3] - coords[85]) < 1e-4);
  });

  it('copes with no rows, identical rows, a line and tiny dimensions without NaN', () => {
    assert.deepEqual(pca2d(new Float32Array(0), 0, 384), { coords: new Float32Array(0), extraCoords: new Float32Array(0) });
    const same = new Float32Array(50 * 8).fill(0.5);
    assert.ok(pca2d(same, 50, 8).coords.every((x) => x === 0));
    // Points on a line: the second coordinate is (close to) zero, the first keeps the distances.
    const line = new Float32Array(100 * 16);
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < 16; j++) {
        line[i * 16 + j] = i * (j % 3 === 0 ? 1 : -0.5);
      }
    }
    const l = pca2d(line, 100, 16).coords;
    assert.ok(l.every(Number.isFinite));
    const step = Math.hypot(...Array.from({ length: 16 }, (_, j) => (j % 3 === 0 ? 1 : -0.5)));
    assert.ok(Math.abs(Math.abs(l[2] - l[0]) - step) < 1e-3 && Math.abs(l[1]) < 1e-3, `${l[0]} ${l[1]} ${l[2]}`);
    const one = pca2d(Float32Array.from([1, 2, 3, 4, 5, 7]), 3, 2).coords;
    assert.ok(one.every(Number.isFinite) && one.some((x) => x !== 0));
    assert.throws(() => pca2d(new Float32Array(10), 3, 4), /PCA needs 3 × 4 values, got 10/);
  });
});
