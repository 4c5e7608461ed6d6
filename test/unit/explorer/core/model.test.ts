import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { ConnectionConfig } from '../../../../src/connections/core/connectionConfig';
import { authFor } from '../../../../src/connections/core/connectionConfig';
import { ExplorerModel } from '../../../../src/explorer/core/model';
import type { CollectionNode, DatabaseNode, ErrorNode, ExplorerNode, LoadMoreNode, RecordNode } from '../../../../src/explorer/core/model';
import { freePort } from '../../../support/chromaServer';
import { requireHeader, TestProxy } from '../../../support/proxy';
import { uniqueName, useChromaServer, vectors } from '../../../support/fixtures';
import { explainFilterError } from '../../../../src/filter/core/explain';

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
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, database: c.database, auth: authFor(c, secrets.get(c.name)), retries: 0 })),
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

  it('collections come sorted by name, 100 per page with "Load more…" from one request, never stopping at 100', async () => {
    const db = await database('many');
    proxy.reset();
    let kids = await model.children(db);
    // one request fetched them all (up to the sorted-list limit): no collections_count, no second page request
    assert.deepEqual(proxy.seen.map((r) => r.path.replace(/^.*\/databases\/many\//, '')), ['collections?limit=1001&offset=0']);
    assert.equal(model.orderOf(db), 'name');
    assert.equal(kids.length, 101);
    let more = kids[100] as LoadMoreNode;
    assert.equal(more.kind, 'loadMore');
    assert.deepEqual([more.loaded, more.total], [100, 230]);
    await model.loadMore(more);
    kids = await model.children(db);
    assert.equal(kids.length, 201);
    more = kids[200] as LoadMoreNode;
    await model.loadMore(more);
    kids = await model.children(db);
    assert.equal(kids.length, 230);
    assert.equal(new Set(kids.map((k) => k.id)).size, 230);
    assert.deepEqual(
      kids.map((k) => (k as CollectionNode).collection.name),
      Array.from({ length: 230 }, (_, i) => `c-${String(i).padStart(3, '0')}`),
    );
    assert.equal(proxy.seen.filter((r) => /\/collections\?/.test(r.path)).length, 1, 'Load more… took its pages from memory');
    // let the background counts of all 230 finish before the next test counts requests
    await until(() => kids.every((k) => (k as CollectionNode).count !== undefined));
  });

  it('past chroma.explorer.sortedListLimit, collections come in the server\'s order, page by page, all reachable', async () => {
    model = new ExplorerModel({
      connections: () => connections,
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, retries: 0 })),
      sortedListLimit: () => 150,
    });
    const db = await database('many');
    const events: Array<ExplorerNode[] | undefined> = [];
    model.onDidChange((n) => events.push(n));
    proxy.reset();
    let kids = await model.children(db);
    assert.equal(model.orderOf(db), 'server');
    assert.equal(kids.length, 101);
    // the database is announced once its listing is done, so its description can say "server order"
    await until(() => events.some((e) => e?.includes(db)));
    for (let i = 0; i < 5 && kids[kids.length - 1].kind === 'loadMore'; i++) {
      await model.loadMore(kids[kids.length - 1] as LoadMoreNode);
      kids = await model.children(db);
    }
    assert.equal(kids.length, 230);
    assert.equal(new Set(kids.map((k) => (k as CollectionNode).collection.name)).size, 230);
    const lists = proxy.seen.filter((r) => /\/collections\?/.test(r.path)).map((r) => r.path.replace(/^.*\?/, ''));
    assert.deepEqual(lists, ['limit=151&offset=0', 'limit=100&offset=151']);
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

  it('counts arriving together become one tree event per 100 ms, not one per collection', async () => {
    const db = await database('many');
    const events: Array<ExplorerNode[] | undefined> = [];
    model.onDidChange((n) => events.push(n));
    const started = performance.now();
    const kids = (await model.children(db)).filter((k): k is CollectionNode => k.kind === 'collection');
    await until(() => kids.every((c) => c.count !== undefined) && events.flat().filter((n) => n?.kind === 'collection').length >= 100);
    const took = performance.now() - started;
    const announced = events.flat().filter((n): n is CollectionNode => n?.kind === 'collection');
    assert.equal(new Set(announced.map((n) => n.id)).size, 100, 'every counted collection is announced');
    assert.ok(events.length <= Math.ceil(took / 100) + 1, `${events.length} events in ${took.toFixed(0)} ms`);
    assert.ok(events.length < 50, `${events.length} events for 100 counts`);
  });

  it('a node being listed is not announced until its listing is done (VS Code would list it twice)', async () => {
    const db = await database('many');
    const events: Array<ExplorerNode[] | undefined> = [];
    model.onDidChange((n) => events.push(n));
    let listingDone = false;
    proxy.decide = (r) => (/\/collections\?/.test(r.path) ? { action: 'delay', ms: 600 } : { action: 'pass' });
    const listing = model.children(db).then((k) => ((listingDone = true), k));
    await until(() => proxy.seen.some((r) => /\/collections\?/.test(r.path)));
    model.refresh(db); // e.g. the user pressed Refresh while it loads
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!events.some((e) => e?.includes(db)), 'announced while VS Code was still listing it');
    await listing;
    assert.ok(listingDone);
    await until(() => events.some((e) => e?.includes(db)));
  });

  it('a database refreshed while records of one of its collections load waits for them (VS Code would register them twice: "Element with id …/r:rec-000 is already registered")', async () => {
    const db = await database('small');
    const cols = (await model.children(db)).filter((k) => k.kind === 'collection') as CollectionNode[];
    const col = cols.find((c) => c.collection.name === 'records')!;
    const empty = cols.find((c) => c.collection.name === 'empty')!;
    const events: Array<ExplorerNode[] | undefined> = [];
    model.onDidChange((n) => events.push(n));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    proxy.decide = (r) => (r.path.endsWith('/get') ? { action: 'hold', until: held } : { action: 'pass' });
    const records = model.children(col); // the user expands the collection
    await until(() => proxy.seen.some((r) => r.path.endsWith('/get')));
    model.refreshDatabase('test', tenant, 'small'); // a collection was just created in its database
    model.refresh(empty); // a sibling not being listed is announced meanwhile
    await until(() => events.some((e) => e?.includes(empty)));
    assert.ok(!events.some((e) => e === undefined || e.includes(db) || e.includes(db.parent)), 'the database was announced while its collection was being listed');
    release();
    const listed = await records;
    assert.equal(new Set(listed.map((n) => n.id)).size, listed.length);
    await until(() => events.some((e) => e?.includes(db)));
  });

  it('collapsing a database drops its pending counts; expanding it again counts what is left', async () => {
    const db = await database('many');
    proxy.decide = (r) => (r.path.endsWith('/count') ? { action: 'delay', ms: 300 } : { action: 'pass' });
    const kids = (await model.children(db)).filter((k): k is CollectionNode => k.kind === 'collection');
    await until(() => proxy.seen.filter((r) => r.path.endsWith('/count')).length >= 4);
    model.collapsed(db);
    await new Promise((r) => setTimeout(r, 1_000));
    const sent = proxy.seen.filter((r) => r.path.endsWith('/count')).length;
    assert.ok(sent <= 8, `${sent} counts sent for a collapsed database`);
    assert.ok(kids.some((c) => c.count === undefined));
    proxy.decide = () => ({ action: 'pass' });
    model.expanded(db); // VS Code shows the children it has, without listing them again
    await until(() => kids.every((c) => c.count !== undefined));
  });

  it('listing records never waits behind queued counts', async () => {
    const many = await database('many');
    const small = await database('small');
    const col = (await model.children(small)).find((k): k is CollectionNode => k.kind === 'collection' && k.collection.name === 'records')!;
    await until(() => col.count !== undefined);
    proxy.reset();
    proxy.decide = (r) => (r.path.endsWith('/count') ? { action: 'delay', ms: 300 } : { action: 'pass' });
    await model.children(many); // queues 100 counts, 4 in flight at a time, 300 ms each
    await until(() => proxy.seen.filter((r) => r.path.endsWith('/count')).length >= 4);
    const records = await model.children(col);
    assert.equal(records.length, 51);
    const paths = proxy.seen.map((r) => r.path);
    const getAt = paths.findIndex((p) => p.endsWith('/get'));
    const countsBefore = paths.slice(0, getAt).filter((p) => p.endsWith('/count')).length;
    assert.ok(countsBefore <= 8, `${countsBefore} counts went before the record listing`);
    model.collapsed(many);
  });

  it('Find Collection: every name without a request for a sorted database; a collection not shown yet joins the listing', async () => {
    const db = await database('many');
    await model.children(db);
    proxy.reset();
    const pages: number[] = [];
    const all = await model.allCollections(db, (soFar) => pages.push(soFar.length));
    assert.equal(all.length, 230);
    assert.equal(proxy.seen.filter((r) => /\/collections\?/.test(r.path)).length, 0);
    const target = all.find((c) => c.name === 'c-187')!;
    const node = await model.collectionNode(db, target);
    assert.equal(model.getParent(node), db);
    const kids = await model.children(db);
    assert.ok(kids.includes(node), 'the found collection is a child of its database');
    assert.equal(kids.filter((k) => k.kind === 'collection').length, 188, 'the pages before it were shown with it');
    assert.equal(model.getParent(db), model.roots()[0], 'parents are the same objects the tree has');
  });

  it('Find Collection past the sorted-list limit pages through the server, cached until refresh', async () => {
    model = new ExplorerModel({
      connections: () => connections,
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, retries: 0 })),
      sortedListLimit: () => 10,
    });
    const db = await database('many');
    const firstPage = await model.children(db);
    proxy.reset();
    const all = await model.allCollections(db);
    assert.equal(new Set(all.map((c) => c.name)).size, 230);
    const lists = () => proxy.seen.filter((r) => /\/collections\?/.test(r.path)).length;
    const first = lists();
    assert.ok(first >= 1);
    await model.allCollections(db);
    assert.equal(lists(), first, 'cached');
    // Past the limit the order is the server's (1.0.0 and the newest differ): pick one the first page lacks.
    const loaded = new Set(firstPage.flatMap((k) => (k.kind === 'collection' ? [k.collection.name] : [])));
    const node = await model.collectionNode(db, all.find((c) => !loaded.has(c.name))!);
    const kids = await model.children(db);
    assert.equal(kids[0], node, 'a collection beyond the loaded pages is shown first');
    model.refresh(db);
    await model.allCollections(db);
    assert.ok(lists() > first, 'refresh drops the cache');
  });

  it('a server that cannot list databases (0.5.18–0.6.2 answer 405) shows the connection\'s database, not an error', async () => {
    connections = [{ name: 'old', url: proxy.url, tenant, database: 'small' }];
    proxy.decide = (r) => (/\/databases(\?|$)/.test(r.path) ? { action: 'respond', status: 405, body: '' } : { action: 'pass' });
    const [conn] = model.roots();
    const dbs = await model.children(conn);
    // and says the server cannot list the others, offering to add one
    assert.deepEqual(dbs.map((d) => (d.kind === 'database' ? d.database : d.kind === 'message' ? d.action : d.kind)), ['small', 'addDatabase']);
    const cols = await model.children(dbs[0]);
    assert.ok(cols.some((c) => c.kind === 'collection' && c.collection.name === 'records'));
  });

  it('a database the connection names but the server does not have is shown as not existing, not as empty (the server lists it as [])', async () => {
    connections = [{ name: 'typo', url: proxy.url, tenant, database: 'smal' }];
    const [conn] = model.roots();
    const dbs = (await model.children(conn)).filter((d): d is DatabaseNode => d.kind === 'database');
    assert.deepEqual(
      dbs.map((d) => [d.database, d.unlisted]),
      [
        ['smal', 'connection'],
        ['many', undefined],
        ['small', undefined],
      ],
    );
    const inside = await model.children(dbs[0]);
    assert.deepEqual(
      inside.map((n) => (n.kind === 'message' ? n.text : n.kind)),
      [`Database "smal" does not exist on this server (tenant ${tenant}): check the connection's database, or create it`],
    );
    assert.equal(dbs[0].missing, true);
    // a listed one is not asked for
    proxy.reset();
    await model.children(dbs[2]);
    assert.ok(!proxy.seen.some((r) => r.method === 'GET' && r.path.endsWith(`/databases/small`)));
  });

  it('Filter Records: the collection lists only matching records; a refused filter is an error item; Clear lists all', async () => {
    model = new ExplorerModel({
      connections: () => connections,
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, retries: 0 })),
    });
    const small = await database('small');
    const col = (await model.children(small)).find((k): k is CollectionNode => k.kind === 'collection' && k.collection.name === 'records')!;
    assert.equal((await model.children(col)).filter((r) => r.kind === 'record').length, 50);
    model.setFilter(col, { where: { i: { $lt: 5 } }, whereDocument: { $contains: 'Document' } });
    let recs = await model.children(col);
    assert.deepEqual(recs.map((r) => (r.kind === 'record' ? r.recordId : r.kind)), ['rec-000', 'rec-001', 'rec-002', 'rec-003', 'rec-004']);
    model.setFilter(col, { where: { i: { $gt: 1000 } } });
    recs = await model.children(col);
    assert.deepEqual(recs.map((r) => (r.kind === 'message' ? r.text : r.kind)), ['No records match the filter']);
    model.setFilter(col, { where: { i: { $bogus: 1 } } }, explainFilterError);
    recs = await model.children(col);
    // the server's "Invalid where clause" explained: the part of the filter it refused
    assert.deepEqual(recs.map((r) => (r.kind === 'error' ? r.message : r.kind)), [
      'Chroma refused the filter: where.i.$bogus: is not an operator: use $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $contains or $not_contains',
    ]);
    model.setFilter(col, {});
    assert.equal(col.filter, undefined);
    assert.equal((await model.children(col)).filter((r) => r.kind === 'record').length, 50);
  });

  it('connection nodes stay the same objects while their configuration is the same', () => {
    const a = model.roots();
    const b = model.roots();
    assert.equal(a[0], b[0]);
    connections = [{ ...connections[0], url: `${proxy.url}/` }];
    assert.notEqual(model.roots()[0], a[0]);
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
