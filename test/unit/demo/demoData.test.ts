import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from '../../../src/chroma';
import { createDefaultEmbeddingFunction } from '../../../src/embedding/core/defaultFunction';
import { EmbeddingApprovals } from '../../../src/embedding/core/approvals';
import { resolveEmbeddingFunction } from '../../../src/embedding/core/resolve';
import { trustedOrigins } from '../../../src/embedding/core/trustedHosts';
import { ChromaServer, freePort } from '../../support/chromaServer';
import { demoChromaSettings, describeSeed, prepareDemo, shareModelCache, TRUSTED_HOSTS } from '../../support/demoData';
import type { DemoEmbedding, DemoOptions } from '../../support/demoData';
import { DemoVectorsServer } from '../../support/demoVectors';
import { ModelBucket, TINY_MODEL, TINY_MODEL_SHA256 } from '../../support/modelBucket';
import { demoEmbedding, FACTS } from '../../support/sampleData';
import { MemoryApprovalStore } from '../embedding/core/approvalUser';

/** A model URL that cannot resolve, as Chroma's bucket is to CI here (`.invalid` never resolves). */
const UNREACHABLE = 'http://chroma-onnx-models.invalid/all-MiniLM-L6-v2/onnx.tar.gz';
const SMALL = 60;
const EXPECTED = [
  ['chroma-facts', 20],
  ['code-snippets', 10],
  ['paging-demo', SMALL],
  ['empty-collection', 0],
  ['staging/staging-notes', 5],
] as const;

