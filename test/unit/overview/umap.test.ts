/** UMAP to 2-D (umap-js, seeded): separated clusters stay separated, runs repeat exactly, a query lands in its cluster. */
import * as assert from 'node:assert/strict';
import { seededRandom } from '../../../src/util/random';
import { umap2d } from '../../../src/overview/core/umap';

/** `perCluster` points around each of two centres 10 apart in `dim`-D, noise 0.5 per axis; rows alternate A, B. */
function twoClusters(perCluster: number, dim: number, seed = 3): Float32Array {
  const r = seededRandom(seed);
  const out = new Float32Array(2 * perCluster * dim);
  for (let i = 0; i < 2 * perCluster; i++) {
    for (let j = 0; j < dim; j++) {
      const centre = j === 0 ? (i % 2 === 0 ? -5 : 5) : 0;
      out[i * dim + j] = centre + (r() - 0.5);
    }
  }
  return out;
}

function centroid(coords: Float32Array, cluster: 0 | 1): [number, number] {
  let x = 0;
  let y = 0;
  let c = 0;
  for (let i = cluster; i < coords.length / 2; i += 2) {
    x += coords[2 * i];
    y += coords[2 * i + 1];
    c++;
  }
  return [x / c, y / c];
}

describe('umap2d', function () {
  this.timeout(120_000);
  const dim = 16;
  const n = 240;
  const vectors = twoClusters(n / 2, dim);

  it('separates two well-separated clusters: every point\'s nearest neighbour on the map is in its own cluster', () => {
    const phases = new Set<string>();
    let lastFraction = 0;
    const { coords } = umap2d(vectors, n, dim, undefined, {
      onProgress: (f, phase) => {
        assert.ok(f >= lastFraction, 'progress only grows');
        lastFraction = f;
        phases.add(phase.replace(/\d+\/\d+/, 'N/M'));
      },
    });
    assert.equal(coords.length, 2 * n);
    assert.ok(coords.every(Number.isFinite));
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < n; j++) {
        const d = Math.hypot(coords[2 * i] - coords[2 * j], coords[2 * i + 1] - coords[2 * j + 1]);
        if (j !== i && d < bestD) {
          bestD = d;
          best = j;
        }
      }
      assert.equal(best % 2, i % 2, `point ${i}'s nearest map neighbour ${best} is in the other cluster`);
    }
    const [a, b] = [centroid(coords, 0), centroid(coords, 1)];
    let spread = 0;
    for (let i = 0; i < n; i++) {
      const c = i % 2 === 0 ? a : b;
      spread = Math.max(spread, Math.hypot(coords[2 * i] - c[0], coords[2 * i + 1] - c[1]));
    }
    assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1]) > spread, 'the clusters\' centres are further apart than any point from its own');
    assert.deepEqual([...phases], ['nearest neighbours', 'layout N/M', 'done']);
    assert.equal(lastFraction, 1);
  });

  it('gives the same map on every run (seeded), and places extra points in their cluster', () => {
    const extra = Float32Array.from([...vectors.subarray(0, dim), ...vectors.subarray(dim, 2 * dim)].map((x) => x + 0.01));
    // Fewer epochs than the default keep this test quick; the seed makes every step repeat.
    const first = umap2d(vectors, n, dim, extra, { nEpochs: 150 });
    const second = umap2d(vectors, n, dim, extra, { nEpochs: 150 });
    assert.deepEqual(second.coords, first.coords);
    assert.deepEqual(second.extraCoords, first.extraCoords);
    const [a, b] = [centroid(first.coords, 0), centroid(first.coords, 1)];
    const near = (p: number, c: [number, number]) => Math.hypot(first.extraCoords[2 * p] - c[0], first.extraCoords[2 * p + 1] - c[1]);
    assert.ok(near(0, a) < near(0, b), 'an A point lands nearer A');
    assert.ok(near(1, b) < near(1, a), 'a B point lands nearer B');
  });

  it('falls back to PCA below four points', () => {
    const { coords } = umap2d(Float32Array.from([0, 0, 1, 1, 2, 2]), 3, 2);
    assert.equal(coords.length, 6);
    assert.ok(coords.every(Number.isFinite));
  });
});
