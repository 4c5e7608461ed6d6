/**
 * The query workbench benchmark, on one real Chroma server, in one run.
 *
 * 1. 500 queries with `where` filters and n_results 10 through the workbench's query path (`runQuery` with the
 *    workbench's CollectionCache: it gets the collection by name unless it fetched it in the last 10 s, checks the
 *    filter, queries, maps the hits), against raw `fetch` of the same requests (GET the collection when ours would,
 *    POST the query) and, for scale, raw `fetch` that GETs the collection before every query. After an uncounted
 *    warm-up, each round sends every query through every way, the ways taking turns per query (a filtered query
 *    costs the server 20–50 ms here, and its speed drifts: turns spread the drift evenly); medians over the rounds.
 *    Goal: ours/raw ≤ 1.05.
 * 2. From a QueryRun of 300 hits to a populated results view, the pure part in plain Node: the header and the
 *    300 items (labels, descriptions, source links), then every tooltip (the view builds them on hover), then the
 *    stale check of all 300 hits against their file's text (the view does it after showing the items). The hits
 *    are the real chunks of a ~300 KB Markdown file (the real chunker and metadata). Compared with one raw query of
 *    n_results 300 on the same server.
 * Absolute times depend on the machine: read the ratios. The last line is `ratio …`.
 */
import { ChromaClient } from '../src/chroma';
import type { Collection, Metadata, Where } from '../src/chroma';
import { documentRecords } from '../src/ingest/core/run';
import { headerModel, hitModels, hitTooltip } from '../src/query/core/resultsModel';
import type { ResultsEntry } from '../src/query/core/resultsModel';
import { CollectionCache } from '../src/query/core/collectionCache';
import { runQuery } from '../src/query/core/run';
import type { QueryHit, QueryRun, QuerySpec } from '../src/query/core/spec';
import { checkFreshness, fileText, sourceLinkOf } from '../src/query/core/sourceLink';
import { ChromaServer, describeServer, serverKindFromEnv } from '../test/support/chromaServer';
import { vectors } from '../test/support/fixtures';
import { check, median, ms, roundsInTurns } from './support';
import type { Way } from './support';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 5_000);
const DIM = 384;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VIEW_HITS = 300;
const VIEW_RUNS = Number(process.env.BENCH_VIEW_RUNS ?? 30);
/** How long the workbench remembers a collection (src/query/core/collectionCache.ts's default). */
const TTL_MS = 10_000;

const FILES = Array.from({ length: 50 }, (_, i) => `src/file-${i}.ts`);
/** The filters the queries cycle through: equality, a range, $and, $in. */
const FILTERS: Where[] = [
  { lang: 'en' },
  { chunk: { $gte: 5 } },
  { $and: [{ lang: 'de' }, { chunk: { $lt: 10 } }] },
  { source: { $in: FILES.slice(0, 10) } },
];

function ours(url: string, col: Collection): Way<number[]> {
  const client = new ChromaClient({ url });
  // as the workbench runs it: collections remembered for a few seconds
  const collections = new CollectionCache(TTL_MS);
  const never = () => Promise.reject(new Error('the benchmark queries by vector'));
  return async (q, i) => {
    const spec: QuerySpec = {
      connection: 'bench',
      tenant: col.tenant,
      database: col.database,
      collection: col.name,
      input: { kind: 'vector', vector: q },
      nResults: 10,
      where: FILTERS[i % FILTERS.length],
      include: ['documents', 'metadatas', 'distances'],
    };
    return (await runQuery(spec, { client, collections, embed: never })).hits.length;
  };
}

/**
 * Raw fetch. `remember`: the same requests as ours (GET the collection when the id is older than the workbench
 * remembers one, then POST the query); else GET before every query, the way a script that looks the name up each
 * time would.
 */
