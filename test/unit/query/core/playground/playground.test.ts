import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient, collectionNameProblem } from '../../../../../src/chroma';
import { completionSite, INCLUDE_VALUES, parsePlayground, QUERY_KEYS, starterPlayground } from '../../../../../src/query/core/playground';
import type { PlaygroundContext, PlaygroundFile, Span } from '../../../../../src/query/core/playground';
import { runQuery } from '../../../../../src/query/core/run';
import { MAX_N_RESULTS } from '../../../../../src/query/core/specInput';
import { PROJECT_ROOT } from '../../../../support/chromaServer';
import { fastEmbedder } from '../../../../support/fastEmbedder';
import { uniqueName, useChromaServer } from '../../../../support/fixtures';

const CTX: PlaygroundContext = {
  connections: [{ name: 'local' }, { name: 'cloud', tenant: 'acme', database: 'prod' }],
  nResults: 7,
};

/** The text a span covers. */
const at = (text: string, s: Span) => text.slice(s.start, s.end);
const errors = (f: PlaygroundFile) => f.problems.filter((p) => p.severity === 'error');

describe('playground files: parsing (pure)', () => {
  it('reads one query with the defaults filled in: scope, nResults and include', () => {
    const text = '{\n  "connection": "local",\n  "collection": "docs",\n  "query": "how do filters work"\n}\n';
    const f = parsePlayground(text, CTX);
    assert.deepEqual(f.problems, []);
    assert.equal(f.isList, false);
    assert.equal(f.queries.length, 1);
    assert.deepEqual(f.queries[0].spec, {
      connection: 'local',
      tenant: 'default_tenant',
      database: 'default_database',
      collection: 'docs',
      input: { kind: 'text', text: 'how do filters work' },
      nResults: 7,
      include: ['documents', 'metadatas', 'distances'],
    });
    assert.equal(at(text, f.queries[0].span), text.trim());
    assert.deepEqual(f.connections, ['local']);
  });

  it('takes the scope from the file, else the connection, else what its server said, else the defaults', () => {
    const q = (extra: string, conn = 'local') => `{"connection": "${conn}", "collection": "docs", "query": "x"${extra}}`;
    assert.deepEqual(
      [parsePlayground(q(', "tenant": "t-1", "database": "db-1"'), CTX).queries[0].spec].map((s) => [s?.tenant, s?.database]),
      [['t-1', 'db-1']],
    );
    const cloud = parsePlayground(q('', 'cloud'), CTX).queries[0].spec;
    assert.deepEqual([cloud?.tenant, cloud?.database], ['acme', 'prod']);
    const identity = parsePlayground(q(''), { ...CTX, scopeOf: (c) => (c === 'local' ? { tenant: 'me', database: 'mine' } : undefined) }).queries[0].spec;
    assert.deepEqual([identity?.tenant, identity?.database], ['me', 'mine']);
    // a database named in the file wins over the connection's own
    const mixed = parsePlayground(q(', "database": "staging"', 'cloud'), CTX).queries[0].spec;
    assert.deepEqual([mixed?.tenant, mixed?.database], ['acme', 'staging']);
  });

  it('reads every way to query: text, {"text"}, {"vector"} and {"similarTo"}', () => {
    const inputs = ['"plain"', '{"text": "wrapped"}', '{"vector": [0.5, -1, 2e-3]}', '{"similarTo": "README.md#3"}'].map(
      (query) => parsePlayground(`{"connection": "local", "collection": "docs", "query": ${query}}`, CTX).queries[0].spec?.input,
    );
    assert.deepEqual(inputs, [
      { kind: 'text', text: 'plain' },
      { kind: 'text', text: 'wrapped' },
      { kind: 'vector', vector: [0.5, -1, 0.002] },
      { kind: 'record', recordId: 'README.md#3' },
    ]);
  });

  it('reads a list with shared defaults, each query with its own span; a key a query sets replaces the default', () => {
    const text = `{
  "connection": "local",
  "collection": "docs",
  "nResults": 3,
  "where": {"lang": "en"},
  "queries": [
    {"query": "first"},
    {"query": "second", "collection": "notes", "nResults": 20, "where": {}},
    {"query": "third", "include": ["documents", "embeddings"]}
  ]
}`;
    const f = parsePlayground(text, CTX);
    assert.deepEqual(f.problems, []);
    assert.equal(f.isList, true);
    assert.deepEqual(
      f.queries.map((q) => at(text, q.span)),
      ['{"query": "first"}', '{"query": "second", "collection": "notes", "nResults": 20, "where": {}}', '{"query": "third", "include": ["documents", "embeddings"]}'],
    );
    const [a, b, c] = f.queries.map((q) => q.spec);
    assert.deepEqual([a?.collection, a?.nResults, a?.where], ['docs', 3, { lang: 'en' }]);
    // an empty filter clears the default: nothing is sent
    assert.deepEqual([b?.collection, b?.nResults, b?.where], ['notes', 20, undefined]);
    assert.ok(!('where' in (b ?? {})));
    assert.deepEqual(c?.include, ['documents', 'embeddings']);
  });

  it('reads a top-level array of queries', () => {
    const text = '[{"connection": "local", "collection": "docs", "query": "a"}, {"connection": "cloud", "collection": "kb-1", "query": "b"}]';
    const f = parsePlayground(text, CTX);
    assert.deepEqual(f.problems, []);
    assert.equal(f.isList, true);
    assert.deepEqual(
      f.queries.map((q) => [q.spec?.connection, q.spec?.collection, q.spec?.tenant]),
      [
        ['local', 'docs', 'default_tenant'],
        ['cloud', 'kb-1', 'acme'],
      ],
    );
  });

  it('an unknown connection is an error on its name, listing the connections there are; nothing runs', () => {
    const text = '{"connection": "prod-typo", "collection": "docs", "query": "x"}';
    const f = parsePlayground(text, CTX);
    assert.equal(f.queries[0].spec, undefined);
    assert.equal(f.queries[0].errors, 1);
    const [p] = errors(f);
    assert.equal(at(text, p.span), '"prod-typo"');
    assert.match(p.message, /no connection named "prod-typo": use one of "local", "cloud", or add it with "Chroma: Add Connection…"/);
    const none = parsePlayground(text, { ...CTX, connections: [] });
    assert.match(errors(none)[0].message, /nor any other: add one with "Chroma: Add Connection…"/);
  });

  it('a missing collection or query is an error at the query\'s opening brace', () => {
    const text = '{"connection": "local"}';
    const f = parsePlayground(text, CTX);
    const messages = errors(f).map((p) => [at(text, p.span), p.message]);
    assert.equal(messages.length, 2);
    assert.deepEqual(messages[0], ['{', 'This query names no collection: add "collection": "<name>".']);
    assert.match(messages[1][1], /nothing to search for: add "query"/);
    assert.equal(f.queries[0].spec, undefined);
    // in a list, the message says the top of the file may name it
    const list = parsePlayground('{"collection": "docs", "queries": [{"query": "x"}]}', CTX);
    assert.match(errors(list)[0].message, /names no connection: add "connection": "<name>" \(in this query or at the top of the file\)/);
  });

  it('a bad default is reported once, where it is, and keeps every query that uses it from running', () => {
    const text = '{"connection": "nope", "collection": "docs", "queries": [{"query": "a"}, {"query": "b"}, {"query": "c", "connection": "local"}]}';
    const f = parsePlayground(text, CTX);
    assert.equal(errors(f).length, 1);
    assert.equal(at(text, errors(f)[0].span), '"nope"');
    assert.deepEqual(
      f.queries.map((q) => [q.spec?.connection, q.errors]),
      [
        [undefined, 1],
        [undefined, 1],
        ['local', 0],
      ],
    );
  });

  it('bad nResults, vectors, include and collection names are errors on the value at fault', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['"nResults": 0', '0', /"nResults" is a whole number from 1 to 1000, not 0/],
      ['"nResults": 2.5', '2.5', /not 2\.5/],
      ['"nResults": "10"', '"10"', /not a string/],
      ['"query": {"vector": [1, "two", 3]}', '"two"', /Element 1 of the vector is a string: a vector holds numbers only/],
      ['"query": {"vector": []}', '[]', /The vector has 0 numbers: give as many as the collection has dimensions/],
      ['"query": [0.1, 0.2]', '[0.1, 0.2]', /A vector goes in \{"vector": \[\.\.\.\]\}/],
      ['"query": {"text": "a", "vector": [1]}', '"vector"', /has "text" already/],
      ['"query": {"similar_to": "id-1"}', '"similar_to"', /did you mean "similarTo"\?/],
      ['"query": "   "', '"   "', /The query text is empty/],
      ['"include": ["documents", "distance"]', '"distance"', /"include" takes "documents", "metadatas", "distances", "embeddings", "uris", not "distance"/],
      ['"collection": "a b"', '"a b"', /The collection name "a b" is invalid: it may only contain/],
      ['"where": [1]', '[1]', /"where" is a filter object/],
    ];
    for (const [part, bad, message] of cases) {
      const base: Record<string, string> = { connection: '"local"', collection: '"docs"', query: '"x"' };
      const key = /^"(\w+)"/.exec(part)![1];
      delete base[key];
      const text = `{${[...Object.entries(base).map(([k, v]) => `"${k}": ${v}`), part].join(', ')}}`;
      const f = parsePlayground(text, CTX);
      const errs = errors(f);
      assert.equal(errs.length, 1, `${part}: ${JSON.stringify(errs)}`);
      assert.equal(at(text, errs[0].span), bad, part);
      assert.match(errs[0].message, message, part);
      assert.equal(f.queries[0].spec, undefined, part);
    }
  });

  it('a filter that fails the grammar is an error at the part it names, and the query does not run', () => {
    const text = '{"connection": "local", "collection": "docs", "query": "x", "where": {"$and": [{"year": {"$gte": 2020}}, {"year": {"$gtx": 1}}]}}';
    const f = parsePlayground(text, CTX);
    assert.equal(f.queries[0].spec, undefined);
    const [p] = errors(f);
    assert.ok(p, 'an error for the filter');
    // the span is inside the filter, never elsewhere in the file
    const filterStart = text.indexOf('{"$and"');
    assert.ok(p.span.start >= filterStart && p.span.end <= text.length - 1, at(text, p.span));
    assert.equal(at(text, p.span), '"$gtx": 1');
    assert.match(p.message, /^where\.\$and\[1\]\.year\.\$gtx: is not an operator/);
    // a key with a dot in it is named in brackets
    const dotted = '{"connection": "local", "collection": "docs", "query": "x", "where": {"a.b": {"$in": "x"}}}';
    assert.equal(at(dotted, errors(parsePlayground(dotted, CTX))[0].span), '"$in": "x"');
    const doc = '{"connection": "local", "collection": "docs", "query": "x", "whereDocument": {"$containz": "chroma"}}';
    const g = parsePlayground(doc, CTX);
    assert.equal(g.queries[0].spec, undefined);
    assert.equal(at(doc, errors(g)[0].span), '"$containz": "chroma"');
  });

  it('unknown keys are warnings with the key they likely meant, and the query still runs', () => {
    const text = '{"connection": "local", "collection": "docs", "query": "x", "n_results": 3, "comment": "why"}';
    const f = parsePlayground(text, CTX);
    assert.deepEqual(
      f.problems.map((p) => [p.severity, at(text, p.span), p.message]),
      [
        ['warning', '"n_results"', 'Unknown key "n_results": did you mean "nResults"?'],
        ['warning', '"comment"', 'Unknown key "comment": it is ignored.'],
      ],
    );
    assert.equal(f.queries[0].spec?.nResults, 7);
  });

  it('warns about a collection the connection does not have, when its list is known', () => {
    const text = '{"connection": "local", "collection": "dcos", "query": "x"}';
    const f = parsePlayground(text, { ...CTX, collectionsIn: (c, s) => (c === 'local' && s.database === 'default_database' ? ['docs', 'notes'] : undefined) });
    assert.deepEqual(
      f.problems.map((p) => [p.severity, at(text, p.span)]),
      [['warning', '"dcos"']],
    );
    assert.match(f.problems[0].message, /local has no collection "dcos" in default_tenant\/default_database/);
    // a warning only: the query can still run (the collection may be created later)
    assert.ok(f.queries[0].spec);
  });

  it('syntax errors are reported as such, and the queries that can be read still are', () => {
    const text = '{"queries": [{"connection": "local", "collection": "docs", "query": "a"}, {"connection": "local" "collection": "docs", "query": "b"}]}';
    const f = parsePlayground(text, CTX);
    assert.ok(f.problems.some((p) => p.kind === 'syntax' && /not valid JSON here \(comma expected\)/.test(p.message)));
    assert.ok(f.queries[0].spec);
    assert.equal(parsePlayground('', CTX).problems[0].message.startsWith('The file is empty.'), true);
    assert.match(parsePlayground('42', CTX).problems[0].message, /holds one query object, \{"queries": \[\.\.\.\]\}, or an array/);
  });
});

