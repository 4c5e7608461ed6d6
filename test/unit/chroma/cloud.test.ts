/**
 * Chroma Cloud cannot be reached from here: a local stand-in answers in its shapes (a tenant UUID, pre-flight saying
 * 1,000 where Cloud takes 300, the search and indexing routes working) and refuses what Cloud's documented limits
 * refuse, so a client that sent too much would fail these tests. The client is told it is Cloud with the `cloud`
 * option, as for Cloud behind a proxy; the host-name detection is tested on its own.
 */
import * as assert from 'node:assert/strict';
import {
  ChromaClient,
  ChromaInvalidArgumentError,
  CLOUD_MAX_RECORDS_PER_REQUEST,
  isChromaCloud,
  probeServer,
  recordLimitsFor,
} from '../../../src/chroma';
import type { Collection } from '../../../src/chroma';
import { checkSummary, serverLabel } from '../../../src/status/core/serverText';
import { vectors } from '../../support/fixtures';
import { HttpStub } from '../../support/httpStub';
import type { StubAnswer, StubRequest } from '../../support/httpStub';

const TENANT = '3f9e2a61-7c1d-4b8e-9a0f-5d2c8e7b1a44';
const DB = 'docs';
const ID = '6a1f0c2e-9b3d-4e5f-8a7b-1c2d3e4f5a6b';
const BASE = `/api/v2/tenants/${TENANT}/databases/${DB}`;
const LIMIT = 300;

const COLLECTION = {
  id: ID,
  name: 'notes',
  configuration_json: { hnsw: null, spann: { space: 'cosine' }, embedding_function: null },
  schema: {
    defaults: { string: { string_inverted_index: { enabled: true, config: {} } } },
    keys: {
      '#document': { string: { fts_index: { enabled: true, config: {} } } },
      '#embedding': { float_list: { vector_index: { enabled: true, config: { space: 'cosine' } } } },
    },
  },
  metadata: null,
  dimension: 3,
  tenant: TENANT,
  database: DB,
  log_position: 0,
  version: 0,
};

const ROUTE = '/api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}';
const OPENAPI = {
  openapi: '3.1.0',
  paths: Object.fromEntries(
    [
      ['/api/v2/pre-flight-checks', 'get'],
      ['/api/v2/tenants/{tenant}/databases', 'get'],
      [`${ROUTE}/get`, 'post'],
      [`${ROUTE}/search`, 'post'],
      [`${ROUTE}/indexing_status`, 'get'],
      [`${ROUTE}/fork`, 'post'],
      [`${ROUTE}/fork_count`, 'get'],
      [`${ROUTE}/functions/attach`, 'post'],
    ].map(([path, method]) => [path, { [method]: { operationId: path } }]),
  ),
  components: {
    schemas: {
      Collection: { properties: { id: {}, schema: {} } },
      // as the newest server describes metadata values: scalars, sparse vectors and lists
      HashMap: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
    },
  },
};

const RECORDS = Array.from({ length: 700 }, (_, i) => `r${String(i).padStart(3, '0')}`);

/** Cloud's refusals; the message is the stand-in's own (the client must never meet one). */
const overLimit = (what: string): StubAnswer => ({ status: 422, body: { error: 'InvalidArgumentError', message: `stand-in: ${what} over Cloud's limit` } });

