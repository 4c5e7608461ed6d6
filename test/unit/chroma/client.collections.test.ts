import * as assert from 'node:assert/strict';
import {
  ChromaAlreadyExistsError,
  ChromaClient,
  ChromaInvalidArgumentError,
  ChromaNotFoundError,
  ChromaUnsupportedError,
} from '../../../src/chroma';
import type { Scope } from '../../../src/chroma';
import { clientFor, uniqueName, useChromaServer } from '../../support/fixtures';

describe('ChromaClient: collections (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  before(() => {
    client = clientFor(ctx.server.url);
  });

  describe('in a database of 230 collections', () => {
    let scope: Scope;
    const names: string[] = [];
    before(async function () {
      this.timeout(120_000);
      const tenant = uniqueName('tenant');
      await client.createTenant(tenant);
      await client.createDatabase('many', { tenant });
      scope = { tenant, database: 'many' };
      for (let i = 0; i < 230; i++) {
        names.push(`col-${String(i).padStart(3, '0')}`);
      }
      for (let i = 0; i < names.length; i += 10) {
        await Promise.all(names.slice(i, i + 10).map((name) => client.createCollection({ name }, { scope })));
      }
    });

    it('counts them', async () => {
      assert.equal(await client.countCollections({ scope }), 230);
    });

    it('lists one page with limit/offset', async () => {
      const first = await client.listCollections({ scope, limit: 100, offset: 0 });
      const last = await client.listCollections({ scope, limit: 100, offset: 200 });
      assert.equal(first.length, 100);
      assert.equal(last.length, 30);
      assert.equal(new Set([...first, ...last].map((c) => c.id)).size, 130);
    });

    it('walks every page with the async iterator, never stopping at 100', async () => {
      const seen: string[] = [];
      for await (const c of client.iterateCollections({ scope, pageSize: 100 })) {
        seen.push(c.name);
      }
      assert.deepEqual([...seen].sort(), names);
    });

    it('the iterator stops after an exact last page', async () => {
      const seen: string[] = [];
      for await (const c of client.iterateCollections({ scope, pageSize: 115 })) {
        seen.push(c.name);
      }
      assert.equal(seen.length, 230);
    });
  });

  it('creates, gets by name, and get_or_create returns the same collection', async () => {
    const name = uniqueName('docs');
    const created = await client.createCollection({ name, metadata: { owner: 'me', n: 1 } });
    assert.equal(created.name, name);
    assert.deepEqual(created.metadata, { owner: 'me', n: 1 });
    assert.equal(created.dimension, null);
    const got = await client.getCollection(name);
    assert.equal(got.id, created.id);
    const again = await client.createCollection({ name, getOrCreate: true });
    assert.equal(again.id, created.id);
    await assert.rejects(client.createCollection({ name }), (e: unknown) => {
      assert.ok(e instanceof ChromaAlreadyExistsError);
      assert.match(e.message, new RegExp(`${name}.*already exists`));
      return true;
    });
  });

  it('stores the embedding-function configuration it is given', async () => {
    const name = uniqueName('ef');
    const ef = { type: 'known', name: 'openai', config: { api_key_env_var: 'OPENAI_API_KEY', model_name: 'text-embedding-3-small' } };
    await client.createCollection({ name, configuration: { embedding_function: ef } });
    const got = await client.getCollection(name);
    assert.deepEqual(got.configuration_json?.embedding_function, ef);
  });

  it('refuses an invalid name before sending anything', async () => {
    let requests = 0;
    const counted = new ChromaClient({ url: ctx.server.url, onRequest: () => requests++ });
    for (const bad of ['ab', '-bad-', 'a..b', '10.0.0.1', 'sp ace']) {
      await assert.rejects(counted.createCollection({ name: bad }), ChromaInvalidArgumentError);
    }
    assert.equal(requests, 0);
  });

  it('refuses collection metadata Chroma would refuse (nested values answer 422) before sending anything', async () => {
    let requests = 0;
    const counted = new ChromaClient({ url: ctx.server.url, onRequest: () => requests++ });
    await assert.rejects(counted.createCollection({ name: uniqueName('nested'), metadata: { nested: { a: 1 } } as never }), (e: unknown) => {
      assert.ok(e instanceof ChromaInvalidArgumentError);
      assert.equal(e.message, 'The collection: metadata "nested" is an object; values must be a string, number or boolean.');
      return true;
    });
    const c = await client.createCollection({ name: uniqueName('meta'), metadata: { ok: 1 } });
    requests = 0;
    await assert.rejects(counted.modifyCollection(c, { metadata: { list: ['a'] } as never }), /metadata "list" is a list; a collection's metadata takes only strings, numbers and booleans/);
    await assert.rejects(counted.modifyCollection(c, { metadata: { n: Number.NaN } }), /"n" is NaN; numbers must be finite/);
    assert.equal(requests, 0);
    assert.deepEqual((await client.getCollection(c.name)).metadata, { ok: 1 });
  });

  it('renames and replaces metadata', async () => {
    const c = await client.createCollection({ name: uniqueName('old'), metadata: { a: 1 } });
    const newName = uniqueName('new');
    await client.modifyCollection(c, { name: newName, metadata: { b: 'two' } });
    const got = await client.getCollection(newName);
    assert.equal(got.id, c.id);
    assert.deepEqual(got.metadata, { b: 'two' });
    await assert.rejects(client.getCollection(c.name), ChromaNotFoundError);
    await assert.rejects(client.modifyCollection(c, { name: 'x' }), ChromaInvalidArgumentError);
  });

  it('deletes by name; a second delete and a get are 404s with a readable message', async () => {
    const c = await client.createCollection({ name: uniqueName('gone') });
    await client.deleteCollection(c.name);
    await assert.rejects(client.getCollection(c.name), (e: unknown) => {
      assert.ok(e instanceof ChromaNotFoundError);
      assert.equal(e.status, 404);
      assert.match(e.message, new RegExp(`Collection \\[${c.name}\\] does not exist`));
      return true;
    });
    await assert.rejects(client.deleteCollection(c.name), ChromaNotFoundError);
    await assert.rejects(client.count(c), ChromaNotFoundError);
  });

  it('fork: a local server says it is unsupported, as a typed error that names Chroma Cloud', async () => {
    const c = await client.createCollection({ name: uniqueName('src') });
    await assert.rejects(client.forkCollection(c, uniqueName('fork')), (e: unknown) => {
      assert.ok(e instanceof ChromaUnsupportedError);
      assert.match(e.message, /does not support forking collections \(501: "Collection forking is unsupported for local chroma"\)\. Forking is a Chroma Cloud feature\.$/);
      return true;
    });
  });
});
