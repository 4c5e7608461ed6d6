/**
 * What a server that is broken, or hostile, can make the client do: answers of the wrong shape are typed errors, not
 * data; bodies are capped (also after decompression); error messages are one clean line; the v1 check uses the
 * client's timeout. A local node:http server stands in for the server, since the real one answers correctly.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  ChromaApiV1OnlyError,
  ChromaClient,
  ChromaError,
  ChromaResponseTooLargeError,
  ChromaServerError,
  ChromaUnexpectedResponseError,
} from '../../../src/chroma';
import type { CollectionRef } from '../../../src/chroma';
import { compressionBombs } from '../../support/hostileServer';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A local server whose answers the test sets per request. */
class Stand {
  handler: Handler = (_req, res) => res.end('{}');
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Stand> {
    const server = createServer();
    const stand = new Stand(server);
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => stand.handler(req, res, body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return stand;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answer every request with this JSON value. */
  json(value: unknown, status = 200): void {
    this.handler = (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const col: CollectionRef = { id: '6f1c1a52-0000-0000-0000-000000000001', tenant: 'default_tenant', database: 'default_database' };

/** Asserts a one-line typed error of at most 300 characters, matching `pattern`. */
function typed(type: new (...args: never[]) => ChromaError, pattern: RegExp): (e: unknown) => true {
  return (e) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.ok(e.message.length <= 300 && !/[\r\n]/.test(e.message), e.message);
    assert.match(e.message, pattern);
    return true;
  };
}

describe('ChromaClient against broken and hostile answers', () => {
  let stand: Stand;
  let client: ChromaClient;
  before(async () => {
    stand = await Stand.start();
  });
  beforeEach(() => {
    client = new ChromaClient({ url: stand.url, retries: 0, tenant: 'default_tenant', database: 'default_database' });
  });
  after(async () => {
    await stand.stop();
  });

  describe('answers of the wrong shape are one typed error', () => {
    it('a count of "12 records"', async () => {
      stand.json('12 records');
      await assert.rejects(
        client.count(col),
        typed(ChromaUnexpectedResponseError, /^Chroma at 127\.0\.0\.1:\d+ answered GET …\/count with an unexpected body \(expected a whole number ≥ 0, got a string\)\. Check that the URL points to a Chroma server/),
      );
      stand.json(-3);
      await assert.rejects(client.countCollections(), typed(ChromaUnexpectedResponseError, /expected a whole number ≥ 0, got a number/));
    });

    it('get: ids that are not an array, or per-record arrays of another length', async () => {
      stand.json({ ids: 'r-1', documents: null, metadatas: null });
      await assert.rejects(client.get(col), typed(ChromaUnexpectedResponseError, /POST …\/get with an unexpected body \(ids: expected an array of strings, got a string\)/));
      stand.json({ ids: ['a', 'b'], documents: ['only one'] });
      await assert.rejects(client.get(col), typed(ChromaUnexpectedResponseError, /documents: expected 2 entries \(one per id\), got 1/));
      stand.json({ ids: ['a'], metadatas: [{ nested: { deep: true } }] });
      await assert.rejects(client.get(col), typed(ChromaUnexpectedResponseError, /metadatas\[0\]\.nested: expected a string, number, boolean or null, got an object/));
      stand.json({ ids: ['a', 'a'] });
      await assert.rejects(client.get(col), /expected unique ids/);
      stand.json({ ids: ['a', 'b', 'c'] });
      await assert.rejects(client.get(col, { limit: 2 }), /expected at most 2 records \(the limit asked for\), got 3/);
    });

    it('get: embeddings with a wrong length, a bad number or bad base64', async () => {
      stand.json({ ids: ['a', 'b'], embeddings: [[1, 2], [1, 2, 3]] });
      await assert.rejects(client.get(col, { include: ['embeddings'] }), /embeddings of one dimension/);
      stand.json({ ids: ['a'], embeddings: [[1, '2']] });
      await assert.rejects(client.get(col, { include: ['embeddings'] }), /embeddings\[0\]\[1\]: expected a finite number, got a string/);
      stand.json({ ids: ['a'], embeddings: ['not base64!'] });
      await assert.rejects(client.get(col, { include: ['embeddings'] }), /not base64/);
      stand.json({ ids: ['a'], embeddings: ['AAAAAAA='] });
      await assert.rejects(client.get(col, { include: ['embeddings'] }), /base64 of float32 values, got 5 bytes/);
    });

    it('get: base64 embeddings are decoded to numbers', async () => {
      const b64 = Buffer.from(new Float32Array([0.5, -2, 3.25]).buffer).toString('base64');
      stand.json({ ids: ['a'], embeddings: [b64], include: ['embeddings'] });
      const got = await client.get(col, { include: ['embeddings'] });
      assert.deepEqual(got.embeddings, [[0.5, -2, 3.25]]);
    });

    it('query: one list per query, each as long as its ids, distances numbers or null', async () => {
      const q = { queryEmbeddings: [[1, 0]], nResults: 2 };
      stand.json({ ids: [['a'], ['b']], distances: [[0.1], [0.2]] });
      await assert.rejects(client.query(col, q), /ids: expected 1 lists \(one per query\), got 2/);
      stand.json({ ids: [['a', 'b']], distances: [[0.1, '0.2']] });
      await assert.rejects(client.query(col, q), /distances\[0\]\[1\]: expected a number or null, got a string/);
      stand.json({ ids: [['a', 'b', 'c']] });
      await assert.rejects(client.query(col, q), /expected at most 2 results, got 3/);
      stand.json({ ids: [['a', 'b']], distances: [[0.1, null]], documents: null, include: ['distances'] });
      assert.deepEqual((await client.query(col, q)).distances, [[0.1, null]]);
    });

    it('a list that is not a list (the tree once showed "page.map is not a function")', async () => {
      stand.json({ collections: [] });
      await assert.rejects(client.listCollections(), typed(ChromaUnexpectedResponseError, /expected an array, got an object/));
      stand.json([{ id: 'x', name: 'ok' }, { id: 7, name: 'bad' }]);
      await assert.rejects(client.listCollections(), /\[1\]\.id: expected a non-empty string, got a number/);
    });

    it('system answers: heartbeat, version, pre-flight, identity', async () => {
      stand.json({ 'nanosecond heartbeat': 'soon' });
      await assert.rejects(client.heartbeat(), typed(ChromaUnexpectedResponseError, /"nanosecond heartbeat": expected a number, got a string/));
      stand.json({ major: 1 });
      await assert.rejects(client.version(), /expected a short version string, got an object/);
      stand.json({ max_batch_size: 0 });
      await assert.rejects(client.preflight(), /max_batch_size: expected a whole number ≥ 1/);
      stand.json({ tenant: 'default_tenant', databases: 'default_database' });
      await assert.rejects(client.identity(), /databases: expected an array of strings/);
    });

    it('a collection from a 0.6 server (fields missing) and from a newer one (fields added) are both taken', async () => {
      stand.json({ id: 'c1', name: 'old-style', metadata: null, dimension: null });
      const old = await client.getCollection('old-style');
      assert.equal(old.tenant, 'default_tenant');
      assert.equal(old.database, 'default_database');
      assert.equal(old.configuration_json, null);
      const newer = {
        id: 'c2',
        name: 'new-style',
        metadata: { tags: ['a', 'b'], sparse: { '#type': 'sparse_vector', indices: [1], values: [0.5] } },
        dimension: 384,
        configuration_json: { hnsw: null, spann: { space: 'cosine' }, embedding_function: { type: 'known', name: 'default', config: {} } },
        tenant: 'default_tenant',
        database: 'default_database',
        log_position: 0,
        version: 0,
        schema: { defaults: {}, keys: {} },
      };
      stand.json(newer);
      assert.deepEqual(await client.getCollection('new-style'), newer);
      stand.json({ ...newer, dimension: 'big' });
      await assert.rejects(client.getCollection('new-style'), /dimension: expected a whole number ≥ 0, got a string/);
    });

    it('a 2xx body that is not JSON (a captive portal, truncated JSON) is an error, not data', async () => {
      stand.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Welcome to nginx!</h1></body></html>');
      };
      await assert.rejects(client.version(), typed(ChromaUnexpectedResponseError, /with a body that is not JSON \(it starts "Welcome to nginx!"\)/));
      stand.handler = (_req, res) => res.end('{"ids": ["a", "b"');
      await assert.rejects(client.get(col), typed(ChromaUnexpectedResponseError, /not JSON/));
    });

    it('an add answered 200 with an HTML page is not reported as written', async () => {
      let progress = 0;
      stand.handler = (req, res) => {
        if (req.url?.endsWith('/pre-flight-checks')) {
          res.end('{"max_batch_size": 100}');
        } else {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html>Please log in</html>');
        }
      };
      await assert.rejects(client.add(col, { ids: ['a'], embeddings: [[1]] }, { onProgress: () => progress++ }), ChromaUnexpectedResponseError);
      assert.equal(progress, 0);
    });

    it('a malformed HTTP answer is an unexpected response, not "cannot reach"', async () => {
      stand.handler = (req) => {
        req.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello');
      };
      await assert.rejects(client.version(), typed(ChromaUnexpectedResponseError, /sent a malformed HTTP answer to GET \/api\/v2\/version \(HPE_/));
    });
  });

  describe('bounds', () => {
    it('a gzip bomb (1 MB that grows to 1 GiB) stops at the 64 MiB default cap, naming the setting', async function () {
      this.timeout(60_000);
      const bomb = compressionBombs().gzip;
      assert.ok(bomb.length < 2 * 1024 * 1024);
      stand.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
        res.end(bomb);
      };
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      try {
        await assert.rejects(
          new ChromaClient({ url: stand.url, retries: 0 }).version(),
          typed(ChromaResponseTooLargeError, /answered GET \/api\/v2\/version with a body of more than 64 MiB, so it was not read\. If such large answers are expected, raise the setting chroma\.limits\.maxResponseMB\./),
        );
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      // Reading it all took 2 GB once; the cap keeps it near 64 MiB (plus buffers and decoder state).
      assert.ok(peak - before < 512 * 1024 * 1024, `rss grew by ${Math.round((peak - before) / 2 ** 20)} MiB`);
    });

    it('a Content-Length over the cap is refused before reading, and a smaller cap can be set', async () => {
      stand.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) });
        res.write('['); // then nothing: only the announced length can end this before the timeout
      };
      await assert.rejects(
        new ChromaClient({ url: stand.url, retries: 0, timeoutMs: 30_000 }).version(),
        typed(ChromaResponseTooLargeError, /with a body of more than 64 MiB \(it announced 100 MiB\)/),
      );
      stand.json({ ids: Array.from({ length: 500 }, (_, i) => `id-${i}`) });
      const small = new ChromaClient({ url: stand.url, retries: 0, maxResponseBytes: 2048 });
      await assert.rejects(small.get(col), typed(ChromaResponseTooLargeError, /with a body of more than 2 KiB/));
      assert.equal(small.transport.maxResponseBytes, 2048);
    });

    it('a compressed answer under the cap is read as usual', async () => {
      const body = gzipSync(JSON.stringify({ 'nanosecond heartbeat': 42 }));
      stand.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(body);
      };
      assert.equal(await client.heartbeat(), 42);
    });

    it('a 52 MB error message becomes one line of at most 300 characters, without control or bidi characters', async function () {
      this.timeout(60_000);
      const message = `first line\r\n\u001b[31m\u202eevil\u2066 ${'x'.repeat(52 * 1024 * 1024)}`;
      stand.json({ error: 'Internal\nError', message }, 500);
      await assert.rejects(client.heartbeat(), (e: unknown) => {
        assert.ok(e instanceof ChromaServerError);
        for (const text of [e.message, e.serverMessage ?? '', e.serverKind ?? '']) {
          assert.ok(text.length <= 300, `${text.length} characters`);
          assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        }
        assert.match(e.message, /failed on GET \/api\/v2\/heartbeat \(500\): first line \[31m evil x+…\. See the server's log\.$/);
        assert.equal(e.serverKind, 'Internal Error');
        return true;
      });
    });

    it('an error page of 1 MB of "<" is answered at once (100 KB of it blocked the event loop for 6–14 s)', async () => {
      // Quadratic tag stripping would take hours on 1 MB: this test would time out.
      stand.handler = (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<'.repeat(1024 * 1024));
      };
      await assert.rejects(client.version(), typed(ChromaError, /is unavailable \(502\): <<<<.*…\. The server or a proxy/));
    });

    it('the v1 check after a 404 uses the client timeout, not a fixed 5 s', async function () {
      this.timeout(30_000);
      // A pre-0.6 server that takes 5.5 s to answer its v1 heartbeat: within the client's 20 s, past the old 5 s.
      stand.handler = (req, res) => {
        if (req.url?.startsWith('/api/v1/heartbeat')) {
          setTimeout(() => res.end('{"nanosecond heartbeat": 1}'), 5_500);
        } else {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"detail":"Not Found"}');
        }
      };
      await assert.rejects(new ChromaClient({ url: stand.url, retries: 0, timeoutMs: 20_000 }).heartbeat(), ChromaApiV1OnlyError);
    });
  });
});
