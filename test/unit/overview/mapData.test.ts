import * as assert from 'node:assert/strict';
import type { Collection, Metadata } from '../../../src/chroma';
import type { Facet } from '../../../src/overview/core/facets';
import type { Finding } from '../../../src/overview/core/health';
import { LIMITS, validateToWebview } from '../../../src/overview/core/protocol';
import type { ToWebview } from '../../../src/overview/core/protocol';
import { colorMessage, defaultColorFacet, highlightMessage, lastQueryIn, NO_VALUE, pointMessages } from '../../../src/overview/mapData';
import { factsOf, facetViews, findingViews, isNormalising } from '../../../src/overview/views';
import type { QueryRun, QuerySpec } from '../../../src/query/core/spec';

const decode = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

function facet(key: string, top: [string | number | boolean, number][], extra: Partial<Facet> = {}): Facet {
  const present = top.reduce((a, [, c]) => a + c, 0);
  const types = { string: 0, number: 0, boolean: 0, array: 0, other: 0 };
  for (const [v, c] of top) {
    types[typeof v as 'string' | 'number' | 'boolean'] += c;
  }
  return { key, present, types, top: top.map(([value, count]) => ({ value, count })), distinct: top.length, distinctCapped: false, ...extra };
}

describe('overview map data: what the page is sent', () => {
  it('coordinates go as base64 float32 chunks that decode to the same numbers, each a valid message', () => {
    const n = 100_000;
    const coords = new Float32Array(n * 2);
    for (let i = 0; i < coords.length; i++) {
      coords[i] = Math.sin(i) * 1000;
    }
    const started = process.hrtime.bigint();
    const msgs = pointMessages(coords, n, 'pca');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(msgs.length, Math.ceil(n / LIMITS.pointsPerChunk));
    const back = new Float32Array(n * 2);
    let bytes = 0;
    for (const m of msgs) {
      assert.ok(validateToWebview(m), 'fits the protocol');
      assert.ok(m.type === 'points', `a points message, got ${m.type}`);
      const raw = decode(m.coords);
      back.set(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), m.offset * 2);
      bytes += JSON.stringify(m).length;
    }
    assert.deepEqual(back, coords);
    // 8 bytes a point, 4/3 for base64: the whole map is about 1.07 MB of message text
    assert.ok(bytes < n * 8 * 1.34 + 2000, `${bytes} bytes`);
    console.log(`      100,000 points: ${msgs.length} messages, ${(bytes / 1e6).toFixed(2)} MB as JSON, encoded in ${ms.toFixed(1)} ms`);
  });

  it('an empty map is one message with no points', () => {
    const msgs = pointMessages(new Float32Array(0), 0, 'umap');
    assert.deepEqual(msgs, [{ type: 'points', method: 'umap', n: 0, offset: 0, coords: '' }]);
  });

  it('colours by category: the top values each, the rest as other, records without the key as no value', () => {
    const metadatas: (Metadata | null)[] = [{ kind: 'pdf' }, { kind: 'md' }, { kind: 'pdf' }, null, { kind: 'rare' }, { other: 1 }];
    const f = facet('kind', [['pdf', 2], ['md', 1]], { distinct: 3, present: 4 });
    const m = colorMessage(metadatas, f);
    assert.ok(validateToWebview(m));
    assert.ok(m.type === 'colors', `a colors message, got ${m.type}`);
    assert.equal(m.scale, 'category');
    assert.deepEqual(m.legend, [
      { label: 'pdf', count: 2 },
      { label: 'md', count: 1 },
      { label: 'other values', count: 1 },
    ]);
    assert.equal(m.missing, 2);
    assert.deepEqual([...decode(m.codes)], [0, 1, 0, NO_VALUE, 2, NO_VALUE]);
  });

  it('colours many-valued numbers by quantile bins, in order', () => {
    const metadatas = Array.from({ length: 600 }, (_, i): Metadata => ({ score: i }));
    const f = facet('score', [[0, 1], [1, 1]], { present: 600, types: { string: 0, number: 600, boolean: 0, array: 0, other: 0 }, distinct: 600 });
    const m = colorMessage(metadatas, f);
    assert.ok(validateToWebview(m));
    assert.ok(m.type === 'colors', `a colors message, got ${m.type}`);
    assert.equal(m.scale, 'sequential');
    assert.equal(m.legend.length, 6);
    assert.deepEqual(
      m.legend.map((l) => l.count),
      [100, 100, 100, 100, 100, 100],
    );
    const codes = decode(m.codes);
    assert.equal(codes[0], 0);
    assert.equal(codes[599], 5);
    assert.ok(codes.every((c, i) => i === 0 || c >= codes[i - 1]), 'bins follow the values');
  });

  it('without a key, no colours and no legend', () => {
    const m = colorMessage([{ a: 1 }, null], undefined);
    assert.deepEqual(m, { type: 'colors', key: null, scale: 'category', legend: [], missing: 0, codes: Buffer.from([NO_VALUE, NO_VALUE]).toString('base64') });
  });

  it('colours by default by a key most records have with a few values, else by nothing', () => {
    const facets = [
      facet('id', [['a', 1], ['b', 1]], { distinct: 1000, present: 1000 }),
      facet('rare', [['x', 10], ['y', 10]], { present: 20 }),
      facet('kind', [['pdf', 600], ['md', 400]]),
    ];
    assert.equal(defaultColorFacet(facets, 1000), 2);
    assert.equal(defaultColorFacet(facets.slice(0, 2), 1000), -1);
  });

  it('highlights the last query: hits as point indices, hits outside the points read counted apart', () => {
    const indexOf = new Map([
      ['a', 0],
      ['b', 1],
    ]);
    const m = highlightMessage({ label: '“x”', vector: [1, 0], hitIds: ['b', 'zz', 'a'] }, indexOf, [0.5, 2]);
    assert.ok(validateToWebview(m));
    assert.deepEqual(m, { type: 'highlight', label: 'Last query: “x” · 3 hits', hits: [1, 0], missing: 1, query: [0.5, 2] });
    assert.deepEqual(highlightMessage(undefined, indexOf, null), { type: 'highlight', label: '', hits: [], missing: 0, query: null });
  });

  it('finds the newest query shown for a collection among the results view entries', () => {
    const spec = (collection: string): QuerySpec => ({ connection: 'c', tenant: 't', database: 'd', collection, input: { kind: 'text', text: 'hello' }, nResults: 2, include: [] });
    const run = (id: string, hits: string[]) =>
      ({ spec: spec(id), collection: { id } as Collection, hits: hits.map((h, i) => ({ rank: i + 1, id: h })), queryVector: [1, 2], ranAt: 0, tookMs: 1 }) as unknown as QueryRun;
    const entries = [{ spec: spec('x'), error: 'failed' }, { spec: spec('one'), run: run('one', ['a']) }, { spec: spec('two'), run: run('two', ['b', 'c']) }];
    assert.deepEqual(lastQueryIn(entries, 'c', 'two'), { label: '“hello”', vector: [1, 2], hitIds: ['b', 'c'] });
    assert.equal(lastQueryIn(entries, 'other', 'two'), undefined);
    assert.equal(lastQueryIn(entries, 'c', 'x'), undefined);
  });
});

