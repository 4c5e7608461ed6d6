/**
 * The embedding map benchmark (issue 15), on one real Chroma server, in one run.
 *
 * 1. PCA to 2-D of 100,000 × 384 float32 vectors, in process (pca2d). Goal ≤ 2 s.
 * 2. UMAP to 2-D of 10,000 of them (umap-js, seeded), in process. Reported.
 * 3. From fetching to projected coordinates for the whole collection: scanCollection (every record with embeddings,
 *    documents and metadatas, pages of PAGE) then project() with PCA through the real worker (the compiled
 *    projectionWorker.js), against a raw paged `get` of the embeddings alone (fetch + JSON parse, pages of PAGE) and,
 *    for scale, a raw paged get of the same fields ours reads. The ways take turns per round (server speed drifts);
 *    medians of ROUNDS. Goal: ours/raw ≤ 1.5. Drawing the points is the webview's and is not timed here.
 * The data: CLUSTERS noisy clusters of unit vectors (embeddings of real text cluster; uniform noise has no map), short
 * documents and three metadata keys. BENCH_RECORDS shrinks the collection (and the UMAP run to at most 10,000).
 * Absolute times depend on the machine: read the ratios. The last line is `ratio …`.
 */
import * as path from 'node:path';
import { ChromaClient } from '../src/chroma';
import type { Collection, Metadata } from '../src/chroma';
import { pca2d } from '../src/overview/core/pca';
import { project } from '../src/overview/core/projection';
import { seededRandom } from '../src/util/random';
import { scanCollection } from '../src/overview/core/scan';
import type { Scan } from '../src/overview/core/scan';
import { umap2d } from '../src/overview/core/umap';
import { ChromaServer, describeServer, serverKindFromEnv } from '../test/support/chromaServer';
import { check, median, ms } from './support';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const DIM = 384;
const UMAP_RECORDS = Math.min(RECORDS, Number(process.env.BENCH_UMAP_RECORDS ?? 10_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PCA_RUNS = Number(process.env.BENCH_PCA_RUNS ?? 3);
const PAGE = 500;
const CLUSTERS = 30;
const ADD_BATCH = 5_000;
const workerFile = path.resolve(__dirname, '../src/overview/core/projectionWorker.js');

/** Rows `from`…`to` of the data set: cluster centre + noise, normalised. Deterministic per row. */
function rows(from: number, to: number, centres: Float32Array[]): number[][] {
  const out: number[][] = [];
  for (let i = from; i < to; i++) {
    const r = seededRandom(i + 1);
    const c = centres[i % CLUSTERS];
    const v = Array.from({ length: DIM }, (_, j) => c[j] + 0.6 * (r() - 0.5));
    const norm = Math.hypot(...v);
    out.push(v.map((x) => x / norm));
  }
  return out;
}

async function fill(admin: ChromaClient, col: Collection): Promise<void> {
  const r = seededRandom(42);
  const centres = Array.from({ length: CLUSTERS }, () => Float32Array.from({ length: DIM }, () => r() - 0.5));
  for (let from = 0; from < RECORDS; from += ADD_BATCH) {
    const to = Math.min(RECORDS, from + ADD_BATCH);
    const embeddings = rows(from, to, centres);
    await admin.add(col, {
      ids: embeddings.map((_, k) => `src/file-${(from + k) % 500}.ts#${Math.floor((from + k) / 500)}`),
      embeddings,
      documents: embeddings.map((_, k) => `Chunk ${from + k}: how chroma stores embeddings next to documents and metadata, topic ${(from + k) % CLUSTERS}.`),
      metadatas: embeddings.map((_, k): Metadata => ({ source: `src/file-${(from + k) % 500}.ts`, chunk: Math.floor((from + k) / 500), topic: `t${(from + k) % CLUSTERS}` })),
    });
  }
}

/** A raw paged get: POST …/get with limit/offset until a short page; JSON parsed, nothing else. Returns rows read. */
async function rawGet(url: string, col: Collection, include: string[]): Promise<number> {
  const at = `${url}/api/v2/tenants/${col.tenant}/databases/${col.database}/collections/${col.id}/get`;
  let read = 0;
  for (let offset = 0; ; offset += PAGE) {
    const res = await fetch(at, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ limit: PAGE, offset, include }),
    });
    const body = (await res.json()) as { ids: string[]; embeddings: number[][] };
    check(res.ok && body.embeddings.length === body.ids.length, `raw get at ${offset}`);
    read += body.ids.length;
    if (body.ids.length < PAGE) {
      return read;
    }
  }
}

type Timed = 'ours' | 'scan' | 'project' | 'raw' | 'rawSame';

/**
 * Part 3: ours (scan + PCA in the worker) against the raw paged gets, the ways taking turns per round after an
 * uncounted warm-up; prints a line per round. Each part's times, and the last scan (parts 1 and 2 use its vectors).
 */
