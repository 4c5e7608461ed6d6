import * as assert from 'node:assert/strict';
import { addressToUriParts, tabLabel, uriPartsToAddress } from '../../../../src/records/core/address';

const base = { connection: 'My Server', tenant: 't', database: 'd b', collectionId: '11111111-2222-3333-4444-555555555555', collectionName: 'notes' };

describe('chroma: addresses (pure)', () => {
  it('round-trip record ids with slashes, #, spaces, unicode, dots, percent signs and lone surrogates', () => {
    for (const recordId of ['docs/a.md#3', 'with space', 'ünï/cödé?x=1&y', '..', 'plain', 'a%2Fb', 'lone \ud800 surrogate', '%uD800', 'name=x&id=y&view=server', '']) {
      const a = { ...base, recordId };
      const { path, query } = addressToUriParts(a);
      assert.ok(path.endsWith('.json'), path);
      assert.equal(path.split('/').length, 6, path);
      assert.deepEqual(uriPartsToAddress(path, query), a);
      for (const view of ['server', 'new'] as const) {
        const v = addressToUriParts({ ...a, view });
        assert.deepEqual(uriPartsToAddress(v.path, v.query), { ...a, view });
      }
    }
  });

  it('a collection is its `.md` summary; names with & = + % survive', () => {
    const col = { ...base, collectionName: 'n%25&x=+1' };
    const parts = addressToUriParts(col);
    assert.ok(parts.path.endsWith('.md'));
    assert.deepEqual(uriPartsToAddress(parts.path, parts.query), col);
  });

  it('refuses what is not an address', () => {
    assert.equal(uriPartsToAddress('/only/two.md', ''), undefined);
    assert.equal(uriPartsToAddress('/a/b/c/d/e.json', 'name=n&view=other&id=x'), undefined);
    assert.equal(uriPartsToAddress('/a/b/c/d/e.json', 'name=n'), undefined, 'a record file needs its id');
    assert.equal(uriPartsToAddress('/a/b/c/d/e.json', 'name=n&id=%E0%A4%A'), undefined, 'a broken encoding');
  });

  it('the tab label is one short line without bidi, control characters or path separators; the id stays whole', () => {
    const id = 'invoice\u202Etxt.exe/..\\x\n' + 'y'.repeat(500);
    const { path, query } = addressToUriParts({ ...base, recordId: id });
    const label = path.split('/').at(-1)!;
    assert.ok(!/[\u202a-\u202e\n/\\]/.test(label), label);
    assert.ok(label.length <= 66, label);
    assert.equal(uriPartsToAddress(path, query)?.recordId, id);
    assert.equal(tabLabel('a/b'), 'a∕b');
    assert.equal(tabLabel('\u202e'), '_');
  });
});
