import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../../../src/chroma';
import { checkIds, checkNames } from '../../../../src/eval/core/checks';
import { parseEvalSet } from '../../../../src/eval/core/parse';
import type { EvalSet, Span } from '../../../../src/eval/core/types';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';

const at = (text: string, s: Span) => text.slice(s.start, s.end);

describe('evaluation sets: checks for diagnostics', () => {
  it('an unknown connection is an error where it is named; a collection missing from a fetched list a warning (pure)', () => {
    const text = '{"target": {"connection": "lokal", "collection": "docs"}, "compare": {"connection": "local", "collection": "docs-2"}, "cases": []}';
    const set = parseEvalSet(text, 'json').set as EvalSet;
    const problems = checkNames(set, { connections: ['local', 'cloud'], collectionsIn: (t) => (t.connection === 'local' ? ['docs'] : undefined) });
    assert.deepEqual(
      problems.map((p) => [p.severity, at(text, p.span), p.message]),
      [
        ['error', '"lokal"', 'There is no connection named "lokal": use one of "local", "cloud", or add it with "Chroma: Add Connection…".'],
        ['warning', '"docs-2"', '"local" has no collection "docs-2" in its database (yet): check the name, or "database".'],
      ],
    );
    assert.equal(checkNames(set, { connections: [] })[0].message, 'There is no connection named "lokal": add one with "Chroma: Add Connection…".');
    const inherited = parseEvalSet('{"target": {"connection": "gone", "collection": "docs"}, "compare": {"collection": "docs-2"}, "cases": []}', 'json').set as EvalSet;
    assert.equal(checkNames(inherited, { connections: ['local'] }).length, 1, 'a name both targets share is reported once');
  });

  describe('record ids, asked of the collection (real server)', () => {
    const ctx = useChromaServer();
    let client: ChromaClient;
    let collection: Collection;
    before(async () => {
      client = clientFor(ctx.server.url);
      collection = await client.createCollection({ name: uniqueName('eval-ids') });
      await client.add(collection, { ids: ['a', 'b'], embeddings: [[1, 0], [0, 1]] });
    });

    it('flags each place that names an id the collection lacks: expected ids and query records', async () => {
      const text = `{"target": {"connection": "local", "collection": "${collection.name}"}, "cases": [
        {"query": "x", "expect": {"ids": ["a", "missing"]}},
        {"query": {"record": "gone"}, "expect": {"ids": ["b", "missing"]}}]}`;
      const set = parseEvalSet(text, 'json').set as EvalSet;
      const problems = await checkIds(client, collection, set);
      assert.deepEqual(
        problems.map((p) => [p.severity, at(text, p.span), p.message]),
        [
          ['warning', '"missing"', `"${collection.name}" has no record "missing": this case can never find it.`],
          ['warning', '"missing"', `"${collection.name}" has no record "missing": this case can never find it.`],
          ['warning', '"gone"', `"${collection.name}" has no record "gone" to query with: this case cannot run.`],
        ],
      );
      assert.notEqual(problems[0].span.start, problems[1].span.start);
    });

    it('reads ids in gets of at most 1,000', async () => {
      const ids = Array.from({ length: 2500 }, (_, i) => `id-${i}`);
      const sent: number[] = [];
      const counting = clientFor(ctx.server.url, { onRequest: (r) => (r.path.endsWith('/get') ? sent.push(1) : undefined) });
      const text = `{"target": {"connection": "local", "collection": "${collection.name}"}, "cases": [{"query": "x", "expect": {"ids": ${JSON.stringify(ids)}}}]}`;
      const problems = await checkIds(counting, collection, parseEvalSet(text, 'json').set as EvalSet);
      assert.equal(problems.length, 2500);
      assert.equal(sent.length, 3);
    });
  });
});