async function fetchAndProject(url: string, col: Collection): Promise<{ times: Record<Timed, number[]>; scan: Scan }> {
  const client = new ChromaClient({ url, timeoutMs: 600_000 });
  const times: Record<Timed, number[]> = { ours: [], scan: [], project: [], raw: [], rawSame: [] };
  let scan: Scan | undefined;
  const ways: Record<'ours' | 'raw' | 'rawSame', () => Promise<void>> = {
    ours: async () => {
      const start = performance.now();
      scan = await scanCollection(client, col, { pageSize: PAGE });
      const scanned = performance.now();
      const out = await project({ vectors: scan.vectors, n: scan.ids.length, dim: scan.dim, method: 'pca' }, { workerFile });
      const end = performance.now();
      check(scan.ids.length === RECORDS && out.coords.length === 2 * RECORDS && out.coords.every(Number.isFinite), 'ours read and projected everything');
      times.ours.push(end - start);
      times.scan.push(scanned - start);
      times.project.push(end - scanned);
    },
    raw: async () => {
      const start = performance.now();
      check((await rawGet(url, col, ['embeddings'])) === RECORDS, 'raw read everything');
      times.raw.push(performance.now() - start);
    },
    rawSame: async () => {
      const start = performance.now();
      check((await rawGet(url, col, ['embeddings', 'documents', 'metadatas'])) === RECORDS, 'raw (same fields) read everything');
      times.rawSame.push(performance.now() - start);
    },
  };
  const names = Object.keys(ways) as (keyof typeof ways)[];
  // Warm-up (uncounted): the server's caches, the worker's first start.
  await rawGet(url, col, ['embeddings']);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      await ways[names[(round + k) % names.length]]();
    }
    console.log(`  round ${round + 1}: ours ${times.ours.at(-1)!.toFixed(0)} ms (scan ${times.scan.at(-1)!.toFixed(0)} + PCA in worker ${times.project.at(-1)!.toFixed(0)}), raw ${times.raw.at(-1)!.toFixed(0)} ms, raw same fields ${times.rawSame.at(-1)!.toFixed(0)} ms`);
  }
  check(scan !== undefined, 'scanned');
  return { times, scan: scan! };
}

/** Part 1: PCA of every vector in process, PCA_RUNS times; the median ms. */
function pcaTime(vectors: Float32Array, dim: number): number {
  const pcaTimes: number[] = [];
  for (let i = 0; i < PCA_RUNS; i++) {
    const t = performance.now();
    const { coords } = pca2d(vectors, RECORDS, dim);
    pcaTimes.push(performance.now() - t);
    check(coords.every(Number.isFinite), 'PCA coordinates');
  }
  return median(pcaTimes);
}

/** Part 2: UMAP of UMAP_RECORDS rows spread over the collection (every k-th, so all clusters are in it), once. */
function umapTime(vectors: Float32Array, dim: number): { total: number; graph: number } {
  const step = Math.max(1, Math.floor(RECORDS / UMAP_RECORDS));
  const subset = new Float32Array(UMAP_RECORDS * dim);
  for (let i = 0; i < UMAP_RECORDS; i++) {
    subset.set(vectors.subarray(i * step * dim, (i * step + 1) * dim), i * dim);
  }
  let graph = 0;
  const t = performance.now();
  const u = umap2d(subset, UMAP_RECORDS, dim, undefined, {
    onProgress: (_f, phase) => {
      if (!graph && phase.startsWith('layout')) {
        graph = performance.now() - t;
      }
    },
  });
  const total = performance.now() - t;
  check(u.coords.every(Number.isFinite), 'UMAP coordinates');
  return { total, graph };
}

async function main(): Promise<void> {
  const kind = serverKindFromEnv();
  const server = await ChromaServer.start({ kind });
  try {
    const url = server.url;
    const admin = new ChromaClient({ url, timeoutMs: 600_000 });
    const col = await admin.createCollection({ name: 'bench-map' });
    const t = performance.now();
    await fill(admin, col);
    console.log(`${describeServer(kind)}, ${RECORDS.toLocaleString('en-US')} records × ${DIM}-d (${CLUSTERS} clusters), added in ${((performance.now() - t) / 1000).toFixed(0)} s`);

    // 3 first: it also produces the vectors 1 and 2 use.
    const { times, scan } = await fetchAndProject(url, col);
    const { vectors, dim } = scan;
    const pca = pcaTime(vectors, dim);
    const umap = umapTime(vectors, dim);

    const med = (k: Timed) => median(times[k]);
    console.log(`\nmedians of ${ROUNDS} rounds, ${RECORDS.toLocaleString('en-US')} records, pages of ${PAGE}:`);
    console.log(`  ours: scan + PCA (worker)      ${ms(med('ours'), 0, 7)}   (scan ${med('scan').toFixed(0)} ms, PCA in the worker incl. its start ${med('project').toFixed(0)} ms)`);
    console.log(`  raw paged get, embeddings     ${ms(med('raw'), 0, 7)}`);
    console.log(`  raw paged get, same fields    ${ms(med('rawSame'), 0, 7)}`);
    console.log(`PCA of ${RECORDS.toLocaleString('en-US')} × ${dim} in process, median of ${PCA_RUNS}: ${ms(pca, 0, 7)}   (goal ≤ 2000 ms)`);
    console.log(`UMAP of ${UMAP_RECORDS.toLocaleString('en-US')} × ${dim} in process (umap-js):    ${ms(umap.total, 0, 7)}   (neighbour graph ${umap.graph.toFixed(0)} ms, layout ${(umap.total - umap.graph).toFixed(0)} ms)`);
    console.log(
      `ratio ours/raw=${(med('ours') / med('raw')).toFixed(2)} (goal ≤ 1.5) ours/rawSameFields=${(med('ours') / med('rawSame')).toFixed(2)} ` +
        `pca=${pca.toFixed(0)} ms umap${UMAP_RECORDS}=${(umap.total / 1000).toFixed(1)} s on ${describeServer(kind)}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