function raw(url: string, col: Collection, remember: boolean): Way<number[]> {
  let known: { id: string; at: number } | undefined;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}/api/v2${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data: unknown = await res.json();
    if (!res.ok) {
      throw new Error(`raw ${path}: ${res.status} ${JSON.stringify(data)}`);
    }
    return data;
  };
  return async (q, i) => {
    const db = `/tenants/${col.tenant}/databases/${col.database}`;
    if (!remember || !known || performance.now() - known.at > TTL_MS) {
      known = { id: ((await call('GET', `${db}/collections/${encodeURIComponent(col.name)}`)) as Collection).id, at: performance.now() };
    }
    const id = known.id;
    const r = (await call('POST', `${db}/collections/${id}/query`, {
      query_embeddings: [q],
      n_results: 10,
      where: FILTERS[i % FILTERS.length],
      include: ['documents', 'metadatas', 'distances'],
    })) as { ids: string[][] };
    return r.ids[0].length;
  };
}

/** A ~300 KB Markdown file's chunks as the hits of one run, and the file's text. */
function viewWorkload(): { run: QueryRun; text: string } {
  const text = Array.from(
    { length: 340 },
    (_, i) => `## Section ${i}\n\nSection ${i} explains how chroma stores embeddings, documents and metadata; a where filter narrows queries.\n`.padEnd(900, `More text ${i}. `) + '\n\n',
  ).join('');
  const records = documentRecords({
    name: 'guide.md',
    text,
    info: { source: 'docs/guide.md', uri: 'file:///ws/docs/guide.md', languageId: 'markdown', idBase: 'docs/guide.md' },
    config: { chunkSize: 1000, chunkOverlap: 100, chunkSizeTokens: 256, chunkOverlapTokens: 32, sizeUnit: 'characters', idStrategy: 'path' },
  });
  check(records.length >= VIEW_HITS, `${records.length} chunks`);
  const hits: QueryHit[] = records.slice(0, VIEW_HITS).map((r, i) => ({
    rank: i + 1,
    id: r.id,
    distance: 0.2 + i / 1000,
    document: r.document,
    metadata: r.metadata as Metadata,
    uri: null,
    embedding: null,
  }));
  const spec: QuerySpec = {
    connection: 'bench',
    tenant: 'default_tenant',
    database: 'default_database',
    collection: 'guide',
    input: { kind: 'text', text: 'how does chroma store embeddings' },
    nResults: VIEW_HITS,
    where: { source: 'docs/guide.md' },
    include: ['documents', 'metadatas', 'distances'],
  };
  const collection: Collection = { id: 'c', name: 'guide', metadata: null, dimension: DIM, tenant: 'default_tenant', database: 'default_database' };
  return { run: { spec, collection, hits, queryVector: [], embeddedWith: 'default', ranAt: Date.now(), tookMs: 10 }, text };
}

function viewTimes(): { model: number; tooltips: number; stale: number; chars: number } {
  const { run, text } = viewWorkload();
  const entry: ResultsEntry = { seq: 1, spec: run.spec, run };
  const model: number[] = [];
  const tooltips: number[] = [];
  const stale: number[] = [];
  let chars = 0;
  for (let i = 0; i < VIEW_RUNS + 3; i++) {
    let t = performance.now();
    const header = headerModel(entry);
    const items = hitModels(entry);
    const m = performance.now() - t;
    t = performance.now();
    let size = header.description.length;
    for (const item of items) {
      size += item.label.length + item.description.length + hitTooltip(item).length;
    }
    const tt = performance.now() - t;
    // as the view does it: the file read and split into lines once, then each hit checked
    t = performance.now();
    const file = fileText(text);
    let fresh = 0;
    for (const item of items) {
      if (item.link && checkFreshness(item.link, file, item.hit.document).state === 'fresh') {
        fresh++;
      }
    }
    const st = performance.now() - t;
    check(items.length === VIEW_HITS && items.every((it) => it.link) && fresh === VIEW_HITS, `${items.length} items, ${fresh} fresh`);
    check(sourceLinkOf(run.hits[0].metadata)?.source === 'docs/guide.md', 'links');
    if (i >= 3) {
      model.push(m);
      tooltips.push(tt);
      stale.push(st);
      chars = size;
    }
  }
  return { model: median(model), tooltips: median(tooltips), stale: median(stale), chars };
}

