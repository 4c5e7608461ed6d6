/** The map's hit testing: the grid finds the same nearest point a scan over every point finds. */
import * as assert from 'node:assert/strict';
import { boundsOf, buildGrid, nearestPoint } from '../../../../../src/overview/webview/map/grid';
import { seededRandom } from '../../../../../src/util/random';

/** The nearest point by looking at every point (the last of equals, as the grid keeps it), -1 beyond `r`. */
function scan(c: Float32Array, n: number, x: number, y: number, r: number): number {
  let best = -1;
  let bestD = r * r;
  for (let i = 0; i < n; i++) {
    const d = (c[2 * i] - x) ** 2 + (c[2 * i + 1] - y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

describe('overview page: the map grid', () => {
  it('bounds the finite points only, and is the unit square without any', () => {
    const c = new Float32Array([1, 2, -3, 5, NaN, 100, Infinity, 0, 4, -1]);
    assert.deepEqual(boundsOf(c, 5), { minX: -3, maxX: 4, minY: -1, maxY: 5 });
    assert.deepEqual(boundsOf(new Float32Array([NaN, 1]), 1), { minX: 0, maxX: 1, minY: 0, maxY: 1 });
    assert.deepEqual(boundsOf(new Float32Array(0), 0), { minX: 0, maxX: 1, minY: 0, maxY: 1 });
  });

  it('holds every finite point once, in about eight points a cell, at most 256 cells a side', () => {
    const rand = seededRandom(3);
    const n = 10_000;
    const c = new Float32Array(n * 2).map(() => rand() * 10 - 5);
    c[0] = NaN;
    const g = buildGrid(c, n, boundsOf(c, n));
    assert.equal(g.g, Math.ceil(Math.sqrt(n / 8)));
    assert.equal(g.items.length, n - 1);
    assert.deepEqual([...new Set(g.items)].sort((a, b) => a - b), Array.from({ length: n - 1 }, (_, i) => i + 1));
    assert.equal(buildGrid(new Float32Array(2 * 1_000_000), 1_000_000, { minX: 0, maxX: 1, minY: 0, maxY: 1 }).g, 256);
  });

  it('finds the nearest point within the radius as a scan over all points does, and none beyond it', () => {
    const rand = seededRandom(11);
    const n = 5_000;
    const c = new Float32Array(n * 2).map(() => rand() * 100);
    const grid = buildGrid(c, n, boundsOf(c, n));
    let found = 0;
    for (let t = 0; t < 2_000; t++) {
      const x = rand() * 120 - 10;
      const y = rand() * 120 - 10;
      const r = rand() * 3;
      const want = scan(c, n, x, y, r);
      assert.equal(nearestPoint(grid, c, x, y, r), want, `at ${x}, ${y} within ${r}`);
      found += want >= 0 ? 1 : 0;
    }
    assert.ok(found > 500 && found < 1_900, `${found} of 2,000 probes near a point: both cases are tried`);
  });

  it('finds the single point of a one-point map', () => {
    const c = new Float32Array([3, 3]);
    const grid = buildGrid(c, 1, boundsOf(c, 1));
    assert.equal(nearestPoint(grid, c, 3.5, 3, 1), 0);
    assert.equal(nearestPoint(grid, c, 5, 3, 1), -1);
  });
});
