/**
 * Capabilities: what a server supports, from its OpenAPI and its answers, never from its version string. The pure
 * part reads OpenAPI documents and answers; the rest runs on the real server the suite was started with
 * (CHROMA_EXPLORER_SERVER: 1.0.0 or newest), whose answers differ: what each one showed is written down here.
 */
import * as assert from 'node:assert/strict';
import {
  ChromaNotFoundError,
  ChromaServerError,
  ChromaUnsupportedError,
  ChromaUnavailableError,
  capabilityFromAnswer,
  parseOpenApi,
  probeServer,
} from '../../../src/chroma';
import type { ChromaClient, Collection, Feature, ServerCapabilities, Support } from '../../../src/chroma';
import { serverLabel } from '../../../src/status/core/serverText';
import { serverKindFromEnv } from '../../support/chromaServer';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';

const COL = '/api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}';

describe('capabilities (pure)', () => {
  it('OpenAPI routes match by method and path shape, whatever the parameters are called', () => {
    const routes = parseOpenApi({
      paths: {
        // FastAPI (0.6) names them differently from the Rust server
        '/api/v2/tenants/{tenant}/databases/{database_name}/collections/{collection_id}/search': { post: {} },
        '/api/v2/tenants/{tenant}/databases': { post: {} },
      },
      components: { schemas: { Collection: { properties: { id: {}, schema: {} } } } },
    });
    assert.ok(routes);
    assert.ok(routes.has('POST', `${COL}/search`));
    assert.ok(!routes.has('GET', `${COL}/search`), 'the method counts');
    assert.ok(!routes.has('GET', '/api/v2/tenants/{t}/databases'), '0.6.2 has POST …/databases only');
    assert.ok(!routes.has('GET', `${COL}/indexing_status`));
    assert.ok(routes.collectionHasSchema);
    assert.equal(parseOpenApi({ paths: {} })?.collectionHasSchema, false);
  });

  it('anything that is not an OpenAPI document is no OpenAPI', () => {
    for (const doc of [undefined, null, 'text', [], { openapi: '3.1.0' }, { paths: [] }]) {
      assert.equal(parseOpenApi(doc), undefined, JSON.stringify(doc));
    }
  });

  it('answers: 501/405 and 500 "not implemented" say no; a Chroma 404 says the route exists; success says yes', () => {
    const support = (e: unknown): Support => capabilityFromAnswer(e).support;
    assert.equal(support(undefined), 'yes');
    const fork501 = new ChromaUnsupportedError('x', { status: 501, serverMessage: 'Collection forking is unsupported for local chroma' });
    assert.deepEqual(capabilityFromAnswer(fork501), {
      support: 'no',
      how: 'it answered 501: "Collection forking is unsupported for local chroma"',
      singleNode: true,
    });
    assert.equal(support(new ChromaUnsupportedError('x', { status: 405 })), 'no');
    const scout = new ChromaServerError('x', { status: 500, serverMessage: 'Method scout_logs is not implemented' });
    assert.equal(support(scout), 'no');
    assert.equal(capabilityFromAnswer(scout).singleNode, undefined, '"not implemented" alone does not say single-node');
    // a 500 that is a failure, not a missing feature, tells nothing
    assert.equal(support(new ChromaServerError('x', { status: 500, serverMessage: 'Error executing plan: disk full' })), 'unknown');
    assert.equal(support(new ChromaNotFoundError('x', { status: 404, serverKind: 'NotFoundError' })), 'unknown');
    assert.equal(support(new ChromaUnavailableError('x', { status: 503 })), 'unknown');
    assert.equal(support(new TypeError('boom')), 'unknown');
  });
});

