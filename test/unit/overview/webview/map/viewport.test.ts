/** Where the map looks: screen and map positions, zoom about a point, pan, the selection box, the tooltip's place. */
import * as assert from 'node:assert/strict';
import { mapBox, panBy, toMap, toScreen, tooltipAt, wheelFactor, zoomAt } from '../../../../../src/overview/webview/map/viewport';

const size = { w: 800, h: 400 };

describe('overview page: the map viewport', () => {
  it('puts the view centre at the canvas centre, with y growing up on the map and down on the screen', () => {
    const v = { cx: 10, cy: 20, scale: 4 };
    assert.deepEqual(toScreen(v, size, 10, 20), { x: 400, y: 200 });
    assert.deepEqual(toScreen(v, size, 11, 21), { x: 404, y: 196 });
    assert.deepEqual(toMap(v, size, 404, 196), { x: 11, y: 21 });
  });

  it('zooms about the point under the mouse: it stays where it is on the screen', () => {
    const v = { cx: 0, cy: 0, scale: 2 };
    const under = toMap(v, size, 100, 50);
    zoomAt(v, size, 100, 50, 3);
    assert.equal(v.scale, 6);
    const after = toScreen(v, size, under.x, under.y);
    assert.ok(Math.abs(after.x - 100) < 1e-9 && Math.abs(after.y - 50) < 1e-9, JSON.stringify(after));
    zoomAt(v, size, 0, 0, 1e30);
    assert.equal(v.scale, 1e9, 'zoom stops at 1e9');
    zoomAt(v, size, 0, 0, 1e-40);
    assert.equal(v.scale, 1e-9, 'and at 1e-9');
  });

  it('pans with the mouse: dragging right and down moves the map right and down', () => {
    const v = { cx: 0, cy: 0, scale: 2 };
    const before = toScreen(v, size, 5, 5);
    panBy(v, 30, 10);
    const after = toScreen(v, size, 5, 5);
    assert.deepEqual({ x: after.x - before.x, y: after.y - before.y }, { x: 30, y: 10 });
  });

  it('turns a dragged screen rectangle, drawn either way, into the map box under it', () => {
    const v = { cx: 0, cy: 0, scale: 10 };
    const want = { minX: -10, maxX: 10, minY: -5, maxY: 5 };
    assert.deepEqual(mapBox(v, size, 300, 150, 500, 250), want);
    assert.deepEqual(mapBox(v, size, 500, 250, 300, 150), want);
  });

  it('zooms in on a wheel turned away from the reader, by lines or pixels', () => {
    assert.ok(wheelFactor(-100, 0) > 1 && wheelFactor(100, 0) < 1);
    assert.equal(wheelFactor(3, 1), Math.exp(-0.15));
    assert.equal(wheelFactor(0, 0), 1);
  });

  it('places the tooltip below right of the point, inside the canvas, above it when there is no room below', () => {
    const tip = { w: 200, h: 60 };
    assert.deepEqual(tooltipAt({ x: 100, y: 100 }, size, tip), { x: 114, y: 114 });
    assert.deepEqual(tooltipAt({ x: 700, y: 100 }, size, tip), { x: 596, y: 114 });
    assert.deepEqual(tooltipAt({ x: 100, y: 380 }, size, tip), { x: 114, y: 310 });
    assert.deepEqual(tooltipAt({ x: 100, y: 20 }, { w: 800, h: 50 }, tip), { x: 114, y: 4 });
  });
});
