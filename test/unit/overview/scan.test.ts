/** Reading a collection for the overview: all of it or a spread sample, page by page, with progress and cancel. */
import * as assert from 'node:assert/strict';
import { ChromaError } from '../../../src/chroma';
import type { ChromaClient, Collection } from '../../../src/chroma';
import { healthCheck } from '../../../src/overview/core/health';
import { sampleWindows, scanCollection } from '../../../src/overview/core/scan';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';
import { HttpStub } from '../../support/httpStub';

const RECORDS = 1000;
const DIM = 8;
const idOf = (i: number) => `r-${String(i).padStart(4, '0')}`;
const indexOf = (id: string) => Number(id.slice(2));

describe('scanCollection against a real server', function () {
  this.timeout(60_000);
  const chroma = useChromaServer();
  let client: ChromaClient;
  let col: Collection;
  const embeddings = vectors(RECORDS, DIM, 21);

  before(async () => {
    client = clientFor(chroma.server.url);
    col = await client.createCollection({ name: uniqueName('scan') });
    await client.add(col, {
      ids: embeddings.map((_, i) => idOf(i)),
      embeddings,
      documents: embeddings.map((_, i) => (i % 10 === 0 ? null : `document ${i}`)),
      metadatas: embeddings.map((_, i) => (i % 7 === 0 ? null : { i, even: i % 2 === 0, tag: `t${i % 3}` })),
    });
  });

  it('reads every record in pages no larger than asked, each row with its own id, document, metadata and vector', async () => {
    const steps: [number, number][] = [];
    const scan = await scanCollection(client, col, { pageSize: 128, onProgress: (read, of) => steps.push([read, of]) });
    assert.equal(scan.total, RECORDS);
    assert.equal(scan.sampled, false);
    assert.equal(scan.ids.length, RECORDS);
    assert.equal(scan.dim, DIM);
    assert.equal(scan.vectors.length, RECORDS * DIM);
    assert.ok(scan.vectors.buffer instanceof SharedArrayBuffer, 'shared memory: the projection worker reads it without a copy');
    assert.deepEqual(scan.dimMismatch, []);
    assert.deepEqual(scan.noEmbedding, []);
    scan.ids.forEach((id, row) => {
      const i = indexOf(id);
      assert.deepEqual(Array.from(scan.vectors.subarray(row * DIM, (row + 1) * DIM)), Array.from(Float32Array.from(embeddings[i])), id);
      assert.equal(scan.documents[row], i % 10 === 0 ? null : `document ${i}`);
      assert.deepEqual(scan.metadatas[row], i % 7 === 0 ? null : { i, even: i % 2 === 0, tag: `t${i % 3}` });
    });
    assert.equal(new Set(scan.ids).size, RECORDS);
    // One progress step per page of ≤ 128, ending at the whole.
    assert.equal(steps.length, Math.ceil(RECORDS / 128));
    steps.forEach(([read, of], k) => {
      assert.equal(of, RECORDS);
      assert.ok(read - (k ? steps[k - 1][0] : 0) <= 128);
    });
    assert.deepEqual(steps.at(-1), [RECORDS, RECORDS]);
  });

  it('reads a sample of `limit` records spread over the whole collection, and says it is a sample', async () => {
    const steps: number[] = [];
    const scan = await scanCollection(client, col, {
      limit: 200,
      pageSize: 50,
      onProgress: (read, of) => {
        assert.equal(of, 200);
        steps.push(read);
      },
    });
    assert.equal(scan.sampled, true);
    assert.equal(scan.total, RECORDS);
    assert.equal(scan.ids.length, 200);
    assert.equal(new Set(scan.ids).size, 200);
    assert.equal(steps.at(-1), 200);
    // Every tenth of the collection is represented about equally (records added in batches are all seen).
    const perTenth = new Array<number>(10).fill(0);
    for (const id of scan.ids) {
      perTenth[Math.floor(indexOf(id) / 100)]++;
    }
    assert.ok(perTenth.every((c) => c >= 15 && c <= 25), perTenth.join(' '));
    // The rows are those records' vectors.
    scan.ids.forEach((id, row) => {
      assert.deepEqual(Array.from(scan.vectors.subarray(row * DIM, (row + 1) * DIM)), Array.from(Float32Array.from(embeddings[indexOf(id)])), id);
    });
    const all = await scanCollection(client, col, { limit: RECORDS });
    assert.equal(all.sampled, false);
  });

  it('stops when cancelled, with an "aborted" error and no more progress', async () => {
    const abort = new AbortController();
    let after = 0;
    const run = scanCollection(client, col, {
      pageSize: 100,
      signal: abort.signal,
      onProgress: () => {
        if (abort.signal.aborted) {
          after++;
        }
        abort.abort();
      },
    });
    await assert.rejects(run, (e: unknown) => e instanceof ChromaError && e.code === 'aborted' && /cancelled/.test(e.message));
    assert.equal(after, 0);
  });
});

describe('sampleWindows', () => {
  it('covers the collection with disjoint windows adding up to the limit, none larger than a page', () => {
    for (const [total, limit, page] of [
      [1000, 200, 50],
      [101, 100, 500],
      [100_000, 5_000, 500],
      [7, 3, 1],
      [30, 25, 4],
    ]) {
      const w = sampleWindows(total, limit, page);
      assert.equal(
        w.reduce((s, [a, b]) => s + b - a, 0),
        limit,
        `${total}/${limit}`,
      );
      w.forEach(([a, b], k) => {
        assert.ok(a >= (k ? w[k - 1][1] : 0) && b <= total && b - a <= page, `${total}/${limit}: window ${a}-${b}`);
      });
      assert.ok(w[0][0] === 0 && w.at(-1)![1] > total - total / Math.min(limit, 20) - 1, `${total}/${limit}: ${JSON.stringify(w.slice(-2))}`);
    }
    assert.deepEqual(sampleWindows(50, 100, 10), [[0, Infinity]]);
  });
});

