/**
 * Chroma 0.5.18–0.6.x and 0.5.15, which cannot run here (Python, no PyPI): a local stand-in (test/support/
 * legacyServer.ts) replays the answers the real 0.6.3, 0.6.2, 0.5.23 and 0.5.15 servers gave (issue #13; the bodies
 * and statuses are theirs, from FastAPI's routes and Chroma's error handler), one test per defect a user met. The last tests run on the real
 * Chroma 1.0.0 server, for what must stay right there.
 */
import * as assert from 'node:assert/strict';
import {
  ChromaApiV1OnlyError,
  ChromaClient,
  ChromaNotFoundError,
  ChromaServerError,
  ChromaTimeoutError,
  ChromaUnsupportedError,
  distanceSpace,
  probeServer,
} from '../../../src/chroma';
import type { Collection, RecordSet } from '../../../src/chroma';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_RECORDS_PER_WRITE } from '../../../src/chroma/batching';
import { formatCollection } from '../../../src/explorer/core/recordView';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';
import { HttpStub } from '../../support/httpStub';
import { HEARTBEAT, LEGACY_DB, NO_ROUTE, configurationJson, legacyServer } from '../../support/legacyServer';
import { TestProxy } from '../../support/proxy';

const DB = LEGACY_DB;

/** 0.5.15: API v1 only; every /api/v2 path is FastAPI's 404. */
async function v1OnlyServer(): Promise<HttpStub> {
  return HttpStub.start((req) => (req.path.startsWith('/api/v1/heartbeat') ? HEARTBEAT : NO_ROUTE));
}

function records(n: number, dim: number, docChars: number): RecordSet {
  return {
    ids: Array.from({ length: n }, (_, i) => `r-${i}`),
    embeddings: vectors(n, dim, 3),
    documents: Array.from({ length: n }, (_, i) => `${i} `.padEnd(docChars, 'x')),
  };
}

