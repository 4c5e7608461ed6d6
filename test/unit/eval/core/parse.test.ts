import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { baseCaseId, queryHash } from '../../../../src/eval/core/caseId';
import { formatOf, parseEvalSet } from '../../../../src/eval/core/parse';
import type { ParsedSet } from '../../../../src/eval/core/parse';
import { CASE_KEYS, EXPECT_KEYS, SET_KEYS, TARGET_KEYS } from '../../../../src/eval/core/readFields';
import type { Span } from '../../../../src/eval/core/types';
import { addCaseText, formatSet } from '../../../../src/eval/core/writeSet';
import { PROJECT_ROOT } from '../../../support/chromaServer';

const at = (text: string, s: Span) => text.slice(s.start, s.end);
const errors = (p: ParsedSet) => p.problems.filter((x) => x.severity === 'error');
const TARGET = '"target": {"connection": "local", "collection": "docs"}';

describe('evaluation sets: parsing .json (pure)', () => {
  it('reads a set: target defaults (k 10, minRecall 1, name A), cases with every query form and expectation', () => {
    const text = `{
  // comments and trailing commas are fine in .json sets
  "name": "docs retrieval",
  ${TARGET},
  "cases": [
    {"name": "adding", "query": "how do I add records?", "expect": {"ids": ["fact-0006"]}, "tags": ["setup"]},
    {"query": {"text": "where filters"}, "expect": {"sources": ["docs/filters.md", {"source": "./docs/a.md", "startLine": 3, "endLine": 9}]}, "k": 5},
    {"query": {"record": "fact-0001", "excludeSelf": true}, "expect": {"where": {"topic": "basics"}}, "where": {"lang": "en"}},
    {"query": {"vector": [0.5, -1, 2e-3]}, "expect": {"ids": ["a", "b"], "where": {}}},
  ],
}`;
    const p = parseEvalSet(text, 'json');
    assert.deepEqual(errors(p).map((e) => e.message), ['"expect.where" is empty: every record would match. Write the filter a right hit matches, or leave it out.']);
    const set = p.set;
    assert.ok(set);
    assert.equal(set.name, 'docs retrieval');
    assert.equal(set.minRecall, 1);
    assert.equal(set.format, 'json');
    assert.deepEqual({ ...set.target, spans: undefined }, { name: 'A', connection: 'local', collection: 'docs', k: 10, spans: undefined });
    assert.equal(at(text, set.target.spans.collection as Span), '"docs"');
    assert.equal(set.cases.length, 3, 'the case with the empty where is left out');
    assert.equal(p.skipped.length, 1);
    const [a, b, c] = set.cases;
    assert.deepEqual([a.id, a.name, a.query, a.expect, a.tags, a.k], ['adding', 'adding', { kind: 'text', text: 'how do I add records?' }, { ids: ['fact-0006'], sources: [] }, ['setup'], undefined]);
    assert.equal(at(text, a.idSpans[0]), '"fact-0006"');
    assert.ok(at(text, a.span).startsWith('{"name": "adding"'));
    assert.deepEqual(b.expect.sources, [{ source: 'docs/filters.md' }, { source: 'docs/a.md', startLine: 3, endLine: 9 }]);
    assert.equal(b.k, 5);
    assert.equal(b.id, `#${queryHash({ kind: 'text', text: 'where filters' })}`);
    assert.deepEqual(c.query, { kind: 'record', recordId: 'fact-0001', excludeSelf: true });
    assert.equal(at(text, c.recordSpan as Span), '"fact-0001"');
    assert.deepEqual(c.expect.where, { topic: 'basics' });
    assert.deepEqual(c.where, { lang: 'en' });
  });

  it('a compare target takes what it leaves out from the target; its name defaults to B', () => {
    const text = `{"target": {"name": "small", "connection": "local", "database": "db-1", "collection": "docs-500", "where": {"lang": "en"}, "k": 5},
      "compare": {"collection": "docs-1000", "where": {}}, "minRecall": 0.5, "cases": [{"query": "x", "expect": {"ids": ["a"]}}]}`;
    const p = parseEvalSet(text, 'json');
    assert.deepEqual(p.problems, []);
    const { target, compare } = p.set ?? {};
    assert.deepEqual([compare?.name, compare?.connection, compare?.database, compare?.collection, compare?.k, compare?.where], ['B', 'local', 'db-1', 'docs-1000', 5, undefined]);
    assert.deepEqual(target?.where, { lang: 'en' });
    assert.equal(p.set?.minRecall, 0.5);
    assert.equal(at(text, compare?.spans.collection as Span), '"docs-1000"');
    assert.equal(at(text, compare?.spans.connection as Span), '"local"', 'an inherited name points where it is written');
    const same = parseEvalSet(`{${TARGET}, "compare": {"name": "A"}, "cases": []}`, 'json');
    assert.match(errors(same)[0].message, /Both targets are called "A": give "compare" another "name"\./);
    const twin = parseEvalSet(`{${TARGET}, "compare": {}, "cases": []}`, 'json');
    assert.ok(twin.problems.some((x) => x.severity === 'warning' && /"compare" is the same as "target"/.test(x.message)));
  });

  it('problems are underlined where they are, and say what to do', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['{"target": {"collection": "docs"}, "cases": []}', '{', /"target" names no connection: add "connection": "<name>"\./],
      ['{"target": {"connection": "local", "collection": "x"}, "cases": []}', '"x"', /The collection name "x" is invalid/],
      [`{${TARGET}, "minRecall": 0, "cases": []}`, '0', /"minRecall" is the share .* above 0 and at most 1/],
      [`{${TARGET}, "cases": [{"query": "q", "expect": {"ids": ["a"]}, "k": 0}]}`, '0', /"k" is a whole number from 1 to 1,000, not 0\./],
      [`{${TARGET}, "cases": [{"query": "q", "expect": {"ids": ["a"]}, "where": {"year": {"$between": [1, 2]}}}]}`, '{"year": {"$between": [1, 2]}}', /The case's "where": where\.year/],
      [`{${TARGET}, "cases": [{"query": {"text": "a", "record": "b"}, "expect": {"ids": ["a"]}}]}`, '{', /"query" has "text" and "record": a case searches by one of them\./],
      [`{${TARGET}, "cases": [{"query": {"vector": [1, "x"]}, "expect": {"ids": ["a"]}}]}`, '[1, "x"]', /"vector": element 1 of the vector is not a finite number/],
      [`{${TARGET}, "cases": [{"query": "q", "expect": {}}]}`, '{', /"expect" names nothing to find: add "ids"/],
      [`{${TARGET}, "cases": [{"query": "q", "expect": {"sources": [{"source": "a.md", "startLine": 9, "endLine": 3}]}}]}`, '3', /"endLine" \(3\) is before "startLine" \(9\)\./],
      [`{${TARGET}, "cases": [{"query": "q", "expect": {"ids": ["a"]}, "tags": ["two words"]}]}`, '"two words"', /A tag is a word .* \(@tag\)/],
      [`{${TARGET}, "cases": [{"expect": {"ids": ["a"]}}]}`, '{', /This case has nothing to search for/],
      [`{${TARGET}, "cases": [{"query": ""}]}`, '""', /The query text is not empty: write what to search for\./],
      [`{${TARGET}}`, '{', /The set has no "cases"/],
      ['[1]', '[1]', /An evaluation set is an object with "target" and "cases"/],
    ];
    for (const [text, underlined, message] of cases) {
      const p = parseEvalSet(text, 'json');
      const e = errors(p).find((x) => message.test(x.message));
      assert.ok(e, `${text}: ${JSON.stringify(p.problems.map((x) => x.message))}`);
      const start = e.span.start;
      assert.equal(text.slice(start, start + underlined.length), underlined, text);
    }
  });

  it('unknown keys are warnings with a suggestion; syntax errors are reported and the rest still read', () => {
    const text = `{${TARGET}, "cases": [{"query": "q", "expected": {"ids": ["a"]}, "top_k": 3}, {"query": "r" "expect": {"ids": ["b"]}}]}`;
    const p = parseEvalSet(text, 'json');
    const messages = p.problems.map((x) => x.message);
    assert.ok(messages.includes('Unknown key "expected" in the case: did you mean "expect"?'), messages.join('\n'));
    assert.ok(messages.includes('Unknown key "top_k" in the case: did you mean "k"?'));
    assert.ok(p.problems.some((x) => x.kind === 'syntax' && /not valid JSON here \(comma expected\)/.test(x.message)));
    assert.equal(p.set?.cases.length, 1, 'the second case reads despite the missing comma before it');
    assert.equal(p.set?.cases[0].query.kind === 'text' && p.set.cases[0].query.text, 'r');
  });

  it('case ids: the name, else a hash of the query; stable when the case moves or its expectation changes; repeats told apart', () => {
    const one = parseEvalSet(`{${TARGET}, "cases": [{"query": "a", "expect": {"ids": ["x"]}}, {"query": "b", "expect": {"ids": ["y"]}}]}`, 'json').set;
    const moved = parseEvalSet(`{${TARGET}, "cases": [{"query": "b", "expect": {"ids": ["z"]}, "k": 3}, {"query": "a", "expect": {"ids": ["x"]}}]}`, 'json').set;
    assert.deepEqual(one?.cases.map((c) => c.id), [moved?.cases[1].id, moved?.cases[0].id]);
    assert.equal(baseCaseId(undefined, { kind: 'record', recordId: 'r', excludeSelf: true }), baseCaseId(undefined, { kind: 'record', recordId: 'r', excludeSelf: false }));
    assert.notEqual(queryHash({ kind: 'vector', vector: [1, 2] }), queryHash({ kind: 'vector', vector: [2, 1] }));
    const twice = parseEvalSet(`{${TARGET}, "cases": [{"name": "n", "query": "a", "expect": {"ids": ["x"]}}, {"name": "n", "query": "b", "expect": {"ids": ["x"]}}, {"query": "c", "expect": {"ids": ["x"]}}, {"query": "c", "expect": {"ids": ["y"]}}]}`, 'json');
    const ids = twice.set?.cases.map((c) => c.id) ?? [];
    assert.deepEqual(ids.slice(0, 2), ['n', 'n~2']);
    assert.equal(ids[3], `${ids[2]}~2`);
    assert.equal(new Set(ids).size, 4);
    assert.equal(twice.problems.filter((x) => x.severity === 'warning' && /Give (it its own name|the cases names)/.test(x.message)).length, 2);
  });
});

