/** What the page finds in its webview state when it loads: checked, whatever VS Code hands back. */
import * as assert from 'node:assert/strict';
import { keptStateOf } from '../../../../src/overview/webview/keptState';

const EMPTY = { view: null, n: -1, method: '', selection: [], scrollY: null };

describe('overview page: the kept state', () => {
  it('reads back what the page stored', () => {
    const stored = { view: { cx: 1.5, cy: -2, scale: 30 }, n: 2000, method: 'umap', selection: [3, 9], scrollY: 120, restore: { collection: 'x' } };
    assert.deepEqual(keptStateOf(stored), { view: { cx: 1.5, cy: -2, scale: 30 }, n: 2000, method: 'umap', selection: [3, 9], scrollY: 120 });
  });

  it('is empty for no state, or a state that is not an object', () => {
    for (const raw of [undefined, null, 'x', 42, [1, 2]]) {
      assert.deepEqual(keptStateOf(raw), EMPTY, JSON.stringify(raw));
    }
  });

  it('drops the parts that do not fit: a view with a bad number, indices that are not indices', () => {
    const kept = keptStateOf({ view: { cx: 0, cy: NaN, scale: 1 }, n: -4, method: 3, selection: [1, -1, 2.5, '3', 4], scrollY: 'top' });
    assert.deepEqual(kept, { ...EMPTY, selection: [1, 4] });
    assert.equal(keptStateOf({ view: { cx: 0, cy: 0, scale: 0 } }).view, null, 'a zoom of 0 is no view');
    assert.equal(keptStateOf({ view: null, n: 5 }).n, 5);
  });
});
