import * as assert from 'node:assert/strict';
import {
  ChromaAbortedError,
  ChromaClient,
  ChromaInvalidArgumentError,
} from '../../../src/chroma';
import type { Collection, RecordSet } from '../../../src/chroma';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../../src/chroma/batching';
import { TestProxy } from '../../support/proxy';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';

function recordSet(n: number, dim: number, prefix = 'r'): RecordSet {
  return {
    ids: Array.from({ length: n }, (_, i) => `${prefix}-${i}`),
    embeddings: vectors(n, dim, 7),
    documents: Array.from({ length: n }, (_, i) => `document number ${i}`),
    metadatas: Array.from({ length: n }, (_, i) => ({ i, parity: i % 2 === 0 ? 'even' : 'odd' })),
  };
}

describe('ChromaClient: records (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let proxy: TestProxy;
  let viaProxy: ChromaClient;
  before(async () => {
    client = clientFor(ctx.server.url);
    proxy = await TestProxy.start(ctx.server.url);
    viaProxy = clientFor(proxy.url);
  });
  beforeEach(() => proxy.reset());
  after(async () => {
    await proxy.stop();
  });

  async function fresh(): Promise<Collection> {
    return client.createCollection({ name: uniqueName('rec') });
  }

  function writes(op: string) {
    return proxy.seen.filter((r) => r.method === 'POST' && r.path.endsWith(`/${op}`));
  }

  it('add → count → get → query finds the nearest neighbour', async () => {
    const c = await fresh();
    const rs = recordSet(50, 8);
    const res = await client.add(c, rs);
    assert.deepEqual(res, { written: 50, batches: 1 });
    assert.equal(await client.count(c), 50);
    const got = await client.get(c, { ids: ['r-3'], include: ['documents', 'metadatas', 'embeddings'] });
    assert.deepEqual(got.ids, ['r-3']);
    assert.deepEqual(got.documents, ['document number 3']);
    assert.deepEqual(got.metadatas, [{ i: 3, parity: 'odd' }]);
    got.embeddings![0].forEach((v, j) => assert.ok(Math.abs(v - rs.embeddings![3][j] as number) < 1e-6));
    const q = await client.query(c, { queryEmbeddings: [rs.embeddings![17], rs.embeddings![42]], nResults: 3 });
    assert.equal(q.ids.length, 2);
    assert.equal(q.ids[0][0], 'r-17');
    assert.equal(q.ids[1][0], 'r-42');
    assert.ok(q.distances![0][0]! < 1e-4);
    assert.equal(q.documents![0][0], 'document number 17');
  });

  it('sends embeddings base64-encoded when the server supports it', async () => {
    const c = await fresh();
    await viaProxy.add(c, recordSet(3, 4));
    const body = JSON.parse(writes('add')[0].body) as { embeddings: unknown[] };
    assert.equal(typeof body.embeddings[0], 'string');
    const back = await client.get(c, { ids: ['r-0'], include: ['embeddings'] });
    assert.equal(back.embeddings![0].length, 4);
  });

  it('refuses documents without embeddings and sends nothing; the collection stays healthy', async () => {
    const c = await fresh();
    await assert.rejects(
      viaProxy.add(c, { ids: ['a', 'b'], documents: ['x', 'y'] }),
      (e: unknown) => e instanceof ChromaInvalidArgumentError && /without embeddings/.test(e.message),
    );
    await assert.rejects(viaProxy.upsert(c, { ids: ['a'], documents: ['x'] }), /without embeddings/);
    assert.equal(proxy.seen.length, 0, 'nothing may reach the server');
    assert.equal(await client.count(c), 0);
    await client.add(c, recordSet(2, 3));
    assert.equal((await client.query(c, { queryEmbeddings: [[1, 0, 0]], nResults: 1 })).ids[0].length, 1);
  });

  it('dimension mismatch: refused client-side when the dimension is known, mapped from the server otherwise', async () => {
    const c = await fresh();
    await client.add(c, recordSet(2, 3));
    const known = await client.getCollection(c.name);
    assert.equal(known.dimension, 3);
    await assert.rejects(viaProxy.add(known, { ids: ['z'], embeddings: [[1, 2]] }), /dimension 2, but the collection expects 3/);
    assert.equal(proxy.seen.length, 0);
    await assert.rejects(client.add(c, { ids: ['z'], embeddings: [[1, 2]] }), (e: unknown) => {
      assert.ok(e instanceof ChromaInvalidArgumentError);
      assert.equal(e.status, 400);
      assert.match(e.message, /rejected the request: Collection expecting embedding with dimension of 3, got 2/);
      return true;
    });
    await assert.rejects(client.query(known, { queryEmbeddings: [[1, 2, 3, 4]] }), /dimension 4, but the collection expects 3/);
  });

  it('splits a write larger than max_batch_size into batches, with progress', async () => {
    const c = await fresh();
    const { max_batch_size: max } = await client.preflight();
    const n = max * 2 + 123;
    const progress: number[] = [];
    const res = await viaProxy.add(c, recordSet(n, 4), { onProgress: (done, total) => (assert.equal(total, n), progress.push(done)) });
    assert.deepEqual(res, { written: n, batches: 3 });
    assert.deepEqual(progress, [max, 2 * max, n]);
    const sizes = writes('add').map((r) => (JSON.parse(r.body) as { ids: string[] }).ids.length);
    assert.deepEqual(sizes, [max, max, 123]);
    assert.equal(await client.count(c), n);
  });

  it('splits by payload size, keeping every request body under the budget', async () => {
    const c = await fresh();
    const budget = 150_000;
    const small = new ChromaClient({ url: proxy.url, maxPayloadBytes: budget });
    const res = await small.add(c, recordSet(600, 384));
    assert.ok(res.batches >= 4, `${res.batches} batches`);
    for (const r of writes('add')) {
      assert.ok(r.bodyBytes <= budget, `a body of ${r.bodyBytes} bytes`);
    }
    assert.equal(await client.count(c), 600);
  });

  it('when a proxy answers 413, halves the batch and still writes everything', async () => {
    const c = await fresh();
    proxy.decide = (r) =>
      r.bodyBytes > 20_000 ? { action: 'respond', status: 413, body: '<html>413 Request Entity Too Large</html>' } : { action: 'pass' };
    const res = await viaProxy.add(c, recordSet(200, 64));
    assert.equal(res.written, 200);
    const adds = writes('add');
    assert.ok(adds.some((r) => r.bodyBytes > 20_000), 'the proxy refused at least one body');
    assert.ok(adds.filter((r) => r.bodyBytes <= 20_000).length === res.batches && res.batches >= 4, `${res.batches} batches`);
    assert.equal(await client.count(c), 200);
  });

  it('a 1.x server gets batches of max_batch_size, however many bytes they are (no byte cap unless one is needed)', async function () {
    this.timeout(180_000);
    const c = await fresh();
    const { max_batch_size: max } = await client.preflight();
    // max_batch_size records of 384-d, base64 plus documents: over 8 MiB, which 0.x servers get in two writes or more.
    const rs = recordSet(max, 384);
    rs.documents = rs.documents!.map((d) => (d ?? '').padEnd(200, '.'));
    // A client of its own (one that met a 413 keeps its bodies under what was refused), patient: one such add takes
    // the server 3–5 s on a quiet machine, several times that on a loaded one.
    const res = await clientFor(proxy.url, { timeoutMs: 150_000 }).add(c, rs);
    assert.deepEqual(res, { written: max, batches: 1 });
    const adds = writes('add');
    assert.equal(adds.length, 1);
    assert.ok(adds[0].bodyBytes > DEFAULT_MAX_PAYLOAD_BYTES, `one body of ${adds[0].bodyBytes} bytes`);
    assert.equal(await client.count(c), max);
  });

  it('after a 413, later writes of the same client stay under what was refused: no second refusal', async () => {
    const c = await fresh();
    const limit = 20_000;
    proxy.decide = (r) => (r.bodyBytes > limit ? { action: 'respond', status: 413, body: 'too large' } : { action: 'pass' });
    const learner = clientFor(proxy.url);
    assert.equal((await learner.add(c, recordSet(200, 64, 'a'))).written, 200);
    const refusedFirst = writes('add').filter((r) => r.bodyBytes > limit).length;
    assert.ok(refusedFirst >= 1, 'the proxy refused the first body');
    proxy.reset();
    proxy.decide = (r) => (r.bodyBytes > limit ? { action: 'respond', status: 413, body: 'too large' } : { action: 'pass' });
    const res = await learner.upsert(c, recordSet(200, 64, 'b'));
    assert.equal(res.written, 200);
    const adds = writes('upsert');
    assert.equal(adds.length, res.batches, 'every request was taken');
    assert.ok(adds.every((r) => r.bodyBytes <= limit), 'no body over what was refused');
    assert.equal(await client.count(c), 400);
  });

  it('upsert overwrites, update changes, add leaves existing ids alone', async () => {
    const c = await fresh();
    await client.add(c, recordSet(3, 2));
    await client.upsert(c, { ids: ['r-0', 'new'], embeddings: [[1, 0], [0, 1]], documents: ['changed', 'fresh'], metadatas: [{ v: 2 }, null] });
    await client.update(c, { ids: ['r-1'], metadatas: [{ parity: null, extra: true }] });
    await client.add(c, { ids: ['r-2'], embeddings: [[5, 5]], documents: ['ignored'] });
    const got = await client.get(c, { include: ['documents', 'metadatas'] });
    const byId = new Map(got.ids.map((id, i) => [id, { doc: got.documents![i], meta: got.metadatas![i] }]));
    assert.equal(byId.size, 4);
    // Chroma merges metadata on upsert of an existing id: new keys are set, old ones stay.
    assert.equal(byId.get('r-0')!.doc, 'changed');
    assert.equal(byId.get('r-0')!.meta!.v, 2);
    assert.equal(byId.get('new')!.doc, 'fresh');
    assert.equal(byId.get('r-1')!.meta!.extra, true);
    assert.equal(byId.get('r-2')!.doc, 'document number 2');
    await assert.rejects(client.update(c, { ids: ['r-0'], documents: ['no vector'] }), /without new embeddings/);
  });

  it('get filters: where, where_document, ids, limit/offset; iterateRecords pages through all', async () => {
    const c = await fresh();
    await client.add(c, recordSet(250, 4));
    const even = await client.get(c, { where: { parity: 'even' }, limit: 1000 });
    assert.equal(even.ids.length, 125);
    const ranged = await client.get(c, { where: { $and: [{ i: { $gte: 10 } }, { i: { $lt: 20 } }] } });
    assert.equal(ranged.ids.length, 10);
    const byText = await client.get(c, { whereDocument: { $contains: 'number 24' } });
    assert.deepEqual([...byText.ids].sort(), ['r-24', 'r-240', 'r-241', 'r-242', 'r-243', 'r-244', 'r-245', 'r-246', 'r-247', 'r-248', 'r-249']);
    const page = await client.get(c, { limit: 100, offset: 200 });
    assert.equal(page.ids.length, 50);
    const all: string[] = [];
    let pages = 0;
    for await (const p of client.iterateRecords(c, { pageSize: 100 })) {
      all.push(...p.ids);
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(all).size, 250);
  });

  it('query with a where filter and chosen includes', async () => {
    const c = await fresh();
    const rs = recordSet(40, 4);
    await client.add(c, rs);
    const q = await client.query(c, {
      queryEmbeddings: [rs.embeddings![5]],
      nResults: 5,
      where: { parity: 'even' },
      include: ['metadatas', 'distances'],
    });
    assert.equal(q.ids[0].length, 5);
    assert.ok(q.metadatas![0].every((m) => m!.parity === 'even'));
    assert.equal(q.documents, null);
    assert.ok(q.distances![0].every((d, i, a) => i === 0 || d! >= a[i - 1]!), 'distances ascend');
  });

  it('delete by ids and by where; an empty delete is refused', async () => {
    const c = await fresh();
    await client.add(c, recordSet(20, 2));
    await client.delete(c, { ids: ['r-0', 'r-1'] });
    await client.delete(c, { where: { parity: 'odd' } });
    assert.equal(await client.count(c), 9);
    await assert.rejects(client.delete(c, {}), /Refusing to delete with no ids and no filter/);
    assert.equal(await client.count(c), 9);
  });

  it('invalid metadata and duplicate ids are refused before sending', async () => {
    const c = await fresh();
    await assert.rejects(viaProxy.add(c, { ids: ['a', 'a'], embeddings: [[1], [2]] }), /appears more than once/);
    await assert.rejects(
      viaProxy.add(c, { ids: ['a'], embeddings: [[1]], metadatas: [{ tags: [['x']] } as never] }),
      /metadata "tags" holds a list at \[0\]: lists cannot be nested/,
    );
    assert.equal(proxy.seen.length, 0);
  });

  it('an AbortSignal stops a batched write between batches and says so', async () => {
    const c = await fresh();
    const { max_batch_size: max } = await client.preflight();
    const ac = new AbortController();
    let written = 0;
    await assert.rejects(
      client.add(c, recordSet(max * 3, 2), {
        signal: ac.signal,
        onProgress: (done) => {
          written = done;
          ac.abort();
        },
      }),
      ChromaAbortedError,
    );
    assert.equal(written, max);
    assert.equal(await client.count(c), max);
  });

  describe('metadata keys per record (Chroma 1.0.0 breaks a collection for good on 5,462)', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key-${i}`, i]));

    it('the default cap, 4,096 keys, is written and leaves the collection healthy', async () => {
      const c = await fresh();
      assert.equal(client.limits.maxMetadataKeys, 4096);
      await client.add(c, { ids: ['wide'], embeddings: [[1, 0]], metadatas: [keys(4096)] });
      await client.upsert(c, { ids: ['wide2'], embeddings: [[0, 1]], metadatas: [keys(4096)] });
      await client.add(c, { ids: ['after'], embeddings: [[1, 1]] });
      assert.equal(await client.count(c), 3);
      const got = await client.get(c, { ids: ['wide'], include: ['metadatas'] });
      assert.equal(Object.keys(got.metadatas![0]!).length, 4096);
      assert.equal((await client.query(c, { queryEmbeddings: [[1, 0]], nResults: 3 })).ids[0].length, 3);
    });

    it('one key more is refused before sending, by add, upsert and update, naming the setting', async () => {
      const c = await fresh();
      for (const write of [
        () => viaProxy.add(c, { ids: ['a', 'b'], embeddings: [[1], [2]], metadatas: [{ k: 1 }, keys(4097)] }),
        () => viaProxy.upsert(c, { ids: ['b'], embeddings: [[2]], metadatas: [keys(6000)] }),
        () => viaProxy.update(c, { ids: ['b'], metadatas: [keys(5462)] }),
      ]) {
        await assert.rejects(write(), (e: unknown) => e instanceof ChromaInvalidArgumentError && /Record "b" has [\d,]+ metadata keys, over the limit of 4,096 \(setting chroma\.limits\.maxMetadataKeys\)/.test(e.message));
      }
      assert.equal(proxy.seen.length, 0, 'nothing may reach the server');
      assert.equal(await client.count(c), 0);
    });

    it('Chroma Cloud\'s limits (32 keys, 16 KB documents) apply to its host, before any request', async () => {
      let requests = 0;
      const cloud = new ChromaClient({ url: 'https://api.trychroma.com', onRequest: () => requests++ });
      const ref = { id: 'c', tenant: 't', database: 'd' };
      await assert.rejects(cloud.add(ref, { ids: ['a'], embeddings: [[1]], metadatas: [keys(33)] }), /Chroma Cloud allows 32/);
      await assert.rejects(cloud.add(ref, { ids: ['a'], embeddings: [[1]], documents: ['x'.repeat(16 * 1024 + 1)] }), /Chroma Cloud takes at most 16,384 bytes/);
      await assert.rejects(cloud.createCollection({ name: 'wide', metadata: keys(33) }), /The collection has 33 metadata keys; Chroma Cloud allows 32/);
      assert.equal(requests, 0);
    });
  });
});