/** The collection of RECORDS chunks of FILES, and the query vectors; prints what was seeded. */
async function seed(url: string, kind: ReturnType<typeof serverKindFromEnv>): Promise<{ col: Collection; queries: number[][] }> {
  const admin = new ChromaClient({ url, timeoutMs: 300_000 });
  const col = await admin.createCollection({ name: 'bench-query' });
  const embeddings = vectors(RECORDS, DIM, 42);
  await admin.add(col, {
    ids: embeddings.map((_, i) => `doc-${i}`),
    embeddings,
    documents: embeddings.map((_, i) => `Chunk ${i} of ${FILES[i % FILES.length]}: how chroma stores embeddings next to documents and metadata.`),
    metadatas: embeddings.map((_, i) => ({ source: FILES[i % FILES.length], chunk: i % 20, lang: i % 3 === 0 ? 'de' : 'en', startLine: (i % 20) * 10 + 1, endLine: (i % 20) * 10 + 9 })),
  });
  const queries = vectors(QUERIES, DIM, 7);
  console.log(`${describeServer(kind)}, ${RECORDS} records × ${DIM}-d, ${QUERIES} queries with where filters, n_results 10, ${ROUNDS} rounds`);
  return { col, queries };
}

/** Part 1: every query through ours, raw and rawGetEach in turns, ROUNDS rounds; prints the rounds and the medians. */
async function filteredQueries(url: string, col: Collection, queries: number[][]): Promise<(way: string) => number> {
  const ways: Record<string, Way<number[]>> = { ours: ours(url, col), raw: raw(url, col, true), rawGetEach: raw(url, col, false) };
  const times = await roundsInTurns(ways, queries, {
    warmUp: 20,
    rounds: ROUNDS,
    unit: 'query',
    checkHits: (hits, sent) => {
      for (const n of Object.keys(ways)) {
        check(hits[n] === sent * 10, `${n} found ${hits[n]} hits`);
      }
    },
  });
  const med = (n: string) => median(times[n]);
  console.log('\nmedian of the rounds:');
  for (const n of Object.keys(ways)) {
    console.log(`  ${n.padEnd(13)} ${ms(med(n))}`);
  }
  return med;
}

/** One raw query of n_results 300, the server round trip the view's work follows: median of 20 after 3 warm-ups. */
async function rawQuery300(url: string, col: Collection, queries: number[][]): Promise<number> {
  const raw300: number[] = [];
  for (let i = 0; i < 23; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/api/v2/tenants/${col.tenant}/databases/${col.database}/collections/${col.id}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query_embeddings: [queries[i]], n_results: VIEW_HITS, include: ['documents', 'metadatas', 'distances'] }),
    });
    const body = (await res.json()) as { ids: string[][] };
    check(body.ids[0].length === VIEW_HITS, 'raw 300');
    if (i >= 3) {
      raw300.push(performance.now() - t);
    }
  }
  return median(raw300);
}

/** Part 2's lines: the results view's pure work against the raw query of 300. */
function reportView(view: ReturnType<typeof viewTimes>, q300: number): void {
  console.log(`\nQueryRun of ${VIEW_HITS} hits → results view (pure part, median of ${VIEW_RUNS}):`);
  console.log(`  header + ${VIEW_HITS} items (labels, descriptions, links) ${ms(view.model)}`);
  console.log(`  all ${VIEW_HITS} tooltips (built on hover)            ${ms(view.tooltips)}   (${Math.round(view.chars / 1024)} KiB of text)`);
  console.log(`  stale check of ${VIEW_HITS} hits (after showing)        ${ms(view.stale)}`);
  console.log(`  raw query of n_results ${VIEW_HITS}                       ${ms(q300)}`);
  console.log(`  items/raw300=${(view.model / q300).toFixed(2)} (items+tooltips)/raw300=${((view.model + view.tooltips) / q300).toFixed(2)} stale/raw300=${(view.stale / q300).toFixed(2)}`);
}

async function main(): Promise<void> {
  const kind = serverKindFromEnv();
  const server = await ChromaServer.start({ kind });
  try {
    const url = server.url;
    const { col, queries } = await seed(url, kind);
    const med = await filteredQueries(url, col, queries);
    const q300 = await rawQuery300(url, col, queries);
    const view = viewTimes();
    reportView(view, q300);
    console.log(
      `ratio ours/raw=${(med('ours') / med('raw')).toFixed(2)} (goal ≤ 1.05) ours/rawGetEach=${(med('ours') / med('rawGetEach')).toFixed(2)} ` +
        `view300=${view.model.toFixed(1)} ms on ${describeServer(kind)}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
