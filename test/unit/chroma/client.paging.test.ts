/** A server that ignores `offset` answers every page with the first: the client's iterators stop with an error. */
import * as assert from 'node:assert/strict';
import { ChromaClient, ChromaError } from '../../../src/chroma';
import { HttpStub } from '../../support/httpStub';

const collection = (i: number) => ({ id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, name: `c-${i}`, metadata: null, dimension: null, tenant: 't1', database: 'd1', configuration_json: {} });

describe('paging against a server that ignores offset', () => {
  let stub: HttpStub;
  before(async () => {
    stub = await HttpStub.start((req) => {
      if (req.path.includes('/collections?')) {
        return { body: [collection(1), collection(2)] };
      }
      if (req.path.endsWith('/get')) {
        return { body: { ids: ['a', 'b'], documents: null, metadatas: null, embeddings: null, uris: null, include: [] } };
      }
      return { status: 404 };
    });
  });
  after(() => stub.stop());

  it('iterateCollections and iterateRecords end in one clear error instead of looping forever', async () => {
    const client = new ChromaClient({ url: stub.url, tenant: 't1', database: 'd1', retries: 0 });
    const drain = async (it: AsyncIterable<unknown>) => {
      let n = 0;
      for await (const item of it) {
        n += item ? 1 : 0;
        if (n > 100) {
          throw new Error('still paging after 100 items');
        }
      }
    };
    for (const it of [client.iterateCollections({ pageSize: 2 }), client.iterateRecords({ id: 'x', tenant: 't1', database: 'd1' }, { pageSize: 2 })]) {
      await assert.rejects(drain(it), (e: unknown) => {
        assert.ok(e instanceof ChromaError, String(e));
        assert.equal(e.code, 'unexpected-response');
        assert.match(e.message, /with the page it gave before: it ignores paging/);
        return true;
      });
    }
    assert.ok(stub.seen.length <= 4, `${stub.seen.length} requests`);
  });
});
