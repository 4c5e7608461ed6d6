import * as assert from 'node:assert/strict';
import type { Listing } from '../../../../src/explorer/core/listing';
import { ListingCache } from '../../../../src/explorer/core/listingCache';
import type { ConnectionNode, DatabaseNode, ExplorerNode } from '../../../../src/explorer/core/nodes';

const conn: ConnectionNode = { kind: 'connection', id: 'c:a', connection: { name: 'a', url: 'http://127.0.0.1:1' } };
const db = (name: string): DatabaseNode => ({ kind: 'database', id: `c:a/d:t/${name}`, parent: conn, tenant: 't', database: name });
const listingOf = (items: ExplorerNode[]): Listing<ExplorerNode> => ({ items, pool: [], fetched: items.length, exhausted: true });

describe('ListingCache (what the explorer has loaded)', () => {
  it('lists a node once while it is loading or loaded, and records it as arrived', async () => {
    const cache = new ListingCache();
    let requests = 0;
    const arrived: Array<Listing<ExplorerNode>> = [];
    const first = () => Promise.resolve(listingOf([db(`x${++requests}`)]));
    const a = cache.list(conn.id, first, (l) => arrived.push(l));
    const b = cache.list(conn.id, first, (l) => arrived.push(l));
    assert.equal(a, b);
    assert.equal(cache.settled(conn.id), undefined, 'not arrived yet');
    const listing = await a;
    await Promise.resolve();
    assert.equal(requests, 1);
    assert.equal(cache.settled(conn.id), listing);
    assert.deepEqual(arrived, [listing]);
  });

  it('a listing dropped while it loads is not recorded, and its nodes are retired once it arrives', async () => {
    const cache = new ListingCache();
    const node = db('one');
    let resolve!: (l: Listing<ExplorerNode>) => void;
    const pending = cache.list(conn.id, () => new Promise((r) => (resolve = r)));
    cache.dropUnder(conn.id);
    assert.ok(!cache.has(conn.id));
    resolve(listingOf([node]));
    await pending;
    await Promise.resolve();
    assert.equal(cache.settled(conn.id), undefined);
    assert.ok(cache.retired(node));
  });

  it('dropUnder forgets the node and its descendants, not a sibling whose id starts the same', async () => {
    const cache = new ListingCache();
    const one = db('one');
    const oneMore = db('one-more');
    cache.settle(one.id, listingOf([]));
    cache.settle(`${one.id}/k:x`, listingOf([]));
    cache.settle(oneMore.id, listingOf([]));
    cache.dropUnder(one.id);
    assert.deepEqual([one.id, `${one.id}/k:x`, oneMore.id].map((id) => cache.has(id)), [false, false, true]);
  });

  it('collection names are fetched once until dropped; a failed fetch is tried again', async () => {
    const cache = new ListingCache();
    let fetches = 0;
    const fail = cache.collectionNames('d', () => (fetches++, Promise.reject(new Error('down'))));
    await assert.rejects(fail.pending, /down/);
    const ok = cache.collectionNames('d', () => (fetches++, Promise.resolve([])));
    assert.ok(ok.fresh);
    assert.equal(cache.collectionNames('d', () => (fetches++, Promise.resolve([]))).fresh, false);
    cache.dropUnder('d');
    assert.ok(cache.collectionNames('d', () => (fetches++, Promise.resolve([]))).fresh);
    assert.equal(fetches, 3);
  });

  it('whenNoFetches waits for every listing request in flight', async () => {
    const cache = new ListingCache();
    await cache.whenNoFetches(); // none in flight: at once
    const order: string[] = [];
    let finish!: () => void;
    const work = cache.fetching(() => new Promise<void>((r) => (finish = r)).then(() => order.push('fetched')));
    const idle = cache.whenNoFetches().then(() => order.push('idle'));
    await Promise.resolve();
    assert.deepEqual(order, []);
    finish();
    await Promise.all([work, idle]);
    assert.deepEqual(order, ['fetched', 'idle']);
  });
});
