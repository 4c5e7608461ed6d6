/**
 * Saving record files against a real Chroma server (through a proxy that sees every request): what reaches the
 * server, what is refused before anything is sent, conflicts, deleted records and collections, and new records.
 */
import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { Collection } from '../../../../src/chroma';
import { EmbeddingError } from '../../../../src/embedding/core/types';
import { recordHash, renderNewRecordFile, renderRecordFile } from '../../../../src/records/core/recordFile';
import type { ReadBase, RecordState } from '../../../../src/records/core/recordFile';
import { addRecord, findCollection, readRecord, RecordConflictError, RecordGoneError, RecordRefusedError, saveRecord } from '../../../../src/records/core/save';
import type { Conflict } from '../../../../src/records/core/save';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { uniqueName, useChromaServer } from '../../../support/fixtures';
import { TestProxy } from '../../../support/proxy';

const DIM = 32;
const ctx = { collectionName: 'c', functionLabel: 'test-hash' };

describe('saving record files (real server)', function () {
  this.timeout(60_000);
  const server = useChromaServer();
  let proxy: TestProxy;
  let admin: ChromaClient;
  let client: ChromaClient;
  let collection: Collection;
  const embed = fastEmbedder(DIM);
  const calls = { n: 0 };
  const embedder = () => Promise.resolve(fastEmbedder(DIM, { calls }));

  /** What an editor is given when it opens a record: its file and its base. */
  async function open(id: string): Promise<{ text: string; base: ReadBase; record: RecordState }> {
    const record = (await readRecord(client, collection, id))!;
    const file = renderRecordFile(record, ctx);
    return { text: file.text, record, base: { id, hash: recordHash(record), hidden: file.hidden, metadata: file.hidden.includes('metadata') ? undefined : record.metadata } };
  }

  const writes = () => proxy.seen.filter((r) => /\/(add|update|upsert|delete)$/.test(r.path));
  const never = () => Promise.reject(new Error('no conflict was expected'));
  const change = (text: string, f: (j: Record<string, unknown>) => void) => {
    const j = JSON.parse(text) as Record<string, unknown>;
    f(j);
    return JSON.stringify(j, null, 2);
  };

  before(async () => {
    proxy = await TestProxy.start(server.server.url);
    admin = new ChromaClient({ url: server.server.url });
    client = new ChromaClient({ url: proxy.url, retries: 0 });
  });
  after(async () => proxy.stop());

  beforeEach(async () => {
    collection = await admin.createCollection({ name: uniqueName('rec') });
    const docs = ['first note about chroma', 'second note', 'third'];
    await admin.add(collection, {
      ids: ['a', 'b', 'c'],
      documents: docs,
      embeddings: await embed.embed(docs),
      metadatas: [{ source: 'a.md', line: 3, keep: true }, { source: 'b.md' }, null],
      uris: ['s3://a', null, null],
    });
    collection = await admin.getCollection(collection.name);
    proxy.reset();
    calls.n = 0;
  });

  it('a metadata edit sends one update with only the changed keys (a removed key as null); the embedding is kept', async () => {
    const { text, base, record } = await open('a');
    const edited = change(text, (j) => (j.metadata = { source: 'a.md', line: 4, added: 'x' }));
    const result = await saveRecord({ client, collection, id: 'a', text: edited, base, embedder, overwrite: never });
    assert.deepEqual([result.sent, result.reembedded, calls.n], [true, false, 0]);
    const update = writes();
    assert.equal(update.length, 1);
    assert.deepEqual(JSON.parse(update[0].body), { ids: ['a'], metadatas: [{ keep: null, line: 4, added: 'x' }] });
    const now = (await readRecord(admin, collection, 'a'))!;
    assert.deepEqual(now.metadata, { source: 'a.md', line: 4, added: 'x' });
    assert.deepEqual(now.embedding, record.embedding);
    assert.equal(now.document, record.document);
    // the next save is checked against the server as it is after this one
    assert.equal(result.base.hash, recordHash(now));
    const again = await saveRecord({ client, collection, id: 'a', text: edited, base: result.base, embedder, overwrite: never });
    assert.equal(again.sent, false, 'saving the same file again sends nothing');
  });

  it("a document edit re-embeds it with the collection's function: the stored embedding is the function's output", async () => {
    const { text, base } = await open('b');
    const result = await saveRecord({ client, collection, id: 'b', text: change(text, (j) => (j.document = 'rewritten second note')), base, embedder, overwrite: never });
    assert.deepEqual([result.sent, result.reembedded, calls.n], [true, true, 1]);
    const now = (await readRecord(admin, collection, 'b'))!;
    assert.equal(now.document, 'rewritten second note');
    const [expected] = await embed.embed(['rewritten second note']);
    // stored as float32: the same float32 values
    assert.deepEqual(Array.from(now.embedding!, Math.fround), expected.map(Math.fround));
    assert.deepEqual(now.metadata, { source: 'b.md' });
  });

  it('a record changed on the server since it was read: nothing is written unless the caller says overwrite', async () => {
    const { text, base } = await open('a');
    await admin.update(collection, { ids: ['a'], metadatas: [{ line: 99 }] });
    const edited = change(text, (j) => ((j.metadata as Record<string, unknown>).note = 'mine'));
    const asked: Conflict[] = [];
    await assert.rejects(
      saveRecord({ client, collection, id: 'a', text: edited, base, embedder, overwrite: (c) => (asked.push(c), Promise.resolve(false)) }),
      (e: unknown) => e instanceof RecordConflictError && e.message === 'The record "a" changed on the server since you opened it, and nothing was written.',
    );
    assert.equal(asked.length, 1);
    assert.equal(asked[0].reason, 'changed');
    assert.equal(asked[0].current.metadata?.line, 99, "the conflict carries the server's version");
    assert.deepEqual(writes(), []);
    assert.deepEqual((await readRecord(admin, collection, 'a'))!.metadata, { source: 'a.md', line: 99, keep: true });
    // overwrite: the file's version replaces the server's, keys the file does not have included
    const result = await saveRecord({ client, collection, id: 'a', text: edited, base, embedder, overwrite: () => Promise.resolve(true) });
    assert.equal(result.sent, true);
    assert.deepEqual((await readRecord(admin, collection, 'a'))!.metadata, { source: 'a.md', line: 3, keep: true, note: 'mine' });
  });

  it('a change to the embedding alone is a conflict too; an unknown base (after a reload) asks as well', async () => {
    const { text, base } = await open('c');
    await admin.update(collection, { ids: ['c'], embeddings: await fastEmbedder(DIM).embed(['other']) });
    const reasons: string[] = [];
    const decline = (c: Conflict) => (reasons.push(c.reason), Promise.resolve(false));
    await assert.rejects(saveRecord({ client, collection, id: 'c', text, base, embedder, overwrite: decline }), RecordConflictError);
    await assert.rejects(saveRecord({ client, collection, id: 'c', text, base: undefined, embedder, overwrite: decline }), /cannot be told whether the record "c" changed/);
    assert.deepEqual(reasons, ['changed', 'unknown']);
    assert.deepEqual(writes(), []);
  });

  it('refused files send nothing: invalid metadata, a changed id, bad JSON, a removed document', async () => {
    const { text, base } = await open('a');
    const cases: Array<[string, RegExp]> = [
      [change(text, (j) => ((j.metadata as Record<string, unknown>).nested = { x: 1 })), /^Record "a": metadata "nested" is an object; values must be a string, number or boolean, or a list of one of those\.$/],
      [change(text, (j) => (j.id = 'z')), /^The id cannot change/],
      [text.replace('{', '{ oops'), /^The record is not valid JSON: /],
      [change(text, (j) => (j.document = null)), /^Chroma cannot remove a document with an update/],
      [change(text, (j) => (j.uri = null)), /^Chroma cannot remove a uri with an update/],
    ];
    for (const [bad, why] of cases) {
      await assert.rejects(saveRecord({ client, collection, id: 'a', text: bad, base, embedder, overwrite: never }), (e: unknown) => e instanceof RecordRefusedError && why.test(e.message));
    }
    assert.deepEqual(writes(), []);
    assert.equal(calls.n, 0);
  });

  it('an embedding of the wrong dimension is refused before the update', async () => {
    const { text, base } = await open('a');
    await assert.rejects(
      saveRecord({ client, collection, id: 'a', text: change(text, (j) => (j.document = 'x')), base, embedder: () => Promise.resolve(fastEmbedder(8)), overwrite: never }),
      (e: unknown) => e instanceof EmbeddingError && e.code === 'dimension-mismatch',
    );
    assert.deepEqual(writes(), []);
  });

  it('a record or collection deleted meanwhile: RecordGoneError, nothing written', async () => {
    const { text, base } = await open('b');
    await admin.delete(collection, { ids: ['b'] });
    proxy.reset();
    await assert.rejects(saveRecord({ client, collection, id: 'b', text, base, embedder, overwrite: never }), (e: unknown) => e instanceof RecordGoneError && /"b" is not in the collection ".*" any more: it was deleted on the server\./.test(e.message));
    assert.deepEqual(writes(), []);
    const address = { tenant: collection.tenant, database: collection.database, collectionId: collection.id, collectionName: collection.name };
    assert.equal((await findCollection(client, address)).id, collection.id);
    // renamed meanwhile: still found, by its id
    await admin.modifyCollection(collection, { name: `${collection.name}-renamed` });
    assert.equal((await findCollection(client, address)).name, `${collection.name}-renamed`);
    await admin.deleteCollection(`${collection.name}-renamed`);
    await assert.rejects(findCollection(client, address), /is not in default_tenant\/default_database any more: it was deleted\./);
    // made again under the same name: another collection, not the one the editor read
    await admin.createCollection({ name: collection.name });
    await assert.rejects(findCollection(client, address), RecordGoneError);
  });

  it('a record whose document is too large to edit keeps it when its metadata is saved', async () => {
    const big = 'long text '.repeat(30_000);
    await admin.add(collection, { ids: ['big'], documents: [big], embeddings: await embed.embed(['x']), metadatas: [{ k: 1 }] });
    const { text, base } = await open('big');
    assert.deepEqual(base.hidden, ['document']);
    await saveRecord({ client, collection, id: 'big', text: change(text, (j) => (j.metadata = { k: 2 })), base, embedder, overwrite: never });
    const now = (await readRecord(admin, collection, 'big'))!;
    assert.equal(now.document, big);
    assert.deepEqual(now.metadata, { k: 2 });
    assert.equal(calls.n, 0);
  });

  it("Add Record: adds the new record embedded with the collection's function; refuses an id that exists", async () => {
    const draft = change(renderNewRecordFile('new-1', ctx), (j) => {
      j.document = 'a brand new note';
      j.metadata = { source: 'typed' };
      j.uri = 'https://example.com/n';
    });
    const result = await addRecord({ client, collection, text: draft, embedder });
    assert.equal(result.id, 'new-1');
    const now = (await readRecord(admin, collection, 'new-1'))!;
    assert.deepEqual([now.document, now.metadata, now.uri], ['a brand new note', { source: 'typed' }, 'https://example.com/n']);
    assert.deepEqual(Array.from(now.embedding!, Math.fround), (await embed.embed(['a brand new note']))[0].map(Math.fround));
    assert.equal(result.base.hash, recordHash(now));
    proxy.reset();
    await assert.rejects(addRecord({ client, collection, text: draft.replace('"new-1"', '"a"'), embedder }), /^RecordRefusedError: A record with the id "a" is already in ".*": choose another id/);
    assert.deepEqual(writes(), []);
    assert.equal((await readRecord(admin, collection, 'a'))!.document, 'first note about chroma');
    // no metadata and no uri: stored as none
    await addRecord({ client, collection, text: change(renderNewRecordFile('plain', ctx), (j) => (j.document = 'p')), embedder });
    const plain = (await readRecord(admin, collection, 'plain'))!;
    assert.deepEqual([plain.metadata, plain.uri], [null, null]);
  });
});