describe('evaluation sets: parsing .jsonl (pure)', () => {
  it('the first non-blank line is the header, then one case per line; spans are offsets into the whole file', () => {
    const lines = [`{"$schema": "../media/schemas/chroma-eval.schema.json", ${TARGET}, "minRecall": 0.5}`, '', '{"query": "first", "expect": {"ids": ["a"]}}', '{"name": "second", "query": "x", "expect": {"ids": ["b"]}}\r', ''];
    const text = lines.join('\n');
    const p = parseEvalSet(text, 'jsonl');
    assert.deepEqual(p.problems, []);
    assert.equal(p.set?.format, 'jsonl');
    assert.equal(p.set?.minRecall, 0.5);
    assert.equal(p.set?.cases.length, 2);
    assert.equal(at(text, p.set?.cases[1].idSpans[0] as Span), '"b"');
    assert.equal(at(text, p.set?.target.spans.connection as Span), '"local"');
    assert.equal(formatOf('evals/docs.chroma-eval.jsonl'), 'jsonl');
    assert.equal(formatOf('evals/docs.chroma-eval.json'), 'json');
  });

  it('a bad line is reported on its line and only that case is left out; "cases" in the header and comments are refused', () => {
    const text = `{${TARGET}, "cases": []}\n{"query": "ok", "expect": {"ids": ["a"]}}\n{"query": "broken", "expect": {"ids": ["b"]}\n// a comment\n{"query": "ok too", "expect": {"ids": ["c"]}}\n`;
    const p = parseEvalSet(text, 'jsonl');
    assert.deepEqual(p.set?.cases.map((c) => c.query.kind === 'text' && c.query.text), ['ok', 'ok too']);
    const syntax = p.problems.filter((x) => x.kind === 'syntax');
    assert.ok(syntax.length >= 2);
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    assert.deepEqual([...new Set(syntax.map((x) => lineOf(x.span.start)))], [3, 4]);
    assert.ok(p.problems.some((x) => x.message === 'In a .jsonl set, cases go on the lines after this header, one per line.'));
    assert.match(parseEvalSet('\n\n', 'jsonl').problems[0].message, /^The file is empty\. A \.jsonl evaluation set starts with a header line/);
  });
});

