import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import { HeartbeatMonitor } from '../../../../src/status/core/monitor';
import type { Health } from '../../../../src/status/core/monitor';
import { INTERACTION_GAP_MS, UNATTENDED_FACTOR } from '../../../../src/status/core/schedule';
import { ManualClock } from '../../../support/manualClock';
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

  /** A monitor on a hand-moved clock: its timers run only when the test fires them. */
  function clocked(intervalMs: number | (() => number)) {
    const clock = new ManualClock();
    const connection = { name: 'm', url: proxy.url };
    const client = new ChromaClient({ url: proxy.url, retries: 0 });
    const interval = typeof intervalMs === 'number' ? () => intervalMs : intervalMs;
    const m = new HeartbeatMonitor({ intervalMs: interval, target: () => Promise.resolve({ connection, client }), clock });
    /** Fires the next timer and waits for the check it started; answers the delay the clock moved by. */
    const tick = async () => {
      const before = m.checks;
      const moved = clock.fireNext();
      assert.equal(m.checks, before + 1, 'the timer started a check');
      await m.checkNow(); // joins the check under way
      return moved;
    };
    return { m, clock, tick };
  }

  it('polls at its interval: each check arms one timer, the interval after the check ends', async () => {
    proxy.reset();
    const { m, clock, tick } = clocked(100);
    await m.checkNow();
    assert.deepEqual(clock.pending, [100]);
    assert.deepEqual([await tick(), await tick(), await tick()], [100, 100, 100]);
    assert.deepEqual(clock.pending, [100]);
    assert.equal(m.checks, 4);
    assert.equal(proxy.seen.filter((r) => r.path.endsWith('/heartbeat')).length, 4);
    m.dispose();
    assert.deepEqual(clock.pending, []);
  });

  it('unattended, it polls four times slower and never stops; attended again, it checks at once', async () => {
    const { m, clock, tick } = clocked(100);
    await m.checkNow();
    await m.setAttended(false);
    assert.deepEqual(clock.pending, [400], 'the waiting timer is re-armed at the slower pace');
    assert.deepEqual([await tick(), await tick()], [400, 400]);
    assert.equal((m.health as Health).state, 'healthy');
    clock.skip(INTERACTION_GAP_MS);
    const checks = m.checks;
    await m.setAttended(true);
    assert.equal(m.checks, checks + 1, 'back at the window: one check at once');
    assert.deepEqual(clock.pending, [100]);
    m.dispose();
  });

  it('the pace counts from the end of the last check: attended again moments after a check, it only re-arms', async () => {
    const { m, clock } = clocked(10_000);
    await m.checkNow();
    await m.setAttended(false);
    clock.skip(INTERACTION_GAP_MS - 1);
    await m.setAttended(true);
    assert.equal(m.checks, 1, 'no second check right after the first');
    assert.deepEqual(clock.pending, [10_000 - (INTERACTION_GAP_MS - 1)]);
    m.dispose();
  });

  it('a burst of interactions costs one check; one after the gap checks again', async () => {
    proxy.reset();
    const { m, clock } = clocked(10_000);
    await Promise.all(Array.from({ length: 10 }, () => m.interacted()));
    assert.equal(m.checks, 1);
    clock.skip(INTERACTION_GAP_MS - 1);
    await Promise.all(Array.from({ length: 10 }, () => m.interacted()));
    assert.equal(m.checks, 1, 'within the gap: no new check');
    clock.skip(1);
    await m.interacted();
    assert.equal(m.checks, 2);
    assert.deepEqual(clock.pending, [10_000], 'the poll timer counts from the interaction\'s check');
    assert.equal(proxy.seen.filter((r) => r.path.endsWith('/heartbeat')).length, 2);
    m.dispose();
  });

  it('interval 0 turns polling off: no timer, and interactions do not check; checkNow still does', async () => {
    const { m, clock } = clocked(0);
    await m.checkNow();
    assert.deepEqual(clock.pending, []);
    await m.interacted();
    await m.setAttended(false);
    await m.setAttended(true);
    assert.equal(m.checks, 1);
    assert.deepEqual(clock.pending, []);
    m.dispose();
  });

  it('a new interval takes effect from the end of the last check', async () => {
    let interval = 10_000;
    const { m, clock } = clocked(() => interval);
    await m.checkNow();
    clock.skip(1_000);
    interval = 5_000;
    m.reschedule();
    assert.deepEqual(clock.pending, [4_000]);
    interval = 500;
    m.reschedule();
    assert.deepEqual(clock.pending, [0], 'already due: at once');
    m.dispose();
  });

  it('backs off while the server is down, doubling from the pace of the moment', async () => {
    proxy.reset();
    proxy.decide = () => ({ action: 'respond', status: 502, body: '' });
    const { m, clock, tick } = clocked(50);
    await m.checkNow();
    assert.equal((m.health as Health).state, 'down');
    assert.deepEqual([clock.pending[0], await tick(), await tick(), await tick()], [100, 100, 200, 400]);
    await m.setAttended(false);
    assert.deepEqual(clock.pending, [50 * UNATTENDED_FACTOR * 2 ** 4]);
    proxy.reset();
    await tick();
    assert.equal((m.health as Health).state, 'healthy');
    assert.deepEqual(clock.pending, [50 * UNATTENDED_FACTOR], 'answering again: the plain (unattended) pace');
    m.dispose();
  });

  it('401 from a proxy means "sign in"', async () => {
    proxy.decide = () => ({ action: 'respond', status: 401, body: '{"error":"Unauthorized","message":"no"}' });
    const m = monitor(0);
    assert.equal((await m.checkNow()).state, 'unauthorized');
    m.dispose();
    proxy.reset();
  });
});
