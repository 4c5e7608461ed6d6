import * as assert from 'node:assert/strict';
import {
  ShapeMismatch,
  collectionShape,
  countShape,
  databaseShape,
  getResultShape,
  identityShape,
  listShape,
  preflightShape,
  queryResultShape,
  versionShape,
} from '../../../src/chroma/shapes';

const scope = { tenant: 'default_tenant', database: 'default_database' };

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ShapeMismatch && pattern.test(e.message));
}

describe('response shapes (pure)', () => {
  it('counts are whole numbers ≥ 0; 1e400 (Infinity after parsing) is not one', () => {
    assert.equal(countShape(12), 12);
    refused(() => countShape('12 records'), /^expected a whole number ≥ 0, got a string$/);
    refused(() => countShape(1.5), /got a number/);
    refused(() => countShape(JSON.parse('1e400')), /got Infinity/);
    refused(() => countShape(null), /got null/);
  });

  it('version: a short string', () => {
    assert.equal(versionShape('1.0.0'), '1.0.0');
    refused(() => versionShape(1), /short version string/);
    refused(() => versionShape('v'.repeat(65)), /short version string/);
  });

  it('pre-flight: max_batch_size ≥ 1, base64 support a boolean when present, other keys kept', () => {
    assert.deepEqual(preflightShape({ max_batch_size: 5461, supports_base64_encoding: true, extra: 1 }), { max_batch_size: 5461, supports_base64_encoding: true, extra: 1 });
    assert.deepEqual(preflightShape({ max_batch_size: 41_666 }), { max_batch_size: 41_666 });
    refused(() => preflightShape({ max_batch_size: '5461' }), /max_batch_size/);
    refused(() => preflightShape({ max_batch_size: 1, supports_base64_encoding: 'yes' }), /supports_base64_encoding: expected true or false/);
  });

  it('identity: tenant required; databases and user_id may be missing', () => {
    assert.deepEqual(identityShape({ tenant: 't' }), { tenant: 't', user_id: '', databases: [] });
    refused(() => identityShape({ tenant: 't', databases: [1] }), /databases\[0\]: expected a non-empty string, got a number/);
    // Names go back into request paths: a 100 KB one once made every later request fail.
    refused(() => identityShape({ tenant: 't', databases: ['x'.repeat(100_000)] }), /databases\[0\]: expected a name of at most 1024 characters, got 100000/);
    refused(() => identityShape([]), /expected an object, got an array/);
  });

  it('databases: tenant filled in when missing; lists bounded by the limit asked for', () => {
    assert.deepEqual(databaseShape('acme')({ id: 'i', name: 'docs' }), { id: 'i', name: 'docs', tenant: 'acme' });
    const list = listShape((at) => databaseShape('acme', at), 1);
    refused(() => list([{ id: 'a', name: 'x' }, { id: 'b', name: 'y' }]), /at most 1 items/);
    refused(() => listShape((at) => databaseShape('acme', at))([{ id: 'a', name: '' }]), /\[0\]\.name: expected a non-empty string/);
  });

  describe('collections', () => {
    const full = {
      id: 'c',
      name: 'docs',
      metadata: { a: 1, b: 'x', c: true },
      dimension: 3,
      configuration_json: { hnsw: {} },
      tenant: 't',
      database: 'd',
      log_position: 0,
      version: 1,
    };

    it('1.x collections pass as they are, with fields of newer servers kept', () => {
      assert.deepEqual(collectionShape(scope)({ ...full, schema: { keys: {} }, resource_name: 'r' }), { ...full, schema: { keys: {} }, resource_name: 'r' });
    });

    it('0.6-style collections (no configuration_json, log_position, version, tenant, database) are filled in', () => {
      const c = collectionShape(scope)({ id: 'c', name: 'docs', metadata: null });
      assert.equal(c.dimension, null);
      assert.equal(c.configuration_json, null);
      assert.equal(c.tenant, 'default_tenant');
      assert.equal(c.log_position, undefined);
    });

    it('wrong types are refused, with where', () => {
      refused(() => collectionShape(scope)({ ...full, id: 3 }), /^id: expected a non-empty string, got a number$/);
      refused(() => collectionShape(scope)({ ...full, metadata: [] }), /metadata: expected an object of key\/value pairs, got an array/);
      refused(() => collectionShape(scope)({ ...full, metadata: { k: { x: 1 } } }), /metadata\.k: expected a string, number, boolean or null/);
      refused(() => collectionShape(scope)({ ...full, metadata: { k: [[1]] } }), /metadata\.k\[0\]: expected a string, number or boolean, got an array/);
      refused(() => collectionShape(scope)({ ...full, dimension: 1.5 }), /dimension/);
      refused(() => collectionShape(scope)({ ...full, configuration_json: 'x' }), /configuration_json: expected an object/);
      refused(() => collectionShape(scope)({ ...full, tenant: 5 }), /tenant: expected a non-empty string/);
      refused(() => collectionShape(scope)({ ...full, name: 'n'.repeat(2000) }), /name: expected a name of at most 1024 characters/);
      refused(() => collectionShape(scope, '[4]')({ ...full, name: null }), /^\[4\]\.name:/);
    });

    it('metadata values of newer servers (arrays of scalars, sparse vectors) pass', () => {
      const metadata = { tags: ['a', 'b'], flags: [true], nums: [1, 2.5], sv: { indices: [1, 2], values: [0.5, 0.25], tokens: ['a', 'b'] } };
      assert.deepEqual(collectionShape(scope)({ ...full, metadata }).metadata, metadata);
    });
  });

  describe('get results', () => {
    it('take ids and per-record arrays of the same length; null or missing fields become null', () => {
      const r = getResultShape()({ ids: ['a', 'b'], documents: ['x', null], metadatas: [{ k: 1 }, null], include: ['documents', 'metadatas'] });
      assert.deepEqual(r.ids, ['a', 'b']);
      assert.equal(r.embeddings, null);
      assert.equal(r.uris, null);
      assert.deepEqual(r.include, ['documents', 'metadatas']);
    });

    it('refuse ids that are not unique, empty, or not strings', () => {
      refused(() => getResultShape()({ ids: ['a', 'a'] }), /unique/);
      refused(() => getResultShape()({ ids: [''] }), /ids\[0\]: expected a non-empty id/);
      refused(() => getResultShape()({ ids: [1] }), /ids\[0\]: expected a string, got a number/);
      refused(() => getResultShape()({}), /ids: expected an array of strings, got nothing/);
    });

    it('refuse per-record arrays of another length and items of a wrong type', () => {
      refused(() => getResultShape()({ ids: ['a'], documents: ['x', 'y'] }), /documents: expected 1 entries \(one per id\), got 2/);
      refused(() => getResultShape()({ ids: ['a'], uris: [5] }), /uris\[0\]: expected a string, got a number/);
      refused(() => getResultShape()({ ids: ['a'], metadatas: ['m'] }), /metadatas\[0\]: expected an object of key\/value pairs, got a string/);
      refused(() => getResultShape()({ ids: ['a'], include: 'documents' }), /include: expected an array of strings/);
    });

    it('decode base64 embeddings; refuse bad base64, partial floats, NaN and mixed dimensions', () => {
      const b64 = (v: number[]) => Buffer.from(new Float32Array(v).buffer).toString('base64');
      assert.deepEqual(getResultShape()({ ids: ['a', 'b'], embeddings: [b64([1, 2]), [3, 4]] }).embeddings, [[1, 2], [3, 4]]);
      refused(() => getResultShape()({ ids: ['a'], embeddings: ['@@@@'] }), /not base64/);
      refused(() => getResultShape()({ ids: ['a'], embeddings: ['AAAA'] }), /got 3 bytes/);
      refused(() => getResultShape()({ ids: ['a'], embeddings: [b64([Number.NaN])] }), /embeddings\[0\]\[0\]: expected a finite number, got NaN/);
      refused(() => getResultShape()({ ids: ['a', 'b'], embeddings: [[1], [1, 2]] }), /one dimension/);
    });

    it('refuse more records than the limit asked for', () => {
      refused(() => getResultShape({ limit: 1 })({ ids: ['a', 'b'] }), /at most 1 records/);
      assert.deepEqual(getResultShape({ limit: 0 })({ ids: [] }).ids, []);
    });
  });

  describe('query results', () => {
    const shape = queryResultShape({ queries: 2, nResults: 3 });

    it('take one list per query, each field as long as that query\'s ids', () => {
      const r = shape({ ids: [['a', 'b'], []], distances: [[0.1, null], []], documents: [['x', null], []], include: ['distances', 'documents'] });
      assert.deepEqual(r.distances, [[0.1, null], []]);
      assert.equal(r.metadatas, null);
    });

    it('refuse a wrong number of lists, rows longer than nResults, lengths that disagree, non-number distances', () => {
      refused(() => shape({ ids: [['a']] }), /ids: expected 2 lists \(one per query\), got 1/);
      refused(() => shape({ ids: [['a', 'b', 'c', 'd'], []] }), /ids\[0\]: expected at most 3 results, got 4/);
      refused(() => shape({ ids: [['a'], ['b']], distances: [[0.1, 0.2], [0.3]] }), /distances\[0\]: expected 1 entries/);
      refused(() => shape({ ids: [['a'], ['b']], distances: [[0.1], null] }), /distances\[1\]: expected an array, got null/);
      refused(() => shape({ ids: [['a'], ['b']], distances: [['near'], [1]] }), /distances\[0\]\[0\]: expected a number or null, got a string/);
      refused(() => shape({ ids: 'a' }), /ids: expected an array of arrays of ids/);
      refused(() => shape({ ids: [['a'], ['a', 'a']] }), /ids\[1\]: expected unique ids/);
    });
  });
});
