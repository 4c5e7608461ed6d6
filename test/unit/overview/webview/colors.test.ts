/** The map's colours as numbers: legend palettes, mixing, and the canvas's 32-bit pixels. */
import * as assert from 'node:assert/strict';
import { CATEGORY, SEQUENTIAL, cssRgb, legendColor, mix, pack, paletteOf } from '../../../../src/overview/webview/colors';

describe('overview page: colours', () => {
  it('gives category entries one colour each, repeating past twelve, and spreads sequential ones over the ramp', () => {
    assert.equal(legendColor(0, 20, 'category'), CATEGORY[0]);
    assert.equal(legendColor(13, 20, 'category'), CATEGORY[1]);
    assert.deepEqual([0, 1, 2].map((i) => legendColor(i, 3, 'sequential')), [SEQUENTIAL[0], SEQUENTIAL[3], SEQUENTIAL[5]]);
    assert.equal(legendColor(0, 1, 'sequential'), SEQUENTIAL[0]);
  });

  it('packs a colour as the little-endian RGBA word an ImageData holds', () => {
    const word = pack([0x11, 0x22, 0x33]);
    assert.deepEqual([...new Uint8Array(new Uint32Array([word]).buffer)], [0x11, 0x22, 0x33, 0xff]);
  });

  it('mixes colours and writes them for CSS', () => {
    assert.deepEqual(mix([0, 100, 200], [100, 100, 0], 0.5), [50, 100, 100]);
    assert.deepEqual(mix([10, 20, 30], [0, 0, 0], 0), [10, 20, 30]);
    assert.equal(cssRgb([1, 2, 3]), 'rgb(1, 2, 3)');
  });

  it('builds a palette: legend entries by code, every other code in the other colour, faded only outside a selection', () => {
    const red = [200, 0, 0] as const;
    const grey = [100, 100, 100] as const;
    const bg = [0, 0, 0] as const;
    const plain = paletteOf([red], grey, bg, [255, 255, 255], false);
    assert.equal(plain.rest[0], pack(red));
    assert.equal(plain.rest[1], pack(grey));
    assert.equal(plain.rest[255], pack(grey));
    assert.deepEqual(plain.selected, plain.rest);
    const faded = paletteOf([red], grey, bg, [255, 255, 255], true);
    assert.equal(faded.rest[0], pack([60, 0, 0]));
    assert.equal(faded.rest[255], pack([30, 30, 30]));
    assert.equal(faded.selected[0], pack(red));
    assert.equal(faded.ring, pack([255, 255, 255]));
  });
});
