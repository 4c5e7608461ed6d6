/**
 * Export and import benchmark, on one real Chroma server, in one run: 100,000 records × 384-d (BENCH_RECORDS to
 * change the count) with a document and four metadata keys each.
 *
 * 1. Raw upsert: the records written with bare `fetch` in batches of 1,000 (base64 embeddings, as our client sends
 *    them), timing only the requests (the bodies are built before each clock starts). First into A (the data the
 *    export reads; a server that is still empty writes faster, so A is not compared), then into C right before ours
 *    and D right after, so that a server that slows as it fills is charged to both sides alike.
 * 2. Raw paged get: A read with bare `fetch` + `JSON.parse`, one page of 1,000 after the other (ours asks for pages
 *    of 500 at 384-d, two ahead), documents, metadatas, uris and embeddings. Done before and after our export.
 * 3. Ours, export: A to a JSONL file (base64 float32), through exportCollection (two pages requested ahead while one
 *    is written); peak RSS sampled every 10 ms, against RSS right before (after a GC). Goal: ≤ 100 MiB above the start.
 * 4. Ours, import: the file into a new collection B, through importFile (read, decode, batch, upsert).
 * Goals: ours/raw ≤ 1.1 for both. Absolute times depend on the machine: read the ratios. The last line is `ratio …`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from '../src/chroma';
import type { Collection } from '../src/chroma';
import { embeddingToBase64 } from '../src/chroma/encoding';
import { exportCollection } from '../src/transfer/core/exporter';
import { importFile } from '../src/transfer/core/importer';
import { ChromaServer, describeServer, serverKindFromEnv } from '../test/support/chromaServer';
import { vectors } from '../test/support/fixtures';
import { check } from './support';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const DIM = 384;
const BATCH = 1000;
const PAGE = 1000;
const MiB = 1024 * 1024;

/** Batch `b` of the data set, as the JSON body of an upsert. */
function batchBody(b: number): string {
  const start = b * BATCH;
  const n = Math.min(BATCH, RECORDS - start);
  const ids = Array.from({ length: n }, (_, k) => `rec-${String(start + k).padStart(7, '0')}`);
  return JSON.stringify({
    ids,
    embeddings: vectors(n, DIM, b + 1).map(embeddingToBase64),
    documents: ids.map((id, k) => `Record ${id}: a chunk of some document about vectors, metadata and search, part ${k % 17}.`),
    metadatas: ids.map((_, k) => ({ source: `docs/file-${(start + k) % 500}.md`, chunk: k % 20, lang: k % 3 ? 'en' : 'de', score: (start + k) / 7 })),
  });
}

async function post(url: string, body: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`raw ${url}: ${res.status} ${text.slice(0, 200)}`);
  }
  return JSON.parse(text);
}

const colUrl = (base: string, c: Collection) => `${base}/api/v2/tenants/${c.tenant}/databases/${c.database}/collections/${c.id}`;

/** Raw upsert of the data set into `c`; ms spent in requests only. */
async function rawUpsert(base: string, c: Collection): Promise<number> {
  let ms = 0;
  for (let b = 0; b * BATCH < RECORDS; b++) {
    const body = batchBody(b);
    const t = performance.now();
    await post(`${colUrl(base, c)}/upsert`, body);
    ms += performance.now() - t;
  }
  return ms;
}

/** Raw paged get of `c` (fetch + JSON.parse); ms. */
async function rawGet(base: string, c: Collection): Promise<number> {
  const t = performance.now();
  let n = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = (await post(`${colUrl(base, c)}/get`, JSON.stringify({ limit: PAGE, offset, include: ['documents', 'metadatas', 'uris', 'embeddings'] }))) as { ids: string[] };
    n += page.ids.length;
    if (page.ids.length < PAGE) {
      break;
    }
  }
  check(n === RECORDS, `raw get read ${n}`);
  return performance.now() - t;
}

const rate = (ms: number) => `${Math.round(RECORDS / (ms / 1000)).toLocaleString('en-US').padStart(8)} records/s`;
const line = (what: string, ms: number) => console.log(`  ${what.padEnd(34)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${rate(ms)}`);

async function main(): Promise<void> {
  const kind = serverKindFromEnv();
  const server = await ChromaServer.start({ kind });
  const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
  try {
    const base = server.url;
    const client = new ChromaClient({ url: base, timeoutMs: 600_000 });
    console.log(`${describeServer(kind)}, ${RECORDS.toLocaleString('en-US')} records × ${DIM}-d, raw batches and pages of ${BATCH}`);
    const a = await client.createCollection({ name: 'bench-a', configuration: { hnsw: { space: 'cosine' } } });
    const upsertA = await rawUpsert(base, a);
    line('raw upsert (A, seeds the export)', upsertA);
    const getBefore = await rawGet(base, a);
    line('raw paged get (before)', getBefore);

    const file = join(dir, 'a.jsonl');
    (globalThis as { gc?: () => void }).gc?.();
    const rssStart = process.memoryUsage().rss;
    let peak = rssStart;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const exported = await exportCollection({ client, collection: await client.getCollection('bench-a'), file, embeddingEncoding: 'base64-float32-le' });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    check(exported.written === RECORDS, `exported ${exported.written}`);
    line('ours: export to JSONL', exported.ms);
    const getAfter = await rawGet(base, a);
    line('raw paged get (after)', getAfter);

    const c = await client.createCollection({ name: 'bench-c', configuration: { hnsw: { space: 'cosine' } } });
    const upsertC = await rawUpsert(base, c);
    line('raw upsert (C, before)', upsertC);
    const imported = await importFile({ client, file, into: { kind: 'new', name: 'bench-b' } });
    check(imported.counts.written === RECORDS && (await client.count(imported.collection)) === RECORDS, `imported ${imported.counts.written}`);
    line('ours: import from JSONL (B)', imported.ms);
    const d = await client.createCollection({ name: 'bench-d', configuration: { hnsw: { space: 'cosine' } } });
    const upsertD = await rawUpsert(base, d);
    line('raw upsert (D, after)', upsertD);

    const rawGetMs = (getBefore + getAfter) / 2;
    const rawUpsertMs = (upsertC + upsertD) / 2;
    const rss = (peak - rssStart) / MiB;
    console.log(`  file ${(statSync(file).size / MiB).toFixed(0)} MiB; RSS at start ${(rssStart / MiB).toFixed(0)} MiB, peak during export +${rss.toFixed(1)} MiB`);
    console.log(
      `ratio export/rawGet=${(exported.ms / rawGetMs).toFixed(2)} import/rawUpsert=${(imported.ms / rawUpsertMs).toFixed(2)} (goal ≤ 1.1 each) ` +
        `exportPeakRss=+${rss.toFixed(0)} MiB (goal ≤ 100) records=${RECORDS} on ${describeServer(kind)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
