/**
 * Large answers (OFF_THREAD_BYTES and more) are parsed in a worker, so the thread the client runs on (the extension
 * host's) is not blocked for the whole parse: the values must be exactly those of a plain JSON.parse, shape checks
 * still apply, and bodies that are not JSON are still typed errors. Against a real server for real answers, and a
 * proxy in front of it for the broken ones.
 */
import * as assert from 'node:assert/strict';
import { ChromaClient, ChromaServerError, ChromaUnexpectedResponseError } from '../../../src/chroma';
import type { Collection } from '../../../src/chroma';
import { OFF_THREAD_BYTES, parseJsonBytes } from '../../../src/chroma/largeJson';
import { TestProxy } from '../../support/proxy';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';

const DIM = 384;
const RECORDS = 1000;

describe('ChromaClient: large answers are parsed off the thread (real server)', () => {
  const ctx = useChromaServer();
  let proxy: TestProxy;
  let collection: Collection;
  before(async function () {
    this.timeout(120_000);
    proxy = await TestProxy.start(ctx.server.url);
    const client = clientFor(ctx.server.url);
    collection = await client.createCollection({ name: uniqueName('large') });
    const embeddings = vectors(RECORDS, DIM, 9);
    await client.add(collection, {
      ids: embeddings.map((_, i) => `r${String(i).padStart(4, '0')}`),
      embeddings,
      documents: embeddings.map((_, i) => `Document ${i} ${'é… ünïcode and "quotes" '.repeat(i % 4)}`),
      metadatas: embeddings.map((_, i) => ({ source: `f${i % 7}.md`, chunk: i, ratio: i / 3, draft: i % 2 === 0 })),
    });
  });
  after(async () => {
    proxy.reset();
    await proxy.stop();
  });
  afterEach(() => proxy.reset());

  const getPath = () => `/api/v2/tenants/default_tenant/databases/default_database/collections/${collection.id}/get`;

  it('a get of several MB equals the same answer parsed plainly, with plain arrays', async function () {
    this.timeout(60_000);
    const include = ['embeddings', 'documents', 'metadatas'] as const;
    const res = await fetch(`${ctx.server.url}${getPath()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ include }),
    });
    const text = await res.text();
    assert.ok(Buffer.byteLength(text) >= 2 * OFF_THREAD_BYTES, `the answer is only ${Buffer.byteLength(text)} bytes`);
    const plain = JSON.parse(text) as Record<string, unknown>;
    const got = await clientFor(ctx.server.url).get(collection, { include: [...include] });
    assert.equal(got.ids.length, RECORDS);
    assert.deepEqual(got.ids, plain.ids);
    assert.deepEqual(got.embeddings, plain.embeddings);
    assert.deepEqual(got.documents, plain.documents);
    assert.deepEqual(got.metadatas, plain.metadatas);
    assert.ok(got.embeddings?.every((e) => Array.isArray(e) && e.length === DIM));
  });

  it('shape checks still apply to a large answer: one bad number among millions is a typed error', async () => {
    const embeddings: unknown[][] = vectors(RECORDS, DIM, 3);
    embeddings[RECORDS - 1][7] = 'NaN';
    const body = JSON.stringify({ ids: embeddings.map((_, i) => `x${i}`), embeddings, documents: null, metadatas: null, include: ['embeddings'] });
    assert.ok(body.length >= OFF_THREAD_BYTES);
    proxy.decide = (r) => (r.path.endsWith('/get') ? { action: 'respond', status: 200, body } : { action: 'pass' });
    const client = new ChromaClient({ url: proxy.url, retries: 0 });
    await assert.rejects(client.get(collection, { include: ['embeddings'] }), (e: unknown) => {
      assert.ok(e instanceof ChromaUnexpectedResponseError, String(e));
      assert.match(e.message, new RegExp(`with an unexpected body \\(embeddings\\[${RECORDS - 1}\\]\\[7\\]: expected a finite number, got a string\\)`));
      return true;
    });
  });

  it('a large body that is not JSON is a typed error naming how it starts', async () => {
    const body = `<html><body>${'<p>maintenance</p>'.repeat(200_000)}</body></html>`;
    proxy.decide = (r) => (r.path.endsWith('/get') ? { action: 'respond', status: 200, body } : { action: 'pass' });
    const client = new ChromaClient({ url: proxy.url, retries: 0 });
    await assert.rejects(
      client.get(collection, {}),
      (e: unknown) =>
        e instanceof ChromaUnexpectedResponseError &&
        /answered POST …\/get with a body that is not JSON \(it starts "maintenance/.test(e.message) &&
        e.message.length <= 300,
    );
  });

  it('a large error body is parsed off the thread too, and its message named', async () => {
    const body = JSON.stringify({ error: 'InternalError', message: 'the disk is full', pad: 'x'.repeat(3 * OFF_THREAD_BYTES) });
    proxy.decide = (r) => (r.path.endsWith('/get') ? { action: 'respond', status: 500, body } : { action: 'pass' });
    const client = new ChromaClient({ url: proxy.url, retries: 0 });
    await assert.rejects(client.get(collection, {}), (e: unknown) => {
      assert.ok(e instanceof ChromaServerError && e.message.length <= 300, String(e));
      assert.match(e.message, /failed on POST …\/get \(500\): .*the disk is full.*See the server's log\.$/);
      return true;
    });
  });
});

describe('parseJsonBytes (plain Node, its own worker)', () => {
  const big = (text: string) => Buffer.from(text.padEnd(OFF_THREAD_BYTES + 10, ' '));

  it('a large body is parsed in the worker: an abort right after the call stops it', async () => {
    const controller = new AbortController();
    const parsing = parseJsonBytes(big(JSON.stringify({ v: vectors(10, 8, 1) })), controller.signal);
    controller.abort(new Error('stopped by the test'));
    // a parse on this thread would have finished before the abort; only the worker's can be stopped
    await assert.rejects(parsing, /stopped by the test/);
  });

  it('a body nested deeper than a thread can be sent is handed back and parsed here', async () => {
    const depth = 20_000;
    const value = (await parseJsonBytes(big(`${'['.repeat(depth)}1${']'.repeat(depth)}`))) as unknown[];
    let cur: unknown = value;
    for (let d = 0; d < depth; d++) {
      cur = (cur as unknown[])[0];
    }
    assert.equal(cur, 1);
  });

  it('small bodies are parsed here, as before', async () => {
    assert.deepEqual(await parseJsonBytes(Buffer.from('{"a":[1,2]}')), { a: [1, 2] });
    await assert.rejects(parseJsonBytes(Buffer.from('{"a":')), { name: 'NotJson' });
  });
});