describe('playground files: the JSON schema and the example agree with the parser', () => {
  type Json = Record<string, unknown>;
  const read = (rel: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, rel), 'utf8')) as Json;
  const schema = read('media/schemas/chroma-playground.schema.json');
  const defs = schema.definitions as Record<string, Json>;
  const keysOf = (def: string) => Object.keys(defs[def].properties as Json).filter((k) => k !== '$schema').sort();

  it('lists the keys the parser reads, in each shape', () => {
    assert.deepEqual(keysOf('query'), [...QUERY_KEYS].sort());
    assert.deepEqual(keysOf('listedQuery'), [...QUERY_KEYS].sort());
    assert.deepEqual(keysOf('queryList'), [...QUERY_KEYS.filter((k) => k !== 'query'), 'queries'].sort());
  });

  it('has the parser\'s limits and values', () => {
    assert.equal((defs.nResults as { maximum: number }).maximum, MAX_N_RESULTS);
    assert.deepEqual(((defs.include as { items: { enum: string[] } }).items.enum), [...INCLUDE_VALUES]);
    const pattern = new RegExp((defs.collection as { pattern: string }).pattern);
    for (const name of ['docs', 'my-col.v2', 'a_b', '-bad', 'bad-', 'has space', 'x', 'ab', 'Über']) {
      const bySchema = pattern.test(name) && name.length >= 3;
      assert.equal(bySchema, collectionNameProblem(name) === undefined, name);
    }
  });

  it('refers to filter definitions that exist, and resolves every local reference', () => {
    const filter = read('media/schemas/chroma-filter.schema.json');
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) {
        v.forEach(walk);
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') {
            refs.push(x);
          } else {
            walk(x);
          }
        }
      }
    };
    walk(schema);
    assert.ok(refs.includes('chroma-filter.schema.json#/definitions/where'));
    assert.ok(refs.includes('chroma-filter.schema.json#/definitions/whereDocument'));
    for (const ref of refs) {
      const [file, pointer] = ref.split('#');
      const doc: unknown = file ? (assert.equal(file, 'chroma-filter.schema.json'), filter) : schema;
      const target = pointer
        .split('/')
        .slice(1)
        .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], doc);
      assert.ok(target && typeof target === 'object', `${ref} resolves`);
    }
  });

  it('the example playground in the test workspace reads without a problem', () => {
    const text = readFileSync(join(PROJECT_ROOT, 'test/fixtures/workspace/retrieval.chroma.json'), 'utf8');
    const f = parsePlayground(text, { connections: [{ name: 'local' }], nResults: 10 });
    assert.deepEqual(f.problems, []);
    assert.equal(f.queries.length, 5);
    assert.ok(f.queries.every((q) => q.spec?.collection === 'docs' && q.spec.nResults === (q.spec.input.kind === 'record' ? 3 : 5)));
  });

  it('New Query Playground\'s starting file reads as one runnable query, its text span on the query', () => {
    const { text, querySpan } = starterPlayground({ connection: 'loc"al', collection: 'docs', database: 'other', query: 'say "hi"', nResults: 4 });
    assert.equal(text.slice(querySpan.start, querySpan.end), 'say \\"hi\\"');
    const f = parsePlayground(text, { connections: [{ name: 'loc"al' }], nResults: 10 });
    assert.deepEqual(f.problems, []);
    assert.deepEqual(
      [f.queries[0].spec?.database, f.queries[0].spec?.nResults, f.queries[0].spec?.input],
      ['other', 4, { kind: 'text', text: 'say "hi"' }],
    );
    const blank = starterPlayground({ connection: 'local', collection: 'docs', nResults: 10 });
    assert.equal(blank.text.slice(blank.querySpan.start, blank.querySpan.end), 'What to search for');
    assert.ok(!blank.text.includes('database'));
  });
});

