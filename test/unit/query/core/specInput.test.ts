import * as assert from 'node:assert/strict';
import { completeSpec, MAX_N_RESULTS, parseQuerySpecs, parseVector } from '../../../../src/query/core/specInput';

const base = { connection: 'local', collection: 'notes', input: { kind: 'text', text: 'where are embeddings stored' } };
const error = (v: unknown): string => {
  const r = parseQuerySpecs(v);
  assert.ok('error' in r, `accepted ${JSON.stringify(v)}`);
  return r.error;
};

describe('query arguments (pure): what chroma.runQuerySpec accepts', () => {
  it('a query or a list of them; tenant, database, n_results and include are filled in', () => {
    const r = parseQuerySpecs(base);
    assert.ok('specs' in r);
    assert.deepEqual(completeSpec(r.specs[0], { tenant: 't', database: 'd', nResults: 7 }), {
      connection: 'local',
      tenant: 't',
      database: 'd',
      collection: 'notes',
      input: { kind: 'text', text: 'where are embeddings stored' },
      nResults: 7,
      include: ['documents', 'metadatas', 'distances'],
    });
    const full = { ...base, tenant: 'x', database: 'y', nResults: 3, where: { lang: 'en' }, whereDocument: { $contains: 'a' }, include: ['documents', 'embeddings', 'documents'] };
    const list = parseQuerySpecs([full, { ...base, input: { kind: 'record', recordId: 'a.md#0' } }, { ...base, input: { kind: 'vector', vector: [1, 0, -0.5] } }]);
    assert.ok('specs' in list);
    assert.equal(list.specs.length, 3);
    assert.deepEqual(completeSpec(list.specs[0], { tenant: 't', database: 'd', nResults: 7 }), { ...full, include: ['documents', 'embeddings'] });
  });

  it('says what is wrong, where, and that nothing was sent', () => {
    assert.equal(error(undefined), 'the query must be an object with connection, collection and input (got undefined). Nothing was sent.');
    assert.match(error({ ...base, n_results: 5 }), /^the query has an unknown key "n_results": write "nResults" \(known: .*\)\. Nothing was sent\.$/);
    assert.match(error({ ...base, connection: '' }), /^the query\.connection must be a non-empty string/);
    assert.match(error({ ...base, input: { kind: 'sql' } }), /^the query\.input\.kind must be "text", "record" or "vector" \(got "sql"\)/);
    assert.match(error({ ...base, input: { kind: 'text', text: '  ' } }), /input\.text must be a non-empty string/);
    assert.match(error({ ...base, input: { kind: 'vector', vector: [1, 'x'] } }), /input\.vector: element 1 of the vector is not a finite number \(got "x"\)/);
    assert.match(error({ ...base, input: { kind: 'vector', vector: [] } }), /input\.vector: a vector has 1 to 65,536 numbers \(got 0\)/);
    assert.match(error({ ...base, nResults: 0 }), new RegExp(`nResults must be a whole number from 1 to ${MAX_N_RESULTS} \\(got number\\)`));
    assert.match(error({ ...base, nResults: 2.5 }), /nResults must be a whole number/);
    assert.match(error({ ...base, where: [] }), /the query\.where must be an object \(got a list\)/);
    assert.match(error({ ...base, include: ['documents', 'everything'] }), /include must be a list of "documents", "metadatas", "embeddings", "uris", "distances"/);
    assert.match(error([base, { ...base, collection: 5 }]), /^query 2\.collection must be a non-empty string \(got number\)/);
    assert.match(error([]), /^Give 1 to 50 queries \(got 0\)\.$/);
    assert.match(error(Array.from({ length: 51 }, () => base)), /got 51/);
  });

  it('a pasted vector: JSON numbers of the collection\'s dimension', () => {
    assert.deepEqual(parseVector(' [0.5, -1, 2e-3] ', 3), { vector: [0.5, -1, 0.002] });
    assert.deepEqual(parseVector('[1, 2]', null), { vector: [1, 2] });
    assert.deepEqual(parseVector('[1, 2]', 3), { error: 'The vector has 2 dimensions, but the collection holds 3-dimensional embeddings.' });
    assert.deepEqual(parseVector('1, 2, 3'), { error: 'This is not JSON: paste an array of numbers, e.g. [0.12, -0.5, …].' });
    assert.deepEqual(parseVector('{"a": 1}'), { error: 'A vector is a JSON array of numbers (got object).' });
    assert.deepEqual(parseVector('[1, null]'), { error: 'Element 1 of the vector is not a finite number (got null).' });
    assert.deepEqual(parseVector(''), { error: 'Paste a JSON array of numbers, e.g. [0.12, -0.5, …].' });
  });
});
