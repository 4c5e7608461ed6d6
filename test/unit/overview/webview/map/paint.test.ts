/** The map's painter: a square per point in a pixel buffer, selected points over the rest with a ring. */
import * as assert from 'node:assert/strict';
import { paletteOf } from '../../../../../src/overview/webview/colors';
import { paintPoints, pointSize } from '../../../../../src/overview/webview/map/paint';
import type { PaintInput } from '../../../../../src/overview/webview/map/paint';

const W = 10;
const H = 10;
const BG = 0;
const palette = paletteOf([[255, 0, 0], [0, 0, 255]], [0, 255, 0], [0, 0, 0], [255, 255, 255], false);
const RED = palette.rest[0];
const BLUE = palette.rest[1];
const GREEN = palette.rest[255];

/** One-pixel-per-unit map with the origin at the top left pixel: point (x, y) lands on pixel (x, -y). */
function input(xy: number[], over: Partial<PaintInput> = {}): PaintInput {
  return { coords: new Float32Array(xy), n: xy.length / 2, k: 1, ox: 0, oy: 0, size: 2, codes: null, palette, selected: null, ...over };
}
const at = (buf: Uint32Array, x: number, y: number) => buf[y * W + x];

describe('overview page: painting the map', () => {
  it('paints each point as a size × size square centred on it, in its code colour, and counts those on the canvas', () => {
    const buf = new Uint32Array(W * H).fill(BG);
    const drawn = paintPoints(buf, W, H, input([3, -3, 7, -6, 50, -50], { codes: new Uint8Array([0, 1, 0]) }));
    assert.equal(drawn, 2, 'the third point is off the canvas');
    // size 2, half 1: the square of (3, 3) covers pixels 2..3 across and down
    assert.deepEqual([at(buf, 2, 2), at(buf, 3, 2), at(buf, 2, 3), at(buf, 3, 3)], [RED, RED, RED, RED]);
    assert.equal(at(buf, 4, 4), BG);
    assert.equal(at(buf, 6, 5), BLUE);
    assert.equal(buf.filter((p) => p !== BG).length, 8);
  });

  it('paints every point in the plain colour without codes, and clips squares at the edges', () => {
    const buf = new Uint32Array(W * H).fill(BG);
    const drawn = paintPoints(buf, W, H, input([0, 0, 10, -10]));
    assert.equal(drawn, 2);
    assert.equal(at(buf, 0, 0), GREEN);
    assert.equal(at(buf, 9, 9), GREEN);
    assert.equal(buf.filter((p) => p !== BG).length, 2, 'one pixel of each square is on the canvas');
  });

  it('paints selected points last, ringed and in full colour, over faded others', () => {
    const faded = paletteOf([[255, 0, 0]], [0, 255, 0], [0, 0, 0], [255, 255, 255], true);
    const buf = new Uint32Array(W * H).fill(BG);
    // two points on the same spot: the selected one (0) is painted over the other (1) although it comes first
    paintPoints(buf, W, H, input([5, -5, 5, -5], { codes: new Uint8Array([0, 255]), palette: faded, selected: new Uint8Array([1, 0]) }));
    assert.equal(at(buf, 4, 4), faded.selected[0]);
    assert.equal(at(buf, 3, 3), faded.ring);
    assert.notEqual(faded.rest[0], faded.selected[0], 'the rest are faded');
  });

  it('draws points bigger when there are few', () => {
    assert.deepEqual([pointSize(100, 1), pointSize(10_000, 1), pointSize(100_000, 1), pointSize(100_000, 2), pointSize(100_000, 0.25)], [4, 3, 2, 4, 1]);
  });
});
