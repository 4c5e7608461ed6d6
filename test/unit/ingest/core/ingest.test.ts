import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import { chunkText } from '../../../../src/ingest/core/chunker';
import { describeCounts, ingestRecords, IngestError, planIngest } from '../../../../src/ingest/core/ingest';
import { chunkId, chunkMetadata, inputProblem, selectionId, sha256 } from '../../../../src/ingest/core/records';
import type { IngestRecord, SourceInfo } from '../../../../src/ingest/core/records';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { uniqueName, useChromaServer } from '../../../support/fixtures';
import { TestProxy } from '../../../support/proxy';

const INFO: SourceInfo = { source: 'docs/notes.md', uri: 'file:///ws/docs/notes.md', languageId: 'markdown', idBase: 'docs/notes.md', gitCommit: 'abc123' };

function recordsOf(text: string, info = INFO, strategy: 'path' | 'contentHash' = 'path'): IngestRecord[] {
  const chunks = chunkText(text, { size: 120, overlap: 20, mode: 'markdown' });
  return chunks.map((c) => ({ id: chunkId(info.idBase, c, strategy), document: c.text, metadata: chunkMetadata(info, c, chunks.length, '2026-11-25T00:00:00Z') }));
}

const section = (n: number, body = 'text') => `## Section ${n}\n${body} ${n} about chroma and vectors.\n\n`;

describe('ids, metadata and input checks (pure)', () => {
  it('ids: <path>#<index>, content hashes, selections', () => {
    assert.equal(chunkId('docs/a.md', { index: 3, text: 'x' }), 'docs/a.md#3');
    assert.equal(chunkId('docs/a.md', { index: 3, text: 'x' }, 'contentHash'), `docs/a.md#${sha256('x').slice(0, 16)}`);
    assert.equal(selectionId('src/app.ts', 10, 24), 'src/app.ts#L10-L24');
  });

  it('metadata: source, uri, languageId, lines, chunk/chunks, sha256, addedAt, gitCommit', () => {
    const [c] = chunkText('# T\nbody\n', { size: 100, overlap: 0, mode: 'markdown' });
    assert.deepEqual(chunkMetadata(INFO, c, 1, '2026-11-25T00:00:00Z'), {
      source: 'docs/notes.md', uri: 'file:///ws/docs/notes.md', languageId: 'markdown', startLine: 1, endLine: 2,
      chunk: 0, chunks: 1, sha256: sha256('# T\nbody\n'), addedAt: '2026-11-25T00:00:00Z', gitCommit: 'abc123',
    });
    const noSource = chunkMetadata({ uri: 'untitled:Untitled-1', languageId: 'plaintext', idBase: 'Untitled-1' }, c, 1, 't');
    assert.equal('source' in noSource, false);
    assert.equal('gitCommit' in noSource, false);
  });

  it('input checks: empty, binary (NUL or not UTF-8), too large', () => {
    assert.equal(inputProblem(Buffer.from('hello'), 'a.txt', 100), undefined);
    assert.equal(inputProblem(Buffer.from('  \n\t'), 'a.txt', 100)?.kind, 'empty');
    assert.equal(inputProblem(Buffer.from([104, 0, 105]), 'a.bin', 100)?.kind, 'binary');
    assert.equal(inputProblem(Buffer.from([0xff, 0xfe, 0x41]), 'a.bin', 100)?.kind, 'binary');
    const big = inputProblem(Buffer.alloc(2 * 1048576, 65), 'big.txt', 1048576);
    assert.equal(big?.kind, 'too-large');
    assert.equal(big!.message, 'big.txt is 2 MiB, over the 1 MiB limit (chroma.ingest.maxFileSizeMB). Nothing was sent.');
    // a small limit is said in a unit that shows it, never "0.0 MB"
    const small = inputProblem(Buffer.alloc(20_000, 65), 'big.md', 0.01 * 1048576);
    assert.equal(small!.message, 'big.md is 20 KiB, over the 10 KiB limit (chroma.ingest.maxFileSizeMB). Nothing was sent.');
  });
});