describe('Chroma 0.5.18–0.6.x and 0.5.15, replayed', () => {
  const posts = (s: HttpStub) => s.seen.filter((r) => r.method === 'POST' && r.path === `${DB}/collections`);

  it('create with a configuration: 500 KeyError(\'_type\') to the 1.x body, then the 0.x shape with hnsw:space is taken and remembered', async () => {
    const legacy = await legacyServer();
    try {
      const client = new ChromaClient({ url: legacy.stub.url, retries: 0 });
      const configuration = { hnsw: { space: 'cosine', ef_search: 50 }, embedding_function: { type: 'known', name: 'default', config: {} } };
      const c = await client.createCollection({ name: 'notes', metadata: { team: 'docs' }, configuration });
      const [first, second] = posts(legacy.stub);
      assert.deepEqual(first.body.configuration, configuration);
      assert.deepEqual(second.body.configuration, {
        _type: 'CollectionConfigurationInternal',
        hnsw_configuration: { space: 'cosine', ef_search: 50, _type: 'HNSWConfigurationInternal' },
      });
      // 0.x's index reads its settings from these metadata keys, not from the stored configuration.
      assert.deepEqual(second.body.metadata, { team: 'docs', 'hnsw:space': 'cosine', 'hnsw:search_ef': 50 });
      assert.equal(c.name, 'notes');
      assert.equal(distanceSpace(c), 'cosine');
      // Learnt once: the next create goes straight to the shape that worked.
      await client.createCollection({ name: 'more', configuration: { hnsw: { space: 'ip' } } });
      const more = posts(legacy.stub).slice(2);
      assert.equal(more.length, 1);
      assert.deepEqual(more[0].body.metadata, { 'hnsw:space': 'ip' });
      // A create without a configuration needs no retry on any server.
      await client.createCollection({ name: 'plain' });
      assert.equal(posts(legacy.stub).length, 4);
      // A name that exists is a 409 at once, never a retry in another shape.
      await assert.rejects(client.createCollection({ name: 'notes', configuration }), /Collection notes already exists\.$/);
      assert.equal(posts(legacy.stub).length, 5);
    } finally {
      await legacy.stub.stop();
    }
  });

  it('create: a refused legacy shape falls back to the hnsw:space metadata key alone; other failures are not retried', async () => {
    let refuseLegacy = true;
    const stub = await HttpStub.start((req) => {
      const cfg = req.body.configuration as Record<string, unknown> | undefined;
      if (req.method === 'POST' && req.path === `${DB}/collections`) {
        if (cfg && !('_type' in cfg)) {
          return { status: 500, body: { error: "KeyError('_type')" } };
        }
        if (cfg && refuseLegacy) {
          return { status: 400, body: { error: 'InvalidArgumentError', message: 'Invalid parameter value: 2' } };
        }
        if (cfg) {
          return { status: 500, body: { error: "RuntimeError('disk full')" } };
        }
        return { body: { id: 'c-1', name: req.body.name, metadata: req.body.metadata, dimension: null, configuration_json: configurationJson(undefined) } };
      }
      return NO_ROUTE;
    });
    try {
      const client = new ChromaClient({ url: stub.url, tenant: 'default_tenant', database: 'default_database', retries: 0 });
      const c = await client.createCollection({ name: 'notes', configuration: { hnsw: { space: 'cosine' } } });
      assert.equal(posts(stub).length, 3);
      assert.equal(posts(stub)[2].body.configuration, undefined);
      assert.deepEqual(c.metadata, { 'hnsw:space': 'cosine' });
      assert.equal(distanceSpace(c), 'cosine');
      // Any other failure of the 1.x body goes to the user as it is, after one request.
      refuseLegacy = false;
      const fresh = new ChromaClient({ url: stub.url, tenant: 'default_tenant', database: 'default_database', retries: 0 });
      stub.answer = () => ({ status: 500, body: { error: "RuntimeError('disk full')" } });
      const before = posts(stub).length;
      await assert.rejects(fresh.createCollection({ name: 'x-1', configuration: { hnsw: { space: 'l2' } } }), ChromaServerError);
      assert.equal(posts(stub).length, before + 1);
    } finally {
      await stub.stop();
    }
  });

  it('create: a timed-out create is not sent again (it may have worked: a retry would be a 409)', async () => {
    const legacy = await legacyServer();
    const proxy = await TestProxy.start(legacy.stub.url);
    try {
      proxy.decide = (r) => (r.method === 'POST' ? { action: 'stall' } : { action: 'pass' });
      const client = new ChromaClient({ url: proxy.url, timeoutMs: 500, tenant: 'default_tenant', database: 'default_database' });
      await assert.rejects(client.createCollection({ name: 'slow', configuration: { hnsw: { space: 'cosine' } } }), ChromaTimeoutError);
      assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1);
    } finally {
      await proxy.stop();
      await legacy.stub.stop();
    }
  });

  it('0.6.2 answers 405 to listing databases: a typed "not offered", and databaseNames falls back to what is known', async () => {
    const legacy = await legacyServer({ listsDatabases: false, databases: ['default_database', 'docs'] });
    try {
      const client = new ChromaClient({ url: legacy.stub.url, retries: 0 });
      await assert.rejects(client.listDatabases(), (e: unknown) => {
        assert.ok(e instanceof ChromaUnsupportedError, String(e));
        assert.equal(e.status, 405);
        assert.match(e.message, /does not offer GET \/api\/v2\/tenants\/default_tenant\/databases \(405\): this server version lacks it/);
        return true;
      });
      // From the identity's databases, then the connection's own database.
      assert.deepEqual(await client.databaseNames(), { names: ['default_database', 'docs'], listed: false });
      const scoped = new ChromaClient({ url: legacy.stub.url, tenant: 'default_tenant', database: 'docs', retries: 0 });
      assert.deepEqual(await scoped.databaseNames(), { names: ['docs'], listed: false });
      const listing = await legacyServer({ listsDatabases: true, databases: ['a', 'b'] });
      try {
        assert.deepEqual(await new ChromaClient({ url: listing.stub.url }).databaseNames(), { names: ['a', 'b'], listed: true });
      } finally {
        await listing.stub.stop();
      }
    } finally {
      await legacy.stub.stop();
    }
  });

  it('0.6.x has no /healthcheck: a 404 there is "not offered", not "only speaks API v1", since /api/v2/heartbeat answers', async () => {
    const legacy = await legacyServer();
    try {
      const client = new ChromaClient({ url: legacy.stub.url, retries: 0 });
      await assert.rejects(client.healthcheck(), (e: unknown) => {
        assert.ok(e instanceof ChromaUnsupportedError, String(e));
        assert.doesNotMatch(e.message, /API v1/);
        assert.match(e.message, /has no GET \/api\/v2\/healthcheck \(404\): this server version does not offer it/);
        return true;
      });
      const paths = legacy.stub.seen.map((r) => r.path);
      assert.deepEqual(paths, ['/api/v2/healthcheck', '/api/v2/heartbeat']);
      // The status bar's and Check Server's probe works on it as it is.
      const probe = await probeServer(client);
      assert.equal(probe.version, '0.6.2');
      assert.equal(probe.preflight.max_batch_size, 41666);
    } finally {
      await legacy.stub.stop();
    }
  });

  it('0.5.15 (API v1 only) with tenant and database set: every call gets the upgrade message, not "Is this a Chroma server?"', async () => {
    const old = await v1OnlyServer();
    try {
      const client = new ChromaClient({ url: old.url, tenant: 'default_tenant', database: 'default_database', retries: 0 });
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['listCollections', () => client.listCollections()],
        ['countCollections', () => client.countCollections()],
        ['databaseNames', () => client.databaseNames()],
        ['getCollection', () => client.getCollection('notes')],
        ['probeServer', () => probeServer(client)],
      ];
      for (const [name, call] of calls) {
        await assert.rejects(call(), (e: unknown) => {
          assert.ok(e instanceof ChromaApiV1OnlyError, `${name}: ${String(e)}`);
          assert.match(e.message, /only speaks API v1: it is older than 0\.6\. Upgrade the server to Chroma 0\.6 or newer\./);
          return true;
        });
      }
    } finally {
      await old.stop();
    }
  });

  it('a missing collection, 400 InvalidCollection on 0.x, is NotFound; no stray period after "Are you sure it exists?"', async () => {
    const legacy = await legacyServer();
    try {
      const client = new ChromaClient({ url: legacy.stub.url, tenant: 'default_tenant', database: 'default_database', retries: 0 });
      await assert.rejects(client.getCollection('nope'), (e: unknown) => {
        assert.ok(e instanceof ChromaNotFoundError, String(e));
        assert.equal(e.serverKind, 'InvalidCollection');
        assert.match(e.message, /: Collection nope does not exist\. Refresh to see what exists now\.$/);
        return true;
      });
      const gone = { id: '00000000-0000-0000-0000-000000000099', tenant: 'default_tenant', database: 'default_database' };
      await assert.rejects(client.count(gone), ChromaNotFoundError);
      await assert.rejects(client.listCollections({ scope: { database: 'nope' } }), (e: unknown) => {
        assert.ok(e instanceof ChromaNotFoundError);
        assert.match(e.message, /Are you sure it exists\? Refresh to see what exists now\.$/);
        assert.doesNotMatch(e.message, /\?\./);
        return true;
      });
    } finally {
      await legacy.stub.stop();
    }
  });

  it('distance: cosine set through the hnsw:space metadata key (the 0.x way) shows as cosine, not l2', async () => {
    const legacy = await legacyServer();
    try {
      const client = new ChromaClient({ url: legacy.stub.url, retries: 0 });
      // As the 0.x Python client creates it: metadata only; 0.6.3 stores its default (l2) configuration beside it.
      await client.createCollection({ name: 'cos', metadata: { 'hnsw:space': 'cosine' } });
      const c = await client.getCollection('cos');
      assert.equal((c.configuration_json as { hnsw_configuration: { space: string } }).hnsw_configuration.space, 'l2');
      assert.equal(distanceSpace(c), 'cosine');
      assert.match(formatCollection(c, 0, { ids: [], embeddings: null, documents: null, metadatas: null, uris: null, include: [] }), /^- distance: cosine$/m);
      // Only the stored 0.x configuration: its space; nothing at all: Chroma's default.
      assert.equal(distanceSpace({ ...c, metadata: null, configuration_json: configurationJson({ hnsw_configuration: { space: 'ip' } }) }), 'ip');
      assert.equal(distanceSpace({ ...c, metadata: null, configuration_json: null }), 'l2');
      // Newer servers keep it in the schema.
      const schema = { defaults: {}, keys: { '#embedding': { float_list: { vector_index: { enabled: true, config: { space: 'ip' } } } } } };
      assert.equal(distanceSpace({ ...c, metadata: null, configuration_json: {}, schema } as Collection), 'ip');
    } finally {
      await legacy.stub.stop();
    }
  });

  it('a large write to a server advertising 41,666 per batch: split by the byte budget and the record cap, each record sent once', async function () {
    this.timeout(120_000);
    const legacy = await legacyServer();
    try {
      const client = new ChromaClient({ url: legacy.stub.url, retries: 0, timeoutMs: 60_000 });
      const c = await client.createCollection({ name: 'big' });
      // 1,500 records of 384 dimensions are ~11 MB of JSON: one request by max_batch_size, two or more by bytes.
      const heavy = records(1_500, 384, 200);
      const res = await client.add(c, heavy);
      assert.ok(res.batches >= 2, `${res.batches} batch(es)`);
      for (const w of legacy.writes) {
        assert.ok(w.bytes <= DEFAULT_MAX_PAYLOAD_BYTES, `a request of ${w.bytes} bytes`);
        assert.equal(typeof (w.embeddings[0] as number[])[0], 'number', 'no base64: the server did not offer it');
      }
      assert.deepEqual(legacy.writes.flatMap((w) => w.ids), heavy.ids);
      // 12,000 small records fit the byte budget and max_batch_size, but not the per-write cap that keeps each under the timeout.
      legacy.writes.length = 0;
      const light = records(12_000, 3, 10);
      // another collection: 0.x refuses records of another dimension
      const res2 = await client.upsert(await client.createCollection({ name: 'big-light' }), light);
      assert.equal(res2.batches, Math.ceil(12_000 / DEFAULT_MAX_RECORDS_PER_WRITE));
      assert.ok(legacy.writes.every((w) => w.ids.length <= DEFAULT_MAX_RECORDS_PER_WRITE));
      assert.deepEqual(legacy.writes.flatMap((w) => w.ids), light.ids);
    } finally {
      await legacy.stub.stop();
    }
  });
});

