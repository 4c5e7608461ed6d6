import * as assert from 'node:assert/strict';
import { addToHistory, HISTORY_MAX, readHistory, removeFromHistory, specKey } from '../../../../src/query/core/history';
import type { HistoryEntry } from '../../../../src/query/core/history';
import type { QuerySpec } from '../../../../src/query/core/spec';

const spec = (text: string, extra: Partial<QuerySpec> = {}): QuerySpec => ({
  connection: 'local',
  tenant: 'default_tenant',
  database: 'default_database',
  collection: 'notes',
  input: { kind: 'text', text },
  nResults: 10,
  include: ['documents', 'metadatas', 'distances'],
  ...extra,
});
const entry = (text: string, ranAt: number, extra: Partial<QuerySpec> = {}): HistoryEntry => ({ spec: spec(text, extra), ranAt, hits: 3 });

describe('query history (pure)', () => {
  it('newest first; the same query again moves to the top instead of being listed twice', () => {
    let list: HistoryEntry[] = [];
    list = addToHistory(list, entry('a', 1));
    list = addToHistory(list, entry('b', 2));
    list = addToHistory(list, entry('a', 3));
    assert.deepEqual(list.map((e) => [e.spec.input, e.ranAt]), [[{ kind: 'text', text: 'a' }, 3], [{ kind: 'text', text: 'b' }, 2]]);
  });

  it('a different filter, n_results or collection is a different query; include order and key order are not', () => {
    let list = addToHistory([], entry('a', 1));
    list = addToHistory(list, entry('a', 2, { where: { lang: 'en' } }));
    list = addToHistory(list, entry('a', 3, { nResults: 5 }));
    list = addToHistory(list, entry('a', 4, { collection: 'other' }));
    assert.equal(list.length, 4);
    const reordered: QuerySpec = { include: ['distances', 'documents', 'metadatas'], nResults: 10, input: { text: 'a', kind: 'text' }, collection: 'notes', database: 'default_database', tenant: 'default_tenant', connection: 'local' };
    assert.equal(specKey(reordered), specKey(spec('a')));
    assert.equal(addToHistory(list, { spec: reordered, ranAt: 5 }).length, 4);
  });

  it(`keeps at most ${HISTORY_MAX}`, () => {
    let list: HistoryEntry[] = [];
    for (let i = 0; i < 70; i++) {
      list = addToHistory(list, entry(`q${i}`, i));
    }
    assert.equal(list.length, HISTORY_MAX);
    assert.equal(list[0].ranAt, 69);
    assert.equal(list.at(-1)?.ranAt, 70 - HISTORY_MAX);
  });

  it('removes a query', () => {
    const list = [entry('a', 2), entry('b', 1)];
    assert.deepEqual(removeFromHistory(list, spec('a')).map((e) => e.ranAt), [1]);
  });

  it('reads back what it stored, and drops what does not check out (an older format, a hand edit)', () => {
    const good = [entry('a', 2, { where: { n: { $gt: 1 } } }), { spec: spec('v', { input: { kind: 'vector', vector: [0.5, -1] } }), ranAt: 1 }];
    assert.deepEqual(readHistory(JSON.parse(JSON.stringify(good))), good);
    const stored = [
      good[0],
      { spec: { ...spec('x'), input: { kind: 'sql', text: 'x' } }, ranAt: 1 },
      { spec: { ...spec('x'), n_results: 4 }, ranAt: 1 },
      { spec: spec('x'), ranAt: 'yesterday' },
      { spec: { ...spec('x'), tenant: undefined }, ranAt: 1 },
      null,
      'text',
      { spec: spec('y'), ranAt: 7, hits: -1 },
    ];
    const read = readHistory(stored);
    assert.deepEqual(read.map((e) => e.spec.input), [{ kind: 'text', text: 'a' }, { kind: 'text', text: 'y' }]);
    assert.equal(read[1].hits, undefined);
    assert.deepEqual(readHistory({ not: 'a list' }), []);
    assert.deepEqual(readHistory(undefined), []);
  });
});
