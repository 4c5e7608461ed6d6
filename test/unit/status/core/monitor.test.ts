import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import { HeartbeatMonitor } from '../../../../src/status/core/monitor';
import type { Health } from '../../../../src/status/core/monitor';
import { useChromaServer } from '../../../support/fixtures';
import { TestProxy } from '../../../support/proxy';

describe('HeartbeatMonitor (real server)', () => {
  const ctx = useChromaServer();
  let proxy: TestProxy;
  before(async () => {
    proxy = await TestProxy.start(ctx.server.url);
  });
  after(async () => {
    await proxy.stop();
  });

  function monitor(intervalMs: number, url = proxy.url) {
    const connection = { name: 'm', url };
    const client = new ChromaClient({ url, retries: 0 });
    return new HeartbeatMonitor({ intervalMs: () => intervalMs, target: () => Promise.resolve({ connection, client }) });
  }

  it('healthy: version, latency, limits; follows a server that stops and starts again', async function () {
    this.timeout(90_000);
    const m = monitor(0, ctx.server.url);
    const states: string[] = [];
    m.onDidChange((h) => states.push(h.state));
    let h = await m.checkNow();
    assert.equal(h.state, 'healthy');
    if (h.state === 'healthy') {
      assert.match(h.facts.version, /^\d+\.\d+\.\d+/);
      assert.ok(h.latencyMs >= 0);
      assert.ok(h.facts.preflight.max_batch_size > 0);
      assert.deepEqual(h.facts.scope, { tenant: 'default_tenant', database: 'default_database' });
      // detected on first contact: what the tooltip lists (both test servers take base64 and list databases)
      assert.equal(h.facts.capabilities.features.base64.support, 'yes');
      assert.equal(h.facts.capabilities.features.databases.support, 'yes');
      assert.equal(h.facts.cloud, false);
    }
    await ctx.server.pause();
    h = await m.checkNow();
    assert.equal(h.state, 'down');
    if (h.state === 'down') {
      assert.match(h.message, /connection refused/);
      assert.ok(h.lastOkAt);
    }
    await ctx.server.restart();
    h = await m.checkNow();
    assert.equal(h.state, 'healthy');
    assert.deepEqual(states, ['checking', 'healthy', 'down', 'healthy']);
    m.dispose();
  });

  it('never has two checks in flight, however often it is asked', async () => {
    proxy.reset();
    proxy.decide = () => ({ action: 'pass' });
    const m = monitor(0);
    const results = await Promise.all(Array.from({ length: 10 }, () => m.checkNow()));
    assert.ok(results.every((r) => r === results[0]));
    assert.equal(m.checks, 1);
    const heartbeats = proxy.seen.filter((r) => r.path.endsWith('/heartbeat'));
    assert.equal(heartbeats.length, 1);
    m.dispose();
  });

  it('polls at its interval, and not while paused', async () => {
    proxy.reset();
    const m = monitor(100);
    await m.checkNow();
    await new Promise((r) => setTimeout(r, 550));
    const polled = m.checks;
    assert.ok(polled >= 4 && polled <= 7, `${polled} checks in ~550 ms at 100 ms`);
    m.pause();
    const atPause = m.checks;
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(m.checks <= atPause + 1, 'no polling while paused');
    const heartbeats = proxy.seen.filter((r) => r.path.endsWith('/heartbeat')).length;
    assert.equal(heartbeats, m.checks);
    m.dispose();
  });

  it('interval 0 turns polling off', async () => {
    const m = monitor(0);
    await m.checkNow();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(m.checks, 1);
    m.dispose();
  });

  it('backs off while the server is down', async () => {
    proxy.reset();
    proxy.decide = () => ({ action: 'respond', status: 502, body: '' });
    const m = monitor(50);
    await m.checkNow();
    await new Promise((r) => setTimeout(r, 800));
    // 50 ms interval: with doubling, after ~800 ms at most 1 + 100/200/400 ms waits ≈ 4 checks (20 without backoff)
    assert.ok(m.checks <= 5, `${m.checks} checks`);
    assert.equal((m.health as Health).state, 'down');
    m.dispose();
    proxy.reset();
  });

  it('401 from a proxy means "sign in"', async () => {
    proxy.decide = () => ({ action: 'respond', status: 401, body: '{"error":"Unauthorized","message":"no"}' });
    const m = monitor(0);
    assert.equal((await m.checkNow()).state, 'unauthorized');
    m.dispose();
    proxy.reset();
  });
});
