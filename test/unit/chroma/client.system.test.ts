import * as assert from 'node:assert/strict';
import { ChromaAlreadyExistsError, ChromaClient, ChromaInvalidArgumentError, ChromaNotFoundError, probeServer } from '../../../src/chroma';
import { clientFor, uniqueName, useChromaServer } from '../../support/fixtures';

describe('ChromaClient: system, tenants, databases (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  before(() => {
    client = clientFor(ctx.server.url);
  });

  it('heartbeat returns the server clock in nanoseconds', async () => {
    const ns = await client.heartbeat();
    const nowNs = Date.now() * 1e6;
    assert.ok(Math.abs(ns - nowNs) < 60e9, `heartbeat ${ns} is not close to now ${nowNs}`);
  });

  it('version is the server version string', async () => {
    assert.match(await client.version(), /^\d+\.\d+\.\d+/);
  });

  it('pre-flight checks give max_batch_size and base64 support, cached per client', async () => {
    let requests = 0;
    const counted = new ChromaClient({ url: ctx.server.url, onRequest: () => requests++ });
    const pre = await counted.preflight();
    assert.ok(pre.max_batch_size > 0);
    assert.equal(typeof pre.supports_base64_encoding, 'boolean');
    await counted.preflight();
    assert.equal(requests, 1, 'the second preflight() must come from the cache');
    await counted.preflight({ refresh: true });
    assert.equal(requests, 2);
  });

  it('healthcheck and identity answer', async () => {
    const health = await client.healthcheck();
    assert.equal(typeof health, 'object');
    const id = await client.identity();
    assert.equal(id.tenant, 'default_tenant');
    assert.ok(id.databases.includes('default_database'));
  });

  it('scope defaults to /auth/identity, and configured tenant/database win', async () => {
    assert.deepEqual(await client.scope(), { tenant: 'default_tenant', database: 'default_database' });
    const fixed = new ChromaClient({ url: ctx.server.url, tenant: 'acme', database: 'docs' });
    assert.deepEqual(await fixed.scope(), { tenant: 'acme', database: 'docs' });
  });

  it('probeServer gathers version, latency, limits and the collection count', async () => {
    const probe = await probeServer(client);
    assert.equal(probe.url, ctx.server.url);
    assert.ok(probe.latencyMs >= 0);
    assert.equal(typeof probe.collections, 'number');
  });

  it('tenants: create, get, and a clear error for a duplicate, a missing one and a bad name', async () => {
    const name = uniqueName('tenant');
    await client.createTenant(name);
    // Only the name: newer servers add fields (the newest adds resource_name: null).
    assert.equal((await client.getTenant(name)).name, name);
    await assert.rejects(client.createTenant(name), (e) => e instanceof ChromaAlreadyExistsError || e instanceof ChromaInvalidArgumentError);
    await assert.rejects(client.getTenant(uniqueName('nope')), ChromaNotFoundError);
    await assert.rejects(client.createTenant('t1'), /too short/);
  });

  it('databases: create, list with paging, get, delete', async () => {
    const tenant = uniqueName('tenant');
    await client.createTenant(tenant);
    const names = [uniqueName('db'), uniqueName('db'), uniqueName('db')];
    for (const n of names) {
      await client.createDatabase(n, { tenant });
    }
    const all = await client.listDatabases({ tenant });
    assert.deepEqual(all.map((d) => d.name).sort(), [...names].sort());
    const page = await client.listDatabases({ tenant, limit: 2, offset: 2 });
    assert.equal(page.length, 1);
    const db = await client.getDatabase(names[0], { tenant });
    assert.equal(db.name, names[0]);
    assert.equal(db.tenant, tenant);
    await client.deleteDatabase(names[0], { tenant });
    await assert.rejects(client.getDatabase(names[0], { tenant }), (e: unknown) => {
      assert.ok(e instanceof ChromaNotFoundError);
      assert.match(e.message, /not found/);
      return true;
    });
    await assert.rejects(client.deleteDatabase(names[0], { tenant }), ChromaNotFoundError);
    await assert.rejects(client.listDatabases({ tenant, limit: -1 }), /limit must be a whole number/);
  });
});
