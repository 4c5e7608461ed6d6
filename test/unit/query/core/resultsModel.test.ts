import * as assert from 'node:assert/strict';
import type { Collection } from '../../../../src/chroma';
import { describeInput, headerModel, headerTooltip, hitModel, hitModels, hitTooltip, resultsJson } from '../../../../src/query/core/resultsModel';
import type { ResultsEntry } from '../../../../src/query/core/resultsModel';
import type { QueryHit, QuerySpec } from '../../../../src/query/core/spec';

const collection: Collection = { id: 'c-1', name: 'notes', metadata: null, dimension: 3, tenant: 'default_tenant', database: 'default_database' };
const spec: QuerySpec = {
  connection: 'local',
  tenant: 'default_tenant',
  database: 'default_database',
  collection: 'notes',
  input: { kind: 'text', text: 'where are embeddings stored?' },
  nResults: 10,
  include: ['documents', 'metadatas', 'distances'],
};
const hit = (rank: number, extra: Partial<QueryHit> = {}): QueryHit => ({
  rank,
  id: `notes.md#${rank}`,
  distance: 0.1 * rank,
  document: `Chunk ${rank}\nabout embeddings`,
  metadata: { source: 'notes.md', uri: 'file:///ws/notes.md', startLine: rank * 10, endLine: rank * 10 + 4, sha256: 'a'.repeat(64) },
  uri: null,
  embedding: null,
  ...extra,
});
const entry = (hits: QueryHit[], extra: Partial<QuerySpec> = {}): ResultsEntry => ({
  seq: 7,
  spec: { ...spec, ...extra },
  run: { spec: { ...spec, ...extra }, collection, hits, queryVector: [1, 0, 0], embeddedWith: 'default', ranAt: Date.UTC(2026, 0, 2, 3, 4, 5), tookMs: 12.4 },
});

describe('results model (pure): what the results view shows for a run', () => {
  it('a header says the query, the collection, how many hits, the filter, how long it took', () => {
    const h = headerModel(entry([hit(1), hit(2)], { where: { lang: 'en' } }));
    assert.equal(h.id, 'q7');
    assert.equal(h.label, '“where are embeddings stored?”');
    assert.match(h.description, /^notes · 2 hits · .*lang.*en.* · 12 ms · \d\d:\d\d:\d\d$/);
    assert.equal(describeInput({ kind: 'record', recordId: 'a.md#3' }), 'similar to a.md#3');
    assert.equal(describeInput({ kind: 'vector', vector: [1, 2, 3] }), 'vector (3-d)');
    assert.equal(headerModel({ seq: 1, spec, error: 'boom' }).description, 'notes · failed');
  });

  it('a hit: rank and id as label; distance, stale marker, file:lines and a snippet as description', () => {
    const e = entry([hit(1), hit(2, { metadata: { note: 'no file' }, distance: null, document: null })]);
    const [a, b] = hitModels(e);
    assert.equal(a.id, 'q7/1');
    assert.equal(a.label, '1. notes.md#1');
    assert.equal(a.description, '0.1000 · notes.md:10–14 · Chunk 1 about embeddings');
    assert.equal(a.link?.source, 'notes.md');
    assert.equal(b.link, undefined);
    assert.equal(b.description, '');
    assert.equal(hitModel(e, hit(1), { state: 'stale', reason: 'lines 10–14 changed since the record was added' }).description, '0.1000 · stale · notes.md:10–14 · Chunk 1 about embeddings');
    assert.equal(hitModel(e, hit(1), { state: 'moved', startLine: 13, endLine: 17 }).description, '0.1000 · moved to 13–17 · notes.md:10–14 · Chunk 1 about embeddings');
    assert.equal(hitModel(e, hit(1), { state: 'missing', reason: 'notes.md is not in this workspace' }).description, '0.1000 · file not found · notes.md:10–14 · Chunk 1 about embeddings');
  });

  it('server text cannot make links, HTML or icons in tooltips, nor break a label onto new lines', () => {
    const hostile = hit(1, {
      id: 'x\n[click](command:workbench.action.terminal.new) $(alert)',
      document: '<img src=x onerror=alert(1)> [run](command:evil) **bold**',
      metadata: { source: 'a.md', startLine: 1, endLine: 2, note: '```\n[link](command:evil)\n```' },
    });
    const e = entry([hostile]);
    const m = hitModel(e, hostile, { state: 'stale', reason: '[x](command:y)' });
    assert.doesNotMatch(m.label, /\n/);
    const tip = hitTooltip(m);
    // outside code spans and fences (which Markdown shows literally) nothing forms a link or a tag
    const prose = tip.replace(/```+json\n[\s\S]*?\n```+/g, '').replace(/(`+)[^`][\s\S]*?\1/g, '');
    assert.doesNotMatch(prose, /\]\(command:|(?<!\\)<img/);
    assert.match(tip, /^\*\*1\.\*\* `x \[click\]\(command:workbench\.action\.terminal\.new\) \$\(alert\)` · distance/);
    assert.ok(tip.includes('\\[run\\]\\(command\\:evil\\)'), 'the document is escaped text');
    // the metadata sits in a fence longer than any backtick run inside it
    assert.match(tip, /````json\n/);
    assert.doesNotMatch(headerTooltip(entry([hostile], { input: { kind: 'text', text: '[q](command:x)' } })), /\[q\]\(command:x\)/);
  });

  it('Copy Results as JSON: the query and each hit as the server sent it', () => {
    const e = entry([hit(1, { embedding: [0.5, 0.25, 0] })]);
    const json = JSON.parse(resultsJson([e])) as { query: QuerySpec; tookMs: number; hits: Array<Record<string, unknown>> };
    assert.deepEqual(json.query, spec);
    assert.equal(json.tookMs, 12);
    assert.deepEqual(json.hits[0], { rank: 1, id: 'notes.md#1', distance: 0.1, document: 'Chunk 1\nabout embeddings', metadata: hit(1).metadata, embedding: [0.5, 0.25, 0] });
    const two = JSON.parse(resultsJson([e, { seq: 8, spec, error: 'boom' }])) as unknown[];
    assert.equal(two.length, 2);
    assert.deepEqual(two[1], { query: spec, error: 'boom' });
  });

  it('300 hits with 10 kB documents and large metadata: labels stay bounded', () => {
    const big = Array.from({ length: 300 }, (_, i) => hit(i + 1, { document: 'd'.repeat(10_000), metadata: { source: 's'.repeat(3_000), startLine: 1, endLine: 2, blob: 'b'.repeat(100_000) } }));
    const models = hitModels(entry(big));
    assert.equal(models.length, 300);
    for (const m of models) {
      assert.ok(m.description.length < 200 && m.label.length < 140, m.description.length.toString());
      assert.ok(hitTooltip(m).length < 6_000);
    }
  });
});