describe('overview views: server text cut to what the page shows', () => {
  it('facets: long keys and values are cut to one bounded line and stay valid messages', () => {
    const long = `${'k'.repeat(5000)}\n<script>`;
    const views = facetViews([facet(long, [[`${'v'.repeat(5000)}`, 2], ['', 1], [true, 1]], { histogram: { min: 0, max: Infinity, bins: [1, 2] } })]);
    const m: ToWebview = { type: 'facets', facets: views };
    assert.ok(validateToWebview(m));
    assert.equal(views[0].key.length, LIMITS.label);
    assert.equal(views[0].top[0].label.length, LIMITS.label);
    assert.equal(views[0].top[1].label, '(empty string)');
    assert.equal(views[0].top[2].label, 'true');
    assert.equal(views[0].histogram?.max, 0, 'a non-finite bound is not sent');
  });

  it('findings: titles, ids and details bounded, at most LIMITS.examples ids', () => {
    const f: Finding = { kind: 'noDocument', title: 'Records without a document', count: 50, exampleIds: Array.from({ length: 30 }, (_, i) => `${i}`.repeat(400)), detail: 'd'.repeat(5000) };
    const views = findingViews([f]);
    assert.ok(validateToWebview({ type: 'health', findings: views }));
    assert.equal(views[0].examples.length, LIMITS.examples);
    assert.ok(views[0].examples.every((e) => e.length <= LIMITS.label));
  });

  it('facts: count, dimension, distance, embedding function and configuration', () => {
    const collection: Collection = {
      id: 'id-1',
      name: 'docs',
      tenant: 'default_tenant',
      database: 'default_database',
      dimension: 384,
      metadata: null,
      configuration_json: { hnsw: { space: 'cosine' }, embedding_function: { type: 'known', name: 'default', config: {} } },
    };
    const facts = factsOf({ connection: 'local', collection, count: 12345, fn: { name: 'default', from: 'stored', config: {} } });
    const get = (label: string) => facts.find((f) => f.label === label)?.value;
    assert.equal(get('Records'), '12,345');
    assert.equal(get('Dimension'), '384');
    assert.match(get('Distance') ?? '', /^cosine/);
    assert.equal(get('Embedding function'), 'default');
    assert.match(get('Configuration') ?? '', /"space": "cosine"/);
    assert.ok(validateToWebview({ type: 'init', title: 'docs', facts, sampleSize: 1, canExport: true }));
    const legacy = factsOf({ connection: 'local', collection: { ...collection, dimension: null, configuration_json: null } });
    assert.match(legacy.find((f) => f.label === 'Embedding function')?.value ?? '', /none stored/);
    assert.match(legacy.find((f) => f.label === 'Distance')?.value ?? '', /^l2/);
  });

  it('knows which embedding functions return unit vectors', () => {
    assert.equal(isNormalising({ name: 'default', from: 'stored' }), true);
    assert.equal(isNormalising({ name: 'openai', from: 'chosen' }), true);
    assert.equal(isNormalising({ name: 'ollama', from: 'stored' }), false);
    assert.equal(isNormalising({ name: 'sentence_transformer', from: 'stored', config: { normalize_embeddings: true } }), true);
    assert.equal(isNormalising(undefined), false);
  });
});