describe('evaluation sets: the JSON schema agrees with the parser', () => {
  type Json = Record<string, unknown>;
  const read = (rel: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, rel), 'utf8')) as Json;
  const schema = read('media/schemas/chroma-eval.schema.json');
  const filter = read('media/schemas/chroma-filter.schema.json');
  const defs = schema.definitions as Record<string, Json>;
  const keys = (def: string) => Object.keys(defs[def].properties as Json).filter((k) => k !== '$schema').sort();
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addSchema(filter, 'chroma-filter.schema.json');
  ajv.addSchema(schema, 'chroma-eval.schema.json');
  const validSet = ajv.compile({ $ref: 'chroma-eval.schema.json' });
  const validHeader = ajv.compile({ $ref: 'chroma-eval.schema.json#/definitions/header' });
  const validCase = ajv.compile({ $ref: 'chroma-eval.schema.json#/definitions/case' });

  it('lists the keys the parser reads, in each object', () => {
    assert.deepEqual(keys('set'), [...SET_KEYS].sort());
    assert.deepEqual(keys('header'), SET_KEYS.filter((k) => k !== 'cases').sort());
    assert.deepEqual(keys('target'), [...TARGET_KEYS].sort());
    assert.deepEqual(keys('compare'), [...TARGET_KEYS].sort());
    assert.deepEqual(keys('case'), [...CASE_KEYS].sort());
    assert.deepEqual(keys('expect'), [...EXPECT_KEYS].sort());
  });

  it('accepts what the parser reads without an error, and refuses what it refuses', () => {
    const good = [
      { target: { connection: 'local', collection: 'docs' }, cases: [] },
      {
        name: 'n',
        target: { name: 'a', connection: 'local', tenant: 'ten', database: 'db1', collection: 'docs', where: { lang: 'en' }, k: 5 },
        compare: { collection: 'docs-2', where: {} },
        minRecall: 0.5,
        cases: [
          { query: 'q', expect: { ids: ['a'] }, tags: ['x', 'y.z'] },
          { query: { text: 'q' }, expect: { sources: ['a.md', { source: 'b.md', startLine: 2 }] }, k: 3, where: {} },
          { query: { record: 'r', excludeSelf: true }, expect: { where: { topic: 'x' } } },
          { query: { vector: [1, 2.5] }, expect: { ids: ['a'], where: { $and: [{ a: 1 }, { b: { $gt: 2 } }] } } },
        ],
      },
    ];
    const bad = [
      { target: { connection: 'local' }, cases: [] },
      { target: { connection: 'local', collection: 'x' }, cases: [] },
      { target: { connection: 'local', collection: 'docs', k: 0 }, cases: [] },
      { target: { connection: 'local', collection: 'docs' }, minRecall: 0, cases: [] },
      { target: { connection: 'local', collection: 'docs' }, cases: [{ query: 'q', expect: {} }] },
      { target: { connection: 'local', collection: 'docs' }, cases: [{ query: 'q', expect: { where: {} } }] },
      { target: { connection: 'local', collection: 'docs' }, cases: [{ query: { text: 'q', record: 'r' }, expect: { ids: ['a'] } }] },
      { target: { connection: 'local', collection: 'docs' }, cases: [{ query: 'q', expect: { ids: ['a'] }, tags: ['two words'] }] },
      { target: { connection: 'local', collection: 'docs' }, cases: [{ query: 'q', expect: { sources: [{ source: 'a.md', endLine: 3 }] } }] },
      { target: { connection: 'local', collection: 'docs' }, cases: [{ query: 'q', expect: { ids: ['a'] }, where: { year: { $between: [1, 2] } } }] },
    ];
    for (const value of good) {
      const text = JSON.stringify(value);
      assert.ok(validSet(value), `schema refuses ${text}: ${JSON.stringify(validSet.errors)}`);
      assert.deepEqual(errors(parseEvalSet(text, 'json')), [], text);
      const { cases, ...header } = value;
      assert.ok(validHeader(header));
      cases.forEach((c) => assert.ok(validCase(c), JSON.stringify(c)));
      assert.deepEqual(errors(parseEvalSet(formatSet(value as never, 'jsonl'), 'jsonl')), [], 'the same set as .jsonl');
    }
    for (const value of bad) {
      const text = JSON.stringify(value);
      assert.equal(validSet(value), false, `schema takes ${text}`);
      assert.ok(errors(parseEvalSet(text, 'json')).length > 0, `parser takes ${text}`);
    }
  });

  it('has the parser\'s limits', () => {
    assert.equal((defs.k as { maximum: number }).maximum, 1000);
    assert.equal(((defs.set.properties as Json).cases as { maxItems: number }).maxItems, 100_000);
  });
});