/** What each real server showed, feature by feature (how, where it is stable). */
const EXPECTED: Record<'1.0.0' | 'newest', Record<Feature, [Support, RegExp]>> = {
  '1.0.0': {
    base64: ['yes', /pre-flight says supports_base64_encoding/],
    databases: ['yes', /OpenAPI/],
    listMetadata: ['no', /metadata values are never lists in the server's OpenAPI/],
    schema: ['no', /collections carry none/],
    indexingStatus: ['no', /not in the server's OpenAPI/],
    search: ['no', /not in the server's OpenAPI/],
    fork: ['no', /it answered 501: "Collection forking is unsupported for local chroma"/],
    functions: ['no', /not in the server's OpenAPI/],
  },
  newest: {
    base64: ['yes', /pre-flight says supports_base64_encoding/],
    databases: ['yes', /OpenAPI/],
    listMetadata: ['yes', /metadata values may be lists in the server's OpenAPI/],
    schema: ['yes', /OpenAPI/],
    indexingStatus: ['no', /it answered 500: "Method scout_logs is not implemented"/],
    search: ['no', /it answered 501: "Error executing plan: Not implemented: Search operation is not implemented for local executor"/],
    fork: ['no', /fork count: it answered 501: "Count forks is unsupported for local chroma"/],
    functions: ['no', /single-node server/],
  },
};

function counted(url: string): { client: ChromaClient; requests: string[] } {
  const requests: string[] = [];
  return { client: clientFor(url, { onRequest: (r) => requests.push(`${r.method} ${r.path}`) }), requests };
}

const kind = serverKindFromEnv();

describe(`capabilities on the real server (Chroma ${kind})`, () => {
  const ctx = useChromaServer();

  it('with no collection yet: what needs one to tell is learnt on first use', async () => {
    const { client } = counted(ctx.server.url);
    const before = await client.capabilities();
    // the newest server lists search and indexing_status; without a collection only trying them tells
    const expectedBefore: Support = kind === 'newest' ? 'unknown' : 'no';
    assert.equal(before.features.search.support, expectedBefore, before.features.search.how);
    assert.equal(before.features.indexingStatus.support, expectedBefore, before.features.indexingStatus.how);
    const c = await client.createCollection({ name: uniqueName('caps') });
    await assert.rejects(client.search(c, { searches: [{ limit: { limit: 1 } }] }), ChromaUnsupportedError);
    assert.equal(await client.indexingStatusIfSupported(c), undefined);
    const after = await client.capabilities();
    assert.equal(after.features.search.support, 'no');
    assert.equal(after.features.indexingStatus.support, 'no');
    assert.match(after.features.search.how, kind === 'newest' ? /not implemented for local executor/ : /OpenAPI|404/);
  });

  describe('with a collection', () => {
    let collection: Collection;
    before(async () => {
      const admin = clientFor(ctx.server.url);
      collection = await admin.createCollection({ name: uniqueName('caps') });
      await admin.add(collection, { ids: ['a', 'b'], embeddings: vectors(2, 3) });
    });

    it(`detects what Chroma ${kind} supports, from its OpenAPI and answers, once per client`, async () => {
      const { client, requests } = counted(ctx.server.url);
      const caps = await client.capabilities();
      const seen: Record<string, [Support, string]> = {};
      for (const [feature, c] of Object.entries(caps.features)) {
        seen[feature] = [c.support, c.how];
      }
      for (const [feature, [support, how]] of Object.entries(EXPECTED[kind])) {
        assert.equal(seen[feature][0], support, `${feature}: ${JSON.stringify(seen)}`);
        assert.match(seen[feature][1], how, feature);
      }
      assert.equal(caps.openApi, true);
      assert.equal(caps.singleNode, true);
      // it read the OpenAPI and did not write anywhere but at the nil id
      assert.ok(requests.includes('GET /openapi.json'), requests.join('\n'));
      for (const r of requests.filter((x) => x.startsWith('POST'))) {
        assert.match(r, /\/(search|fork)$/, r);
        if (r.endsWith('/fork')) {
          assert.match(r, /collections\/00000000-0000-0000-0000-000000000000\/fork$/);
        }
      }
      const n = requests.length;
      await client.capabilities();
      assert.equal(requests.length, n, 'the second call is answered from the cache');
      await client.capabilities({ refresh: true });
      assert.ok(requests.length > n, 'refresh detects again');
    });

    it('search: a clear "not supported by this server, Chroma Cloud only" error, and nothing more is asked of indexing status', async () => {
      const { client, requests } = counted(ctx.server.url);
      await assert.rejects(
        client.search(collection, { searches: [{ rank: { $knn: { query: [0.1, 0.2, 0.3], limit: 2 } }, limit: { limit: 2 } }] }),
        (e: unknown) => {
          assert.ok(e instanceof ChromaUnsupportedError, String(e));
          assert.match(e.message, /^Chroma at 127\.0\.0\.1:\d+ does not support the search API \((404|501)[^)]*\)\. Search is Chroma Cloud only for now; use Query for nearest neighbours on this server\.$/);
          return true;
        },
      );
      await assert.rejects(client.search(collection, { searches: [] }), /No searches given/);
      assert.equal(await client.indexingStatusIfSupported(collection), undefined);
      const before = requests.length;
      assert.equal(await client.indexingStatusIfSupported(collection), undefined);
      assert.equal(requests.length, before, 'known unsupported: not asked again');
      await assert.rejects(client.indexingStatus(collection), (e: unknown) => {
        assert.ok(e instanceof ChromaUnsupportedError, String(e));
        assert.match(e.message, /cannot report indexing status \((404|500)[^)]*\)\. Chroma Cloud and distributed Chroma report it; a single-node server does not\.$/);
        return true;
      });
    });

    it('the version string says 1.0.0 on every 1.x server; what is shown is "1.x", with the capabilities', async () => {
      const client = clientFor(ctx.server.url);
      const probe = await probeServer(client);
      assert.equal(probe.version, '1.0.0', 'both servers report 1.0.0');
      assert.equal(serverLabel(probe.version, probe.cloud), '1.x');
      assert.equal(probe.cloud, false);
      const caps: ServerCapabilities = probe.capabilities;
      assert.equal(caps.features.schema.support, EXPECTED[kind].schema[0]);
      // collections of the newest server carry a schema; 1.0.0's do not
      const got = await client.getCollection(collection.name);
      assert.equal(typeof got.schema === 'object' && got.schema !== null, kind === 'newest');
    });
  });
});