describe('playground files: completion sites (pure)', () => {
  /** The site at the `|` in `marked`. */
  const site = (marked: string) => completionSite(marked.replace('|', ''), marked.indexOf('|'));

  it('connection names in the "connection" value, replacing the string being typed', () => {
    assert.deepEqual(site('{"connection": "lo|"}'), { kind: 'connection', replace: { start: 15, end: 19 } });
    assert.deepEqual(site('{"connection": |}'), { kind: 'connection', replace: { start: 15, end: 15 } });
    assert.deepEqual(site('{"queries": [{"connection": "|"}]}'), { kind: 'connection', replace: { start: 28, end: 30 } });
  });

  it('collection names of the query\'s connection and database, also from the defaults of a list', () => {
    assert.deepEqual(site('{"connection": "local", "database": "db-2", "collection": "|"}'), {
      kind: 'collection',
      replace: { start: 58, end: 60 },
      connection: 'local',
      tenant: undefined,
      database: 'db-2',
    });
    const listed = site('{"connection": "local", "queries": [{"query": "x", "collection": |}]}');
    assert.equal(listed?.kind, 'collection');
    assert.equal(listed?.kind === 'collection' && listed.connection, 'local');
    assert.equal(site('[{"connection": "a", "collection": "x"}, {"connection": "b", "collection": "|"}]')?.kind === 'collection', true);
    // without a connection there is nothing to list
    assert.equal(site('{"collection": "|"}'), undefined);
  });

  it('metadata keys where a key goes in "where", at its top and inside $and / $or', () => {
    const base = '{"connection": "local", "collection": "docs", "where": ';
    const top = site(`${base}{|}}`);
    assert.deepEqual(top, { kind: 'metadataKey', replace: { start: base.length + 1, end: base.length + 1 }, needsColon: true, connection: 'local', tenant: undefined, database: undefined, collection: 'docs' });
    const typed = site(`${base}{"ye|": 1}}`);
    assert.equal(typed?.kind, 'metadataKey');
    assert.deepEqual(typed?.replace, { start: base.length + 1, end: base.length + 5 });
    assert.equal(typed?.kind === 'metadataKey' && typed.needsColon, false);
    assert.equal(site(`${base}{"$or": [{"a": 1}, {|}]}}`)?.kind, 'metadataKey');
    // not inside an operator object, nor in whereDocument, nor in a value
    assert.equal(site(`${base}{"year": {|}}}`), undefined);
    assert.equal(site('{"connection": "local", "collection": "docs", "whereDocument": {|}}'), undefined);
    assert.equal(site(`${base}{"year": |}}`), undefined);
  });
});

