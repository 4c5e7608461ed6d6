/**
 * The client benchmark: one real Chroma server, one workload, three clients, in one run.
 *
 * Workload: add 20,000 records (384-d embeddings, short documents, metadata) in max batches; read them all back
 * with get, limit 100, paging; 500 queries with n_results 10.
 * Clients: ours (ChromaClient), raw fetch of the same requests, and the official `chromadb` npm client.
 * After an uncounted warm-up, each round runs every client once, on a fresh collection that is deleted afterwards,
 * in rotated order; medians over the rounds.
 * Absolute times depend on the machine: read the ratios. Each server's last line is
 * `ratio ours/raw=X.XX ours/official=Y.YY on Chroma KIND (chromadb …, binding …)` (total time, medians).
 * Servers: Chroma 1.0.0, then the newest (scripts/setup-newest-chroma.sh); `CHROMA_EXPLORER_SERVER=1.0.0` or
 * `=newest` runs only that one. The official client is the project's pinned `chromadb` against both.
 * Before the rounds, our own work per get and query request (clientRequests.ts; BENCH_PROFILE=1 adds a CPU profile
 * by part, BENCH_ONLY_PER_REQUEST=1 measures only that, BENCH_PER_REQUEST=0 skips it).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient } from '../src/chroma';
import type { Collection, Metadata } from '../src/chroma';
import { embeddingToBase64 } from '../src/chroma/encoding';
import { ChromaServer, describeServer, PROJECT_ROOT, serverKindFromEnv } from '../test/support/chromaServer';
import type { ChromaServerKind } from '../test/support/chromaServer';
import { vectors } from '../test/support/fixtures';
import { perRequestWork } from './clientRequests';
import { check, median } from './support';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 20_000);
const DIM = 384;
const PAGE = 100;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Whether to measure our own work per get and query request too (clientRequests.ts); BENCH_PER_REQUEST=0 skips it. */
const PER_REQUEST_WORK = process.env.BENCH_PER_REQUEST !== '0';

interface Workload {
  ids: string[];
  embeddings: Float32Array[];
  documents: string[];
  metadatas: Metadata[];
  queries: number[][];
}

interface Phases {
  add: number;
  get: number;
  query: number;
}

type Way = (name: string, w: Workload, maxBatch: number) => Promise<Phases>;

