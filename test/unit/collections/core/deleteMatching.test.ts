import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../../../src/chroma';
import { countMatches, deleteMatching } from '../../../../src/collections/core/deleteMatching';
import type { MatchFilter } from '../../../../src/collections/core/deleteMatching';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../../support/fixtures';

const N = 1_200;

/** Records 0..N-1: kind "a" for every third, "b" otherwise; the document says "even" or "odd". */
async function seeded(client: ChromaClient): Promise<Collection> {
  const col = await client.createCollection({ name: uniqueName('del') });
  const ids = Array.from({ length: N }, (_, i) => `r-${String(i).padStart(4, '0')}`);
  await client.add(col, {
    ids,
    embeddings: vectors(N, 3),
    documents: ids.map((_, i) => (i % 2 === 0 ? 'an even record' : 'an odd record')),
    metadatas: ids.map((_, i) => ({ kind: i % 3 === 0 ? 'a' : 'b', n: i })),
  });
  return col;
}

async function allIds(client: ChromaClient, col: Collection, filter: MatchFilter = {}): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const page of client.iterateRecords(col, { ...filter, include: [], pageSize: 500 })) {
    page.ids.forEach((id) => out.add(id));
  }
  return out;
}

describe('Delete Records Matching (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  const filter: MatchFilter = { where: { kind: 'a' }, whereDocument: { $contains: 'even' } };
  // i % 3 === 0 and i even: i % 6 === 0
  const expected = new Set(Array.from({ length: N }, (_, i) => i).filter((i) => i % 6 === 0).map((i) => `r-${String(i).padStart(4, '0')}`));

  before(() => {
    client = clientFor(ctx.server.url);
  });

  it('counts the matches and names the first ids, reading ids only', async () => {
    const col = await seeded(client);
    const seen: number[] = [];
    const counted = await countMatches(client, col, filter, { batchSize: 70, onProgress: (n) => seen.push(n) });
    assert.equal(counted.count, expected.size);
    assert.equal(counted.firstIds.length, 10);
    assert.ok(counted.firstIds.every((id) => expected.has(id)), counted.firstIds.join(', '));
    assert.ok(seen.length >= 3, 'progress after each page');
    assert.equal(await client.count(col), N, 'counting deletes nothing');
  });

  it('deletes exactly the matches, in batches, and nothing else', async () => {
    const col = await seeded(client);
    const before = await allIds(client, col);
    const progress: number[] = [];
    const outcome = await deleteMatching(client, col, filter, expected.size, { batchSize: 64, onProgress: (n) => progress.push(n) });
    assert.deepEqual(outcome, { deleted: expected.size, cancelled: false, moreRemain: false });
    assert.deepEqual(progress.slice(0, 3), [64, 128, 192], 'one delete per batch');
    const after = await allIds(client, col);
    assert.equal(after.size, N - expected.size);
    for (const id of before) {
      assert.equal(after.has(id), !expected.has(id), id);
    }
    assert.equal((await allIds(client, col, filter)).size, 0);
  });

  it('a cancelled run stops after the batch in flight and reports the partial count; the rest are still there', async () => {
    const col = await seeded(client);
    const controller = new AbortController();
    const outcome = await deleteMatching(client, col, filter, expected.size, {
      batchSize: 50,
      signal: controller.signal,
      onProgress: (n) => n >= 100 && controller.abort(),
    });
    assert.deepEqual(outcome, { deleted: 100, cancelled: true, moreRemain: false });
    assert.equal((await allIds(client, col, filter)).size, expected.size - 100, 'the other matches are left');
    assert.equal(await client.count(col), N - 100);
    const left = await allIds(client, col);
    const nonMatching = [...Array(N).keys()].map((i) => `r-${String(i).padStart(4, '0')}`).filter((id) => !expected.has(id));
    assert.ok(nonMatching.every((id) => left.has(id)), 'no record outside the filter was touched');
  });

  it('never deletes more than was confirmed: matches added after the count are left and reported', async () => {
    const col = await seeded(client);
    const counted = await countMatches(client, col, filter);
    await client.add(col, { ids: ['late-1', 'late-2'], embeddings: vectors(2, 3, 9), documents: ['even later', 'even later'], metadatas: [{ kind: 'a' }, { kind: 'a' }] });
    const outcome = await deleteMatching(client, col, filter, counted.count, { batchSize: 100 });
    assert.deepEqual(outcome, { deleted: counted.count, cancelled: false, moreRemain: true });
    assert.equal((await allIds(client, col, filter)).size, 2);
  });

  it('refuses an empty filter, which would match every record', async () => {
    const col = await seeded(client);
    await assert.rejects(countMatches(client, col, {}), /filter is empty/);
    await assert.rejects(deleteMatching(client, col, { where: {}, whereDocument: {} }, 10), /filter is empty/);
    assert.equal(await client.count(col), N);
  });
});
