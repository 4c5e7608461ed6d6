/**
 * Redirects are never followed: every 3xx × every kind of auth, on a read (heartbeat) and a write (add), in front of
 * a real server. Nothing reaches the other origin (no token, no body), the error is typed and names where the
 * redirect pointed, and an add that got a 3xx is not reported as written. A 304 is said to be "not modified".
 */
import * as assert from 'node:assert/strict';
import { ChromaClient, ChromaRedirectError, ChromaUnexpectedResponseError } from '../../../src/chroma';
import type { ChromaAuth, Collection } from '../../../src/chroma';
import { Recorder } from '../../support/hostileServer';
import { TestProxy } from '../../support/proxy';
import { clientFor, uniqueName, useChromaServer } from '../../support/fixtures';

// 304 is no redirect ("not modified"): its own test below.
const CODES = [300, 301, 302, 303, 305, 307, 308];
const TOKEN = 'redirect-secret-token-42';
const AUTHS: Array<[string, ChromaAuth]> = [
  ['no auth', { kind: 'none' }],
  ['x-chroma-token', { kind: 'x-chroma-token', token: TOKEN }],
  ['bearer', { kind: 'bearer', token: TOKEN }],
  ['basic', { kind: 'basic', username: 'admin', password: TOKEN }],
];

describe('ChromaClient: redirects are never followed (real server behind a redirecting proxy)', () => {
  const ctx = useChromaServer();
  let proxy: TestProxy;
  let elsewhere: Recorder;
  before(async () => {
    proxy = await TestProxy.start(ctx.server.url);
    elsewhere = await Recorder.start();
  });
  beforeEach(() => {
    proxy.reset();
    elsewhere.seen.length = 0;
  });
  after(async () => {
    await proxy.stop();
    await elsewhere.stop();
  });

  /** The proxy answers requests whose path ends with `suffix` with a redirect to the same path elsewhere. */
  function redirect(status: number, suffix: string): void {
    proxy.decide = (r) =>
      r.path.endsWith(suffix)
        ? { action: 'respond', status, body: '{"moved": true}', headers: { location: `${elsewhere.url}${r.path}?token=${TOKEN}` } }
        : { action: 'pass' };
  }

  function assertRedirectError(e: unknown, status: number, path: string): true {
    assert.ok(e instanceof ChromaRedirectError, `${String(e)}`);
    assert.equal(e.status, status);
    assert.equal(e.location, `${elsewhere.url}${path}`);
    const shown = path.length > 40 ? `${elsewhere.url}/api/v2/tenants/` : `${elsewhere.url}${path}`;
    assert.ok(e.message.includes(`with a redirect (${status}) to ${shown}`), e.message);
    assert.ok(e.message.includes(`${path.slice(-20)}; not followed, so nothing went there.`), e.message);
    assert.ok(e.message.endsWith(`If that is the server, use ${elsewhere.url} as the connection URL.`), e.message);
    assert.ok(!e.message.includes(TOKEN), 'the query of the Location (which carries a token here) is not shown');
    return true;
  }

  for (const [authName, auth] of AUTHS) {
    describe(authName, () => {
      let collection: Collection;
      before(async () => {
        collection = await clientFor(ctx.server.url).createCollection({ name: uniqueName('redir') });
      });

      for (const status of CODES) {
        it(`${status}: GET heartbeat and POST add fail typed, send nothing elsewhere, write nothing`, async () => {
          const client = new ChromaClient({ url: proxy.url, auth, retries: 2, backoff: { baseMs: 1, maxMs: 2 } });
          redirect(status, '/heartbeat');
          await assert.rejects(client.heartbeat(), (e) => assertRedirectError(e, status, '/api/v2/heartbeat'));
          assert.equal(proxy.seen.length, 1, 'a redirect is not retried');

          redirect(status, '/add');
          let progress = 0;
          const addPath = `/api/v2/tenants/default_tenant/databases/default_database/collections/${collection.id}/add`;
          await assert.rejects(
            client.add(collection, { ids: ['a', 'b'], embeddings: [[1, 2], [3, 4]], documents: ['x', 'y'] }, { onProgress: () => progress++ }),
            (e) => assertRedirectError(e, status, addPath),
          );
          assert.equal(progress, 0, 'no batch is reported as written');
          assert.equal(elsewhere.seen.length, 0, `the other origin saw ${JSON.stringify(elsewhere.seen.map((s) => [s.method, s.path]))}`);
          // The origin itself got the credential: it is the connection's own.
          if (auth.kind !== 'none') {
            assert.ok(proxy.seen.every((r) => r.headers['x-chroma-token'] === TOKEN || typeof r.headers.authorization === 'string'));
          }
          assert.equal(await clientFor(ctx.server.url).count(collection), 0, 'nothing was written');
        });
      }
    });
  }

  it('a redirect without a Location, or with a hostile one, still names what it can and stays one line', async () => {
    const client = new ChromaClient({ url: proxy.url, retries: 0 });
    proxy.decide = () => ({ action: 'respond', status: 302, body: '' });
    await assert.rejects(client.version(), (e: unknown) => {
      assert.ok(e instanceof ChromaRedirectError);
      assert.equal(e.location, undefined);
      assert.match(e.message, /redirect \(302\) but no usable location; not followed\. Check the connection URL \(e\.g\. https:\/\/ instead of http:\/\/\)\.$/);
      return true;
    });
    const longPath = `/${'a'.repeat(5000)}`;
    proxy.decide = () => ({
      action: 'respond',
      status: 301,
      body: '',
      headers: { location: `https://user:pw@evil.example:8443${longPath}\u0085?q=1#frag` },
    });
    await assert.rejects(client.version(), (e: unknown) => {
      assert.ok(e instanceof ChromaRedirectError);
      assert.ok(e.message.length <= 300 && !/[\u0000-\u001f\u202e]/.test(e.message), e.message);
      assert.match(e.message, /to https:\/\/evil\.example:8443\/aaaa/);
      assert.doesNotMatch(e.message, /user|pw@|q=1|frag/);
      return true;
    });
    proxy.decide = () => ({ action: 'respond', status: 308, body: '', headers: { location: 'https://127.0.0.1/api/v2/version' } });
    await assert.rejects(client.version(), /If that is the server, use https:\/\/127\.0\.0\.1 as the connection URL\.$/);
  });

  it('304 is said to be "not modified" to a request that did not ask for it, not a redirect; nothing is written', async () => {
    const collection = await clientFor(ctx.server.url).createCollection({ name: uniqueName('notmod') });
    const client = new ChromaClient({ url: proxy.url, auth: { kind: 'x-chroma-token', token: TOKEN }, retries: 2, backoff: { baseMs: 1, maxMs: 2 } });
    // with a Location, as a confused proxy might send: it is not a place to go
    const notModified = (suffix: string) =>
      (proxy.decide = (r) =>
        r.path.endsWith(suffix) ? { action: 'respond', status: 304, body: '', headers: { location: `${elsewhere.url}${r.path}` } } : { action: 'pass' });
    notModified('/heartbeat');
    const check = (e: unknown, operation: string) => {
      assert.ok(e instanceof ChromaUnexpectedResponseError, String(e));
      assert.equal(e.status, 304);
      assert.equal(
        e.message,
        `Chroma at ${new URL(proxy.url).host} answered ${operation} with 304 "not modified" to a request that did not ask for it ` +
          '(no If-None-Match or If-Modified-Since); nothing was read. A cache or proxy on the way may be answering: check it, or connect directly.',
      );
      assert.doesNotMatch(e.message, /redirect|https:\/\//);
      return true;
    };
    await assert.rejects(client.heartbeat(), (e) => check(e, 'GET /api/v2/heartbeat'));
    assert.equal(proxy.seen.length, 1, 'a 304 is not retried');
    notModified('/add');
    await assert.rejects(client.add(collection, { ids: ['a'], embeddings: [[1, 2]] }), (e) => check(e, `POST …/add`));
    assert.equal(elsewhere.seen.length, 0);
    assert.equal(await clientFor(ctx.server.url).count(collection), 0, 'nothing was written');

    // A connection whose own headers make its requests conditional is told so.
    const conditional = new ChromaClient({ url: proxy.url, retries: 0, headers: { 'If-None-Match': '"v1"' } });
    notModified('/version');
    await assert.rejects(conditional.version(), (e: unknown) => {
      assert.ok(e instanceof ChromaUnexpectedResponseError);
      assert.match(e.message, /with 304 "not modified" because the connection's headers send If-None-Match; nothing was read\. Remove that header from the connection\.$/);
      return true;
    });
  });
});
