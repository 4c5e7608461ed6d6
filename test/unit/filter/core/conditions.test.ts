import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../../../src/chroma';
import { unsupportedFilterPart } from '../../../../src/chroma';
import { buildFilter, conditionsOf, describeCondition, documentOperatorsFor, operatorsFor, parseConditionValue } from '../../../../src/filter/core/conditions';
import type { Condition, DocumentCondition } from '../../../../src/filter/core/conditions';
import { checkFilter } from '../../../../src/filter/core/check';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';

const value = (r: ReturnType<typeof parseConditionValue>) => {
  assert.ok('value' in r, 'error' in r ? r.error : '');
  return r.value;
};
const error = (r: ReturnType<typeof parseConditionValue>) => {
  assert.ok('error' in r, `expected an error, got ${JSON.stringify(r)}`);
  return r.error;
};

describe('filter builder: operators and values', () => {
  it('offers the operators that fit the key\'s values', () => {
    const all = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'];
    assert.deepEqual(operatorsFor(['int']), all);
    assert.deepEqual(operatorsFor(['float']), all);
    assert.deepEqual(operatorsFor(['string']), ['$eq', '$ne', '$in', '$nin']);
    assert.deepEqual(operatorsFor(['bool']), ['$eq', '$ne', '$in', '$nin']);
    assert.deepEqual(operatorsFor(['string[]']), ['$contains', '$not_contains']);
    assert.deepEqual(operatorsFor(['string', 'int']), all);
    assert.deepEqual(operatorsFor([]), all);
  });

  it('offers only what the server takes: $contains on lists from Chroma 1.5, regular expressions from 1.0', () => {
    assert.deepEqual(operatorsFor(['string[]'], '1.5'), ['$contains', '$not_contains']);
    assert.deepEqual(operatorsFor(['string[]'], '1.x'), []);
    assert.deepEqual(operatorsFor(['string[]', 'string'], '0.x'), ['$eq', '$ne', '$in', '$nin']);
    const docs = (g?: '0.x' | '1.x' | '1.5') => documentOperatorsFor(g).map((o) => o.op);
    assert.deepEqual(docs('0.x'), ['$contains', '$not_contains']);
    assert.deepEqual(docs('1.x'), ['$contains', '$not_contains', '$regex', '$not_regex']);
    assert.deepEqual(docs(undefined), docs('1.5'));
    // what the builder makes of one, two and no conditions, on a 0.x server
    const two = buildFilter([{ key: 'y', op: '$gt', value: 1 }, { key: 'k', op: '$eq', value: 'a' }], [{ op: '$contains', text: 'x' }], '$or');
    assert.equal(unsupportedFilterPart(two, '0.x'), undefined);
    assert.equal(unsupportedFilterPart(buildFilter([], [{ op: '$regex', text: 'x' }], '$and'), '0.x'), 'where_document.$regex: it has no regular expressions; use $contains or $not_contains');
  });

  it('reads a typed value as the key\'s kind', () => {
    assert.equal(value(parseConditionValue('2020', 'year', '$gt', ['int'])), 2020);
    assert.equal(value(parseConditionValue(' -0.5 ', 'score', '$lte', ['float'])), -0.5);
    assert.equal(value(parseConditionValue('1e3', 'score', '$eq', ['float'])), 1000);
    assert.equal(value(parseConditionValue(' 12 ', 'title', '$eq', ['string'])), ' 12 ');
    assert.equal(value(parseConditionValue('', 'title', '$eq', ['string'])), '');
    assert.equal(value(parseConditionValue('TRUE', 'ok', '$eq', ['bool'])), true);
    assert.equal(value(parseConditionValue('"12"', 'code', '$eq', ['int', 'string'])), '12');
    // Nothing known about the key: true/false, a number, else text.
    assert.equal(value(parseConditionValue('false', 'k', '$eq', [])), false);
    assert.equal(value(parseConditionValue('42', 'k', '$ne', [])), 42);
    assert.equal(value(parseConditionValue('hello', 'k', '$eq', [])), 'hello');
  });

  it('says what to type when the value does not fit', () => {
    assert.match(error(parseConditionValue('abc', 'year', '$gt', ['int'])), /"abc" is not a number: "year" is compared as a number/);
    assert.match(error(parseConditionValue('abc', 'title', '$gt', ['string'])), /not a number/);
    assert.match(error(parseConditionValue('yes', 'ok', '$eq', ['bool'])), /type true or false/);
    assert.match(error(parseConditionValue('', 'year', '$eq', ['int'])), /Type a value/);
    assert.match(error(parseConditionValue(' , ', 'title', '$in', ['string'])), /one or more values/);
    assert.match(error(parseConditionValue('[1, ', 'title', '$in', ['string'])), /JSON list/);
    assert.match(error(parseConditionValue('1, x', 'year', '$in', ['int'])), /"x" is not a number/);
  });

  it('reads lists for $in / $nin as typed (the client writes a list mixing whole and decimal numbers as decimals)', () => {
    assert.deepEqual(value(parseConditionValue('a, b ,c', 'title', '$in', ['string'])), ['a', 'b', 'c']);
    assert.deepEqual(value(parseConditionValue('["a,b", "c"]', 'title', '$nin', ['string'])), ['a,b', 'c']);
    assert.deepEqual(value(parseConditionValue('2020, 2021', 'year', '$in', ['int'])), [2020, 2021]);
    assert.deepEqual(value(parseConditionValue('1, 2.5, 3', 'score', '$in', ['float'])), [1, 2.5, 3]);
    assert.deepEqual(value(parseConditionValue('true,false', 'ok', '$in', ['bool'])), [true, false]);
  });
});

