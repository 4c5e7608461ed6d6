import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { Collection } from '../../../../src/chroma';
import { CollectionCache } from '../../../../src/query/core/collectionCache';
import { runQuery } from '../../../../src/query/core/run';
import type { QuerySpec, RunDeps } from '../../../../src/query/core/spec';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { uniqueName, useChromaServer } from '../../../support/fixtures';

const DIM = 32;
const DOCS = [
  'chroma stores embeddings next to documents',
  'the cat sat on the mat',
  'python and node clients talk to the server',
  'a where filter narrows a query by metadata',
  'hello world',
  'embeddings capture the meaning of a text',
];

describe('runQuery (real server): the one query path', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let collection: Collection;
  const sent: string[] = [];
  const embed = fastEmbedder(DIM);
  const embedCalls = { n: 0 };
  const deps = (): RunDeps => ({
    client,
    embed: async (_c, texts) => {
      embedCalls.n++;
      return { vectors: await embed.embed(texts), functionName: embed.name };
    },
  });
  const spec = (extra: Partial<QuerySpec>): QuerySpec => ({
    connection: 'local',
    tenant: 'default_tenant',
    database: 'default_database',
    collection: collection.name,
    input: { kind: 'text', text: 'x' },
    nResults: 3,
    include: ['documents', 'metadatas', 'distances'],
    ...extra,
  });

  before(async () => {
    client = new ChromaClient({ url: ctx.server.url, onRequest: (r) => sent.push(`${r.method} ${r.path}`) });
    collection = await client.createCollection({ name: uniqueName('query') });
    await client.add(collection, {
      ids: DOCS.map((_, i) => `d${i}`),
      documents: DOCS,
      embeddings: await embed.embed(DOCS),
      metadatas: DOCS.map((_, i) => ({ source: `doc${i}.md`, startLine: 1, endLine: 1, even: i % 2 === 0, n: i })),
    });
  });

  it('text is embedded with the collection\'s function: the nearest record comes first, with rank, distance, document and metadata', async () => {
    const run = await runQuery(spec({ input: { kind: 'text', text: 'the cat sat on the mat' } }), deps());
    assert.equal(run.hits[0].id, 'd1');
    assert.equal(run.hits[0].rank, 1);
    assert.equal(run.hits[0].document, DOCS[1]);
    assert.deepEqual(run.hits[0].metadata, { source: 'doc1.md', startLine: 1, endLine: 1, even: false, n: 1 });
    assert.ok(run.hits[0].distance !== null && run.hits[0].distance < 1e-4, String(run.hits[0].distance));
    assert.deepEqual(run.hits.map((h) => h.rank), [1, 2, 3]);
    assert.ok(run.hits[1].distance! >= run.hits[0].distance!);
    assert.equal(run.embeddedWith, 'test-hash');
    assert.equal(run.queryVector.length, DIM);
    assert.equal(run.hits[0].embedding, null, 'no embeddings unless asked');
    assert.equal(run.collection.id, collection.id);
  });

  it('Find Similar: the record\'s stored embedding is the query, the record itself is left out, n_results hits remain', async () => {
    const run = await runQuery(spec({ input: { kind: 'record', recordId: 'd0' }, nResults: 5 }), deps());
    assert.equal(run.hits.length, 5);
    assert.ok(!run.hits.some((h) => h.id === 'd0'));
    assert.deepEqual(run.hits.map((h) => h.rank), [1, 2, 3, 4, 5]);
    // ranked by distance from d0's own embedding (l2, the collection's default)
    const vectors = await embed.embed(DOCS);
    const l2 = (a: number[], b: number[]) => a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0);
    const nearest = Math.min(...vectors.slice(1).map((v) => l2(vectors[0], v)));
    assert.ok(Math.abs(run.hits[0].distance! - nearest) < 1e-4, `${run.hits[0].distance} vs ${nearest}`);
    for (const h of run.hits) {
      assert.ok(Math.abs(h.distance! - l2(vectors[0], vectors[Number(h.id.slice(1))])) < 1e-4, h.id);
    }
    assert.deepEqual([...run.hits.map((h) => h.distance!)].sort((a, b) => a - b), run.hits.map((h) => h.distance!));
    const all = await runQuery(spec({ input: { kind: 'record', recordId: 'd0' }, nResults: 10 }), deps());
    assert.equal(all.hits.length, DOCS.length - 1);
    await assert.rejects(runQuery(spec({ input: { kind: 'record', recordId: 'nope' } }), deps()), /Record "nope" is not in/);
  });

  it('a vector of the wrong dimension fails before anything is queried; the right one runs, embeddings on request', async () => {
    sent.length = 0;
    await assert.rejects(runQuery(spec({ input: { kind: 'vector', vector: [1, 0] } }), deps()), /The vector has 2 dimensions, but ".*" holds 32-dimensional embeddings\. Nothing was sent\./);
    assert.ok(!sent.some((s) => s.endsWith('/query')), sent.join(', '));
    await assert.rejects(runQuery(spec({ input: { kind: 'vector', vector: [1, Number.NaN] } }), deps()), /not a finite number/);
    const v = (await embed.embed([DOCS[3]]))[0];
    const run = await runQuery(spec({ input: { kind: 'vector', vector: v }, include: ['documents', 'embeddings'] }), deps());
    assert.equal(run.hits[0].id, 'd3');
    assert.equal(run.hits[0].embedding?.length, DIM);
    assert.equal(run.hits[0].metadata, null, 'metadatas were not asked for');
  });

  it('a where filter narrows the hits; a filter outside Chroma\'s grammar is refused before it is sent', async () => {
    const run = await runQuery(spec({ input: { kind: 'text', text: 'the cat sat on the mat' }, where: { even: true }, nResults: 10 }), deps());
    assert.deepEqual(run.hits.map((h) => h.id).sort(), ['d0', 'd2', 'd4']);
    const both = await runQuery(spec({ input: { kind: 'text', text: 'embeddings' }, where: { n: { $gte: 3 } }, whereDocument: { $contains: 'embeddings' } }), deps());
    assert.deepEqual(both.hits.map((h) => h.id), ['d5']);
    sent.length = 0;
    embedCalls.n = 0;
    await assert.rejects(runQuery(spec({ where: { n: { $between: [1, 2] } } }), deps()), (e: Error) => /\$between/.test(e.message) && /Nothing was sent\.$/.test(e.message));
    assert.deepEqual(sent, []);
    assert.equal(embedCalls.n, 0, 'not even embedded');
  });

  it('text without an embedding function, or n_results out of range, is refused', async () => {
    await assert.rejects(runQuery(spec({ input: { kind: 'text', text: 'x' } }), { client, embed: () => Promise.resolve(undefined) }), /has no embedding function chosen/);
    await assert.rejects(runQuery(spec({ nResults: 0 }), deps()), /whole number from 1 to 1000 \(got 0\)/);
  });

  it('a burst of queries fetches the collection once; a remembered collection that was re-created is fetched again', async () => {
    const name = uniqueName('cached');
    const first = await client.createCollection({ name });
    await client.add(first, { ids: ['a', 'b'], embeddings: [[1, 0, 0], [0, 1, 0]], documents: ['a', 'b'] });
    const collections = new CollectionCache();
    const at = (vector: number[]) => spec({ collection: name, input: { kind: 'vector', vector }, nResults: 1 });
    sent.length = 0;
    await runQuery(at([1, 0, 0]), { ...deps(), collections });
    await runQuery(at([0, 1, 0]), { ...deps(), collections });
    assert.equal(sent.filter((s) => s.startsWith('GET') && s.endsWith(`/collections/${name}`)).length, 1, sent.join(', '));
    assert.equal(sent.filter((s) => s.endsWith('/query')).length, 2);
    // deleted and made again with another dimension: the remembered one is stale, the query still runs
    await client.deleteCollection(name);
    const second = await client.createCollection({ name });
    await client.add(second, { ids: ['c'], embeddings: [[1, 0]], documents: ['c'] });
    const run = await runQuery(at([1, 0]), { ...deps(), collections });
    assert.equal(run.collection.id, second.id);
    assert.deepEqual(run.hits.map((h) => h.id), ['c']);
    await client.deleteCollection(name);
    await client.createCollection({ name });
    const empty = await runQuery(at([1, 0]), { ...deps(), collections });
    assert.deepEqual(empty.hits, []);
    // remembered for a while only
    const now = { t: 0 };
    const short = new CollectionCache(1_000, () => now.t);
    short.set(at([1]), second);
    assert.equal(short.get(at([1]))?.id, second.id);
    now.t = 1_001;
    assert.equal(short.get(at([1])), undefined);
  });

  it('an empty collection answers with no hits', async () => {
    const empty = await client.createCollection({ name: uniqueName('empty') });
    const run = await runQuery(spec({ collection: empty.name, input: { kind: 'text', text: 'anything' } }), deps());
    assert.deepEqual(run.hits, []);
  });
});