describe('npm run demo: the sample data, embedded the way a Chroma user embeds', () => {
  let server: ChromaServer;
  let client: ChromaClient;
  let scratch: string;
  let bucket: ModelBucket;
  const running: DemoEmbedding[] = [];
  before(async function () {
    this.timeout(90_000);
    bucket = await ModelBucket.start();
  });
  after(async () => {
    await bucket.stop();
  });
  beforeEach(async function () {
    this.timeout(90_000);
    server = await ChromaServer.start();
    client = new ChromaClient({ url: server.url });
    scratch = mkdtempSync(join(tmpdir(), 'chroma-demo-'));
  });
  afterEach(async () => {
    for (const e of running.splice(0)) {
      await e.server?.stop();
    }
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The demo's preparation with the model from `url`, cached in the test's scratch HOME, and what it said. */
  async function prepare(url: string, opts: DemoOptions = {}) {
    const said: string[] = [];
    const home = join(scratch, 'home');
    const dir = join(home, '.cache', 'chroma', 'onnx_models', 'all-MiniLM-L6-v2');
    const got = await prepareDemo(client, { model: { url, sha256: TINY_MODEL_SHA256, dir }, vectorsPort: 0, largeRecords: SMALL, say: (l) => said.push(l), ...opts });
    running.push(got.embedding);
    return { ...got, said, dir };
  }

  const stored = async (name: string, database?: string) =>
    (await client.getCollection(name, { scope: database ? { tenant: 'default_tenant', database } : undefined })).configuration_json?.embedding_function;

  async function counts(): Promise<Array<[string, number]>> {
    const out: Array<[string, number]> = [];
    for (const [label] of EXPECTED) {
      const [database, name] = label.includes('/') ? label.split('/') : [undefined, label];
      const col = await client.getCollection(name, { scope: database ? { tenant: 'default_tenant', database } : undefined });
      out.push([label, await client.count(col)]);
    }
    return out;
  }

  it('without the model (as CI runs it): one line says so; the collections store huggingface_server at the demo vectors server, which embeds a query as the records were', async () => {
    const { embedding, collections, said } = await prepare(UNREACHABLE);
    assert.equal(embedding.mode, 'demo-vectors');
    const url = embedding.server!.url;
    assert.equal(said.length, 1, said.join('\n'));
    assert.match(
      said[0],
      new RegExp(
        `^demo: Chroma's default embedding model is not available \\(Cannot download Chroma's default model from chroma-onnx-models\\.invalid: [^()]+\\); the sample collections use demo vectors instead \\(a hashed bag of words\\), which this script serves for queries at ${url.replace(/\./g, '\\.')}$`,
      ),
    );
    assert.deepEqual(collections.map((c) => [c.collection, c.action]), EXPECTED.map(([label]) => [label, 'created']));
    assert.deepEqual(await counts(), EXPECTED);
    for (const [label] of EXPECTED) {
      const [database, name] = label.includes('/') ? label.split('/') : [undefined, label];
      assert.deepEqual(await stored(name, database), { type: 'known', name: 'huggingface_server', config: { url } }, label);
    }
    const facts = await client.getCollection('chroma-facts');
    assert.equal(facts.dimension, 384);
    assert.equal(facts.metadata?.embedder, `demo vectors: a hashed bag of words, 384-d, served by npm run demo at ${url}`);

    // The extension's own resolution of the stored function, with the host trusted in the user's settings: no
    // question, and the nearest record is the fact the question is about.
    const asked: string[] = [];
    const trusted = trustedOrigins({ globalValue: [embedding.server!.origin] });
    const approvals = new EmbeddingApprovals(new MemoryApprovalStore(), (q) => (asked.push(q.message), Promise.resolve(false)), (o) => trusted.has(o));
    const ef = resolveEmbeddingFunction(facts, { keys: { env: {}, approvals } });
    const [query] = await ef.embed(['how do I turn telemetry off before chroma run?']);
    assert.deepEqual(query, demoEmbedding('how do I turn telemetry off before chroma run?'));
    const hits = await client.query(facts, { queryEmbeddings: [query], nResults: 3, include: ['documents'] });
    assert.equal(hits.ids[0][0], 'fact-0012');
    assert.equal(hits.documents?.[0][0], FACTS[12]);
    assert.deepEqual(asked, []);
  });

  it('runs again: nothing is embedded again; a moved port only repoints the collections; a missing record is added back', async () => {
    const first = await prepare(UNREACHABLE);
    const port = first.embedding.server!.port;
    await first.embedding.server!.stop();
    const again = await prepare(UNREACHABLE, { vectorsPort: port });
    assert.equal(again.embedding.server!.port, port);
    assert.deepEqual(again.collections.map((c) => [c.collection, c.action, c.embedded]), EXPECTED.map(([label]) => [label, 'unchanged', 0]));
    assert.deepEqual(describeSeed(again.collections), []);
    await again.embedding.server!.stop();

    const facts = await client.getCollection('chroma-facts');
    await client.delete(facts, { ids: ['fact-0003'] });
    const moved = await prepare(UNREACHABLE);
    const url = moved.embedding.server!.url;
    assert.notEqual(moved.embedding.server!.port, port);
    assert.deepEqual(
      moved.collections.map((c) => [c.collection, c.action, c.embedded]),
      EXPECTED.map(([label]) => [label, 'reconfigured', label === 'chroma-facts' ? 1 : 0]),
    );
    assert.equal(describeSeed(moved.collections)[0], 'demo: chroma-facts: pointed at the demo vectors server (1 records embedded)');
    assert.deepEqual(await stored('chroma-facts'), { type: 'known', name: 'huggingface_server', config: { url } });
    assert.deepEqual(await stored('staging-notes', 'staging'), { type: 'known', name: 'huggingface_server', config: { url } });
    assert.deepEqual(await counts(), EXPECTED);
  });

  it('a .demo folder seeded by the old demo (bag of words, no function stored) is seeded again, not left giving noise', async () => {
    // The old demo: the same collections, no configuration, demo vectors.
    const old = await client.createCollection({ name: 'chroma-facts', metadata: { demo: true } });
    await client.add(old, { ids: FACTS.map((_, i) => `fact-${String(i).padStart(4, '0')}`), documents: FACTS, embeddings: FACTS.map((f) => demoEmbedding(f)) });
    await client.createCollection({ name: 'empty-collection' });
    const oldId = old.id;
    const { embedding, collections } = await prepare(bucket.url);
    assert.equal(embedding.mode, 'default');
    assert.deepEqual(
      collections.map((c) => [c.collection, c.action]),
      [['chroma-facts', 'recreated'], ['code-snippets', 'created'], ['paging-demo', 'created'], ['empty-collection', 'recreated'], ['staging/staging-notes', 'created']],
    );
    assert.equal(describeSeed(collections)[0], 'demo: chroma-facts: made again (it was embedded another way) (20 records embedded)');
    const facts = await client.getCollection('chroma-facts');
    assert.notEqual(facts.id, oldId);
    assert.deepEqual(facts.configuration_json?.embedding_function, { type: 'known', name: 'default', config: {} });
    assert.deepEqual(await stored('empty-collection'), { type: 'known', name: 'default', config: {} });
    assert.deepEqual(await counts(), EXPECTED);
  });

  it('with the model (the tiny one, from a stand-in bucket): downloaded once into the cache folder, each collection stores `default`, its vectors are the function\'s', async () => {
    const { embedding, collections, said, dir } = await prepare(bucket.url);
    assert.equal(embedding.mode, 'default');
    assert.equal(embedding.server, undefined, 'no demo vectors server');
    assert.deepEqual(said, [`demo: downloading Chroma's default embedding model (all-MiniLM-L6-v2, ${(statSync(join(TINY_MODEL, 'onnx.tar.gz')).size / 1048576).toFixed(1)} MiB) into ${dir}, once`]);
    assert.ok(existsSync(join(dir, 'onnx', 'model.onnx')));
    assert.deepEqual(collections.map((c) => c.action), EXPECTED.map(() => 'created'));
    for (const [label] of EXPECTED) {
      const [database, name] = label.includes('/') ? label.split('/') : [undefined, label];
      assert.deepEqual(await stored(name, database), { type: 'known', name: 'default', config: {} }, label);
    }
    const facts = await client.getCollection('chroma-facts');
    assert.equal(facts.dimension, 16);
    assert.equal(facts.metadata?.embedder, "Chroma's default embedding function (all-MiniLM-L6-v2)");
    const fn = createDefaultEmbeddingFunction({ source: { dir } });
    const got = await client.get(facts, { ids: ['fact-0012'], include: ['embeddings'] });
    const [want] = await fn.embed([FACTS[12]]);
    got.embeddings![0].forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-6, `dimension ${i}: ${x} vs ${want[i]}`));
    // The text of a fact finds that fact first.
    const hits = await client.query(facts, { queryEmbeddings: await fn.embed([FACTS[12]]), nResults: 2 });
    assert.equal(hits.ids[0][0], 'fact-0012');

    // The next run downloads nothing and embeds nothing.
    const requests = bucket.requests.length;
    const again = await prepare(bucket.url);
    assert.deepEqual(again.said, []);
    assert.equal(bucket.requests.length, requests);
    assert.deepEqual(again.collections.map((c) => c.action), EXPECTED.map(() => 'unchanged'));

    // Offline later, with the model cached: still the default function.
    const offline = await prepare(UNREACHABLE);
    assert.equal(offline.embedding.mode, 'default');
  });

  it('the model arrives later: demo-vector collections are made again with the default function', async () => {
    await prepare(UNREACHABLE);
    const { collections } = await prepare(bucket.url);
    assert.deepEqual(collections.map((c) => c.action), EXPECTED.map(() => 'recreated'));
    assert.equal((await client.getCollection('paging-demo')).dimension, 16);
    assert.deepEqual(await counts(), EXPECTED);
  });

  it('a download that stalls is given up after stallMs, and the demo falls back', async () => {
    bucket.mode = 'slow';
    const { embedding, said } = await prepare(bucket.url, { stallMs: 300 });
    assert.equal(embedding.mode, 'demo-vectors');
    assert.match(said.at(-1) ?? '', new RegExp(`^demo: Chroma's default embedding model is not available \\(nothing arrived from ${new URL(bucket.url).host} for 0\\.3 s\\);`));
    bucket.mode = 'ok';
  });

  it('the demo vectors port is taken: another one, said, and the collections store it', async () => {
    const port = await freePort();
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    try {
      const { embedding, said } = await prepare(UNREACHABLE, { vectorsPort: port });
      assert.notEqual(embedding.server!.port, port);
      assert.equal(said[0], `demo: port ${port} is taken: the demo vectors are served on port ${embedding.server!.port} instead, and the collections point there`);
      assert.deepEqual(await stored('chroma-facts'), { type: 'known', name: 'huggingface_server', config: { url: embedding.server!.url } });
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});

describe('npm run demo: its embedding server, its VS Code profile', () => {
  it('the demo vectors server answers text-embeddings-inference requests and refuses anything else', async () => {
    const s = await DemoVectorsServer.start(0);
    try {
      const post = (body: string) => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.deepEqual(await (await post(JSON.stringify({ inputs: ['a b', 'c'] }))).json(), [demoEmbedding('a b'), demoEmbedding('c')]);
      assert.deepEqual(await (await post(JSON.stringify({ inputs: 'a b' }))).json(), [demoEmbedding('a b')]);
      for (const [body, status] of [
        ['not json', 422],
        [JSON.stringify({ inputs: [1] }), 422],
        [JSON.stringify({ inputs: [] }), 422],
        [JSON.stringify({ input: ['x'] }), 422],
      ] as const) {
        const res = await post(body);
        assert.equal(res.status, status, body);
        assert.equal(((await res.json()) as { error_type: string }).error_type, 'Validation');
      }
      assert.equal((await fetch(s.url)).status, 405);
      assert.equal((await fetch(`${s.origin}/v1/embeddings`, { method: 'POST', body: '{}' })).status, 404);
      assert.equal((await post('x'.repeat(9 * 1024 * 1024))).status, 413);
    } finally {
      await s.stop();
    }
  });

  it('its settings: the demo connection first (an earlier one replaced), the demo vectors host trusted once, the rest kept', () => {
    const existing = {
      'chroma.connections': [{ name: 'demo (localhost:8001)', url: 'http://localhost:8001' }, { name: 'mine', url: 'http://10.0.0.5:8000' }],
      [TRUSTED_HOSTS]: ['http://embeddings.internal:8080'],
      'editor.fontSize': 15,
    };
    assert.deepEqual(demoChromaSettings(existing, { chromaPort: 8000, trustedOrigin: 'http://127.0.0.1:8111' }), {
      'chroma.connections': [{ name: 'demo (localhost:8000)', url: 'http://localhost:8000' }, { name: 'mine', url: 'http://10.0.0.5:8000' }],
      [TRUSTED_HOSTS]: ['http://embeddings.internal:8080', 'http://127.0.0.1:8111'],
    });
    const trustedAlready = { [TRUSTED_HOSTS]: ['http://127.0.0.1:8111'] };
    assert.deepEqual(demoChromaSettings(trustedAlready, { chromaPort: 8000, trustedOrigin: 'http://127.0.0.1:8111' }), {
      'chroma.connections': [{ name: 'demo (localhost:8000)', url: 'http://localhost:8000' }],
    });
    assert.deepEqual(demoChromaSettings({}, { chromaPort: 8000 }), { 'chroma.connections': [{ name: 'demo (localhost:8000)', url: 'http://localhost:8000' }] });
  });

  it('its VS Code finds the cached model through a link; a model folder already there is kept', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'chroma-demo-home-'));
    try {
      const cache = join(scratch, 'real', '.cache', 'chroma', 'onnx_models', 'all-MiniLM-L6-v2');
      const home = join(scratch, 'vscode-home');
      const link = join(home, '.cache', 'chroma', 'onnx_models', 'all-MiniLM-L6-v2');
      shareModelCache(home, cache);
      assert.ok(!existsSync(link), 'no link to a cache that does not exist');
      mkdirSync(cache, { recursive: true });
      shareModelCache(home, cache);
      assert.equal(readlinkSync(link), cache);
      shareModelCache(home, join(scratch, 'elsewhere'));
      assert.equal(readlinkSync(link), cache);
      const own = join(scratch, 'own-home');
      mkdirSync(join(own, '.cache', 'chroma', 'onnx_models', 'all-MiniLM-L6-v2'), { recursive: true });
      shareModelCache(own, cache);
      assert.ok(lstatSync(join(own, '.cache', 'chroma', 'onnx_models', 'all-MiniLM-L6-v2')).isDirectory());
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