describe('planIngest (pure)', () => {
  it('embeds new records and changed texts, only updates changed metadata, counts the rest unchanged; addedAt alone is no change', () => {
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((n) => recordsOf(section(n), { ...INFO, idBase: `docs/${n}.md` })[0]);
    const before = new Map([
      [b.id, { ...b.metadata, sha256: 'other text' }],
      [c.id, { ...c.metadata, gitCommit: 'def456' }],
      [d.id, { ...d.metadata, addedAt: '2020-01-01T00:00:00Z' }],
      [e.id, null],
    ]);
    const plan = planIngest([a, b, c, d, e], before);
    assert.deepEqual(plan.toEmbed.map((r) => r.id), [a.id, b.id, e.id]);
    assert.deepEqual(plan.metaOnly.map((r) => r.id), [c.id]);
    assert.equal(plan.unchanged, 1);
  });

  it('a key the server has and the record no longer has is a metadata change', () => {
    const [a] = recordsOf(section(1));
    const plan = planIngest([a], new Map([[a.id, { ...a.metadata, extra: 'x' }]]));
    assert.deepEqual(plan.metaOnly.map((r) => r.id), [a.id]);
    assert.equal(plan.unchanged, 0);
  });
});

describe('ingestRecords (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  before(() => {
    client = new ChromaClient({ url: ctx.server.url });
  });

  it('adds, then on re-add after an edit: new, updated, unchanged and removed chunks, with stale chunks gone', async () => {
    const col = await client.createCollection({ name: uniqueName('ingest') });
    const v1 = Array.from({ length: 8 }, (_, i) => section(i)).join('');
    const r1 = recordsOf(v1);
    const first = await ingestRecords(client, col, fastEmbedder(), r1, { replaceSource: { key: 'source', value: 'docs/notes.md' } });
    assert.deepEqual({ ...first }, { added: r1.length, updated: 0, unchanged: 0, removed: 0, written: r1.length, total: r1.length });
    // edit: change section 2, drop the last sections
    const v2 = Array.from({ length: 5 }, (_, i) => section(i, i === 2 ? 'changed' : 'text')).join('');
    const r2 = recordsOf(v2);
    const calls = { n: 0, texts: 0 };
    const second = await ingestRecords(client, col, fastEmbedder(32, { calls }), r2, { replaceSource: { key: 'source', value: 'docs/notes.md' } });
    assert.equal(second.added + second.updated + second.unchanged, r2.length);
    assert.equal(second.removed, r1.length - r2.length);
    // every chunk's `chunks` count changed (metadata-only updates); only the chunk whose text changed is re-embedded
    assert.equal(second.updated, r2.length, describeCounts('notes', second));
    const changed = r2.filter((r) => r1.find((o) => o.id === r.id)?.metadata.sha256 !== r.metadata.sha256);
    assert.equal(calls.texts, changed.length);
    assert.ok(changed.length >= 1 && changed.length < r2.length);
    const stored = await client.get(col, { where: { source: 'docs/notes.md' }, include: ['documents', 'metadatas'] });
    assert.deepEqual([...stored.ids].sort(), r2.map((r) => r.id).sort());
    const byId = new Map(stored.ids.map((id, i) => [id, stored.documents![i]]));
    r2.forEach((r) => assert.equal(byId.get(r.id), r.document));
    assert.match(describeCounts('notes.md', second), /^notes\.md: \d+ chunks \(\d+ new, \d+ updated, \d+ removed\)$/);
    // a third run with nothing changed writes nothing
    const third = await ingestRecords(client, col, fastEmbedder(), r2, { replaceSource: { key: 'source', value: 'docs/notes.md' } });
    assert.deepEqual([third.added, third.updated, third.removed, third.unchanged], [0, 0, 0, r2.length]);
  });

  it('shifted lines update metadata without re-embedding', async () => {
    const col = await client.createCollection({ name: uniqueName('shift') });
    const text = Array.from({ length: 4 }, (_, i) => section(i)).join('');
    await ingestRecords(client, col, fastEmbedder(), recordsOf(text), { replaceSource: { key: 'source', value: 'docs/notes.md' } });
    const calls = { n: 0 };
    const shifted = recordsOf(text).map((r) => ({ ...r, metadata: { ...r.metadata, startLine: Number(r.metadata.startLine) + 1, endLine: Number(r.metadata.endLine) + 1 } }));
    const res = await ingestRecords(client, col, fastEmbedder(32, { calls }), shifted, { replaceSource: { key: 'source', value: 'docs/notes.md' } });
    assert.equal(calls.n, 0, 'nothing re-embedded');
    assert.equal(res.updated, shifted.length);
    const got = await client.get(col, { ids: [shifted[0].id], include: ['metadatas'] });
    assert.equal(got.metadatas![0]!.startLine, shifted[0].metadata.startLine);
  });

  it('cancelled midway: reports exactly what was written; a re-run finishes with no duplicates', async () => {
    const col = await client.createCollection({ name: uniqueName('cancel') });
    const text = Array.from({ length: 60 }, (_, i) => section(i)).join('');
    const records = recordsOf(text);
    const ac = new AbortController();
    let error: unknown;
    try {
      await ingestRecords(client, col, fastEmbedder(), records, {
        batchSize: 10,
        signal: ac.signal,
        replaceSource: { key: 'source', value: 'docs/notes.md' },
        onProgress: (c) => c.written >= 20 && ac.abort(),
      });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof IngestError, String(error));
    assert.equal(error.counts.written, 20);
    assert.match(error.message, /^Cancelled: 20 of \d+ records were written \(20 new, 0 updated\)\. Run it again to finish; nothing is duplicated\.$/);
    assert.equal(await client.count(col), 20);
    const rerun = await ingestRecords(client, col, fastEmbedder(), records, { replaceSource: { key: 'source', value: 'docs/notes.md' } });
    assert.equal(rerun.unchanged, 20);
    assert.equal(rerun.added, records.length - 20);
    const all = await client.get(col, { include: [] });
    assert.deepEqual([...all.ids].sort(), records.map((r) => r.id).sort());
  });

  it('a write that times out (but lands late) is sent again: the ingest finishes, each chunk written once', async function () {
    this.timeout(60_000);
    const col = await client.createCollection({ name: uniqueName('late') });
    const records = recordsOf(Array.from({ length: 12 }, (_, i) => section(i)).join(''));
    const proxy = await TestProxy.start(ctx.server.url);
    try {
      let upserts = 0;
      proxy.decide = (r) => (r.path.endsWith('/upsert') && upserts++ === 0 ? { action: 'delay', ms: 4_000 } : { action: 'pass' });
      const slow = new ChromaClient({ url: proxy.url, timeoutMs: 3_000 });
      const counts = await ingestRecords(slow, col, fastEmbedder(), records, { batchSize: 5, replaceSource: { key: 'source', value: 'docs/notes.md' } });
      assert.deepEqual({ ...counts }, { added: records.length, updated: 0, unchanged: 0, removed: 0, written: records.length, total: records.length });
      assert.ok(proxy.seen.every((r) => !r.path.endsWith('/add')), 'ingest writes with upsert only');
      assert.equal(proxy.seen.filter((r) => r.path.endsWith('/upsert')).length, Math.ceil(records.length / 5) + 1);
      while (proxy.inFlight > 0) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const all = await client.get(col, { include: ['documents', 'metadatas'] });
      assert.deepEqual([...all.ids].sort(), records.map((r) => r.id).sort());
      all.ids.forEach((id, i) => {
        const want = records.find((r) => r.id === id)!;
        assert.equal(all.documents![i], want.document);
        assert.deepEqual(all.metadatas![i], want.metadata);
      });
    } finally {
      await proxy.stop();
    }
  });

  it('a dimension mismatch stops before anything is written', async () => {
    const col = await client.createCollection({ name: uniqueName('dim') });
    await client.add(col, { ids: ['x'], embeddings: [[1, 2, 3]] });
    const known = await client.getCollection(col.name);
    await assert.rejects(ingestRecords(client, known, fastEmbedder(32), recordsOf(section(1))), (e: unknown) => {
      assert.ok(e instanceof IngestError);
      assert.match(e.message, /makes 32-dimensional vectors, but the collection holds 3-dimensional ones/);
      assert.equal(e.counts.written, 0);
      return true;
    });
    assert.equal(await client.count(col), 1);
  });

  it('a collection deleted meanwhile fails with a readable message', async () => {
    const col = await client.createCollection({ name: uniqueName('gone') });
    await client.deleteCollection(col.name);
    await assert.rejects(ingestRecords(client, col, fastEmbedder(), recordsOf(section(1))), /does not exist/);
  });

  it('content-hash ids: an edited chunk is a new id, and the old one is removed', async () => {
    const col = await client.createCollection({ name: uniqueName('hash') });
    const key = { replaceSource: { key: 'source' as const, value: 'docs/notes.md' } };
    await ingestRecords(client, col, fastEmbedder(), recordsOf(section(1) + section(2), INFO, 'contentHash'), key);
    const res = await ingestRecords(client, col, fastEmbedder(), recordsOf(section(1) + section(2, 'edited'), INFO, 'contentHash'), key);
    assert.equal(res.removed, 1);
    assert.equal(res.added, 1);
  });
});
