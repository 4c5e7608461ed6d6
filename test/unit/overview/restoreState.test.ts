import * as assert from 'node:assert/strict';
import { restoreInfoByTitle, restoreInfoOf } from '../../../src/overview/core/restoreState';

describe('overview restore state (what the page keeps so the panel opens again after a reload)', () => {
  const info = { connection: 'local', tenant: 'default_tenant', database: 'default_database', id: '3b92d7e3-959d-4f2c-80e8-318a25499394', name: 'notes' };

  it('reads the collection from the page state, next to the page\'s own view state', () => {
    assert.deepEqual(restoreInfoOf({ view: null, n: 20, selection: [], restore: info }), info);
  });

  it('leaves out anything else the state holds under restore', () => {
    assert.deepEqual(restoreInfoOf({ restore: { ...info, extra: 'x', __proto__: { name: 'p' } } }), info);
  });

  it('refuses a state without it, or with a field missing, empty, not a string or too long', () => {
    for (const bad of [
      undefined,
      null,
      'notes',
      {},
      { restore: null },
      { restore: [info] },
      { restore: { ...info, id: undefined } },
      { restore: { ...info, name: '' } },
      { restore: { ...info, tenant: 7 } },
      { restore: { ...info, connection: 'x'.repeat(1025) } },
    ]) {
      assert.equal(restoreInfoOf(bad), undefined, JSON.stringify(bad));
    }
  });

  it('without it, a panel is found by its title among the remembered open panels, only when one has that title', () => {
    const other = { ...info, id: 'x', name: 'docs' };
    const open = [{ title: 'Overview: notes', restore: info }, { title: 'Overview: docs', restore: other }];
    assert.deepEqual(restoreInfoByTitle(open, 'Overview: notes'), info);
    assert.equal(restoreInfoByTitle(open, 'Overview: other'), undefined);
    assert.equal(restoreInfoByTitle([...open, { title: 'Overview: notes', restore: { ...info, connection: 'cloud' } }], 'Overview: notes'), undefined, 'two panels of that title: neither is guessed');
    assert.equal(restoreInfoByTitle('junk', 'Overview: notes'), undefined);
    assert.equal(restoreInfoByTitle([{ title: 'Overview: notes', restore: { name: 'notes' } }], 'Overview: notes'), undefined);
  });
});