function makeWorkload(): Workload {
  const raw = vectors(RECORDS, DIM, 42);
  return {
    ids: raw.map((_, i) => `doc-${i}`),
    embeddings: raw.map((v) => Float32Array.from(v)),
    documents: raw.map((_, i) => `Short document ${i} about topic ${i % 97}.`),
    metadatas: raw.map((_, i) => ({ source: `file-${i % 50}.md`, chunk: i % 20, draft: i % 3 === 0 })),
    queries: vectors(QUERIES, DIM, 7),
  };
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function makeOurs(url: string): Way {
  return async (name, w, maxBatch) => {
    // No request timeout to speak of: raw fetch and the official client have none, and on a loaded machine one add
    // of max_batch_size records has taken over 30 s.
    const client = new ChromaClient({ url, timeoutMs: 300_000 });
    const col: Collection = await client.createCollection({ name });
    void maxBatch; // ours splits by the server's max_batch_size itself
    const add = await timed(async () => {
      await client.add(col, { ids: w.ids, embeddings: w.embeddings, documents: w.documents, metadatas: w.metadatas });
    });
    let seen = 0;
    const get = await timed(async () => {
      for await (const page of client.iterateRecords(col, { pageSize: PAGE, include: ['documents', 'metadatas'] })) {
        seen += page.ids.length;
      }
    });
    check(seen === w.ids.length, `ours read ${seen} records`);
    let hits = 0;
    const query = await timed(async () => {
      for (const q of w.queries) {
        const r = await client.query(col, { queryEmbeddings: [q], nResults: 10, include: ['documents', 'metadatas', 'distances'] });
        hits += r.ids[0].length;
      }
    });
    check(hits === w.queries.length * 10, 'ours query results');
    return { add, get, query };
  };
}

function makeRaw(url: string): Way {
  return async (name, w, maxBatch) => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}/api/v2${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const data: unknown = await res.json();
      if (!res.ok) {
        throw new Error(`raw ${path}: ${res.status} ${JSON.stringify(data)}`);
      }
      return data;
    };
    const db = '/tenants/default_tenant/databases/default_database';
    const col = (await post(`${db}/collections`, { name })) as Collection;
    const base = `${db}/collections/${col.id}`;
    const add = await timed(async () => {
      for (let i = 0; i < w.ids.length; i += maxBatch) {
        await post(`${base}/add`, {
          ids: w.ids.slice(i, i + maxBatch),
          embeddings: w.embeddings.slice(i, i + maxBatch).map(embeddingToBase64),
          documents: w.documents.slice(i, i + maxBatch),
          metadatas: w.metadatas.slice(i, i + maxBatch),
        });
      }
    });
    let seen = 0;
    const get = await timed(async () => {
      for (let offset = 0; ; offset += PAGE) {
        const page = (await post(`${base}/get`, { limit: PAGE, offset, include: ['documents', 'metadatas'] })) as { ids: string[] };
        seen += page.ids.length;
        if (page.ids.length < PAGE) {
          break;
        }
      }
    });
    check(seen === w.ids.length, `raw read ${seen} records`);
    const query = await timed(async () => {
      for (const q of w.queries) {
        await post(`${base}/query`, { query_embeddings: [q], n_results: 10, include: ['documents', 'metadatas', 'distances'] });
      }
    });
    return { add, get, query };
  };
}

async function makeOfficial(url: string): Promise<Way> {
  const chroma = await import('chromadb');
  const { port, hostname } = new URL(url);
  const client = new chroma.ChromaClient({ host: hostname, port: Number(port), ssl: false });
  // The records come with embeddings; this function is never asked to embed.
  const embeddingFunction = {
    name: 'bench-precomputed',
    generate: (texts: string[]): Promise<number[][]> =>
      Promise.reject(new Error(`the benchmark supplies embeddings; asked to embed ${texts.length} texts`)),
  };
  return async (name, w, maxBatch) => {
    const col = await client.createCollection({ name, embeddingFunction });
    const add = await timed(async () => {
      for (let i = 0; i < w.ids.length; i += maxBatch) {
        await col.add({
          ids: w.ids.slice(i, i + maxBatch),
          embeddings: w.embeddings.slice(i, i + maxBatch).map((e) => Array.from(e)),
          documents: w.documents.slice(i, i + maxBatch),
          metadatas: w.metadatas.slice(i, i + maxBatch),
        });
      }
    });
    let seen = 0;
    const get = await timed(async () => {
      for (let offset = 0; ; offset += PAGE) {
        const page = await col.get({ limit: PAGE, offset, include: [chroma.IncludeEnum.documents, chroma.IncludeEnum.metadatas] });
        seen += page.ids.length;
        if (page.ids.length < PAGE) {
          break;
        }
      }
    });
    check(seen === w.ids.length, `official read ${seen} records`);
    const query = await timed(async () => {
      for (const q of w.queries) {
        await col.query({
          queryEmbeddings: [q],
          nResults: 10,
          include: [chroma.IncludeEnum.documents, chroma.IncludeEnum.metadatas, chroma.IncludeEnum.distances],
        });
      }
    });
    return { add, get, query };
  };
}


/**
 * After an uncounted warm-up of each way on 1,000 records, ROUNDS rounds of every way on the whole workload, in
 * rotated order, each on a fresh collection deleted afterwards; prints a line per run. Each way's phases, per round.
 */
