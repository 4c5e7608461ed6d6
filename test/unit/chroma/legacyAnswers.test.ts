/**
 * What a user of Chroma 0.6.x and 0.5.23 still met (issue "Trust and correctness", section 4), replayed on the
 * stand-in of test/support/legacyServer.ts, whose answers are those servers' own: filters they cannot take, lists
 * mixing whole and decimal numbers, databases they cannot list, their stored configuration, a delete of a collection
 * that is gone, and an add of another dimension. The export that is imported is made on the real server the suite
 * runs on.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient, ChromaError, ChromaInvalidArgumentError, ChromaNotFoundError, ChromaUnsupportedError } from '../../../src/chroma';
import type { Collection, Where, WhereDocument } from '../../../src/chroma';
import { currentSettings, modifyPayload } from '../../../src/collections/core/collectionConfig';
import { configMarkdown } from '../../../src/collections/core/configView';
import { ExplorerModel } from '../../../src/explorer/core/model';
import type { DatabaseNode, ExplorerNode, MessageNode } from '../../../src/explorer/core/model';
import { exportCollection } from '../../../src/transfer/core/exporter';
import { describeImport, importFile } from '../../../src/transfer/core/importer';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';
import { legacyServer } from '../../support/legacyServer';
import type { Legacy } from '../../support/legacyServer';

interface FilterCase {
  where?: unknown;
  doc?: unknown;
  /** What the client does on 0.6: sends it (and the server takes it), or refuses it naming this part. */
  client: 'sends' | RegExp;
  /** What 0.6.3 answers the filter as JSON.stringify writes it, when it refuses it. */
  server?: RegExp;
}

const OPERATOR = /^Expected where operator to be one of \$gt, \$gte, \$lt, \$lte, \$ne, \$eq, \$in, \$nin, got \$contains$/;
const DOC_OPERATOR = /^Expected where document operator to be one of \$contains, \$and, \$or, got \$(not_)?regex$/;
const TWO = /to be a list with at least two where (document )?expressions/;

