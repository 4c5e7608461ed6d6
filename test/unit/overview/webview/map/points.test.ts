/** The map's points as they arrive in base64 chunks of float32 x, y pairs. */
import * as assert from 'node:assert/strict';
import type { ToWebview } from '../../../../../src/overview/core/protocol';
import { bytesOf, PointSet } from '../../../../../src/overview/webview/map/points';

type Points = Extract<ToWebview, { type: 'points' }>;

/** A `points` message as the host builds it: little-endian float32 pairs in base64. */
function chunk(method: 'pca' | 'umap', n: number, offset: number, xy: number[]): Points {
  return { type: 'points', method, n, offset, coords: Buffer.from(new Float32Array(xy).buffer).toString('base64') };
}

describe('overview page: the map points', () => {
  it('decodes base64 to its bytes', () => {
    assert.deepEqual([...bytesOf('AAEC/w==')], [0, 1, 2, 255]);
    assert.deepEqual([...bytesOf('')], []);
  });

  it('assembles a projection from chunks in any order, complete once every point is in', () => {
    const p = new PointSet();
    assert.equal(p.ready, null);
    assert.deepEqual(p.receive(chunk('pca', 3, 0, [1, 2])), { started: true, complete: false });
    assert.deepEqual(p.receive(chunk('pca', 3, 2, [5, 6])), { started: false, complete: false });
    assert.equal(p.ready, null, 'not shown before the last point is in');
    assert.deepEqual(p.receive(chunk('pca', 3, 1, [3, 4])), { started: false, complete: true });
    assert.deepEqual([...(p.ready ?? [])], [1, 2, 3, 4, 5, 6]);
  });

  it('starts over for a chunk at offset 0, or of another size or method', () => {
    const p = new PointSet();
    p.receive(chunk('pca', 2, 0, [1, 1, 2, 2]));
    assert.equal(p.complete, true);
    assert.deepEqual(p.receive(chunk('umap', 2, 1, [9, 9])), { started: true, complete: false });
    assert.equal(p.method, 'umap');
    assert.equal(p.ready, null);
    assert.deepEqual(p.receive(chunk('umap', 3, 0, [0, 0])), { started: true, complete: false });
    assert.equal(p.n, 3);
  });

  it('drops a chunk that would run past the projection', () => {
    const p = new PointSet();
    p.receive(chunk('pca', 2, 0, [1, 1]));
    assert.deepEqual(p.receive(chunk('pca', 2, 1, [2, 2, 3, 3])), { started: false, complete: false });
    assert.equal(p.got, 1);
    assert.deepEqual([...(p.coords ?? [])], [1, 1, 0, 0]);
  });
});