function cloudAnswer(req: StubRequest): StubAnswer {
  const [path, query = ''] = req.path.split('?');
  const params = new URLSearchParams(query);
  switch (path) {
    case '/api/v2/heartbeat':
      return { body: { 'nanosecond heartbeat': 1 } };
    case '/api/v2/version':
      return { body: '"1.0.0"' };
    case '/api/v2/pre-flight-checks':
      return { body: { max_batch_size: 1000, supports_base64_encoding: true } };
    case '/api/v2/auth/identity':
      return { body: { user_id: 'user-1', tenant: TENANT, databases: [DB] } };
    case '/openapi.json':
      return { body: OPENAPI };
    case `${BASE}/collections`:
      return { body: Number(params.get('limit') ?? 1) > 0 ? [COLLECTION] : [] };
    case `${BASE}/collections_count`:
      return { body: 1 };
    case `${BASE}/collections/${ID}/indexing_status`:
      return { body: { num_indexed_ops: 1200, num_unindexed_ops: 34, total_ops: 1234, op_indexing_progress: 0.9724 } };
    case `${BASE}/collections/${ID}/fork_count`:
      return { body: { count: 0 } };
    case `${BASE}/collections/00000000-0000-0000-0000-000000000000/fork`:
      return { status: 404, body: { error: 'NotFoundError', message: 'Collection [00000000-0000-0000-0000-000000000000] does not exist.' } };
    case `${BASE}/collections/${ID}/search`: {
      const searches = (req.body.searches as unknown[]) ?? [];
      return {
        body: {
          ids: searches.map(() => ['r000', 'r001']),
          documents: searches.map(() => ['zero', null]),
          embeddings: searches.map(() => null),
          metadatas: searches.map(() => [{ k: 1 }, null]),
          scores: searches.map(() => [0.1, 0.2]),
          select: searches.map(() => ['#document', '#score']),
        },
      };
    }
    case `${BASE}/collections/${ID}/add`:
    case `${BASE}/collections/${ID}/upsert`:
      return (req.body.ids as unknown[]).length > LIMIT ? overLimit('write') : { body: {} };
    case `${BASE}/collections/${ID}/get`: {
      const b = req.body as { ids?: string[]; limit?: number; offset?: number };
      // every read must be bounded to 300: by its ids or by its limit
      if ((b.ids?.length ?? 0) > LIMIT || (b.ids === undefined && b.limit === undefined) || (b.limit ?? 0) > LIMIT) {
        return overLimit('read');
      }
      const from = b.ids ? RECORDS.filter((r) => b.ids!.includes(r)) : RECORDS;
      const ids = from.slice(b.offset ?? 0, (b.offset ?? 0) + (b.limit ?? from.length));
      return { body: { ids, documents: ids.map((i) => `doc ${i}`), metadatas: null, embeddings: null, uris: null, include: ['documents'] } };
    }
    case `${BASE}/collections/${ID}/query`:
      return Number(req.body.n_results) > LIMIT ? overLimit('query') : { body: { ids: [[]], distances: [[]], documents: [[]], metadatas: [[]], include: [] } };
    default:
      return { status: 404, body: { error: 'NotFoundError', message: 'no such route' } };
  }
}

describe('Chroma Cloud: host detection and documented limits (pure)', () => {
  it('Cloud is told by its host name, or by the cloud option (a proxy or another name in front of it)', () => {
    for (const url of ['https://api.trychroma.com', 'https://europe-west1.gcp.trychroma.com', 'https://API.TRYCHROMA.COM./']) {
      assert.ok(isChromaCloud(url), url);
      const limits = new ChromaClient({ url }).limits;
      assert.deepEqual([limits.maxRecordsPerWrite, limits.maxRecordsPerRead, limits.maxDimension, limits.maxMetadataKeys, limits.maxDocumentBytes], [300, 300, 4096, 32, 16_384]);
    }
    for (const url of ['http://localhost:8000', 'https://trychroma.com.evil.example', 'https://nottrychroma.com']) {
      assert.ok(!isChromaCloud(url), url);
      const limits = recordLimitsFor(url);
      assert.deepEqual([limits.maxRecordsPerWrite, limits.maxRecordsPerRead, limits.maxDimension], [undefined, undefined, undefined], url);
    }
    assert.equal(new ChromaClient({ url: 'https://chroma.internal.example', cloud: true }).limits.maxRecordsPerRead, 300);
    assert.equal(new ChromaClient({ url: 'https://api.trychroma.com', cloud: false }).limits.maxRecordsPerWrite, undefined);
  });
});