const CASES: FilterCase[] = [
  { where: { year: { $gt: 2020 } }, client: 'sends' },
  { where: { $and: [{ year: 2020 }, { name: 'x' }] }, client: 'sends' },
  { where: { name: { $in: ['a', 'b'] } }, client: 'sends' },
  { doc: { $contains: 'hello' }, client: 'sends' },
  { doc: { $or: [{ $contains: 'a' }, { $not_contains: 'b' }] }, client: 'sends' },
  { where: { year: 2020 }, doc: { $not_contains: 'x' }, client: 'sends' },
  // a list mixing whole and decimal numbers: written as [2.0, 0.5], which 0.6 takes; as JSON.stringify writes it, refused
  { where: { score: { $in: [2, 0.5] } }, client: 'sends', server: /^Expected where operand value to be a non-empty list, and all values to be of the same type got \[2,0\.5\]$/ },
  { where: { score: { $nin: [0.5, 3, 4] } }, client: 'sends', server: /all values to be of the same type/ },
  { doc: { $regex: 'h.*o' }, client: /^where_document\.\$regex: it has no regular expressions; use \$contains or \$not_contains$/, server: DOC_OPERATOR },
  { doc: { $and: [{ $contains: 'a' }, { $not_regex: 'b' }] }, client: /^where_document\.\$and\[1\]\.\$not_regex: it has no regular expressions/, server: DOC_OPERATOR },
  { where: { tags: { $contains: 'red' } }, client: /^where\.tags\.\$contains: \$contains on metadata lists is for Chroma 1\.5 and later/, server: OPERATOR },
  { where: { '#document': { $contains: 'hello' } }, client: /^where\.#document: "#document" in where is for Chroma 1\.5 and later; filter the text with where_document instead$/, server: OPERATOR },
  { where: { $and: [{ year: 2020 }] }, client: /^where\.\$and: \$and needs two or more filters here; use its one filter on its own$/, server: TWO },
  { where: { $or: [] }, client: /^where\.\$or: an empty \$or is not taken; leave it out$/, server: TWO },
  { doc: { $and: [{ $contains: 'a' }] }, client: /^where_document\.\$and: \$and needs two or more filters here/, server: TWO },
  { doc: { $contains: '' }, client: /^where_document\.\$contains: it takes no empty \$contains text; leave the condition out$/, server: /^Expected where document operand value for operator \$contains to be a non-empty str$/ },
  { where: { $or: [{ a: 1 }, { $and: [{ b: 2 }] }] }, client: /^where\.\$or\[1\]\.\$and: \$and needs two or more/, server: TWO },
];

describe('Chroma 0.6 and 0.5.23, replayed: what a user met', () => {
  let legacy: Legacy;
  let client: ChromaClient;
  let col: Collection;

  before(async () => {
    legacy = await legacyServer({ listsDatabases: true });
    client = new ChromaClient({ url: legacy.stub.url, retries: 0 });
    col = await client.createCollection({ name: 'notes' });
  });
  after(async () => legacy.stub.stop());

  /** What 0.6.3 answers a get with this filter as JSON.stringify writes it. */
  async function raw(c: FilterCase): Promise<true | string> {
    try {
      await client.transport.request('POST', `/api/v2/tenants/default_tenant/databases/default_database/collections/${col.id}/get`, {
        body: { where: c.where, where_document: c.doc },
      });
      return true;
    } catch (e) {
      assert.ok(e instanceof ChromaError && e.status === 400, String(e));
      return e.serverMessage ?? '';
    }
  }

  for (const c of CASES) {
    it(`${c.client === 'sends' ? 'sends' : 'refuses'} ${JSON.stringify({ where: c.where, where_document: c.doc })}`, async () => {
      const filter = { where: c.where as Where | undefined, whereDocument: c.doc as WhereDocument | undefined };
      const gets = () => legacy.stub.seen.filter((r) => r.path.endsWith('/get')).length;
      const before = gets();
      const said = await raw(c);
      if (c.server) {
        assert.match(String(said), c.server);
      } else {
        assert.equal(said, true);
      }
      if (c.client === 'sends') {
        await client.get(col, filter);
        await client.query(col, { ...filter, queryEmbeddings: [[1, 0]] });
        await client.delete(col, filter);
        assert.equal(gets(), before + 2, 'the raw get and the client get reached the server');
        return;
      }
      for (const call of [() => client.get(col, filter), () => client.query(col, { ...filter, queryEmbeddings: [[1, 0]] }), () => client.delete(col, filter)]) {
        await assert.rejects(call(), (e: unknown) => {
          assert.ok(e instanceof ChromaUnsupportedError, String(e));
          assert.ok(e.message.startsWith('Filter not supported by this server (Chroma 0.6): '), e.message);
          assert.match(e.message.slice('Filter not supported by this server (Chroma 0.6): '.length).replace(/\.$/, ''), c.client as RegExp);
          return true;
        });
      }
      assert.equal(gets(), before + 1, 'only the raw get reached the server');
    });
  }

  it('a mixed list goes out as decimals, and a list of one number type as it is', async () => {
    await client.get(col, { where: { score: { $in: [2, 0.5, -3] } } });
    await client.get(col, { where: { score: { $in: [2, 3] } } });
    const bodies = legacy.stub.seen.filter((r) => r.path.endsWith('/get')).slice(-2).map((r) => r.raw);
    assert.match(bodies[0], /"where":\{"score":\{"\$in":\[2\.0,0\.5,-3\.0\]\}\}/);
    assert.match(bodies[1], /"where":\{"score":\{"\$in":\[2,3\]\}\}/);
  });

  it('deleting a collection that is gone says it does not exist, not that the request was rejected', async () => {
    await assert.rejects(client.deleteCollection('gone'), (e: unknown) => {
      assert.ok(e instanceof ChromaNotFoundError, String(e));
      assert.match(e.message, /^Chroma at 127\.0\.0\.1:\d+: Collection gone does not exist\. Refresh to see what exists now\.$/);
      return true;
    });
    // one that is there is deleted as before
    await client.createCollection({ name: 'temp' });
    await client.deleteCollection('temp');
    assert.ok(!legacy.collections.has('default_database/temp'));
  });

  it('an add of another dimension shows what the server said, not "see the server\'s log"', async () => {
    const dim = await client.createCollection({ name: 'dims' });
    await client.add(dim, { ids: ['a'], embeddings: [[1, 2, 3]] });
    // the collection as listed before its first add: its dimension is not known to the client
    await assert.rejects(client.add({ ...dim, dimension: null }, { ids: ['b'], embeddings: [[1, 2]] }), (e: unknown) => {
      assert.ok(e instanceof ChromaInvalidArgumentError, String(e));
      assert.match(
        e.message,
        /^Chroma at 127\.0\.0\.1:\d+ refused the records: Embedding dimension 2 does not match collection dimensionality 3\. Use the same embedding model for every record of a collection\.$/,
      );
      return true;
    });
  });

  it('the configuration page and Edit Collection read 0.x\'s hnsw_configuration: the index, its parameters, fixed', async () => {
    const c = await client.createCollection({ name: 'cfg', configuration: { hnsw: { space: 'cosine', ef_search: 50 } } });
    const page = configMarkdown(c, { connection: 'old' });
    assert.match(page, /\| Index \| HNSW \|/);
    assert.doesNotMatch(page, /not reported/);
    assert.match(page, /\| Distance \(space\) \| cosine \(from the metadata key hnsw:space\) \|/);
    assert.match(page, /\| ef\\_search \| 50 \| no \|/);
    assert.match(page, /\| M \| 16 \| no \|/);
    assert.doesNotMatch(page, /_type/);
    assert.match(page, /cannot change them/);
    const settings = currentSettings(c);
    assert.equal(settings.index, 'hnsw');
    assert.equal(settings.indexFixed, true);
    assert.equal(settings.params.ef_search, 50);
    // 0.x's modify takes a name and metadata only: a parameter is never sent
    assert.equal(modifyPayload(settings, { ...settings, params: { ...settings.params, ef_search: 80 } }), undefined);
    assert.deepEqual(modifyPayload(settings, { ...settings, name: 'cfg-2' }), { name: 'cfg-2' });
  });
});

describe('0.5.23 in a tenant whose databases the identity does not name: the tree', () => {
  let legacy: Legacy;
  const added: string[] = [];
  let model: ExplorerModel;

  before(async () => {
    // SegmentAPI.get_user_identity names default_database whatever the tenant holds
    legacy = await legacyServer({ listsDatabases: false, version: '0.5.23', databases: ['many', 'small'], identity: ['default_database'], missingDatabaseListsEmpty: true });
    const client = new ChromaClient({ url: legacy.stub.url, retries: 0 });
    await client.createCollection({ name: 'in-many' }, { scope: { database: 'many' } });
    model = new ExplorerModel({
      connections: () => [{ name: 'old', url: legacy.stub.url }],
      clientFor: () => Promise.resolve(client),
      addedDatabases: (connection, tenant) => (connection === 'old' && tenant === 'default_tenant' ? added : []),
      coalesceMs: 0,
    });
  });
  after(async () => legacy.stub.stop());

  const databases = (nodes: ExplorerNode[]) => nodes.filter((n): n is DatabaseNode => n.kind === 'database');

  it('says the server cannot list its databases, and shows the one it names as not existing rather than empty', async () => {
    const [conn] = model.roots();
    const children = await model.children(conn);
    assert.deepEqual(
      databases(children).map((d) => [d.database, d.unlisted]),
      [['default_database', 'known']],
    );
    const note = children.find((n): n is MessageNode => n.kind === 'message');
    assert.equal(note?.action, 'addDatabase');
    assert.match(note?.text ?? '', /^This server cannot list its databases: Add Database to View… to show another$/);
    const [db] = databases(children);
    const inside = await model.children(db);
    assert.deepEqual(
      inside.map((n) => [n.kind, n.kind === 'message' ? n.text : '']),
      [['message', `Database "default_database" does not exist on this server (tenant default_tenant): check the connection's database, or create it`]],
    );
    assert.equal(db.missing, true);
    assert.equal(db.collectionCount, undefined, 'not counted as 0');
    // its count is not asked either
    const counts = legacy.stub.seen.filter((r) => r.path.endsWith('/collections_count')).length;
    model.countDatabases([db]);
    await model.whenSettled(50);
    assert.equal(legacy.stub.seen.filter((r) => r.path.endsWith('/collections_count')).length, counts);
  });

  it('a database added to the view is shown and listed; the server was asked whether it exists', async () => {
    added.push('many');
    const [conn] = model.roots();
    model.refresh(conn);
    const children = await model.children(conn);
    assert.deepEqual(
      databases(children).map((d) => [d.database, d.unlisted]),
      [
        ['default_database', 'known'],
        ['many', 'added'],
      ],
    );
    const many = databases(children)[1];
    const inside = await model.children(many);
    assert.deepEqual(
      inside.filter((n) => n.kind === 'collection').map((n) => (n.kind === 'collection' ? n.collection.name : '')),
      ['in-many'],
    );
    assert.notEqual(many.missing, true);
    assert.ok(legacy.stub.seen.some((r) => r.method === 'GET' && r.path === '/api/v2/tenants/default_tenant/databases/many'));
  });
});

describe('import onto 0.6 of an export made on the real server', function () {
  this.timeout(120_000);
  const ctx = useChromaServer();

  it('ends without a false "stored its own variant of the configuration" note', async () => {
    const source = clientFor(ctx.server.url);
    const col = await source.createCollection({ name: uniqueName('exp'), configuration: { hnsw: { space: 'cosine', ef_search: 60 } } });
    await source.add(col, { ids: ['a', 'b'], embeddings: vectors(2, 4), documents: ['one', 'two'], metadatas: [{ n: 1 }, { n: 2 }] });
    const legacy = await legacyServer({ listsDatabases: true });
    const dir = mkdtempSync(join(tmpdir(), 'legacy-import-'));
    try {
      const file = join(dir, 'e.jsonl');
      await exportCollection({ client: source, collection: await source.getCollection(col.name), file, embeddingEncoding: 'base64-float32-le' });
      const target = new ChromaClient({ url: legacy.stub.url, retries: 0 });
      const r = await importFile({ client: target, file, into: { kind: 'new', name: 'imported' } });
      assert.equal(r.counts.written, 2);
      assert.equal(r.configurationChanged, false);
      assert.doesNotMatch(describeImport(r, 'e.jsonl'), /its own variant/);
      // the index the 0.x server made reads what was asked, from the hnsw:* metadata keys
      const made = legacy.collections.get('default_database/imported');
      assert.deepEqual((made?.metadata as Record<string, unknown>)['hnsw:space'], 'cosine');
      assert.deepEqual((made?.metadata as Record<string, unknown>)['hnsw:search_ef'], 60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await legacy.stub.stop();
    }
  });
});
