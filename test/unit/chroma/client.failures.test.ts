import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChromaAbortedError,
  ChromaApiV1OnlyError,
  ChromaClient,
  ChromaForbiddenError,
  ChromaNotChromaError,
  ChromaRateLimitedError,
  ChromaTimeoutError,
  ChromaUnauthorizedError,
  ChromaUnavailableError,
  ChromaUnreachableError,
} from '../../../src/chroma';
import { ChromaServer, freePort } from '../../support/chromaServer';
import { requireHeader, TestProxy } from '../../support/proxy';
import { clientFor, uniqueName, useChromaServer } from '../../support/fixtures';

/** A stand-in for what the real server cannot be here: a pre-0.6 server (v1 only), or a web server that is not Chroma. */
async function fakeServer(handler: (path: string) => { status: number; body: string; type?: string }): Promise<Server> {
  const server = createServer((req, res) => {
    const { status, body, type } = handler(req.url ?? '/');
    res.writeHead(status, { 'content-type': type ?? 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
const fast = { baseMs: 10, maxMs: 50 };

describe('ChromaClient: failures', () => {
  const ctx = useChromaServer();
  let proxy: TestProxy;
  before(async () => {
    proxy = await TestProxy.start(ctx.server.url);
  });
  beforeEach(() => proxy.reset());
  after(async () => {
    await proxy.stop();
  });

  it('a port with nothing listening: unreachable, connection refused, naming the host', async () => {
    const port = await freePort();
    const client = new ChromaClient({ url: `http://127.0.0.1:${port}`, backoff: fast });
    await assert.rejects(client.heartbeat(), (e: unknown) => {
      assert.ok(e instanceof ChromaUnreachableError);
      assert.equal(e.message, `Cannot reach Chroma at 127.0.0.1:${port}: connection refused. Check that the server is running and the URL is right.`);
      return true;
    });
  });

  it('a host name that does not resolve: unreachable, says so', async () => {
    const client = new ChromaClient({ url: 'http://chroma-explorer-test.invalid:8000', retries: 0 });
    await assert.rejects(client.version(), (e: unknown) => e instanceof ChromaUnreachableError && /does not resolve/.test(e.message));
  });

  it('a malformed URL is refused with an example of a good one', () => {
    assert.throws(() => new ChromaClient({ url: 'localhost 8000' }), /not a valid URL\. Use a URL like http:\/\/localhost:8000/);
    assert.throws(() => new ChromaClient({ url: 'ftp://x' }), /not supported/);
  });

  it('accepts a URL with /api/v2 or a trailing slash', async () => {
    for (const suffix of ['/', '/api/v2', '/api/v2/']) {
      assert.match(await clientFor(ctx.server.url + suffix).version(), /^\d/);
    }
  });

  it('a server stopped mid-test: calls fail as unreachable, and work again after it restarts', async function () {
    this.timeout(120_000);
    const server = await ChromaServer.start();
    try {
      const client = new ChromaClient({ url: server.url, backoff: fast });
      const c = await client.createCollection({ name: uniqueName('mid') });
      await client.add(c, { ids: ['a'], embeddings: [[1, 2]] });
      await server.pause();
      await assert.rejects(client.count(c), ChromaUnreachableError);
      await assert.rejects(client.add(c, { ids: ['b'], embeddings: [[3, 4]] }), ChromaUnreachableError);
      await server.restart();
      assert.equal(await client.count(c), 1);
    } finally {
      await server.stop();
    }
  });

  it('a request that gets no answer times out with a clear message', async () => {
    proxy.decide = () => ({ action: 'stall' });
    const client = new ChromaClient({ url: proxy.url, timeoutMs: 300, retries: 0 });
    // the client's own timer ends it (a hang would fail this test's timeout): the error names the 300 ms it waited
    await assert.rejects(client.version(), (e: unknown) => {
      assert.ok(e instanceof ChromaTimeoutError);
      assert.match(e.message, /did not answer GET \/api\/v2\/version within 300 ms/);
      return true;
    });
  });

  it('an AbortSignal cancels a request in flight', async () => {
    proxy.decide = () => ({ action: 'stall' });
    const client = new ChromaClient({ url: proxy.url });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(client.listCollections({ signal: ac.signal }), ChromaAbortedError);
  });

  it('retries idempotent calls on 503 with backoff, then succeeds', async () => {
    let failures = 2;
    proxy.decide = () => (failures-- > 0 ? { action: 'respond', status: 503, body: '' } : { action: 'pass' });
    const client = new ChromaClient({ url: proxy.url, backoff: fast, retries: 3 });
    assert.match(await client.version(), /^\d/);
    assert.equal(proxy.seen.length, 3);
  });

  it('never retries a non-idempotent add', async () => {
    const c = await clientFor(ctx.server.url).createCollection({ name: uniqueName('noretry') });
    const client = new ChromaClient({ url: proxy.url, backoff: fast, retries: 3 });
    await client.preflight();
    proxy.seen.length = 0;
    proxy.decide = () => ({ action: 'respond', status: 503, body: '<html><body>Service Unavailable</body></html>', headers: { 'content-type': 'text/html' } });
    await assert.rejects(client.add(c, { ids: ['a'], embeddings: [[1]] }), (e: unknown) => {
      assert.ok(e instanceof ChromaUnavailableError);
      assert.doesNotMatch(e.message, /</, 'no HTML in messages');
      return true;
    });
    assert.equal(proxy.seen.length, 1);
  });

  it('gives up after the configured retries and reports the last failure', async () => {
    proxy.decide = () => ({ action: 'respond', status: 502, body: '' });
    const client = new ChromaClient({ url: proxy.url, backoff: fast, retries: 2 });
    await assert.rejects(client.heartbeat(), ChromaUnavailableError);
    assert.equal(proxy.seen.length, 3);
  });

  it('429 is rate-limited, honouring Retry-After', async () => {
    let first = true;
    proxy.decide = () => {
      if (first) {
        first = false;
        return { action: 'respond', status: 429, body: '', headers: { 'retry-after': '0' } };
      }
      return { action: 'pass' };
    };
    assert.match(await new ChromaClient({ url: proxy.url, backoff: fast }).version(), /^\d/);
    proxy.decide = () => ({ action: 'respond', status: 429, body: '' });
    await assert.rejects(new ChromaClient({ url: proxy.url, retries: 0 }).version(), ChromaRateLimitedError);
  });

  describe('behind a proxy that checks credentials', () => {
    const token = 'ck-super-secret-token-123';

    it('no token: unauthorized, with what to do', async () => {
      proxy.decide = requireHeader('x-chroma-token', token);
      await assert.rejects(new ChromaClient({ url: proxy.url }).heartbeat(), (e: unknown) => {
        assert.ok(e instanceof ChromaUnauthorizedError);
        assert.match(e.message, /needs credentials \(401\)\. Set or update the connection's token\./);
        return true;
      });
    });

    it('x-chroma-token, bearer and basic each reach the server with the right header', async () => {
      proxy.decide = requireHeader('x-chroma-token', token);
      assert.ok(await new ChromaClient({ url: proxy.url, auth: { kind: 'x-chroma-token', token } }).heartbeat());
      proxy.decide = requireHeader('authorization', `Bearer ${token}`);
      assert.ok(await new ChromaClient({ url: proxy.url, auth: { kind: 'bearer', token } }).heartbeat());
      proxy.decide = requireHeader('authorization', `Basic ${Buffer.from('admin:pw-123:x').toString('base64')}`);
      assert.ok(await new ChromaClient({ url: proxy.url, auth: { kind: 'basic', username: 'admin', password: 'pw-123:x' } }).heartbeat());
    });

    it('a wrong token: the error never carries the token, even when the server echoes it', async () => {
      proxy.decide = (r) => ({
        action: 'respond',
        status: 403,
        body: JSON.stringify({ error: 'Forbidden', message: `token ${String(r.headers['x-chroma-token'])} may not read this tenant` }),
      });
      const wrong = 'wrong-token-should-not-leak';
      await assert.rejects(new ChromaClient({ url: proxy.url, auth: { kind: 'x-chroma-token', token: wrong } }).listCollections(), (e: unknown) => {
        assert.ok(e instanceof ChromaForbiddenError);
        assert.ok(!e.message.includes(wrong), e.message);
        assert.ok(!String(e.serverMessage).includes(wrong));
        assert.match(e.message, /refused access \(403\): token ••• may not read this tenant/);
        return true;
      });
    });
  });

  it('a pre-0.6 server (API v1 only) gets "upgrade to Chroma 0.6"', async () => {
    const old = await fakeServer((path) =>
      path.startsWith('/api/v1/heartbeat')
        ? { status: 200, body: '{"nanosecond heartbeat": 1}' }
        : { status: 404, body: '{"detail":"Not Found"}' },
    );
    try {
      await assert.rejects(new ChromaClient({ url: urlOf(old) }).heartbeat(), (e: unknown) => {
        assert.ok(e instanceof ChromaApiV1OnlyError);
        assert.match(e.message, /only speaks API v1.*Upgrade the server to Chroma 0\.6 or newer/);
        return true;
      });
    } finally {
      old.close();
    }
  });

  it('a web server that is not Chroma is named as such', async () => {
    const web = await fakeServer(() => ({ status: 404, body: '<html><h1>Not Found</h1></html>', type: 'text/html' }));
    try {
      await assert.rejects(new ChromaClient({ url: urlOf(web) }).version(), (e: unknown) => {
        assert.ok(e instanceof ChromaNotChromaError);
        assert.match(e.message, /not as a Chroma server/);
        return true;
      });
    } finally {
      web.close();
    }
  });

  it('a gateway whose upstream is down: unavailable, no HTML in the message', async () => {
    const port = await freePort();
    const gateway = await TestProxy.start(`http://127.0.0.1:${port}`);
    try {
      await assert.rejects(new ChromaClient({ url: gateway.url, retries: 0 }).heartbeat(), (e: unknown) => {
        assert.ok(e instanceof ChromaUnavailableError);
        assert.match(e.message, /unavailable \(502\): 502 Bad Gateway\./);
        return true;
      });
    } finally {
      await gateway.stop();
    }
  });
});
