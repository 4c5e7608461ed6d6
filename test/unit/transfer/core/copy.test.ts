/**
 * Copy between two real Chroma servers on two ports. Chroma Cloud cannot be reached from here: a proxy in front of
 * each server answers as Cloud does where Cloud differs (pre-flight says 1,000, writes over the quota and reads over
 * the read limit get Cloud's 422 "Quota exceeded" answer), so a copy that did not learn the limits would fail.
 */
import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { Collection, Metadata } from '../../../../src/chroma';
import { copyCollection, describeCopy } from '../../../../src/transfer/core/copier';
import { TransferError } from '../../../../src/transfer/core/errors';
import { ChromaServer } from '../../../support/chromaServer';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { uniqueName, useChromaServer, vectors } from '../../../support/fixtures';
import { TestProxy } from '../../../support/proxy';
import type { ProxyDecision, SeenRequest } from '../../../support/proxy';
import { demoEmbedding } from '../../../support/sampleData';

const DIM = 32;
const WRITE_QUOTA = 120;
const READ_QUOTA = 150;
const f32 = (v: ArrayLike<number>) => Buffer.from(Float32Array.from(v).buffer).toString('hex');

const quota = (kind: string, action: string, usage: number, limit: number): ProxyDecision => ({
  action: 'respond',
  status: 422,
  body: JSON.stringify({ error: 'ChromaError', message: `Quota exceeded: '${kind}' exceeded quota limit for action '${action}': current usage of ${usage} exceeds limit of ${limit}` }),
});

/** Cloud's answers where they differ from a local server's. */
function cloudLike(req: SeenRequest): ProxyDecision {
  if (req.path.endsWith('/pre-flight-checks')) {
    return { action: 'respond', status: 200, body: JSON.stringify({ max_batch_size: 1000, supports_base64_encoding: true }) };
  }
  const write = /\/(add|upsert|update)$/.exec(req.path);
  if (req.method === 'POST' && write) {
    const n = (JSON.parse(req.body) as { ids: string[] }).ids.length;
    if (n > WRITE_QUOTA) {
      return quota('Number of records', write[1][0].toUpperCase() + write[1].slice(1), n, WRITE_QUOTA);
    }
  }
  if (req.method === 'POST' && req.path.endsWith('/get')) {
    const limit = (JSON.parse(req.body) as { limit?: number }).limit;
    if (limit !== undefined && limit > READ_QUOTA) {
      return quota('Limit value', 'Get', limit, READ_QUOTA);
    }
  }
  return { action: 'pass' };
}

interface Stored {
  document: string | null;
  metadata: Metadata | null;
  embedding: string;
}

async function readAll(client: ChromaClient, col: Collection): Promise<Map<string, Stored>> {
  const out = new Map<string, Stored>();
  for await (const page of client.iterateRecords(col, { include: ['documents', 'metadatas', 'embeddings'], pageSize: 1000 })) {
    page.ids.forEach((id, i) => out.set(id, { document: page.documents![i], metadata: page.metadatas![i], embedding: f32(page.embeddings![i]) }));
  }
  return out;
}

