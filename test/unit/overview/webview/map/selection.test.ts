/** The map's selection: a byte per point and its count, kept in step through every way of changing it. */
import * as assert from 'node:assert/strict';
import { KEEP_AT_MOST, Selection } from '../../../../../src/overview/webview/map/selection';

// points (0,0) (1,1) (2,2) (3,3) (4,4)
const coords = new Float32Array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);

describe('overview page: the map selection', () => {
  it('selects nothing before it has a size, and starts empty', () => {
    const s = new Selection();
    assert.equal(s.ready, false);
    s.toggle(0);
    s.add([1]);
    s.selectIn(coords, 5, { minX: 0, maxX: 9, minY: 0, maxY: 9 }, false);
    assert.equal(s.count, 0);
    s.sizeFor(5);
    assert.equal(s.ready, true);
    assert.deepEqual(s.indices(), []);
  });

  it('selects the points in a box (edges included), replacing or adding to what was selected', () => {
    const s = new Selection();
    s.sizeFor(5);
    s.selectIn(coords, 5, { minX: 1, maxX: 2, minY: 0, maxY: 9 }, false);
    assert.deepEqual(s.indices(), [1, 2]);
    s.selectIn(coords, 5, { minX: 3.5, maxX: 9, minY: 3.5, maxY: 9 }, true);
    assert.deepEqual(s.indices(), [1, 2, 4]);
    assert.equal(s.count, 3);
    s.selectIn(coords, 5, { minX: 0, maxX: 0, minY: 0, maxY: 0 }, false);
    assert.deepEqual(s.indices(), [0]);
    assert.equal(s.count, 1);
  });

  it('toggles one point and adds kept indices, ignoring those out of range and those already in', () => {
    const s = new Selection();
    s.sizeFor(5);
    s.toggle(3);
    s.toggle(3);
    s.toggle(2);
    s.toggle(7);
    s.add([2, 4, 5, -1]);
    assert.deepEqual(s.indices(), [2, 4]);
    assert.equal(s.count, 2);
    assert.equal(s.has(4), true);
    assert.equal(s.has(3), false);
  });

  it('keeps its bits for the same size, starts over for another, and forgets them when dropped', () => {
    const s = new Selection();
    s.sizeFor(5);
    s.toggle(1);
    s.sizeFor(5);
    assert.deepEqual(s.indices(), [1]);
    s.sizeFor(6);
    assert.deepEqual(s.indices(), []);
    s.toggle(0);
    s.clear();
    assert.equal(s.count, 0);
    s.toggle(0);
    s.drop();
    assert.equal(s.ready, false);
    assert.equal(s.count, 0);
    assert.equal(s.raw, null);
  });

  it('keeps a selection across a reload only up to KEEP_AT_MOST points', () => {
    const n = KEEP_AT_MOST + 1;
    const all = new Float32Array(n * 2);
    const s = new Selection();
    s.sizeFor(n);
    s.selectIn(all, n, { minX: 0, maxX: 0, minY: 0, maxY: 0 }, false);
    assert.equal(s.count, n);
    assert.deepEqual(s.toKeep(), []);
    s.toggle(0);
    assert.equal(s.toKeep().length, KEEP_AT_MOST);
  });
});
