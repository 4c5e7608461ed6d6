import * as assert from 'node:assert/strict';
import { planBatches, recordBytes, sliceRecords } from '../../../src/chroma/batching';
import { base64ToEmbedding, embeddingToBase64 } from '../../../src/chroma/encoding';
import type { RecordSet } from '../../../src/chroma';
import { backoffDelay } from '../../../src/chroma/backoff';
import { vectors } from '../../support/fixtures';

function records(n: number, dim: number, docLen = 10): RecordSet {
  return {
    ids: Array.from({ length: n }, (_, i) => `id-${i}`),
    embeddings: vectors(n, dim),
    documents: Array.from({ length: n }, (_, i) => 'x'.repeat(docLen + (i % 7))),
    metadatas: Array.from({ length: n }, (_, i) => ({ i, even: i % 2 === 0 })),
  };
}

describe('batching and encoding (pure)', () => {
  it('covers every record exactly once, in order, within max records', () => {
    const rs = records(12_345, 4);
    const ranges = planBatches(rs, { maxRecords: 5461, maxBytes: Infinity, base64: true });
    assert.deepEqual(ranges, [
      [0, 5461],
      [5461, 10922],
      [10922, 12345],
    ]);
  });

  it('keeps each batch under the byte budget, and a lone oversized record gets a batch of its own', () => {
    const rs = records(300, 384, 2000);
    rs.documents![150] = 'y'.repeat(200_000);
    const maxBytes = 100_000;
    const ranges = planBatches(rs, { maxRecords: 5461, maxBytes, base64: false });
    let next = 0;
    for (const [start, end] of ranges) {
      assert.equal(start, next);
      assert.ok(end > start);
      next = end;
      let bytes = 0;
      for (let i = start; i < end; i++) {bytes += recordBytes(rs, i, false);}
      if (end - start > 1) {assert.ok(bytes <= maxBytes, `batch ${start}-${end} has ${bytes} bytes`);}
    }
    assert.equal(next, 300);
    assert.ok(ranges.some(([s, e]) => s === 150 && e === 151));
  });

  it('estimates at least the real JSON body size of a batch, in both encodings', () => {
    const rs = records(50, 16, 30);
    rs.documents![3] = 'ünïcödé ✓ '.repeat(20);
    for (const base64 of [false, true]) {
      const body = JSON.stringify({
        ids: rs.ids,
        embeddings: base64 ? rs.embeddings!.map(embeddingToBase64) : rs.embeddings,
        documents: rs.documents,
        metadatas: rs.metadatas,
        uris: rs.ids.map(() => null),
      });
      let estimate = 0;
      for (let i = 0; i < 50; i++) {estimate += recordBytes(rs, i, base64);}
      const real = Buffer.byteLength(body, 'utf8');
      assert.ok(estimate >= real, `base64=${base64}: estimate ${estimate} < real ${real}`);
      assert.ok(estimate < real * (base64 ? 1.3 : 2.5), `base64=${base64}: estimate ${estimate} far above real ${real}`);
    }
  });

  it('slices every per-record array alike', () => {
    const rs = records(10, 2);
    const s = sliceRecords(rs, 3, 6);
    assert.deepEqual(s.ids, ['id-3', 'id-4', 'id-5']);
    assert.equal(s.embeddings!.length, 3);
    assert.deepEqual(s.metadatas![0], { i: 3, even: false });
    assert.equal(s.uris, undefined);
  });

  it('base64 embeddings are little-endian float32 and round-trip', () => {
    assert.equal(embeddingToBase64([1, 2, 3]), Buffer.from(new Float32Array([1, 2, 3]).buffer).toString('base64'));
    assert.equal(embeddingToBase64([1]), 'AACAPw==');
    const v = new Float32Array([0.5, -1.25, 3.4028234663852886e38, 1e-45]);
    assert.deepEqual(base64ToEmbedding(embeddingToBase64(v)), v);
  });

  it('backoff grows exponentially, caps, and jitters within its band', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts)), [100, 200, 400, 800, 1000, 1000]);
    const jittered = { ...opts, jitter: 0.5 };
    assert.equal(backoffDelay(2, jittered, () => 0), 400);
    assert.equal(backoffDelay(2, jittered, () => 1), 200);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, jittered);
      assert.ok(d >= 400 && d <= 800);
    }
  });
});
