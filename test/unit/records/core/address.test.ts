import * as assert from 'node:assert/strict';
import { addressToUriParts, isFolderOf, tabLabel, uriPartsToAddress } from '../../../../src/records/core/address';

const base = { connection: 'My Server', tenant: 't', database: 'd b', collectionId: '11111111-2222-3333-4444-555555555555', collectionName: 'notes' };

describe('chroma: addresses (pure)', () => {
  it('round-trip record ids with slashes, #, spaces, unicode, dots, percent signs and lone surrogates', () => {
    for (const recordId of ['docs/a.md#3', 'with space', 'ünï/cödé?x=1&y', '..', 'plain', 'a%2Fb', 'lone \ud800 surrogate', '%uD800', 'name=x&id=y&view=server', '']) {
      const a = { ...base, recordId };
      const { path, query } = addressToUriParts(a);
      assert.ok(path.endsWith('.json'), path);
      assert.equal(path.split('/').length, 6, path);
      assert.equal(path.split('/').length, 6, 'the tenant (not default_tenant) is a folder');
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

  it('the path is the names a person reads: connection › database › collection › record; the ids stay in the query', () => {
    const a = { ...base, tenant: 'default_tenant', connection: 'demo (localhost:8000)', database: 'default_database', collectionName: 'chroma-facts', recordId: 'fact-0003' };
    const { path, query } = addressToUriParts(a);
    assert.equal(path, '/demo (localhost:8000)/default_database/chroma-facts/fact-0003.json');
    assert.match(query, /collection=11111111-2222-3333-4444-555555555555/);
    assert.deepEqual(uriPartsToAddress(path, query), a);
    assert.equal(addressToUriParts({ ...a, recordId: undefined }).path, '/demo (localhost:8000)/default_database/chroma-facts/chroma-facts.md');
  });

  it("names with '/', '..', bidi or control characters cannot break the path; the names and ids stay whole", () => {
    const a = { ...base, connection: 'a/b', database: '..', collectionName: 'x\u202e/../y\n', recordId: '../../etc' };
    const { path, query } = addressToUriParts(a);
    const segments = path.split('/');
    assert.equal(segments.length, 6, path);
    assert.ok(segments.slice(1).every((s) => s !== '.' && s !== '..' && !/[\u202a-\u202e\n\\]/.test(s)), path);
    assert.deepEqual(uriPartsToAddress(path, query), a);
  });

  it('a renamed collection: the URI made under the old name still names the same collection id', () => {
    const old = addressToUriParts({ ...base, collectionName: 'old name', recordId: 'r' });
    const renamed = addressToUriParts({ ...base, collectionName: 'new name', recordId: 'r' });
    assert.notEqual(old.path, renamed.path);
    assert.equal(uriPartsToAddress(old.path, old.query)?.collectionId, base.collectionId);
    assert.equal(uriPartsToAddress(renamed.path, renamed.query)?.collectionId, base.collectionId);
  });

  it('the URIs of before (ids in the path) still open, so restored tabs and Open Recent keep working', () => {
    const legacy = '/My%20Server/t/d%20b/11111111-2222-3333-4444-555555555555/docs%E2%88%95a.json';
    assert.deepEqual(uriPartsToAddress(legacy, 'name=notes&id=docs%2Fa'), { ...base, recordId: 'docs/a' });
    assert.deepEqual(uriPartsToAddress('/My%20Server/t/d%20b/11111111-2222-3333-4444-555555555555/notes.md', 'name=notes'), base);
  });

  it("the folders above a record are folders; a path that is not the query's own is not an address", () => {
    const { path, query } = addressToUriParts({ ...base, recordId: 'r' });
    const folders = path.split('/').slice(1, -1);
    for (let i = 0; i < folders.length; i++) {
      const folder = `/${folders.slice(0, i + 1).join('/')}`;
      assert.equal(uriPartsToAddress(folder, query), undefined, folder);
      assert.equal(isFolderOf(folder, query), true, folder);
    }
    assert.equal(isFolderOf('/elsewhere', query), false);
    assert.equal(uriPartsToAddress('/My Server/t/d b/notes/other.json', query), undefined);
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
