import * as assert from 'node:assert/strict';
import { evalCompletionSite } from '../../../../src/eval/core/completion';

/** The site at the `|` in `marked`. */
const site = (marked: string, format: 'json' | 'jsonl' = 'json') => evalCompletionSite(marked.replace('|', ''), marked.indexOf('|'), format);
const span = (marked: string, what: string) => {
  const text = marked.replace('|', '');
  const start = text.indexOf(what, marked.indexOf('|') - what.length);
  return { start, end: start + what.length };
};

describe('evaluation sets: completion sites (pure)', () => {
  it('connection names in a target\'s "connection", replacing the string being typed', () => {
    const typed = '{"target": {"connection": "lo|"}}';
    assert.deepEqual(site(typed), { kind: 'connection', replace: span(typed, '"lo"') });
    assert.deepEqual(site('{"target": {"connection": |}}'), { kind: 'connection', replace: { start: 26, end: 26 } });
    assert.equal(site('{"compare": {"connection": "|"}}')?.kind, 'connection');
    assert.equal(site('{"cases": [{"connection": "|"}]}'), undefined, 'a case names no connection');
  });

  it('collection names of the target\'s connection and database; "compare" takes what it leaves out from "target"', () => {
    const typed = '{"target": {"connection": "local", "database": "db-2", "collection": "|"}}';
    assert.deepEqual(site(typed), { kind: 'collection', replace: span(typed, '""'), connection: 'local', tenant: undefined, database: 'db-2' });
    const compare = site('{"target": {"connection": "local", "database": "db-2", "collection": "a"}, "compare": {"database": "db-3", "collection": "|"}}');
    assert.deepEqual(compare?.kind === 'collection' && [compare.connection, compare.database], ['local', 'db-3']);
    assert.equal(site('{"target": {"collection": "|"}}'), undefined, 'no connection: nothing to list');
  });

  it('metadata keys in the target\'s, a case\'s and an expectation\'s where, at the top and inside $and / $or', () => {
    const head = '{"target": {"connection": "local", "collection": "docs"';
    const top = site(`${head}, "where": {|}}}`);
    assert.deepEqual(top, { kind: 'metadataKey', replace: { start: head.length + 12, end: head.length + 12 }, needsColon: true, connection: 'local', tenant: undefined, database: undefined, collection: 'docs' });
    const typed = `${head}}, "cases": [{"query": "q", "expect": {"where": {"$or": [{"a": 1}, {"to|": 1}]}}}]}`;
    const inCase = site(typed);
    assert.equal(inCase?.kind, 'metadataKey');
    assert.deepEqual(inCase?.replace, span(typed, '"to"'));
    assert.equal(inCase?.kind === 'metadataKey' && inCase.needsColon, false);
    assert.equal(site(`${head}}, "cases": [{"query": "q", "where": {|}}]}`)?.kind, 'metadataKey');
    // not in an operator's object, nor in a value, nor in "expect" itself
    assert.equal(site(`${head}, "where": {"year": {|}}}}`), undefined);
    assert.equal(site(`${head}, "where": {"year": |}}}`), undefined);
    assert.equal(site(`${head}}, "cases": [{"query": "q", "expect": {|}}]}`), undefined);
  });

  it('.jsonl: the line under the cursor, with the header line for the target; spans in the whole text', () => {
    const text = '\n{"target": {"connection": "local", "collection": "docs"}}\n{"query": "a", "expect": {"ids": ["x"]}}\n{"query": "b", "where": {"|"}}\n';
    const got = site(text, 'jsonl');
    assert.equal(got?.kind, 'metadataKey');
    assert.deepEqual(got?.kind === 'metadataKey' && [got.collection, got.replace], ['docs', span(text, '""')]);
    assert.equal(site('{"target": {"connection": "local", "collection": "|"}}\n{"query": "a"}', 'jsonl')?.kind, 'collection');
    assert.equal(site('{"target": {"connection": "local", "collection": "docs"}}\n{"target": {"connection": "|"}}', 'jsonl'), undefined, 'a case line has no target');
  });
});
