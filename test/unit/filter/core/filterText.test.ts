import * as assert from 'node:assert/strict';
import type { Where } from '../../../../src/chroma';
import { checkFilter, formatPath } from '../../../../src/filter/core/check';
import { describeFilter } from '../../../../src/filter/core/describe';
import type { Filter } from '../../../../src/filter/core/filter';
import { filterToText, parseFilterText } from '../../../../src/filter/core/text';

describe('filters: text, paths and descriptions', () => {
  it('reads a bare where clause or the where / where_document form', () => {
    assert.deepEqual(parseFilterText(' {"year": {"$gt": 2020}} '), { filter: { where: { year: { $gt: 2020 } } } });
    assert.deepEqual(parseFilterText('{"where": {"a": 1}, "where_document": {"$contains": "x"}}'), {
      filter: { where: { a: 1 }, whereDocument: { $contains: 'x' } },
    });
    assert.deepEqual(parseFilterText('{"where_document": {"$regex": "x"}, "where": null}'), { filter: { whereDocument: { $regex: 'x' } } });
    // A metadata key named "where" with a plain value is a where clause.
    assert.deepEqual(parseFilterText('{"where": "here"}'), { filter: { where: { where: 'here' } } });
  });

  it('says what is wrong with typed JSON in one line', () => {
    const bad = (t: string) => {
      const r = parseFilterText(t);
      assert.ok('error' in r, t);
      assert.ok(!r.error.includes('\n'));
      return r.error;
    };
    assert.match(bad('{"year": '), /^Not valid JSON: /);
    assert.match(bad(''), /Type a filter as JSON/);
    assert.match(bad('[1]'), /must be a JSON object/);
    assert.equal(bad('{"year": {"$gt": "x"}}'), 'where.year.$gt: needs a number, got "x"');
    assert.match(bad('{"where": {"year": 1}, "where_document": {"$contains": 1}}'), /^where_document\.\$contains: needs a string/);
  });

  it('writes a filter back as text that reads back the same', () => {
    const filters: Filter[] = [
      { where: { year: { $gt: 2020 } } },
      { whereDocument: { $contains: 'x' } },
      { where: { a: 1 }, whereDocument: { $regex: 'y' } },
      { where: { where: { $eq: 1 } } },
    ];
    for (const f of filters) {
      const back = parseFilterText(filterToText(f));
      assert.deepEqual(back, { filter: f }, filterToText(f));
    }
    assert.equal(filterToText({}), '');
    assert.equal(filterToText(undefined), '');
  });

  it('names parts as paths a reader can follow', () => {
    assert.equal(formatPath(['where', '$and', 1, 'year', '$gt']), 'where.$and[1].year.$gt');
    assert.equal(formatPath(['where', 'my key', '$in', 0]), 'where["my key"].$in[0]');
    assert.equal(formatPath(['where', '#document']), 'where.#document');
    assert.equal(formatPath(['where', '']), 'where[""]');
  });

  it('quotes bad values briefly and never as [object Object]', () => {
    const long = 'x'.repeat(500);
    const msg = checkFilter({ where: { year: { $gt: long } } }) ?? '';
    assert.ok(msg.length < 120, msg);
    assert.match(checkFilter({ where: { year: { $gt: { a: { b: 1 } } } } }) ?? '', /got \{"a":\{"b":1\}\}/);
    assert.match(checkFilter({ where: { year: { $eq: Number.NaN } } }) ?? '', /got NaN \(not a JSON number\)/);
    assert.match(checkFilter({ where: { year: { $in: Array.from({ length: 50 }, (_, i) => `v${i}`).concat(['1', 2 as unknown as string]) } } }) ?? '', /\$in\[51\]: needs a string, got 2/);
  });

  it('stays in one piece on filters far deeper or wider than Chroma takes', () => {
    const deep = JSON.parse(`${'{"$and":['.repeat(20_000)}{"a":1}${']}'.repeat(20_000)}`) as Where;
    assert.match(checkFilter({ where: deep }) ?? '', /^where(\.\$and\[0\])+: is nested more than 126 levels deep/);
    assert.ok(describeFilter({ where: deep }).length <= 80);
    assert.ok(filterToText({ where: { a: [[[[[[1]]]]]] } }).length > 0);
    const wide = { $or: Array.from({ length: 100_000 }, (_, i) => ({ [`k${i}`]: { $in: [i, i + 1] } })) };
    assert.equal(checkFilter({ where: wide }), undefined);
    assert.ok(describeFilter({ where: wide }).length <= 80);
    const lists = { a: { $in: Array.from({ length: 100_000 }, (_, i) => (i === 99_999 ? 'x' : i)) } };
    assert.match(checkFilter({ where: lists }) ?? '', /^where\.a\.\$in\[99999\]: needs a number/);
  });

  it('describes filters in one bounded line', () => {
    assert.equal(describeFilter({}), 'no filter');
    assert.equal(describeFilter({ where: { year: { $gt: 2020 } } }), 'year > 2020');
    assert.equal(describeFilter({ where: { name: 'x' } }), 'name = "x"');
    assert.equal(
      describeFilter({ where: { $and: [{ year: { $gte: 2020 } }, { $or: [{ tag: { $in: ['a', 'b'] } }, { ok: { $ne: true } }] }] } }),
      'year ≥ 2020 and (tag in ["a", "b"] or ok ≠ true)',
    );
    assert.equal(describeFilter({ whereDocument: { $contains: 'hello' } }), 'text contains "hello"');
    assert.equal(describeFilter({ where: { a: 1 }, whereDocument: { $or: [{ $regex: 'x+' }, { $not_contains: 'y' }] } }), 'a = 1 and (text matches /x+/ or text lacks "y")');
    assert.equal(describeFilter({ where: { '#document': { $contains: 'z' } } }), 'text contains "z"');
    assert.equal(describeFilter({ where: { $and: [] } }), 'everything');
    const many = { $and: Array.from({ length: 40 }, (_, i) => ({ [`key${i}`]: { $lt: i } })) };
    const d = describeFilter({ where: many });
    assert.ok(d.length <= 80 && d.endsWith('…'), d);
    assert.ok(describeFilter({ where: many }, 30).length <= 30);
    // Something that is not a filter is shown as compact JSON, on one line.
    assert.equal(describeFilter({ where: { a: 1, b: 2 } }), '{"a":1,"b":2}');
    assert.ok(!describeFilter({ where: { 'a\nb': 'c\u202ed' } }).includes('\n'));
  });
});
