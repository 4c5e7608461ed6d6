import * as assert from 'node:assert/strict';
import type { ChromaClient, Metadata } from '../../../../src/chroma';
import { DEFAULT_SAMPLE_SIZE, MAX_KEYS, sampleMetadataKeys, summarizeKeys, valueKind } from '../../../../src/filter/core/metadataKeys';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../../support/fixtures';

describe('metadata keys: sampled from a real collection', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  before(() => {
    client = clientFor(ctx.server.url);
  });

  async function collectionWith(metadatas: (Metadata | null)[]) {
    const col = await client.createCollection({ name: uniqueName('keys') });
    for (let i = 0; i < metadatas.length; i += 200) {
      const part = metadatas.slice(i, i + 200);
      await client.add(col, {
        ids: part.map((_, j) => `r${String(i + j).padStart(4, '0')}`),
        embeddings: vectors(part.length, 3, i + 1),
        metadatas: part,
      });
    }
    return col;
  }

  it('lists each key with its kinds, how many records have it and a few examples, most common first', async () => {
    const metadatas: (Metadata | null)[] = Array.from({ length: 40 }, (_, i) => {
      if (i % 10 === 9) {
        return null;
      }
      const m: Metadata = { year: 2000 + (i % 3), title: `t${i}`, ok: i % 2 === 0 };
      if (i % 4 === 0) {
        m.score = i + 0.5;
      }
      if (i < 6) {
        m.mixed = i < 4 ? i : `s${i}`;
      }
      return m;
    });
    const col = await collectionWith(metadatas);
    const sample = await sampleMetadataKeys(client, col);
    assert.equal(sample.sampled, 40);
    assert.equal(sample.truncated, false);
    const byKey = new Map(sample.keys.map((k) => [k.key, k]));
    assert.deepEqual(
      sample.keys.map((k) => [k.key, k.count]),
      [
        ['ok', 36],
        ['title', 36],
        ['year', 36],
        ['score', 10],
        ['mixed', 6],
      ],
    );
    assert.deepEqual(byKey.get('year')?.kinds, ['int']);
    assert.deepEqual(byKey.get('year')?.examples, [2000, 2001, 2002]);
    assert.deepEqual(byKey.get('title')?.kinds, ['string']);
    assert.equal(byKey.get('title')?.examples.length, 5);
    assert.deepEqual(byKey.get('ok')?.kinds, ['bool']);
    assert.deepEqual(byKey.get('score')?.kinds, ['float']);
    assert.deepEqual(byKey.get('mixed')?.kinds, ['int', 'string']);
  });

  it('reads a bounded sample of a large collection', async () => {
    const col = await collectionWith(Array.from({ length: DEFAULT_SAMPLE_SIZE + 50 }, (_, i) => ({ n: i })));
    const sample = await sampleMetadataKeys(client, col);
    assert.equal(sample.sampled, DEFAULT_SAMPLE_SIZE);
    assert.deepEqual(sample.keys.map((k) => [k.key, k.count]), [['n', DEFAULT_SAMPLE_SIZE]]);
    const small = await sampleMetadataKeys(client, col, { limit: 25 });
    assert.equal(small.sampled, 25);
    assert.equal(small.keys[0].count, 25);
  });

  it('keeps at most MAX_KEYS keys of a record with thousands, and says it left some out', async () => {
    const wide: Metadata = Object.fromEntries(Array.from({ length: MAX_KEYS + 100 }, (_, i) => [`k${String(i).padStart(4, '0')}`, i]));
    const col = await collectionWith([wide]);
    const sample = await sampleMetadataKeys(client, col);
    assert.equal(sample.keys.length, MAX_KEYS);
    assert.equal(sample.truncated, true);
  });

  it('finds no keys in an empty collection or one without metadata', async () => {
    const empty = await client.createCollection({ name: uniqueName('keys') });
    assert.deepEqual(await sampleMetadataKeys(client, empty), { keys: [], sampled: 0, truncated: false });
    const bare = await collectionWith([null, null]);
    assert.deepEqual(await sampleMetadataKeys(client, bare), { keys: [], sampled: 2, truncated: false });
  });

  it('fails with the client\'s own error for a collection that is gone', async () => {
    const col = await client.createCollection({ name: uniqueName('keys') });
    await client.deleteCollection(col.name);
    await assert.rejects(sampleMetadataKeys(client, col), (e: Error) => e.name.startsWith('Chroma') && !/\[object Object\]/.test(e.message));
  });
});

describe('metadata keys: kinds of values newer servers return', () => {
  it('reads lists of one kind as list kinds and skips what no filter compares', () => {
    assert.equal(valueKind(['a', 'b']), 'string[]');
    assert.equal(valueKind([1, 2]), 'int[]');
    assert.equal(valueKind([1, 2.5]), 'float[]');
    assert.equal(valueKind([true]), 'bool[]');
    assert.equal(valueKind([]), undefined);
    assert.equal(valueKind(['a', 1]), undefined);
    assert.equal(valueKind({ indices: [1], values: [0.5] }), undefined);
    assert.equal(valueKind(null), undefined);
    const { keys } = summarizeKeys([{ tags: ['a', 'b'], sparse: { indices: [1], values: [1] } as unknown as string }, { tags: ['c'] }]);
    assert.deepEqual(keys, [{ key: 'tags', count: 2, kinds: ['string[]'], examples: ['a', 'c'] }]);
  });

  it('cuts long example values', () => {
    const { keys } = summarizeKeys([{ text: 'x'.repeat(1000) }]);
    assert.ok(String(keys[0].examples[0]).length <= 60);
  });
});