describe('Chroma Cloud: a stand-in with its answers and limits', () => {
  let stub: HttpStub;
  let client: ChromaClient;
  const collection = COLLECTION as unknown as Collection;
  before(async () => {
    stub = await HttpStub.start(cloudAnswer);
  });
  beforeEach(() => {
    stub.seen.length = 0;
    client = new ChromaClient({ url: stub.url, cloud: true, retries: 0 });
  });
  after(() => stub.stop());

  const sent = (suffix: string) => stub.seen.filter((r) => r.path.split('?')[0].endsWith(suffix));

  it('capabilities: search, indexing status, fork and schema work; functions are listed, never tried', async () => {
    const caps = await client.capabilities();
    const support = Object.fromEntries(Object.entries(caps.features).map(([f, c]) => [f, c.support]));
    assert.deepEqual(support, {
      base64: 'yes',
      databases: 'yes',
      listMetadata: 'yes',
      schema: 'yes',
      indexingStatus: 'yes',
      search: 'yes',
      fork: 'yes',
      functions: 'unknown',
    });
    assert.equal(caps.singleNode, undefined);
    assert.equal(sent('/functions/attach').length, 0, 'attaching writes: never tried');
    assert.equal(sent(`${ID}/fork`).length, 0, 'the real collection is never forked');
  });

  it('writes go in batches of 300 although pre-flight says 1,000', async () => {
    const n = 700;
    const result = await client.upsert(collection, { ids: RECORDS.slice(0, n), embeddings: vectors(n, 3) });
    assert.deepEqual(
      sent('/upsert').map((r) => (r.body.ids as unknown[]).length),
      [300, 300, 100],
    );
    assert.deepEqual(result, { written: n, batches: 3 });
  });

  it('reads of more than 300 are made of pages of 300 and joined, by limit and by ids', async () => {
    const all = await client.get(collection, { limit: 700, include: ['documents'] });
    assert.deepEqual(all.ids, RECORDS);
    assert.equal(all.documents?.[699], 'doc r699');
    assert.deepEqual(sent('/get').map((r) => [r.body.limit, r.body.offset]), [[300, 0], [300, 300], [100, 600]]);
    stub.seen.length = 0;
    const unbounded = await client.get(collection, { offset: 100 });
    assert.equal(unbounded.ids.length, 600);
    assert.deepEqual(sent('/get').map((r) => [r.body.limit, r.body.offset]), [[300, 100], [300, 400], [300, 700]]);
    stub.seen.length = 0;
    const byIds = await client.get(collection, { ids: RECORDS.slice(0, 650) });
    assert.deepEqual(byIds.ids, RECORDS.slice(0, 650));
    assert.deepEqual(sent('/get').map((r) => (r.body.ids as unknown[]).length), [300, 300, 50]);
    await assert.rejects(
      client.get(collection, { ids: RECORDS.slice(0, 301), limit: 10 }),
      /A get of 301 ids with a limit or offset is over the limit: Chroma Cloud returns at most 300 records per read\./,
    );
    stub.seen.length = 0;
    let pages = 0;
    for await (const page of client.iterateRecords(collection, { pageSize: 1000 })) {
      pages++;
      assert.ok(page.ids.length <= CLOUD_MAX_RECORDS_PER_REQUEST);
    }
    assert.equal(pages, 3);
    assert.ok(sent('/get').every((r) => r.body.limit === 300));
  });

  it('limits that cannot adapt are checked before sending, each named in the message', async () => {
    const one = (over: Record<string, unknown>) => ({ ids: ['x'], embeddings: vectors(1, 3), ...over });
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      ['document', () => client.add(collection, one({ documents: ['d'.repeat(16 * 1024 + 1)] })), /its document is 16,385 bytes \(16 KB\); Chroma Cloud takes at most 16,384 bytes \(16 KB\) per document/],
      [
        'metadata keys',
        () => client.add(collection, one({ metadatas: [Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))] })),
        /has 33 metadata keys; Chroma Cloud allows 32/,
      ],
      ['dimensions', () => client.add({ ...collection, dimension: null }, { ids: ['x'], embeddings: vectors(1, 4097) }), /dimension 4,097; Chroma Cloud takes at most 4,096 dimensions/],
      ['query dimensions', () => client.query({ ...collection, dimension: null }, { queryEmbeddings: vectors(1, 5000) }), /dimension 5,000; Chroma Cloud takes at most 4,096 dimensions/],
      ['query results', () => client.query(collection, { queryEmbeddings: vectors(1, 3), nResults: 301 }), /A query for 301 results is over the limit: Chroma Cloud returns at most 300 records per read\. Ask for 300 or fewer\./],
    ];
    for (const [what, call, message] of cases) {
      await assert.rejects(call(), (e: unknown) => e instanceof ChromaInvalidArgumentError && message.test(e.message), what);
    }
    assert.equal(stub.seen.filter((r) => r.method === 'POST').length, 0, 'nothing was sent');
    await client.query(collection, { queryEmbeddings: vectors(1, 3), nResults: 300 });
  });

  it('indexing status and search answer, in their shapes', async () => {
    assert.deepEqual(await client.indexingStatusIfSupported(collection), {
      num_indexed_ops: 1200,
      num_unindexed_ops: 34,
      total_ops: 1234,
      op_indexing_progress: 0.9724,
    });
    const found = await client.search(collection, { searches: [{ rank: { $knn: { query: [0.1, 0.2, 0.3] } }, limit: { limit: 2 } }] });
    assert.deepEqual(found.ids, [['r000', 'r001']]);
    assert.deepEqual(found.scores, [[0.1, 0.2]]);
    assert.deepEqual(found.embeddings, [null]);
  });

  it('Server Info and Check Server name it Chroma Cloud and the batch it takes, not the "1.0.0" it reports', async () => {
    const probe = await probeServer(client);
    assert.equal(probe.cloud, true);
    assert.equal(serverLabel(probe.version, probe.cloud), 'Cloud');
    const line = checkSummary('api.trychroma.com', probe);
    assert.match(line, /^Chroma Cloud at api\.trychroma\.com: \d+ ms, 1 collection in 3f9e2a61-7c1d-4b8e-9a0f-5d2c8e7b1a44\/docs, max batch 300; supported: /);
    assert.match(line, /supported: base64 embeddings, listing databases, list metadata values, collection schema, indexing status, search API, forking collections; not known: collection functions\.$/);
  });
});
