import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { EmbeddingFunction } from '../../../../src/embedding/core/types';
import { documentRecords, ingestDocuments, RunError } from '../../../../src/ingest/core/run';
import type { ChunkConfig, IngestDocument } from '../../../../src/ingest/core/run';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { uniqueName, useChromaServer } from '../../../support/fixtures';

const CONFIG: ChunkConfig = { chunkSize: 120, chunkOverlap: 20, chunkSizeTokens: 64, chunkOverlapTokens: 8, sizeUnit: 'auto', idStrategy: 'path' };

function doc(path: string, sections: number, config: ChunkConfig = CONFIG): IngestDocument {
  const text = Array.from({ length: sections }, (_, i) => `## Part ${i}\n${path} part ${i} about chroma and its vectors.\n\n`).join('');
  return { name: path, text, info: { source: path, uri: `file:///ws/${path}`, languageId: 'markdown', idBase: path }, config };
}

/** Fails on any batch that holds `marker`, like a provider refusing one file's text. */
function failingOn(marker: string): EmbeddingFunction {
  const inner = fastEmbedder();
  return {
    name: 'test-hash',
    embed: async (texts, opts) => {
      if (texts.some((t) => t.includes(marker))) {
        throw new Error('The provider refused the text.');
      }
      return inner.embed(texts, opts);
    },
  };
}

describe('documentRecords (pure): chunking settings per document', () => {
  it("a document's own settings decide its chunks (folder-level settings differ per file)", () => {
    const small = documentRecords(doc('a.md', 6, { ...CONFIG, chunkSize: 60, chunkOverlap: 0 }));
    const large = documentRecords(doc('a.md', 6, { ...CONFIG, chunkSize: 2000, chunkOverlap: 0 }));
    assert.ok(small.length > large.length, `${small.length} chunks at 60 characters, ${large.length} at 2000`);
    assert.equal(large.length, 1);
    assert.deepEqual(
      small.map((r) => r.id),
      small.map((_, i) => `a.md#${i}`),
    );
  });

  it('counts tokens only with sizeUnit auto and a tokenizer', () => {
    const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
    const byTokens = documentRecords(doc('a.md', 8, { ...CONFIG, chunkSizeTokens: 10, chunkOverlapTokens: 0 }), words);
    const byChars = documentRecords(doc('a.md', 8, { ...CONFIG, sizeUnit: 'characters', chunkSizeTokens: 10, chunkOverlapTokens: 0 }), words);
    assert.ok(byTokens.length > byChars.length);
  });

  it('a selection is one record with a line-range id', () => {
    const d = { ...doc('src/app.py', 1), text: 'print(1)\n', selection: { startLine: 3, endLine: 4 } };
    const [r, ...rest] = documentRecords(d, undefined, 't');
    assert.equal(rest.length, 0);
    assert.equal(r.id, 'src/app.py#L3-L4');
    assert.deepEqual([r.metadata.startLine, r.metadata.endLine, r.metadata.addedAt], [3, 4, 't']);
  });
});

describe('ingestDocuments (real server): a run over several files', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  before(() => {
    client = new ChromaClient({ url: ctx.server.url });
  });

  it('adds files one after the other, with the run’s counts, progress and message', async () => {
    const col = await client.createCollection({ name: uniqueName('run') });
    const docs = [doc('a.md', 3), doc('b.md', 4)];
    const progress: string[] = [];
    const res = await ingestDocuments(client, col, fastEmbedder(), docs, { skipped: ['c.bin looks binary'], onProgress: (m) => progress.push(m) });
    const chunks = documentRecords(docs[0]).length + documentRecords(docs[1]).length;
    assert.equal(res.files, 2);
    assert.deepEqual(res.counts, { added: chunks, updated: 0, unchanged: 0, removed: 0, written: chunks, total: chunks });
    assert.equal(res.message, `2 files: ${chunks} chunks (${chunks} new, 0 updated, 0 removed); skipped 1: c.bin looks binary`);
    assert.match(progress[0], /^file 1 of 2 · \d+ records written$/);
    assert.match(progress[progress.length - 1], /^file 2 of 2 · \d+ records written$/);
    assert.equal(await client.count(col), chunks);

    // a.md shrank: its first two chunks stay (their `chunks` count changed: updated), the rest are removed
    const again = await ingestDocuments(client, col, fastEmbedder(), [doc('a.md', 2)]);
    assert.equal(again.message, `a.md: 2 chunks (0 new, 2 updated, ${documentRecords(docs[0]).length - 2} removed)`);
    assert.equal(await client.count(col), chunks - documentRecords(docs[0]).length + 2);
  });

  it('a failing file stops the run and says what was written before it; running again finishes', async () => {
    const col = await client.createCollection({ name: uniqueName('run-fail') });
    const docs = [doc('ok.md', 2), { ...doc('bad.md', 2), text: 'POISON\n' + doc('bad.md', 2).text }, doc('later.md', 2)];
    const first = documentRecords(docs[0]).length;
    await assert.rejects(ingestDocuments(client, col, failingOn('POISON'), docs), (e: unknown) => {
      assert.ok(e instanceof RunError);
      assert.equal(e.cancelled, false);
      assert.equal(e.files, 1);
      assert.equal(e.counts.written, first);
      assert.match(e.message, new RegExp(`^bad\\.md: The provider refused the text\\. 0 of \\d+ records were written .*Before it, 1 of 3 files were added \\(${first} records written in all\\)\\.$`));
      return true;
    });
    assert.equal(await client.count(col), first);
    const done = await ingestDocuments(client, col, fastEmbedder(), docs);
    assert.equal(done.counts.unchanged, first);
    assert.equal(await client.count(col), docs.reduce((n, d) => n + documentRecords(d).length, 0));
  });

  it('cancelled between files: "Cancelled after 1 of 3 files", with exactly what was written', async () => {
    const col = await client.createCollection({ name: uniqueName('run-cancel') });
    const docs = [doc('a.md', 2), doc('b.md', 2), doc('c.md', 2)];
    const ac = new AbortController();
    const run = ingestDocuments(client, col, fastEmbedder(), docs, {
      signal: ac.signal,
      onProgress: (m) => m.startsWith('file 1 of 3') && ac.abort(),
    });
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof RunError);
      assert.equal(e.cancelled, true);
      assert.match(e.message, /^Cancelled after \d of 3 files: \d+ records written in all \(\d+ new, 0 updated\)\. Run it again to finish; nothing is duplicated\.$/);
      return true;
    });
    const written = await client.count(col);
    const res = await ingestDocuments(client, col, fastEmbedder(), docs);
    assert.equal(res.counts.unchanged, written);
    assert.equal(await client.count(col), docs.reduce((n, d) => n + documentRecords(d).length, 0));
  });
});