describe('scanCollection on a server whose records have different dimensions', () => {
  let stub: HttpStub;
  const dims = [3, 3, 4, 4, 4, 4, 4];
  const vec = (i: number) => Array.from({ length: dims[i] }, (_, j) => i + j / 10);
  /** What the server says the count is (stale when records were added after it answered). */
  let count = dims.length;
  before(async () => {
    stub = await HttpStub.start((req) => {
      if (req.path.endsWith('/count')) {
        return { body: count };
      }
      if (req.path.endsWith('/get')) {
        const offset = Number(req.body.offset ?? 0);
        const rows = dims.map((_, i) => i).slice(offset, offset + Number(req.body.limit));
        return {
          body: {
            ids: rows.map((i) => `id${i}`),
            embeddings: rows.map(vec),
            documents: rows.map((i) => `doc ${i}`),
            metadatas: rows.map(() => null),
            uris: null,
            include: ['embeddings', 'documents', 'metadatas'],
          },
        };
      }
      return { status: 404 };
    });
  });
  after(() => stub.stop());

  it('keeps the most common dimension, zero rows and names the others (the first page\'s dimension lost the vote)', async () => {
    const client = clientFor(stub.url, { tenant: 't', database: 'd', retries: 0 });
    const ref = { id: 'c1', name: 'mixed', tenant: 't', database: 'd' };
    const scan = await scanCollection(client, ref, { pageSize: 2 });
    assert.equal(scan.dim, 4);
    assert.deepEqual(scan.dimMismatch, [0, 1]);
    assert.deepEqual(scan.mismatchDims, [3, 3]);
    assert.equal(scan.vectors.length, 7 * 4);
    assert.deepEqual(Array.from(scan.vectors.subarray(0, 8)), new Array(8).fill(0));
    for (let i = 2; i < 7; i++) {
      assert.deepEqual(Array.from(scan.vectors.subarray(i * 4, i * 4 + 4)), Array.from(Float32Array.from(vec(i))));
    }
    const findings = await healthCheck(scan, { space: 'l2', normalising: false, sourceExists: () => Promise.resolve(true) });
    const mismatch = findings.find((f) => f.kind === 'dimensionMismatch');
    assert.ok(mismatch, JSON.stringify(findings));
    assert.equal(mismatch.count, 2);
    assert.deepEqual(mismatch.exampleIds, ['id0', 'id1']);
    assert.match(mismatch.detail ?? '', /Most records have 4-dimensional embeddings; 2 records have 3 dimensions/);
  });

  it('reads on past a stale count while pages come back full (records added meanwhile)', async () => {
    count = 4;
    try {
      const client = clientFor(stub.url, { tenant: 't', database: 'd', retries: 0 });
      const scan = await scanCollection(client, { id: 'c1', name: 'mixed', tenant: 't', database: 'd' }, { pageSize: 2 });
      assert.deepEqual(scan.ids, ['id0', 'id1', 'id2', 'id3', 'id4', 'id5', 'id6']);
      assert.equal(scan.total, 7);
      assert.equal(scan.sampled, false);
    } finally {
      count = dims.length;
    }
  });
});

describe('scanCollection when a page comes without embeddings', () => {
  let stub: HttpStub;
  before(async () => {
    stub = await HttpStub.start((req) => {
      if (req.path.endsWith('/count')) {
        return { body: 5 };
      }
      if (req.path.endsWith('/get')) {
        const offset = Number(req.body.offset ?? 0);
        const rows = [0, 1, 2, 3, 4].slice(offset, offset + Number(req.body.limit));
        // The last page's embeddings are missing (a server or proxy that dropped them).
        const embeddings = offset >= 4 ? null : rows.map((i) => [i, 1, 0]);
        return { body: { ids: rows.map((i) => `id${i}`), embeddings, documents: null, metadatas: null, uris: null, include: [] } };
      }
      return { status: 404 };
    });
  });
  after(() => stub.stop());

  it('keeps those records, as zero rows listed in noEmbedding, and the vectors a full n × dim', async () => {
    const client = clientFor(stub.url, { tenant: 't', database: 'd', retries: 0 });
    const scan = await scanCollection(client, { id: 'c2', name: 'holes', tenant: 't', database: 'd', dimension: 3 }, { pageSize: 2 });
    assert.equal(scan.ids.length, 5);
    assert.equal(scan.dim, 3);
    assert.deepEqual(scan.noEmbedding, [4]);
    assert.deepEqual(Array.from(scan.vectors), [0, 1, 0, 1, 1, 0, 2, 1, 0, 3, 1, 0, 0, 0, 0]);
    assert.deepEqual(scan.documents, [null, null, null, null, null]);
    // Not a zero vector in the health check: it has no vector at all.
    const findings = await healthCheck(scan, { space: 'l2', normalising: false, sourceExists: () => Promise.resolve(true) });
    assert.deepEqual(
      findings.map((f) => f.kind),
      ['noDocument'],
    );
  });
});
