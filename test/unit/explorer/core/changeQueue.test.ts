import * as assert from 'node:assert/strict';
import { ChangeQueue } from '../../../../src/explorer/core/changeQueue';
import { until } from '../../../support/until';

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

  it('an ancestor of a node being listed waits too: VS Code would register the listing twice ("Element with id … is already registered")', async () => {
    const { q, events } = queue();
    const record: N = { id: 'c/d/k0/r', parent: cols[0] };
    const done = q.beginListing(cols[0]);
    q.add(db); // e.g. a collection was just created in the database while another's records load
    q.add(root);
    q.add(cols[1]); // a sibling of the listed node is not held back
    await sleep(80);
    assert.deepEqual(events, [[cols[1]]], 'the database and connection wait for the listing under them');
    q.add(record); // a node under the listed one goes: VS Code has not registered it, so nothing is listed twice
    await sleep(80);
    assert.deepEqual(events, [[cols[1]], [record]]);
    done();
    await sleep(80);
    assert.deepEqual(events, [[cols[1]], [record], [root]], 'announced once the listing is done; the database goes with its connection');
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
  it('a hold keeps every event back until released, then they come as one', async () => {
    const { q, events } = queue(20);
    const release = q.hold();
    const inner = q.hold();
    cols.slice(0, 10).forEach((c) => q.add(c));
    q.flush();
    await sleep(60);
    assert.equal(events.length, 0, 'held');
    inner();
    await sleep(60);
    assert.equal(events.length, 0, 'still held by the outer hold');
    release();
    release(); // twice is once
    await sleep(60);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.length, 10);
  });

  it('whenSettled waits until the settle time has passed since the last event, and not at all without one', async () => {
    const { q, events } = queue(10);
    // no event yet: settled before the event loop turns once
    let settled = false;
    const first = q.whenSettled(200).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, true, 'no event yet: at once');
    await first;
    q.add(cols[0]);
    await until('the event', () => events.length === 1);
    // after an event it waits out the rest of the settle time: a timer due well before it fires first
    const order: string[] = [];
    const settling = q.whenSettled(200).then(() => order.push('settled'));
    setTimeout(() => order.push('a timer due in 20 ms'), 20);
    await settling;
    assert.deepEqual(order, ['a timer due in 20 ms', 'settled']);
    // the time is counted from the last event: on a clock long past it, nothing is left to wait
    settled = false;
    const late = q.whenSettled(200, () => Date.now() + 10_000).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, true);
    await late;
  });
});