describe('filter builder: the filters it makes, on a real server', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let col: Collection;

  before(async () => {
    client = clientFor(ctx.server.url);
    col = await client.createCollection({ name: uniqueName('builder') });
    await client.add(col, {
      ids: ['a', 'b', 'c', 'd'],
      embeddings: [
        [1, 0],
        [0, 1],
        [1, 1],
        [0.5, 1],
      ],
      documents: ['alpha report', 'beta notes', 'gamma report', 'delta'],
      metadatas: [
        { year: 2019, kind: 'pdf', score: 0.5, ok: true },
        { year: 2020, kind: 'md', score: 1.5, ok: false },
        { year: 2021, kind: 'pdf', score: 2, ok: true },
        { year: 2022, kind: 'txt', score: 3.25, ok: false },
      ],
    });
  });

  async function ids(conditions: Condition[], documents: DocumentCondition[], combine: '$and' | '$or' = '$and'): Promise<string[]> {
    const filter = buildFilter(conditions, documents, combine);
    assert.equal(checkFilter(filter), undefined);
    const got = await client.get(col, { ...filter, include: [] });
    return [...got.ids].sort();
  }

  it('one condition is the filter itself; several are joined with $and or $or', async () => {
    const year: Condition = { key: 'year', op: '$gte', value: 2021 };
    const kind: Condition = { key: 'kind', op: '$eq', value: 'pdf' };
    assert.deepEqual(buildFilter([year], [], '$and'), { where: { year: { $gte: 2021 } } });
    assert.deepEqual(buildFilter([year, kind], [], '$or'), { where: { $or: [{ year: { $gte: 2021 } }, { kind: { $eq: 'pdf' } }] } });
    assert.deepEqual(await ids([year], []), ['c', 'd']);
    assert.deepEqual(await ids([year, kind], []), ['c']);
    assert.deepEqual(await ids([year, kind], [], '$or'), ['a', 'c', 'd']);
    assert.deepEqual(buildFilter([], [], '$and'), {});
  });

  it('typed values select the records a user expects', async () => {
    // a whole number first: sent as [2.0, 0.5], which every server takes, finding the record whose score is 2
    const scores = value(parseConditionValue('2, 0.5', 'score', '$in', ['float', 'int']));
    assert.deepEqual(scores, [2, 0.5]);
    assert.deepEqual(await ids([{ key: 'score', op: '$in', value: scores }], []), ['a', 'c']);
    assert.deepEqual(await ids([{ key: 'score', op: '$nin', value: scores }], []), ['b', 'd']);
    const ok = value(parseConditionValue('true', 'ok', '$ne', ['bool']));
    assert.deepEqual(await ids([{ key: 'ok', op: '$ne', value: ok }], []), ['b', 'd']);
    const kinds = value(parseConditionValue('md, txt', 'kind', '$nin', ['string']));
    assert.deepEqual(await ids([{ key: 'kind', op: '$nin', value: kinds }], []), ['a', 'c']);
  });

  it('document conditions become where_document, required together with the metadata ones', async () => {
    const report: DocumentCondition = { op: '$contains', text: 'report' };
    const notGamma: DocumentCondition = { op: '$not_regex', text: '^gam' };
    assert.deepEqual(buildFilter([], [report, notGamma], '$and'), { whereDocument: { $and: [{ $contains: 'report' }, { $not_regex: '^gam' }] } });
    assert.deepEqual(await ids([], [report]), ['a', 'c']);
    assert.deepEqual(await ids([], [report, notGamma]), ['a']);
    assert.deepEqual(await ids([{ key: 'year', op: '$gt', value: 2019 }], [report]), ['c']);
    assert.deepEqual(await ids([], [{ op: '$regex', text: '^(beta|delta)' }, { op: '$contains', text: 'alpha' }], '$or'), ['a', 'b', 'd']);
  });

  it('reads its own filters back into conditions, and no other shape', () => {
    const conditions: Condition[] = [
      { key: 'year', op: '$lt', value: 2020 },
      { key: 'kind', op: '$in', value: ['pdf', 'md'] },
    ];
    const documents: DocumentCondition[] = [{ op: '$contains', text: 'x' }];
    for (const combine of ['$and', '$or'] as const) {
      assert.deepEqual(conditionsOf(buildFilter(conditions, documents, combine)), { conditions, documents, combine });
    }
    assert.deepEqual(conditionsOf({ where: { year: 2020 } }), { conditions: [{ key: 'year', op: '$eq', value: 2020 }], documents: [], combine: '$and' });
    assert.equal(conditionsOf({ where: { $and: [{ $or: [{ a: 1 }, { b: 2 }] }, { c: 3 }] } }), undefined);
    assert.equal(conditionsOf({ where: { $and: [{ a: 1 }, { b: 2 }] }, whereDocument: { $or: [{ $contains: 'a' }, { $contains: 'b' }] } }), undefined);
    assert.equal(describeCondition({ key: 'year', op: '$lt', value: 2020 }), 'year < 2020');
    assert.equal(describeCondition({ op: '$regex', text: 'a+' }), 'text matches /a+/');
  });
});