async function rounds(url: string, ways: Record<string, Way>, maxBatch: number, w: Workload): Promise<Record<string, Phases[]>> {
  const names = Object.keys(ways);
  const results: Record<string, Phases[]> = Object.fromEntries(names.map((n) => [n, []]));
  const admin = new ChromaClient({ url });
  const runOnce = async (way: string, label: string, workload: Workload): Promise<Phases> => {
    const name = `bench-${way}-${label}-${Date.now()}`;
    try {
      return await ways[way](name, workload, maxBatch);
    } finally {
      // Every run starts from the same server state: its collection is gone before the next one starts.
      await admin.deleteCollection(name);
    }
  };
  const warm: Workload = { ...w, ids: w.ids.slice(0, 1000), embeddings: w.embeddings.slice(0, 1000), documents: w.documents.slice(0, 1000), metadatas: w.metadatas.slice(0, 1000), queries: w.queries.slice(0, 20) };
  for (const way of names) {
    await runOnce(way, 'warmup', warm);
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const way of order) {
      const phases = await runOnce(way, String(round), w);
      results[way].push(phases);
      const total = phases.add + phases.get + phases.query;
      console.log(`  round ${round + 1} ${way.padEnd(8)} total ${total.toFixed(0)} ms`);
    }
  }
  return results;
}

/** The medians per way and phase, each phase's ratios, the bundle's size, and the `ratio …` line of the totals. */
function report(kind: ChromaServerKind, results: Record<string, Phases[]>): void {
  const med = (way: string, f: (p: Phases) => number) => median(results[way].map(f));
  const total = (p: Phases) => p.add + p.get + p.query;
  console.log('\nmedian ms      add       get     query     total');
  for (const way of Object.keys(results)) {
    const cols = [(p: Phases) => p.add, (p: Phases) => p.get, (p: Phases) => p.query, total].map((f) => med(way, f).toFixed(0).padStart(9));
    console.log(`${way.padEnd(10)}${cols.join(' ')}`);
  }
  for (const [phase, f] of [
    ['add', (p: Phases) => p.add],
    ['get', (p: Phases) => p.get],
    ['query', (p: Phases) => p.query],
  ] as const) {
    console.log(
      `  ${phase.padEnd(6)} ours/raw=${(med('ours', f) / med('raw', f)).toFixed(2)} ours/official=${(med('ours', f) / med('official', f)).toFixed(2)}`,
    );
  }
  const bundle = join(PROJECT_ROOT, 'dist', 'main.js');
  console.log(`dist/main.js (the bundle activation loads): ${(statSync(bundle).size / 1024).toFixed(1)} KiB`);
  console.log(
    `ratio ours/raw=${(med('ours', total) / med('raw', total)).toFixed(2)} ours/official=${(med('ours', total) / med('official', total)).toFixed(2)} ` +
      `on ${describeServer(kind)}`,
  );
}

async function benchServer(kind: ChromaServerKind): Promise<void> {
  const server = await ChromaServer.start({ kind });
  try {
    const url = server.url;
    if (process.env.BENCH_ONLY_PER_REQUEST) {
      console.log(describeServer(kind));
      await perRequestWork(url);
      return;
    }
    const pre = await new ChromaClient({ url }).preflight();
    const maxBatch = pre.max_batch_size;
    const w = makeWorkload();
    const ways: Record<string, Way> = { ours: makeOurs(url), raw: makeRaw(url), official: await makeOfficial(url) };
    // Not the server's /version: the newest answers "1.0.0" too.
    console.log(
      `${describeServer(kind)}, ${RECORDS} records × ${DIM}-d, max_batch_size ${maxBatch}, ` +
        `get pages of ${PAGE}, ${QUERIES} queries, ${ROUNDS} rounds`,
    );
    if (PER_REQUEST_WORK) {
      await perRequestWork(url);
    }
    report(kind, await rounds(url, ways, maxBatch, w));
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const kinds: ChromaServerKind[] = process.env.CHROMA_EXPLORER_SERVER ? [serverKindFromEnv()] : ['1.0.0', 'newest'];
  for (const [i, kind] of kinds.entries()) {
    if (i > 0) {
      console.log('');
    }
    await benchServer(kind);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
