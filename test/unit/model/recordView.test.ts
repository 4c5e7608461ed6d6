import * as assert from 'node:assert/strict';
import type { Collection } from '../../../src/chroma';
import { addressToUriParts, formatRecord, preview, summarizeEmbedding, uriPartsToAddress } from '../../../src/model/recordView';

const collection: Collection = {
  id: '11111111-2222-3333-4444-555555555555',
  name: 'notes',
  metadata: null,
  dimension: 3,
  tenant: 'default_tenant',
  database: 'default_database',
  configuration_json: { hnsw: { space: 'cosine' }, embedding_function: { type: 'known', name: 'default', config: {} } },
};

describe('record views (pure)', () => {
  it('chroma: addresses round-trip ids with slashes, #, spaces, unicode and dots', () => {
    for (const recordId of ['docs/a.md#3', 'with space', 'ünï/cödé?x=1&y', '..', 'plain', 'a%2Fb']) {
      const a = { connection: 'My Server', tenant: 't', database: 'd b', collectionId: collection.id, collectionName: 'notes', recordId };
      const { path, query } = addressToUriParts(a);
      assert.ok(path.endsWith('.md'));
      assert.deepEqual(uriPartsToAddress(path, query), a);
    }
    const col = { connection: 'c', tenant: 't', database: 'd', collectionId: 'x', collectionName: 'n' };
    const parts = addressToUriParts(col);
    assert.deepEqual(uriPartsToAddress(parts.path, parts.query), { ...col, recordId: undefined });
    assert.equal(uriPartsToAddress('/only/two.md', ''), undefined);
  });

  it('previews are one line and bounded', () => {
    assert.equal(preview('a\n\n  b\tc'), 'a b c');
    assert.equal(preview('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
    assert.equal(preview(null), '');
  });

  it('summarises an embedding: dimension, norm, first values', () => {
    const s = summarizeEmbedding([3, 4, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(s.dimension, 10);
    assert.ok(Math.abs(s.norm - Math.sqrt(26)) < 1e-12);
    assert.deepEqual(s.first, [3, 4, 0, 0, 0, 0, 0, 0]);
  });

  it('formats a record with its document, metadata and embedding summary', () => {
    const text = formatRecord(
      collection,
      { ids: ['r1'], documents: ['hello ``` world'], metadatas: [{ source: 'a.md', line: 3 }], embeddings: [[0.6, 0.8, 0]], uris: [null], include: [] },
      'r1',
    );
    assert.match(text, /^# r1/);
    assert.match(text, /````\nhello ``` world\n````/);
    assert.match(text, /"source": "a.md"/);
    assert.match(text, /dimension: 3/);
    assert.match(text, /norm: 1\.000000/);
    assert.match(formatRecord(collection, { ids: [], documents: [], metadatas: [], embeddings: [], uris: [], include: [] }, 'gone'), /not in collection `notes` any more/);
  });
});
