/**
 * Ingest benchmark: 10 MB of text (~10,000 chunks of 1,000 characters) through the whole add-documents pipeline
 * (chunking, ids, metadata, lookup of what exists, embedding with a fixed fast embedder, batched upserts) against
 * a raw-HTTP upsert of the same batches with the same embeddings, on a real server, in the same run.
 * Goal: ours/raw ≤ 1.15. Prints chunks/s; the last line is `ratio ingest-ours/raw=X.XX`.
 */
import { ChromaClient } from '../src/chroma';
import type { Collection } from '../src/chroma';
import { embeddingToBase64 } from '../src/chroma/encoding';
import type { EmbeddingFunction } from '../src/embedding/core/types';
import { chunkText } from '../src/ingest/core/chunker';
import { ingestRecords } from '../src/ingest/core/ingest';
import { chunkId, chunkMetadata } from '../src/ingest/core/records';
import type { IngestRecord } from '../src/ingest/core/records';
import { ChromaServer } from '../test/support/chromaServer';
import { median } from './support';

const MB = Number(process.env.BENCH_MB ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DIM = 384;
const BATCH = 64;

/** Fixed and fast: a character-hash vector, so that the comparison measures the pipeline, not a model. */
const embedder: EmbeddingFunction = {
  name: 'bench-hash',
  embed(texts) {
    return Promise.resolve(
      texts.map((t) => {
        const v = new Array<number>(DIM).fill(0);
        for (let i = 0; i < t.length; i++) {
          v[(t.charCodeAt(i) * 31 + i) % DIM] += 1;
        }
        const n = Math.hypot(...v) || 1;
        return v.map((x) => x / n);
      }),
    );
  },
};

function corpus(): string {
  const words = ['chroma', 'vector', 'database', 'embedding', 'collection', 'query', 'document', 'the', 'a', 'of', 'search', 'record'];
  let s = 11;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const parts: string[] = [];
  let size = 0;
  let section = 0;
  while (size < MB * 1024 * 1024) {
    const para = `## Section ${section++}\n\n${Array.from({ length: 100 + Math.floor(next() * 20) }, () => words[Math.floor(next() * words.length)]).join(' ')}\n\n`;
    parts.push(para);
    size += para.length;
  }
  return parts.join('');
}


async function main(): Promise<void> {
  const server = await ChromaServer.start();
  try {
    const client = new ChromaClient({ url: server.url });
    const text = corpus();
    const info = { source: 'bench/corpus.md', uri: 'file:///bench/corpus.md', languageId: 'markdown', idBase: 'bench/corpus.md' };

    const ours = async (col: Collection): Promise<number> => {
      const t = performance.now();
      const chunks = chunkText(text, { size: 1000, overlap: 100, mode: 'markdown' });
      const addedAt = new Date().toISOString();
      const records: IngestRecord[] = chunks.map((c) => ({ id: chunkId(info.idBase, c), document: c.text, metadata: chunkMetadata(info, c, chunks.length, addedAt) }));
      const counts = await ingestRecords(client, col, embedder, records, { batchSize: BATCH, replaceSource: { key: 'source', value: info.source } });
      if (counts.added !== records.length) {
        throw new Error(`ours wrote ${counts.added} of ${records.length}`);
      }
      return performance.now() - t;
    };

    // The same chunks, metadata and embeddings, upserted in the same batches with raw fetch.
    const chunks = chunkText(text, { size: 1000, overlap: 100, mode: 'markdown' });
    const addedAt = new Date().toISOString();
    const records = chunks.map((c) => ({ id: chunkId(info.idBase, c), document: c.text, metadata: chunkMetadata(info, c, chunks.length, addedAt) }));
    const raw = async (col: Collection): Promise<number> => {
      const url = `${server.url}/api/v2/tenants/${col.tenant}/databases/${col.database}/collections/${col.id}/upsert`;
      const t = performance.now();
      for (let i = 0; i < records.length; i += BATCH) {
        const slice = records.slice(i, i + BATCH);
        const embeddings = await embedder.embed(slice.map((r) => r.document));
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ids: slice.map((r) => r.id), embeddings: embeddings.map(embeddingToBase64), documents: slice.map((r) => r.document), metadatas: slice.map((r) => r.metadata) }),
        });
        if (!res.ok) {
          throw new Error(`raw upsert: ${res.status} ${await res.text()}`);
        }
      }
      return performance.now() - t;
    };

    console.log(`${(text.length / 1048576).toFixed(1)} MB of Markdown → ${chunks.length} chunks of ≤1,000 characters, ${DIM}-d fixed embedder, batches of ${BATCH}, ${ROUNDS} rounds`);
    const times: Record<'ours' | 'raw', number[]> = { ours: [], raw: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const way of round % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) {
        const col = await client.createCollection({ name: `ingest-${way}-${round}-${Date.now()}` });
        const ms = await (way === 'ours' ? ours(col) : raw(col));
        times[way].push(ms);
        console.log(`  round ${round + 1} ${way.padEnd(5)} ${ms.toFixed(0)} ms`);
        await client.deleteCollection(col.name);
      }
    }
    const o = median(times.ours);
    const r = median(times.raw);
    console.log(`\nours ${o.toFixed(0)} ms (${((chunks.length / o) * 1000).toFixed(0)} chunks/s), raw ${r.toFixed(0)} ms (${((chunks.length / r) * 1000).toFixed(0)} chunks/s); goal ≤ 1.15×`);
    console.log(`ratio ingest-ours/raw=${(o / r).toFixed(2)}`);
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
