/**
 * The map's first view (issue "Trust and correctness", 5): centred on the bulk of the points and filled with it,
 * far outliers left out and counted. The reported case is built as it happens: 122 chunks of near-identical
 * documents (120 notes differing by their number, a heading and a footer), embedded by the tests' hashed
 * bag-of-words function and projected by the overview's own PCA.
 */
import * as assert from 'node:assert/strict';
import { frameMap, MAX_LEFT_OUT } from '../../../src/overview/core/framing';
import type { MapView } from '../../../src/overview/core/framing';
import { pca2d } from '../../../src/overview/core/pca';
import { seededRandom } from '../../../src/util/random';
import { demoEmbedding } from '../../support/sampleData';

const W = 800;
const H = 500;

/** Where point i lands on the canvas, in pixels (y grows downwards, as the page draws). */
function onScreen(view: MapView, coords: ArrayLike<number>, i: number): { x: number; y: number } {
  return { x: W / 2 + (coords[2 * i] - view.cx) * view.scale, y: H / 2 - (coords[2 * i + 1] - view.cy) * view.scale };
}

/** The screen box of the points `ids`, and whether all of them are on the canvas. */
function screenBox(view: MapView, coords: ArrayLike<number>, ids: number[]) {
  const pts = ids.map((i) => onScreen(view, coords, i));
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const box = { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
  return { ...box, allOnCanvas: box.minX >= 0 && box.maxX <= W && box.minY >= 0 && box.maxY <= H };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/**
 * How much of the canvas the points on it fill, in its limiting direction, not counting the one point furthest out
 * on each side: a picture whose extent hangs on a single point (a dot in one corner, the rest a speck in another)
 * does not fill it.
 */
function fillOf(view: MapView, coords: ArrayLike<number>, n: number): number {
  const shown = range(n)
    .map((i) => onScreen(view, coords, i))
    .filter((p) => p.x >= 0 && p.x <= W && p.y >= 0 && p.y <= H);
  const drop = new Set<number>();
  for (const key of ['x', 'y'] as const) {
    const order = shown.map((p, i) => [p[key], i] as const).sort((a, b) => a[0] - b[0]);
    drop.add(order[0][1]);
    drop.add(order[order.length - 1][1]);
  }
  const kept = shown.filter((_, i) => !drop.has(i));
  const xs = kept.map((p) => p.x);
  const ys = kept.map((p) => p.y);
  return Math.max((Math.max(...xs) - Math.min(...xs)) / W, (Math.max(...ys) - Math.min(...ys)) / H);
}

function gaussian(seed: number): () => number {
  const u = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('the embedding map\'s first view (pure)', () => {
  it('122 near-identical documents: the alike notes fill the canvas, centred; the heading, the footer (and at most a few more) are counted outside', () => {
    const docs = [
      ...range(120).map((i) => `Chroma keeps the embeddings of these notes next to their text, note ${i}.`),
      '# Notes',
      'Written by the team; questions to the list.',
    ];
    const dim = 384;
    const vectors = new Float32Array(docs.length * dim);
    docs.forEach((d, i) => vectors.set(demoEmbedding(d, dim), i * dim));
    const { coords } = pca2d(vectors, docs.length, dim);

    const view = frameMap(coords, docs.length, W, H);
    // the heading and the footer are left out, and at most a few more of the 122 (a note whose number words weigh)
    assert.ok(!screenBox(view, coords, [120]).allOnCanvas && !screenBox(view, coords, [121]).allOnCanvas);
    assert.ok(view.outside >= 2 && view.outside <= Math.floor(MAX_LEFT_OUT * docs.length), `${view.outside} outside`);
    const shown = range(120).filter((i) => screenBox(view, coords, [i]).allOnCanvas);
    assert.equal(shown.length, docs.length - view.outside);
    // what is on the canvas fills it, centred
    const fill = fillOf(view, coords, docs.length);
    assert.ok(fill >= 0.9, `the bulk fills ${Math.round(fill * 100)} % of the canvas`);
    const bulk = screenBox(view, coords, shown);
    assert.ok(Math.abs((bulk.minX + bulk.maxX) / 2 - W / 2) <= 1 && Math.abs((bulk.minY + bulk.maxY) / 2 - H / 2) <= 1, JSON.stringify(bulk));

    const all = frameMap(coords, docs.length, W, H, true);
    assert.equal(all.outside, 0);
    assert.ok(screenBox(all, coords, range(122)).allOnCanvas);
  });

  it('a cloud with no far outliers is fitted whole: nothing left out', () => {
    const g = gaussian(7);
    const n = 5_000;
    const coords = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 2 : 5) * g());
    const view = frameMap(coords, n, W, H);
    assert.equal(view.outside, 0);
    assert.ok(screenBox(view, coords, range(n)).allOnCanvas);
  });

  it('a cloud with a few broken vectors far away: the cloud fills the view, the few are counted outside', () => {
    const g = gaussian(11);
    const n = 1_000;
    const coords = Float32Array.from({ length: 2 * (n + 3) }, (_, i) => (i < 2 * n ? g() : 500 + i));
    const view = frameMap(coords, n + 3, W, H);
    assert.equal(view.outside, 3);
    assert.ok(screenBox(view, coords, range(n)).allOnCanvas);
    assert.ok(fillOf(view, coords, n + 3) >= 0.8);
  });

  it('separate clusters, a small one far away included, all stay in the picture', () => {
    const g = gaussian(3);
    const n = 2_000;
    const small = Math.floor(n * 0.08);
    const coords = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const far = i < small;
      coords[2 * i] = (far ? 40 : 0) + g();
      coords[2 * i + 1] = (far ? -25 : 0) + g();
    }
    assert.ok(small > MAX_LEFT_OUT * n);
    const view = frameMap(coords, n, W, H);
    assert.equal(view.outside, 0);
    assert.ok(screenBox(view, coords, range(n)).allOnCanvas);
  });

  it('points all at one spot (besides two outliers) are not zoomed into: everything is shown', () => {
    const coords = new Float32Array(2 * 102).fill(0.25);
    coords.set([3, 4, -2, 1], 200);
    const view = frameMap(coords, 102, W, H);
    assert.equal(view.outside, 0);
    assert.ok(screenBox(view, coords, range(102)).allOnCanvas);
    const one = frameMap(new Float32Array([5, 5]), 1, W, H);
    assert.deepEqual({ cx: one.cx, cy: one.cy, outside: one.outside }, { cx: 5, cy: 5, outside: 0 });
    assert.ok(Number.isFinite(one.scale) && one.scale > 0);
  });

  it('no points, or none with finite coordinates, give a finite view; non-finite points are ignored', () => {
    for (const coords of [new Float32Array(0), new Float32Array([NaN, 1, Infinity, 2])]) {
      const view = frameMap(coords, coords.length / 2, W, H);
      assert.ok([view.cx, view.cy, view.scale].every(Number.isFinite) && view.scale > 0, JSON.stringify(view));
      assert.equal(view.outside, 0);
    }
    const mixed = new Float32Array([0, 0, 1, 1, NaN, 5]);
    assert.equal(frameMap(mixed, 3, W, H).outside, 0);
  });
});
