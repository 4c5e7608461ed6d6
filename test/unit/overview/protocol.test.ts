import * as assert from 'node:assert/strict';
import { LIMITS, SCHEMA, validateToHost, validateToWebview } from '../../../src/overview/core/protocol';
import type { ToHost, ToWebview } from '../../../src/overview/core/protocol';
import { fromHost } from '../../../src/overview/webview/host';

/**
 * The page checks what the extension sends with the very code the host checks with: the page's `fromHost`
 * (src/overview/webview/host.ts) calls the protocol's checker, and esbuild bundles both into the page.
 */
const pageToWebview = (m: unknown) => fromHost(m);

const b64 = (bytes: number) => Buffer.alloc(bytes).toString('base64');

/** One valid message of every kind each way. */
const TO_WEBVIEW: ToWebview[] = [
  { type: 'init', title: 'docs', facts: [{ label: 'Records', value: '2,000' }, { label: 'Configuration', value: '{}', block: true }], sampleSize: 10_000, canExport: false },
  { type: 'progress', phase: 'scan', fraction: 0.5, text: 'Reading records: 1,000 of 2,000', cancellable: true },
  { type: 'scanned', total: 2000, read: 2000, sampled: false, dim: 384 },
  {
    type: 'facets',
    facets: [
      { key: 'kind', present: 10, types: { string: 10, number: 0, boolean: 0, array: 0, other: 0 }, top: [{ label: 'pdf', count: 7 }], distinct: 2, capped: false },
      { key: 'year', present: 5, types: { string: 0, number: 5, boolean: 0, array: 0, other: 0 }, top: [], histogram: { min: 1, max: 9.5, bins: [1, 0, 4] }, distinct: 5, capped: false },
    ],
  },
  { type: 'health', findings: [{ kind: 'noDocument', title: 'Records without a document', count: 3, examples: ['a', 'b'] }, { kind: 'zeroVector', title: 'Zero vectors', count: 1, examples: [], detail: 'x' }] },
  { type: 'points', method: 'pca', n: 3, offset: 0, coords: b64(24) },
  { type: 'colors', key: 'kind', scale: 'category', legend: [{ label: 'pdf', count: 2 }], missing: 1, codes: b64(3) },
  { type: 'colors', key: null, scale: 'sequential', legend: [], missing: 0, codes: '' },
  { type: 'highlight', label: 'Last query: “x” · 2 hits', hits: [0, 2], missing: 0, query: [0.5, -1] },
  { type: 'highlight', label: '', hits: [], missing: 0, query: null },
  { type: 'pointInfo', index: 2, id: 'c', document: null },
  { type: 'error', text: 'Reading the collection failed: …' },
  { type: 'reveal', section: 'map' },
  { type: 'probe', point: null },
];

const TO_HOST: ToHost[] = [
  { type: 'ready' },
  { type: 'rescan' },
  { type: 'scanAll' },
  { type: 'cancel' },
  { type: 'project', method: 'umap' },
  { type: 'colorBy', facet: -1 },
  { type: 'filter', facet: 0, value: 3 },
  { type: 'openPoint', index: 1999 },
  { type: 'openExample', finding: 0, example: 1 },
  { type: 'pointInfo', index: 0 },
  { type: 'copyIds', indices: [0, 1, 2] },
  { type: 'exportSelection', indices: [] },
  { type: 'status', records: 2000, facets: 3, findings: 1, points: 2000 },
  { type: 'probeReport', pwned: false, foreign: 0, text: '<script>alert(1)</script>' },
];

/** Messages a hostile or broken page (or host) might send: none may pass. */
function hostile(valid: Record<string, unknown>): unknown[] {
  class Fake {
    type = valid.type;
  }
  const out: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [valid],
    new Fake(),
    { ...valid, type: 'unknownType' },
    { ...valid, type: 'toString' },
    { ...valid, type: '__proto__' },
    { ...valid, type: 'constructor' },
    { ...valid, extra: 1 },
    JSON.parse(`{"type":${JSON.stringify(valid.type)},"__proto__":{"polluted":true}}`),
  ];
  for (const [k, v] of Object.entries(valid)) {
    if (k === 'type') {
      continue;
    }
    const nullable = ['key', 'query', 'document', 'point'].includes(k);
    const without = { ...valid };
    delete without[k];
    out.push(without);
    const swaps: unknown[] = [null, '1', {}, [], true, NaN, Infinity, -1, 1.5, 'x'.repeat(LIMITS.probeText + 1), { toString: 'x' }];
    for (const w of swaps) {
      // only values of another kind than the valid one (an int stays an int of another range)
      // a nullable field takes null, and when it is null the valid message says nothing of its other type
      if (nullable && (w === null || v === null)) {
        continue;
      }
      if (typeof w !== typeof v || (typeof v === 'number' && !Number.isFinite(w as number)) || (typeof v === 'string' && (w as string).length > LIMITS.probeText)) {
        out.push({ ...valid, [k]: w });
      }
    }
  }
  return out.filter((m) => JSON.stringify(m) !== JSON.stringify(valid) || m instanceof Fake);
}

