import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { ConnectionConfig } from '../../../../src/connections/core/connectionConfig';
import { authFor } from '../../../../src/connections/core/connectionConfig';
import { ExplorerModel } from '../../../../src/explorer/core/model';
import type { CollectionNode, DatabaseNode, ErrorNode, ExplorerNode, LoadMoreNode, RecordNode } from '../../../../src/explorer/core/model';
import { freePort } from '../../../support/chromaServer';
import { requireHeader, TestProxy } from '../../../support/proxy';
import { uniqueName, useChromaServer, vectors } from '../../../support/fixtures';

function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() > deadline ? reject(new Error('timed out waiting')) : setTimeout(tick, 20));
    tick();
  });
}

describe('ExplorerModel (real server)', () => {
  const ctx = useChromaServer();
  let proxy: TestProxy;
  let tenant: string;
  let connections: ConnectionConfig[];
  const secrets = new Map<string, string>();
  let model: ExplorerModel;

  before(async function () {
    this.timeout(120_000);
    proxy = await TestProxy.start(ctx.server.url);
    const admin = new ChromaClient({ url: ctx.server.url });
    tenant = uniqueName('tenant');
    await admin.createTenant(tenant);
    await admin.createDatabase('many', { tenant });
    await admin.createDatabase('small', { tenant });
    const scope = { tenant, database: 'many' };
    for (let i = 0; i < 230; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => admin.createCollection({ name: `c-${String(i + j).padStart(3, '0')}` }, { scope })));
    }
    const small = { tenant, database: 'small' };
    const col = await admin.createCollection({ name: 'records' }, { scope: small });
    await admin.add(col, {
      ids: Array.from({ length: 120 }, (_, i) => `rec-${String(i).padStart(3, '0')}`),
      embeddings: vectors(120, 4),
      documents: Array.from({ length: 120 }, (_, i) => `Document ${i}\nsecond line`),
      metadatas: Array.from({ length: 120 }, (_, i) => ({ i })),
    });
    await admin.createCollection({ name: 'empty' }, { scope: small });
  });
  after(async () => {
    await proxy.stop();
  });
  beforeEach(() => {
    proxy.reset();
    connections = [{ name: 'test', url: proxy.url, tenant }];
    model = new ExplorerModel({
      connections: () => connections,
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, auth: authFor(c, secrets.get(c.name)), retries: 0 })),
    });
  });

  async function database(name: string): Promise<DatabaseNode> {
    const [conn] = model.roots();
    const dbs = (await model.children(conn)) as DatabaseNode[];
    const db = dbs.find((d) => d.database === name);
    assert.ok(db, `no database ${name} in ${dbs.map((d) => d.database).join(', ')}`);
    return db;
  }

  it('lists the tenant\'s databases under the connection', async () => {
    const [conn] = model.roots();
    const dbs = await model.children(conn);
    assert.deepEqual(dbs.map((d) => (d as DatabaseNode).database).sort(), ['many', 'small']);
    assert.equal(model.getParent(dbs[0]), conn);
  });

  it('collections come 100 per page with "Load more…", never stopping at 100; the first page waits for one request', async () => {
    const db = await database('many');
    proxy.reset();
    const changed: Array<ExplorerNode | undefined> = [];
    model.onDidChange((n) => changed.push(n));
    let kids = await model.children(db);
    const firstPageRequests = proxy.seen.map((r) => r.path.replace(/\?.*/, '').split('/').pop());
    // the list request, and collections_count started beside it (slow on big databases, so not waited for)
    assert.deepEqual([...firstPageRequests].sort(), ['collections', 'collections_count']);
    assert.equal(kids.length, 101);
    let more = kids[100] as LoadMoreNode;
    assert.equal(more.kind, 'loadMore');
    assert.equal(more.loaded, 100);
    await until(() => changed.includes(db));
    kids = await model.children(db);
    more = kids[100] as LoadMoreNode;
    assert.deepEqual([more.loaded, more.total], [100, 230]);
    changed.length = 0;
    await model.loadMore(more);
    assert.ok(changed.includes(db));
    kids = await model.children(db);
    assert.equal(kids.length, 201);
    more = kids[200] as LoadMoreNode;
    await model.loadMore(more);
    kids = await model.children(db);
    assert.equal(kids.length, 230);
    assert.equal(new Set(kids.map((k) => k.id)).size, 230);
    assert.deepEqual(
      kids.map((k) => (k as CollectionNode).collection.name).sort(),
      Array.from({ length: 230 }, (_, i) => `c-${String(i).padStart(3, '0')}`),
    );
    // let the background counts of all 230 finish before the next test counts requests
    await until(() => kids.every((k) => (k as CollectionNode).count !== undefined));
  });

  it('counts records in the background, at most 4 requests in flight', async () => {
    const db = await database('many');
    const kids = (await model.children(db)) as CollectionNode[];
    const cols = kids.filter((k) => k.kind === 'collection');
    await until(() => cols.every((c) => c.count !== undefined));
    assert.ok(cols.every((c) => c.count === 0));
    assert.ok(model.countPeak <= 4, `peak ${model.countPeak}`);
    const counts = proxy.seen.filter((r) => r.path.endsWith('/count'));
    assert.equal(counts.length, 100);
    assert.ok(proxy.maxInFlight <= 4 + 2, `max in flight ${proxy.maxInFlight}`);
  });

  it('records come 50 at a time with "Load more…", and refresh keeps ids stable', async () => {
    const db = await database('small');
    const cols = (await model.children(db)).filter((k) => k.kind === 'collection') as CollectionNode[];
    const col = cols.find((c) => c.collection.name === 'records')!;
    let recs = await model.children(col);
    assert.equal(recs.length, 51);
    const first = recs[0] as RecordNode;
    assert.equal(first.recordId, 'rec-000');
    assert.equal(first.documentStart, 'Document 0\nsecond line');
    assert.equal(first.documentLength, 'Document 0\nsecond line'.length);
    assert.equal(first.metadataJson, '{\n  "i": 0\n}');
    await model.loadMore(recs[50] as LoadMoreNode);
    recs = await model.children(col);
    await model.loadMore(recs[100] as LoadMoreNode);
    recs = await model.children(col);
    assert.equal(recs.length, 120);
    const ids = recs.map((r) => r.id);
    model.refresh(col);
    const again = await model.children(col);
    assert.deepEqual(again.map((r) => r.id), ids.slice(0, 50).concat(`m:${col.id}`));
    const empty = cols.find((c) => c.collection.name === 'empty')!;
    const none = await model.children(empty);
    assert.deepEqual(none.map((n) => n.kind), ['message']);
  });

  it('an unreachable server shows an error node with the reason, and Retry works', async () => {
    connections = [{ name: 'down', url: `http://127.0.0.1:${await freePort()}` }];
    const [conn] = model.roots();
    const [err] = (await model.children(conn)) as ErrorNode[];
    assert.equal(err.kind, 'error');
    assert.equal(err.action, 'retry');
    assert.match(err.message, /Cannot reach Chroma at 127\.0\.0\.1:\d+: connection refused/);
  });

  it('a server that needs a token shows "set token", and works once it is set', async () => {
    connections = [{ name: 'guarded', url: proxy.url, tenant, authHeader: 'x-chroma-token' }];
    proxy.decide = requireHeader('x-chroma-token', 'tok-123');
    const [conn] = model.roots();
    const [err] = (await model.children(conn)) as ErrorNode[];
    assert.equal(err.action, 'setToken');
    assert.match(err.message, /needs credentials \(401\)/);
    secrets.set('guarded', 'tok-123');
    model.refresh(err);
    const dbs = await model.children(conn);
    assert.deepEqual(dbs.map((d) => d.kind), ['database', 'database']);
    secrets.delete('guarded');
  });
});
