import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { ConnectionConfig } from '../../../../src/connections/core/connectionConfig';
import { ExplorerModel } from '../../../../src/explorer/core/model';
import type { DatabaseNode, ExplorerNode } from '../../../../src/explorer/core/model';
import { TestProxy } from '../../../support/proxy';
import { uniqueName, useChromaServer } from '../../../support/fixtures';

function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() > deadline ? reject(new Error('timed out waiting')) : setTimeout(tick, 20));
    tick();
  });
}

const TOTAL = /\/collections_count$/;

describe('ExplorerModel: database collection counts (real server)', () => {
  const ctx = useChromaServer();
  let proxy: TestProxy;
  let admin: ChromaClient;
  let tenant: string;
  let model: ExplorerModel;

  before(async () => {
    proxy = await TestProxy.start(ctx.server.url);
    admin = new ChromaClient({ url: ctx.server.url });
    tenant = uniqueName('tenant');
    await admin.createTenant(tenant);
    await admin.createDatabase('alpha', { tenant });
    await admin.createDatabase('beta', { tenant });
    await Promise.all(['one', 'two', 'three'].map((name) => admin.createCollection({ name }, { scope: { tenant, database: 'alpha' } })));
  });
  after(async () => {
    await proxy.stop();
  });
  /** A model of one connection through the proxy (the same connection list each call, as the store gives). */
  function countsModel(databaseCountConcurrency?: number): ExplorerModel {
    const connections: ConnectionConfig[] = [{ name: 'counts', url: proxy.url, tenant }];
    return new ExplorerModel({
      connections: () => connections,
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, retries: 0 })),
      databaseCountConcurrency,
    });
  }
  beforeEach(() => {
    proxy.reset();
    model = countsModel();
  });

  async function shownDatabases(): Promise<DatabaseNode[]> {
    const dbs = (await model.children(model.roots()[0])).filter((n): n is DatabaseNode => n.kind === 'database');
    model.countDatabases(dbs); // what the tree does once it shows them
    return dbs;
  }

  const named = (dbs: DatabaseNode[], name: string) => dbs.find((d) => d.database === name)!;

  it('counts the collections of the databases shown, one request each, announced together', async () => {
    const events: Array<ExplorerNode[] | undefined> = [];
    model.onDidChange((n) => events.push(n));
    const dbs = await shownDatabases();
    await until(() => dbs.every((d) => d.collectionCount !== undefined));
    assert.equal(named(dbs, 'alpha').collectionCount, 3);
    assert.equal(named(dbs, 'beta').collectionCount, 0);
    assert.equal(proxy.seen.filter((r) => TOTAL.test(r.path)).length, 2);
    await until(() => events.flat().filter((n) => n?.kind === 'database').length >= 2);
    assert.ok(events.length <= 2, `${events.length} tree events for two counts`);
    // shown again (VS Code asks for the children anew): nothing is counted twice
    model.countDatabases(dbs);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(proxy.seen.filter((r) => TOTAL.test(r.path)).length, 2);
  });

  it('a database whose listing holds all its collections is counted by it, without a request', async () => {
    const dbs = (await model.children(model.roots()[0])).filter((n): n is DatabaseNode => n.kind === 'database');
    const alpha = named(dbs, 'alpha');
    await model.children(alpha);
    model.countDatabases([alpha]);
    assert.equal(alpha.collectionCount, 3);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(proxy.seen.filter((r) => TOTAL.test(r.path)).length, 0);
  });

  it('an open database is not refreshed for its count (VS Code would re-create its items under the user\'s click)', async () => {
    proxy.decide = (r) => (TOTAL.test(r.path) ? { action: 'delay', ms: 300 } : { action: 'pass' });
    const events: Array<ExplorerNode[] | undefined> = [];
    model.onDidChange((n) => events.push(n));
    const dbs = await shownDatabases();
    const alpha = named(dbs, 'alpha');
    await model.children(alpha); // the user opened it before its count came
    await until(() => dbs.every((d) => d.collectionCount !== undefined) && proxy.seen.filter((r) => TOTAL.test(r.path)).length === 2);
    await new Promise((r) => setTimeout(r, 500));
    const announced = events.flat();
    assert.ok(announced.includes(named(dbs, 'beta')), 'the closed database shows its count');
    assert.ok(!announced.includes(alpha), 'the open one is left alone');
    assert.equal(alpha.collectionCount, 3, 'its count is there for its next refresh');
  });

  it('counts wait while their connection is collapsed, and run when it is expanded again', async () => {
    proxy.decide = (r) => (TOTAL.test(r.path) ? { action: 'delay', ms: 300 } : { action: 'pass' });
    model = countsModel(1);
    const dbs = await shownDatabases();
    await until(() => proxy.seen.some((r) => TOTAL.test(r.path)));
    const conn = model.roots()[0];
    model.collapsed(conn);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(proxy.seen.filter((r) => TOTAL.test(r.path)).length, 1, 'the count queued behind the first waits while collapsed');
    model.expanded(conn); // VS Code shows the children it has, without listing them again
    await until(() => dbs.every((d) => d.collectionCount !== undefined));
    assert.equal(named(dbs, 'alpha').collectionCount, 3);
    assert.equal(proxy.seen.filter((r) => TOTAL.test(r.path)).length, 2);
  });

  it('a refreshed database is counted again, keeping the old count shown until the new one arrives', async () => {
    const dbs = await shownDatabases();
    const beta = named(dbs, 'beta');
    await until(() => beta.collectionCount === 0);
    await model.children(beta); // open in the tree
    await admin.createCollection({ name: 'new-one' }, { scope: { tenant, database: 'beta' } });
    proxy.decide = (r) => (TOTAL.test(r.path) ? { action: 'delay', ms: 300 } : { action: 'pass' });
    model.refresh(beta); // as Create Collection… does
    const events: Array<ExplorerNode[] | undefined> = [];
    model.onDidChange((n) => events.push(n));
    assert.equal(beta.collectionCount, 0, 'still shown while it is counted again');
    await model.children(beta); // VS Code lists it again
    await until(() => beta.collectionCount === 1);
    await until(() => events.some((e) => e?.includes(beta)));
    await admin.deleteCollection('new-one', { scope: { tenant, database: 'beta' } });
  });

  it('a refreshed connection drops the pending counts of its old database nodes', async () => {
    proxy.decide = (r) => (TOTAL.test(r.path) ? { action: 'delay', ms: 300 } : { action: 'pass' });
    model = countsModel(1);
    const dbs = await shownDatabases();
    await until(() => proxy.seen.some((r) => TOTAL.test(r.path)));
    model.refresh(model.roots()[0]);
    await new Promise((r) => setTimeout(r, 900));
    assert.equal(proxy.seen.filter((r) => TOTAL.test(r.path)).length, 1, 'the second database was not counted');
    assert.ok(dbs.some((d) => d.collectionCount === undefined));
  });
});