describe('copy between two real servers', function () {
  this.timeout(300_000);
  const ctx = useChromaServer();
  let second: ChromaServer;
  let sourceProxy: TestProxy;
  let targetProxy: TestProxy;
  let source: ChromaClient;
  let target: ChromaClient;
  let col: Collection;

  before(async function () {
    this.timeout(120_000);
    second = await ChromaServer.start();
    assert.notEqual(second.port, ctx.server.port);
    sourceProxy = await TestProxy.start(ctx.server.url);
    targetProxy = await TestProxy.start(second.url);
    source = new ChromaClient({ url: sourceProxy.url, timeoutMs: 60_000 });
    target = new ChromaClient({ url: targetProxy.url, timeoutMs: 60_000 });
    col = await source.createCollection({
      name: uniqueName('src'),
      metadata: { owner: 'copy-test', n: 2 },
      configuration: { hnsw: { space: 'ip', ef_construction: 120 }, embedding_function: { type: 'known', name: 'default', config: {} } },
    });
    const n = 5000;
    const ids = Array.from({ length: n }, (_, i) => `doc-${String(i).padStart(5, '0')}`);
    await source.add(col, {
      ids,
      embeddings: vectors(n, DIM, 5),
      documents: ids.map((id, i) => (i % 250 === 0 ? null : `${id}: text ${i % 17} ✓`)),
      metadatas: ids.map((_, i) => ({ i, half: i / 2, odd: i % 2 === 1 })),
    });
    col = await source.getCollection(col.name);
  });
  after(async () => {
    await sourceProxy?.stop();
    await targetProxy?.stop();
    await second?.stop();
  });
  beforeEach(() => {
    sourceProxy.reset();
    targetProxy.reset();
    sourceProxy.decide = cloudLike;
    targetProxy.decide = cloudLike;
  });

  it('copies to the other server, learning Cloud-like limits from the quota answers; records and configuration kept', async () => {
    const name = uniqueName('copy');
    const r = await copyCollection({ source: { client: source, collection: col }, target: { client: target, into: { kind: 'new', name } } });
    assert.equal(r.counts.written, 5000);
    assert.equal(r.read, 5000);
    assert.deepEqual(r.learnt, [`at most ${READ_QUOTA} records per read`, `at most ${WRITE_QUOTA} records per write`]);
    assert.match(describeCopy(r, 'second/default_database'), new RegExp(`^Copied 5,000 of 5,000 records of "src-[0-9a-f]+" to new collection "copy-[0-9a-f]+" on second/default_database in [\\d.]+ s\\. The servers allowed at most ${READ_QUOTA} records per read, at most ${WRITE_QUOTA} records per write\\.$`));
    // one refused write and one refused read taught the limits; nothing after went over them
    const writes = targetProxy.seen.filter((s) => /\/upsert$/.test(s.path)).map((s) => (JSON.parse(s.body) as { ids: string[] }).ids.length);
    assert.equal(writes.filter((n) => n > WRITE_QUOTA).length, 1);
    assert.ok(writes.slice(1).every((n) => n <= WRITE_QUOTA));
    // reads run two ahead: the two sent before the first answer may be refused, none after
    const reads = sourceProxy.seen.filter((s) => s.path.endsWith('/get')).map((s) => (JSON.parse(s.body) as { limit?: number }).limit ?? 0);
    assert.ok(reads.slice(2).every((n) => n <= READ_QUOTA), reads.join(' '));
    assert.ok(reads.filter((n) => n > READ_QUOTA).length >= 1);
    // on the other server, untouched by the proxies
    const direct = new ChromaClient({ url: second.url });
    const copied = await direct.getCollection(name);
    assert.deepEqual(copied.configuration_json, col.configuration_json);
    assert.deepEqual(copied.metadata, col.metadata);
    const [a, b] = await Promise.all([readAll(new ChromaClient({ url: ctx.server.url }), col), readAll(direct, copied)]);
    assert.equal(b.size, 5000);
    for (const [id, rec] of a) {
      assert.deepEqual(b.get(id), rec, id);
    }
  });

  it('a cancelled copy resumes by skipping the ids the target already has', async () => {
    const name = uniqueName('resume');
    const ac = new AbortController();
    const first = await copyCollection({
      source: { client: source, collection: col },
      target: { client: target, into: { kind: 'new', name } },
      signal: ac.signal,
      onProgress: ({ counts }) => counts.written >= 1000 && ac.abort(),
    });
    assert.equal(first.cancelled, true);
    assert.ok(first.counts.written >= 1000 && first.counts.written < 5000);
    assert.match(describeCopy(first, 'x'), /^Copy of "src-[0-9a-f]+" cancelled: [\d,]+ of 5,000 records were written to new collection "resume-[0-9a-f]+" on x\. Copy again into it and choose Skip Existing to resume\.$/);
    const there = await target.getCollection(name);
    const had = await target.count(there);
    targetProxy.reset();
    targetProxy.decide = cloudLike;
    const second = await copyCollection({ source: { client: source, collection: col }, target: { client: target, into: { kind: 'existing', collection: there } }, skipExisting: true });
    assert.equal(second.counts.skippedExisting, had);
    assert.equal(second.counts.written, 5000 - had);
    assert.equal(await target.count(there), 5000);
    // every record sent once: the refused write aside, what went through adds up to what was written
    const sent = targetProxy.seen.filter((x) => x.path.endsWith('/upsert')).map((x) => (JSON.parse(x.body) as { ids: string[] }).ids.length);
    assert.equal(sent.filter((n) => n <= WRITE_QUOTA).reduce((a, b) => a + b, 0), second.counts.written);
  });

  it('refuses embeddings of another dimension and a copy onto itself; re-embeds with the target\'s function when asked', async () => {
    const other = await target.createCollection({ name: uniqueName('dim16') });
    await target.add(other, { ids: ['x'], embeddings: vectors(1, 16) });
    const sixteen = await target.getCollection(other.name);
    await assert.rejects(
      copyCollection({ source: { client: source, collection: col }, target: { client: target, into: { kind: 'existing', collection: sixteen } } }),
      (e: unknown) => e instanceof TransferError && e.code === 'dimension' && /holds 32-dimensional embeddings, but "dim16-[0-9a-f]+" holds 16-dimensional ones/.test(e.message),
    );
    assert.equal(await target.count(sixteen), 1);
    await assert.rejects(
      copyCollection({ source: { client: source, collection: col }, target: { client: new ChromaClient({ url: sourceProxy.url }), into: { kind: 'new', name: col.name } } }),
      (e: unknown) => e instanceof TransferError && e.code === 'same-collection',
    );
    const r = await copyCollection({
      source: { client: source, collection: col },
      target: { client: target, into: { kind: 'existing', collection: sixteen } },
      reembed: true,
      embedderFor: () => Promise.resolve(fastEmbedder(16)),
    });
    assert.equal(r.counts.embedded, 4980);
    assert.equal(r.counts.skippedNoText, 20);
    assert.deepEqual(r.counts.noTextIds, ['doc-00000', 'doc-00250', 'doc-00500', 'doc-00750', 'doc-01000']);
    const got = await target.get(sixteen, { ids: ['doc-00001', 'doc-04999'], include: ['documents', 'embeddings'] });
    got.ids.forEach((id, i) => assert.equal(f32(got.embeddings![i]), f32(demoEmbedding(got.documents![i]!, 16)), id));
    assert.equal(await target.count(sixteen), 4981);
  });
});
