import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from '../../../../src/chroma';
import { createDefaultEmbeddingFunction, loadPipeline, MAX_TOKENS, poolAndNormalize, truncate } from '../../../../src/embedding/core/defaultFunction';
import { ensureModel, isModelCached, modelFiles } from '../../../../src/embedding/core/modelStore';
import { createEmbeddingFunction, resolveEmbeddingFunction } from '../../../../src/embedding/core/resolve';
import { checkDimension, EmbeddingError } from '../../../../src/embedding/core/types';
import { ModelBucket, TINY_MODEL, TINY_MODEL_SHA256 } from '../../../support/modelBucket';
import { until } from '../../../support/until';
import { uniqueName, useChromaServer } from '../../../support/fixtures';

const ARCHIVE = readFileSync(join(TINY_MODEL, 'onnx.tar.gz'));
const SHA = TINY_MODEL_SHA256;

describe('default embedding function: model download and cache', () => {
  let bucket: ModelBucket;
  let dir: string;
  before(async () => {
    bucket = await ModelBucket.start();
  });
  after(async () => {
    await bucket.stop();
  });
  beforeEach(() => {
    bucket.mode = 'ok';
    bucket.requests = [];
    bucket.beforeBreak = () => Promise.resolve();
    dir = mkdtempSync(join(tmpdir(), 'chroma-model-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('downloads, checks the SHA-256, unpacks to onnx/ and keeps the archive, as Chroma\'s Python client lays it out', async () => {
    const progress: number[] = [];
    const files = await ensureModel({ url: bucket.url, sha256: SHA, dir }, { onProgress: (p) => progress.push(p.received) });
    assert.deepEqual(files, modelFiles(dir));
    assert.ok(existsSync(files.model) && existsSync(files.tokenizer));
    assert.deepEqual(readdirSync(dir).sort(), ['onnx', 'onnx.tar.gz']);
    assert.equal(progress.at(-1), ARCHIVE.length);
  });

  it('a wrong checksum is rejected and nothing is cached', async () => {
    bucket.mode = 'corrupt';
    await assert.rejects(ensureModel({ url: bucket.url, sha256: SHA, dir }), (e: unknown) => {
      assert.ok(e instanceof EmbeddingError);
      assert.match(e.message, /does not match its checksum.*nothing was cached/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('the cached model is used with the server stopped (no network needed)', async () => {
    await ensureModel({ url: bucket.url, sha256: SHA, dir });
    const ef = createDefaultEmbeddingFunction({ source: { url: 'http://127.0.0.1:9/unreachable.tar.gz', sha256: SHA, dir } });
    const [v] = await ef.embed(['the cat sat on the mat']);
    assert.equal(v.length, 16);
  });

  it('a broken download leaves nothing half-written, and the next attempt resumes with a Range request', async () => {
    const part = join(dir, 'onnx.tar.gz.part');
    bucket.mode = 'break';
    // The bucket sends 1000 bytes and breaks off once they are in the part file.
    bucket.beforeBreak = () => until('the part file to hold the 1000 bytes sent', () => existsSync(part) && statSync(part).size === 1000);
    await assert.rejects(ensureModel({ url: bucket.url, sha256: SHA, dir }), /broke off after 1000 (of \d+ )?bytes/);
    assert.ok(!existsSync(join(dir, 'onnx')), 'no onnx/ folder');
    assert.ok(!existsSync(join(dir, 'onnx.tar.gz')), 'no archive under its final name');
    assert.equal(statSync(part).size, 1000);
    bucket.mode = 'ok';
    await ensureModel({ url: bucket.url, sha256: SHA, dir });
    assert.equal(bucket.requests.at(-1)?.range, 'bytes=1000-');
    assert.ok(isModelCached(dir));
  });

  it('a server that cannot resume gets a clean restart', async () => {
    const part = join(dir, 'onnx.tar.gz.part');
    bucket.mode = 'break';
    bucket.beforeBreak = () => until('the part file to hold the 1000 bytes sent', () => existsSync(part) && statSync(part).size === 1000);
    await assert.rejects(ensureModel({ url: bucket.url, sha256: SHA, dir }));
    bucket.mode = 'no-range';
    await ensureModel({ url: bucket.url, sha256: SHA, dir });
    assert.ok(isModelCached(dir));
  });

  it('a cancelled download says so and leaves no model behind', async () => {
    bucket.mode = 'slow';
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(ensureModel({ url: bucket.url, sha256: SHA, dir }, { signal: ac.signal }), /cancelled/);
    assert.ok(!existsSync(join(dir, 'onnx')));
    assert.ok(!existsSync(join(dir, 'onnx.tar.gz')));
  });
});

describe('default embedding function: numerics on the tiny model', () => {
  let dir: string;
  let bucket: ModelBucket;
  before(async () => {
    bucket = await ModelBucket.start();
    dir = mkdtempSync(join(tmpdir(), 'chroma-model-'));
    await ensureModel({ url: bucket.url, sha256: SHA, dir });
  });
  after(async () => {
    await bucket.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mean pooling with the attention mask and L2 normalisation match a reference computed from the raw ONNX output', async () => {
    const texts = ['hello', 'the cat sat on the mat and the dog runs fast', 'chroma vector database, embeddings!'];
    const ef = createDefaultEmbeddingFunction({ source: { dir, url: bucket.url, sha256: SHA } });
    const got = await ef.embed(texts);

    // Reference: the raw model output, padded batch, pooled here independently in float64.
    const p = await loadPipeline(modelFiles(dir));
    const enc = p.tokenize(texts);
    const { hidden, dims } = await p.infer(enc);
    const [batch, seq, dim] = dims;
    assert.deepEqual([batch, dim], [3, 16]);
    for (let b = 0; b < batch; b++) {
      const mean = new Array<number>(dim).fill(0);
      const len = enc[b].ids.length;
      for (let s = 0; s < len; s++) {
        for (let d = 0; d < dim; d++) {
          mean[d] += hidden[(b * seq + s) * dim + d] / len;
        }
      }
      const norm = Math.hypot(...mean);
      mean.forEach((v, d) => assert.ok(Math.abs(v / norm - got[b][d]) < 1e-6, `text ${b}, dim ${d}: ${v / norm} vs ${got[b][d]}`));
      assert.ok(Math.abs(Math.hypot(...got[b]) - 1) < 1e-6);
    }
    // Padding must not leak in: the short text alone gives the same vector as in the padded batch.
    const [alone] = await ef.embed([texts[0]]);
    alone.forEach((v, d) => assert.ok(Math.abs(v - got[0][d]) < 1e-6));
  });

  it('truncates at 256 tokens, keeping [CLS] and [SEP]', async () => {
    const ef = createDefaultEmbeddingFunction({ source: { dir, url: bucket.url, sha256: SHA } });
    assert.equal(await ef.countTokens!('cat '.repeat(1000)), MAX_TOKENS);
    const t = truncate({ ids: [2, ...Array(300).fill(5), 3], mask: Array(302).fill(1) });
    assert.equal(t.ids.length, 256);
    assert.deepEqual([t.ids[0], t.ids[254], t.ids[255]], [2, 5, 3]);
  });

  it('a zero vector normalises with the 1e-12 floor instead of dividing by zero', () => {
    const [v] = poolAndNormalize(new Float32Array(4), [1, 1, 4], [[1]]);
    assert.deepEqual(v, [0, 0, 0, 0]);
  });

  it('batches: 70 texts in batches of 32 give 70 vectors equal to one-by-one', async () => {
    const ef = createDefaultEmbeddingFunction({ source: { dir, url: bucket.url, sha256: SHA }, batchSize: 32 });
    const texts = Array.from({ length: 70 }, (_, i) => `record ${i % 7} of the collection ${'cat '.repeat(i % 5)}`);
    const all = await ef.embed(texts);
    assert.equal(all.length, 70);
    const [one] = await ef.embed([texts[69]]);
    one.forEach((v, d) => assert.ok(Math.abs(v - all[69][d]) < 1e-6));
  });
});

describe('embedding functions: resolution and a real server', () => {
  const ctx = useChromaServer();
  let dir: string;
  let bucket: ModelBucket;
  before(async () => {
    bucket = await ModelBucket.start();
    dir = mkdtempSync(join(tmpdir(), 'chroma-model-'));
  });
  after(async () => {
    await bucket.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves from the collection configuration; legacy collections need a choice; unknown names are named', async () => {
    const client = new ChromaClient({ url: ctx.server.url });
    const withDefault = await client.createCollection({ name: uniqueName('ef'), configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    const got = await client.getCollection(withDefault.name);
    const opts = { keys: { env: {} }, defaultFunction: { source: { dir, url: bucket.url, sha256: SHA } } };
    assert.equal(resolveEmbeddingFunction(got, opts).name, 'default');
    const legacy = await client.createCollection({ name: uniqueName('legacy') });
    assert.throws(() => resolveEmbeddingFunction(legacy, opts), (e: unknown) => e instanceof EmbeddingError && e.code === 'needs-choice' && /stores no embedding function/.test(e.message));
    assert.equal(resolveEmbeddingFunction(legacy, { ...opts, choiceFor: () => ({ type: 'known', name: 'ollama', config: { url: 'http://x', model_name: 'm' } }) }).name, 'ollama');
    assert.throws(() => createEmbeddingFunction({ name: 'amazon_bedrock' }, opts), /"amazon_bedrock", which Chroma Explorer cannot compute/);
  });

  it('embed → add → query returns the expected nearest neighbour; the dimension is checked before writing', async () => {
    const client = new ChromaClient({ url: ctx.server.url });
    const ef = createDefaultEmbeddingFunction({ source: { dir, url: bucket.url, sha256: SHA } });
    const col = await client.createCollection({ name: uniqueName('nn'), configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    const docs = ['the cat sat on the mat', 'chroma is a vector database for embeddings', 'python and node client code', 'hello world'];
    const embeddings = await ef.embed(docs);
    await client.add(col, { ids: docs.map((_, i) => `d${i}`), documents: docs, embeddings });
    const [q] = await ef.embed(['a vector database for embeddings']);
    const res = await client.query(col, { queryEmbeddings: [q], nResults: 2 });
    assert.equal(res.ids[0][0], 'd1');
    const stored = await client.getCollection(col.name);
    assert.equal(stored.dimension, 16);
    assert.throws(() => checkDimension([[1, 2, 3]], stored.dimension, 'openai'), /makes 3-dimensional vectors, but the collection holds 16-dimensional ones/);
    checkDimension(embeddings, stored.dimension, 'default');
  });
});
