/** Find Collection…'s fetch of every name: pages in parallel, in order, and a server ignoring offset is an error. */
import * as assert from 'node:assert/strict';
import { ChromaClient, ChromaError } from '../../../../src/chroma';
import { ExplorerModel } from '../../../../src/explorer/core/model';
import type { ConnectionNode, DatabaseNode } from '../../../../src/explorer/core/model';
import { HttpStub } from '../../../support/httpStub';

const collection = (i: number) => ({ id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, name: `c-${i}`, metadata: null, dimension: null, tenant: 't1', database: 'd1', configuration_json: {} });

describe('Find Collection: every name of a large database', () => {
  let stub: HttpStub;
  let total = 2_500;
  let ignoreOffset = false;
  let inFlight = 0;
  let peak = 0;
  before(async () => {
    stub = await HttpStub.start((req) => {
      const m = /\/collections\?limit=(\d+)&offset=(\d+)/.exec(req.path);
      if (!m) {
        return { status: 404 };
      }
      const [limit, offset] = [Number(m[1]), ignoreOffset ? 0 : Number(m[2])];
      const n = Math.max(0, Math.min(limit, total - offset));
      return { body: Array.from({ length: n }, (_, i) => collection(offset + i)) };
    });
  });
  after(() => stub.stop());

  function database(): { model: ExplorerModel; db: DatabaseNode } {
    const connection = { name: 'stub', url: stub.url, tenant: 't1' };
    const client = new ChromaClient({ url: stub.url, tenant: 't1', database: 'd1', retries: 0 });
    const counting = new Proxy(client, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'listCollections' || typeof value !== 'function') {
          return value;
        }
        return async (...args: unknown[]) => {
          peak = Math.max(peak, ++inFlight);
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const model = new ExplorerModel({ connections: () => [connection], clientFor: () => Promise.resolve(counting) });
    const conn = model.roots()[0] as ConnectionNode;
    return { model, db: { kind: 'database', id: `${conn.id}/d:t1/d1`, parent: conn, tenant: 't1', database: 'd1' } };
  }

  it('fetches 2,500 names in pages of 1,000, a few at once, in the server order, reporting each page', async () => {
    total = 2_500;
    ignoreOffset = false;
    peak = 0;
    stub.seen.length = 0;
    const { model, db } = database();
    const seen: number[] = [];
    const all = await model.allCollections(db, (soFar) => seen.push(soFar.length));
    assert.deepEqual(all.map((c) => c.name), Array.from({ length: 2_500 }, (_, i) => `c-${i}`));
    assert.ok(peak > 1 && peak <= 3, `peak ${peak}`);
    assert.ok(seen.every((n, i) => i === 0 || n >= seen[i - 1]), 'progress only grows');
    assert.equal(seen[seen.length - 1], 2_500);
    assert.ok(stub.seen.length <= 5, `${stub.seen.length} requests`);
  });

  it('a server that ignores offset ends in one clear error, not an endless list', async () => {
    total = 5_000;
    ignoreOffset = true;
    const { model, db } = database();
    await assert.rejects(model.allCollections(db), (e: unknown) => {
      assert.ok(e instanceof ChromaError, String(e));
      assert.match(e.message, /ignores paging/);
      return true;
    });
  });
});
