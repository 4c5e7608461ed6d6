/** Metadata facets: keys, types, top values and histograms, on crafted metadata and as read back from a real server. */
import * as assert from 'node:assert/strict';
import type { Metadata } from '../../../src/chroma';
import { DISTINCT_CAP, computeFacets } from '../../../src/overview/core/facets';
import { scanCollection } from '../../../src/overview/core/scan';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';

const byKey = (facets: ReturnType<typeof computeFacets>) => new Map(facets.map((f) => [f.key, f]));

describe('computeFacets', () => {
  it('counts presence and types per key, most common keys first, and skips records without metadata', () => {
    const metadatas = [
      { lang: 'en', year: 2020, ok: true },
      { lang: 'de', year: 2021 },
      { lang: 'en', year: '2021', tags: ['a', 'b'] },
      null,
      { lang: 'en', shape: { indices: [1], values: [0.5] } },
    ] as unknown as (Metadata | null)[];
    const facets = computeFacets(metadatas);
    assert.deepEqual(
      facets.map((f) => [f.key, f.present]),
      [
        ['lang', 4],
        ['year', 3],
        ['ok', 1],
        ['shape', 1],
        ['tags', 1],
      ],
    );
    const f = byKey(facets);
    assert.deepEqual(f.get('year')?.types, { string: 1, number: 2, boolean: 0, array: 0, other: 0 });
    assert.deepEqual(f.get('tags')?.types, { string: 0, number: 0, boolean: 0, array: 1, other: 0 });
    assert.deepEqual(f.get('shape')?.types, { string: 0, number: 0, boolean: 0, array: 0, other: 1 });
    assert.deepEqual(f.get('tags')?.top, [
      { value: 'a', count: 1 },
      { value: 'b', count: 1 },
    ], "a list's elements are its values");
    assert.deepEqual(f.get('ok')?.top, [{ value: true, count: 1 }]);
  });

  it('ranks top values by count, keeps 1, "1" and true apart, and breaks ties the same way every time', () => {
    const metadatas: Metadata[] = [
      ...Array.from({ length: 5 }, () => ({ v: 'b' })),
      ...Array.from({ length: 5 }, () => ({ v: 'a' })),
      ...Array.from({ length: 3 }, () => ({ v: 1 })),
      ...Array.from({ length: 3 }, () => ({ v: '1' })),
      ...Array.from({ length: 3 }, () => ({ v: true })),
      { v: 'rare' },
    ];
    const [facet] = computeFacets(metadatas, { topN: 5 });
    assert.deepEqual(facet.top, [
      { value: 'a', count: 5 },
      { value: 'b', count: 5 },
      { value: 1, count: 3 },
      { value: true, count: 3 },
      { value: '1', count: 3 },
    ]);
    assert.equal(facet.distinct, 6);
    assert.deepEqual(computeFacets([...metadatas].reverse(), { topN: 5 })[0].top, facet.top, 'input order does not matter');
    assert.deepEqual(computeFacets(metadatas, { topN: 0 })[0].top, []);
  });

  it('builds a histogram over number values: bins add up, min and max land inside', () => {
    const metadatas: Metadata[] = [...Array.from({ length: 100 }, (_, i) => ({ score: i / 10 })), { score: 'n/a' }, { other: 1 }];
    const { histogram } = byKey(computeFacets(metadatas, { bins: 10 })).get('score')!;
    assert.ok(histogram);
    assert.equal(histogram.min, 0);
    assert.equal(histogram.max, 9.9);
    assert.equal(histogram.bins.length, 10);
    assert.deepEqual(histogram.bins, new Array(10).fill(10));
    // One value: one bin. No numbers: no histogram.
    assert.deepEqual(computeFacets([{ k: 3 }, { k: 3 }])[0].histogram, { min: 3, max: 3, bins: [2] });
    assert.equal(computeFacets([{ k: 'x' }])[0].histogram, undefined);
  });

  it('stops tracking new values past the cap on a key unique per record, and says so', () => {
    const metadatas: Metadata[] = Array.from({ length: DISTINCT_CAP + 10 }, (_, i) => ({ hash: `h${i}`, kind: i % 2 ? 'odd' : 'even' }));
    metadatas.push({ hash: 'h0', kind: 'odd' });
    const f = byKey(computeFacets(metadatas, { topN: 3 }));
    assert.equal(f.get('hash')?.distinct, DISTINCT_CAP);
    assert.equal(f.get('hash')?.distinctCapped, true);
    assert.deepEqual(f.get('hash')?.top[0], { value: 'h0', count: 2 });
    assert.equal(f.get('kind')?.distinctCapped, false);
    assert.equal(f.get('hash')?.present, DISTINCT_CAP + 11);
  });
});

describe('computeFacets on list values', () => {
  it('counts each element once per record that holds it, and numbers in lists in the histogram', () => {
    const facets = computeFacets([{ tags: ['red', 'blue', 'red'] }, { tags: ['red'] }, { tags: 'red' }, { n: [1, 3] }, { n: 2 }] as unknown as Metadata[]);
    const f = byKey(facets);
    assert.deepEqual(f.get('tags')?.top, [
      { value: 'red', count: 3 },
      { value: 'blue', count: 1 },
    ]);
    assert.deepEqual(f.get('tags')?.types, { string: 1, number: 0, boolean: 0, array: 2, other: 0 });
    assert.equal(f.get('tags')?.distinct, 2);
    assert.deepEqual(f.get('n')?.histogram, { min: 1, max: 3, bins: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1] });
  });
});

describe('computeFacets on metadata read back from a real server', function () {
  this.timeout(60_000);
  const chroma = useChromaServer();

  it('keeps numbers, booleans and strings apart as the server returns them', async () => {
    const client = clientFor(chroma.server.url);
    const col = await client.createCollection({ name: uniqueName('facets') });
    const n = 60;
    const embeddings = vectors(n, 4, 5);
    await client.add(col, {
      ids: embeddings.map((_, i) => `id-${i}`),
      embeddings,
      metadatas: embeddings.map((_, i) => {
        const m: Metadata = { chunk: i % 6, score: i / 4, draft: i % 3 === 0, lang: i % 4 === 0 ? 'de' : 'en' };
        if (i >= 55) {
          m.chunk = String(i);
        }
        return m;
      }),
    });
    const scan = await scanCollection(client, col, { pageSize: 25 });
    const f = byKey(computeFacets(scan.metadatas));
    assert.deepEqual([...f.keys()].sort(), ['chunk', 'draft', 'lang', 'score']);
    assert.deepEqual(f.get('chunk')?.types, { string: 5, number: 55, boolean: 0, array: 0, other: 0 });
    assert.deepEqual(f.get('draft')?.types, { string: 0, number: 0, boolean: 60, array: 0, other: 0 });
    assert.deepEqual(f.get('draft')?.top, [
      { value: false, count: 40 },
      { value: true, count: 20 },
    ]);
    assert.deepEqual(f.get('lang')?.top, [
      { value: 'en', count: 45 },
      { value: 'de', count: 15 },
    ]);
    assert.deepEqual(f.get('score')?.histogram && { min: f.get('score')!.histogram!.min, max: f.get('score')!.histogram!.max }, { min: 0, max: 59 / 4 });
    assert.equal(f.get('chunk')?.histogram?.bins.reduce((a, b) => a + b, 0), 55);
  });
});
