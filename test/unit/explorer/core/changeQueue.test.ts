import * as assert from 'node:assert/strict';
import { ChangeQueue } from '../../../../src/explorer/core/changeQueue';

interface N {
  id: string;
  parent?: N;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ChangeQueue (tree events)', () => {
  const root: N = { id: 'c' };
  const db: N = { id: 'c/d', parent: root };
  const cols: N[] = Array.from({ length: 100 }, (_, i) => ({ id: `c/d/k${i}`, parent: db }));

  function queue(delay = 30) {
    const events: Array<N[] | undefined> = [];
    const q = new ChangeQueue<N>((n) => events.push(n), (n) => n.parent, delay);
    return { q, events };
  }

  it('changes within the window become one event', async () => {
    const { q, events } = queue();
    cols.forEach((c) => q.add(c));
    await sleep(80);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.length, 100);
    assert.equal(q.fired, 1);
  });

  it('a node is dropped when its ancestor is refreshed in the same event', async () => {
    const { q, events } = queue();
    q.add(cols[0]);
    q.add(db);
    q.add(cols[1]);
    await sleep(80);
    assert.deepEqual(events, [[db]]);
  });

  it('a node being listed waits until its listing is done, then is announced once', async () => {
    const { q, events } = queue();
    const done = q.beginListing(db);
    q.add(db);
    q.add(cols[0]);
    await sleep(80);
    assert.deepEqual(events, [[cols[0]]], 'the others go, the listed node waits');
    q.add(db);
    done();
    done(); // twice is harmless
    await sleep(80);
    assert.deepEqual(events, [[cols[0]], [db]]);
  });

  it('nested listings of one node: it waits for the last', async () => {
    const { q, events } = queue();
    const a = q.beginListing(db);
    const b = q.beginListing(db);
    q.add(db);
    a();
    await sleep(80);
    assert.equal(events.length, 0);
    b();
    await sleep(80);
    assert.deepEqual(events, [[db]]);
  });

  it('a whole-tree refresh replaces what was queued and does not wait', async () => {
    const { q, events } = queue();
    q.beginListing(db);
    q.add(db);
    q.add(undefined);
    q.flush();
    assert.deepEqual(events, [undefined]);
    await sleep(80);
    assert.deepEqual(events, [undefined]);
  });
  it('whenQuiet waits for queued changes and a settle time after the last event, and no longer than its limit', async () => {
    const { q, events } = queue(30);
    const t0 = Date.now();
    await q.whenQuiet(100, 2_000);
    assert.ok(Date.now() - t0 < 50, 'nothing queued or fired: at once');
    q.add(cols[0]);
    const t1 = Date.now();
    await q.whenQuiet(100, 2_000);
    assert.equal(events.length, 1, 'the queued change was fired before');
    assert.ok(Date.now() - t1 >= 30 + 100 - 5, `then the settle time passed (${Date.now() - t1} ms)`);
    // a node held back by its listing keeps the tree busy until the limit
    const done = q.beginListing(cols[1]);
    q.add(cols[1]);
    const t2 = Date.now();
    await q.whenQuiet(10, 150);
    assert.ok(Date.now() - t2 >= 140, 'waited up to the limit while a change was held back');
    done();
    await q.whenQuiet(10, 2_000);
    assert.equal(events.length, 2);
  });
});