describe('playground files: a parsed query runs on a real server', () => {
  const ctx = useChromaServer();
  const embed = fastEmbedder(32);
  let client: ChromaClient;
  let name: string;
  before(async () => {
    client = new ChromaClient({ url: ctx.server.url });
    name = uniqueName('playground');
    const col = await client.createCollection({ name });
    const docs = ['filters narrow results by metadata', 'filters on documents use contains', 'an unrelated note about cats'];
    await client.add(col, {
      ids: ['a', 'b', 'c'],
      documents: docs,
      embeddings: await embed.embed(docs),
      metadatas: [{ year: 2021 }, { year: 2019 }, { year: 2024 }],
    });
  });

  it('sends what the file says: its filter, nResults and input, and the server answers with the matching records', async () => {
    const text = JSON.stringify({
      connection: 'local',
      collection: name,
      nResults: 2,
      where: { year: { $gte: 2020 } },
      queries: [{ query: 'filters narrow results' }, { query: { similarTo: 'a' }, where: {} }],
    });
    const f = parsePlayground(text, { connections: [{ name: 'local' }], nResults: 10, collectionsIn: () => [name] });
    assert.deepEqual(f.problems, []);
    const deps = { client, embed: async (_c: unknown, texts: string[]) => ({ vectors: await embed.embed(texts), functionName: embed.name }) };
    const byText = await runQuery(f.queries[0].spec!, deps);
    // b is the second-nearest by words, but its year is filtered out
    assert.deepEqual(
      byText.hits.map((h) => h.id),
      ['a', 'c'],
    );
    assert.deepEqual(byText.hits[0].metadata, { year: 2021 });
    const similar = await runQuery(f.queries[1].spec!, deps);
    assert.equal(similar.hits.length, 2);
    assert.ok(!similar.hits.some((h) => h.id === 'a'), 'the record itself is left out');
    assert.equal(similar.hits[0].id, 'b');
  });
});