describe('overview protocol: messages checked on both sides', () => {
  it('declares a shape for exactly the message kinds the tests send, each way', () => {
    assert.deepEqual(Object.keys(SCHEMA.toWebview).sort(), [...new Set(TO_WEBVIEW.map((m) => m.type))].sort());
    assert.deepEqual(Object.keys(SCHEMA.toHost).sort(), TO_HOST.map((m) => m.type).sort());
  });

  it('passes every valid message, in the host, and those to the page in the page alike', () => {
    for (const m of TO_WEBVIEW) {
      assert.equal(validateToWebview(m), m, `host: ${m.type}`);
      assert.equal(pageToWebview(m), m, `page: ${m.type}`);
      assert.equal(validateToHost(m), undefined, `${m.type} is not a message to the host`);
    }
    for (const m of TO_HOST) {
      assert.equal(validateToHost(m), m, `host: ${m.type}`);
    }
  });

  it('rejects hostile and broken messages from the page: wrong types, missing or extra keys, prototypes, bad numbers', () => {
    let n = 0;
    for (const valid of TO_HOST) {
      for (const m of hostile(valid as unknown as Record<string, unknown>)) {
        n++;
        assert.equal(validateToHost(m), undefined, `host accepted ${JSON.stringify(m)?.slice(0, 200)}`);
      }
    }
    assert.ok(n > 100, `${n} hostile messages`);
  });

  it('rejects broken messages to the page, so the page never acts on one', () => {
    for (const valid of TO_WEBVIEW) {
      for (const m of hostile(valid as unknown as Record<string, unknown>)) {
        assert.equal(validateToWebview(m), undefined, `host accepted ${JSON.stringify(m)?.slice(0, 200)}`);
        assert.equal(pageToWebview(m), undefined, `page accepted ${JSON.stringify(m)?.slice(0, 200)}`);
      }
    }
  });

  it('names records only by index: ids, keys and values cannot be sent from the page', () => {
    const tries: unknown[] = [
      { type: 'openPoint', index: 'doc-1' },
      { type: 'openPoint', index: 0, id: 'doc-1' },
      { type: 'filter', facet: 0, value: 'pdf' },
      { type: 'filter', facet: 'kind', value: 0 },
      { type: 'copyIds', indices: ['a'] },
      { type: 'copyIds', indices: [0, -1] },
      { type: 'copyIds', indices: [0, 0.5] },
      { type: 'openPoint', index: LIMITS.maxPoints },
      { type: 'filter', facet: LIMITS.facets, value: 0 },
      { type: 'openExample', finding: 0, example: LIMITS.examples },
      { type: 'colorBy', facet: -2 },
      { type: 'project', method: 'tsne' },
    ];
    for (const m of tries) {
      assert.equal(validateToHost(m), undefined, JSON.stringify(m));
    }
  });

  it('bounds sizes: over-long strings, arrays and base64 chunks are refused; base64 must be base64', () => {
    const tooLong: unknown[] = [
      { type: 'pointInfo', index: 0, id: 'x'.repeat(LIMITS.label + 1), document: null },
      { type: 'pointInfo', index: 0, id: 'x', document: 'x'.repeat(LIMITS.snippet + 1) },
      { type: 'points', method: 'pca', n: 1, offset: 0, coords: b64(LIMITS.pointsPerChunk * 8 + 3) },
      { type: 'points', method: 'pca', n: 1, offset: 0, coords: 'AAAA<script>' },
      { type: 'points', method: 'pca', n: 1, offset: 0, coords: 'AAA' },
      { type: 'highlight', label: '', hits: [], missing: 0, query: [1] },
      { type: 'health', findings: [{ kind: 'x', title: 't', count: 1, examples: new Array(LIMITS.examples + 1).fill('a') }] },
    ];
    for (const m of tooLong) {
      assert.equal(validateToWebview(m), undefined, JSON.stringify(m).slice(0, 120));
      assert.equal(pageToWebview(m), undefined, JSON.stringify(m).slice(0, 120));
    }
    assert.ok(validateToWebview({ type: 'points', method: 'pca', n: LIMITS.pointsPerChunk, offset: 0, coords: b64(LIMITS.pointsPerChunk * 8) }), 'a full chunk fits');
    assert.equal(validateToHost({ type: 'copyIds', indices: new Array(LIMITS.maxPoints + 1).fill(0) }), undefined);
  });
});