describe('evaluation sets: writing (pure)', () => {
  it('a case added to a .json set keeps its comments and indent, and reads back', () => {
    const text = '{\n    // the docs set\n    "target": {"connection": "local", "collection": "docs"},\n    "cases": [\n        {"query": "a", "expect": {"ids": ["x"]}}\n    ]\n}\n';
    const out = addCaseText(text, 'json', { query: 'b', expect: { ids: ['y'] }, tags: ['added'] });
    assert.ok(out);
    assert.ok(out.includes('// the docs set'));
    assert.ok(out.includes('\n        {\n            "query": "b"'), out);
    const p = parseEvalSet(out, 'json');
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.set?.cases.map((c) => c.expect.ids[0]), ['x', 'y']);
    const none = addCaseText(`{${TARGET}}`, 'json', { query: 'b', expect: { ids: ['y'] } });
    assert.deepEqual(parseEvalSet(none ?? '', 'json').set?.cases.length, 1);
    assert.equal(addCaseText('[1, 2]', 'json', { query: 'b', expect: { ids: ['y'] } }), undefined);
    assert.equal(addCaseText('{"cases": 3}', 'json', { query: 'b', expect: { ids: ['y'] } }), undefined);
  });

  it('a case added to a .jsonl set is a new last line', () => {
    const text = `{${TARGET}}\n{"query": "a", "expect": {"ids": ["x"]}}`;
    const out = addCaseText(text, 'jsonl', { query: 'b', expect: { ids: ['y'] } });
    assert.equal(out, `${text}\n{"query":"b","expect":{"ids":["y"]}}\n`);
    assert.equal(parseEvalSet(out ?? '', 'jsonl').set?.cases.length, 2);
  });
});