describe('the same on the real Chroma 1.0.0 server', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let proxy: TestProxy;
  before(async () => {
    client = clientFor(ctx.server.url);
    proxy = await TestProxy.start(ctx.server.url);
  });
  after(async () => {
    await proxy.stop();
  });

  it('a 1.x configuration is taken in one request; the 0.x body, should a client send it, keeps the distance too', async () => {
    const name = uniqueName('cfg');
    const counted = clientFor(proxy.url);
    proxy.reset();
    const c = await counted.createCollection({ name, configuration: { hnsw: { space: 'cosine' } } });
    assert.equal(proxy.seen.filter((r) => r.method === 'POST').length, 1);
    assert.equal(distanceSpace(c), 'cosine');
    // hnsw:space metadata, the 0.x way, is read as 1.0.0 reads it.
    assert.equal(distanceSpace(await client.createCollection({ name: uniqueName('meta'), metadata: { 'hnsw:space': 'ip' } })), 'ip');
  });

  it('an upsert that timed out is sent once more and each record is written once; an add is never sent again', async function () {
    this.timeout(60_000);
    const c = await client.createCollection({ name: uniqueName('retry') });
    const viaProxy = clientFor(proxy.url, { timeoutMs: 3_000 });
    await viaProxy.preflight();
    const rs = records(40, 8, 30);
    let upserts = 0;
    proxy.reset();
    // The first upsert reaches the server only after the client gave up on it: written, but late.
    proxy.decide = (r) => (r.path.endsWith('/upsert') && upserts++ === 0 ? { action: 'delay', ms: 4_000 } : { action: 'pass' });
    assert.deepEqual(await viaProxy.upsert(c, rs), { written: 40, batches: 1 });
    assert.equal(proxy.seen.filter((r) => r.path.endsWith('/upsert')).length, 2);
    while (proxy.inFlight > 0) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await client.count(c), 40);
    const got = await client.get(c, { include: ['documents'] });
    assert.deepEqual([...got.ids].sort(), [...rs.ids].sort());
    got.ids.forEach((id, i) => assert.equal(got.documents![i], rs.documents![rs.ids.indexOf(id)]));

    proxy.reset();
    proxy.decide = (r) => (r.path.endsWith('/add') ? { action: 'stall' } : { action: 'pass' });
    await assert.rejects(viaProxy.add(c, records(5, 8, 10)), ChromaTimeoutError);
    assert.equal(proxy.seen.filter((r) => r.path.endsWith('/add')).length, 1);
  });
});
