/**
 * The explorer benchmark, on a real Chroma server seeded with 10,000 collections and a collection of 100,000
 * records. It reports:
 * - the time from expanding a database to its first page of children (goal ≤ 300 ms), cold (a new client, as
 *   after a reload) and warm, against a raw `fetch` of one list page measured in the same run;
 * - the HTTP requests made before that first page shows;
 * - for a database of 1,000 collections (sorted by name): the time to the first sorted page (goal ≤ 300 ms)
 *   against a raw fetch of the same list, and the tree events fired until the shown collections' counts are in
 *   (goal ≤ 1 per 100 ms, not one per collection);
 * - Find Collection… over 10,000 collections: every name fetched, against a raw paged fetch (goal ≤ 1.1×);
 * - heap used after expanding the 100,000-record collection and loading 500 records.
 * Run with `node --expose-gc` (npm run bench does) so that heap numbers are taken after a collection.
 */
import { ChromaClient } from '../src/chroma';
import type { ConnectionConfig } from '../src/connections/core/connectionConfig';
import { ExplorerModel } from '../src/explorer/core/model';
import type { CollectionNode, DatabaseNode, LoadMoreNode } from '../src/explorer/core/model';
import { ChromaServer } from '../test/support/chromaServer';
import { vectors } from '../test/support/fixtures';
import { median, heapMiB } from './support';

const COLLECTIONS = Number(process.env.BENCH_COLLECTIONS ?? 10_000);
const RECORDS = Number(process.env.BENCH_BIG_RECORDS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** The database whose collections the tree sorts by name (the default chroma.explorer.sortedListLimit). */
const SORTED = 1_000;



async function seed(url: string): Promise<void> {
  const admin = new ChromaClient({ url });
  const scope = { tenant: 'default_tenant', database: 'big' };
  await admin.createDatabase('big');
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < COLLECTIONS) {
        const i = next++;
        await admin.createCollection({ name: `collection-${String(i).padStart(5, '0')}`, metadata: { i } }, { scope });
      }
    }),
  );
  console.log(`seeded ${COLLECTIONS} collections in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await admin.createDatabase('thousand');
  const thousand = { tenant: 'default_tenant', database: 'thousand' };
  let k = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (k < SORTED) {
        const i = k++;
        // created in a shuffled order, so that the server's order is not the name order
        const n = (i * 7919) % SORTED;
        await admin.createCollection({ name: `doc-${n}` }, { scope: thousand });
      }
    }),
  );
  const huge = await admin.createCollection({ name: 'huge' }, { scope: { tenant: 'default_tenant', database: 'default_database' } });
  const t = performance.now();
  const batch = 5000;
  const dims = vectors(batch, 8, 3);
  for (let start = 0; start < RECORDS; start += batch) {
    const n = Math.min(batch, RECORDS - start);
    await admin.add(huge, {
      ids: Array.from({ length: n }, (_, i) => `record-${String(start + i).padStart(6, '0')}`),
      embeddings: dims.slice(0, n),
      documents: Array.from({ length: n }, (_, i) => `Record ${start + i}: a short document of the kind people chunk from notes and code.`),
      metadatas: Array.from({ length: n }, (_, i) => ({ source: `file-${(start + i) % 500}.md`, chunk: (start + i) % 40 })),
    });
  }
  console.log(`seeded ${RECORDS} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

function modelFor(conn: ConnectionConfig, counter: { requests: string[] }): ExplorerModel {
  const client = new ChromaClient({ url: conn.url, onRequest: (r) => counter.requests.push(`${r.method} ${r.path.replace(/^\/api\/v2/, '')}`) });
  return new ExplorerModel({ connections: () => [conn], clientFor: () => Promise.resolve(client) });
}

/** The ratio of two medians, as the lines print it. */
const ratio = (a: number[], b: number[]): string => (median(a) / median(b)).toFixed(2);

/** Database `name`'s node, the connection's children listed first. */
async function databaseNode(model: ExplorerModel, name: string): Promise<DatabaseNode> {
  return ((await model.children(model.roots()[0])) as DatabaseNode[]).find((d) => d.database === name)!;
}

interface FirstPage {
  raw: number[];
  cold: number[];
  warm: number[];
  more: LoadMoreNode | undefined;
  coldRequests: string[];
  warmRequests: string[];
}

/** Expanding the database of COLLECTIONS → its first page of 100, cold and warm, against a raw fetch of one page. */
async function firstPage(conn: ConnectionConfig): Promise<FirstPage> {
  // Raw baseline: one list page of 100, the least any client can do.
  const rawUrl = `${conn.url}/api/v2/tenants/default_tenant/databases/big/collections?limit=100&offset=0`;
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await fetch(rawUrl);
    await res.json();
    raw.push(performance.now() - t);
  }
  const out: FirstPage = { raw, cold: [], warm: [], more: undefined, coldRequests: [], warmRequests: [] };
  let kids: Array<LoadMoreNode | CollectionNode> = [];
  for (let i = 0; i < RUNS; i++) {
    // cold: a new model and client, the connection just expanded (databases listed first, not timed)
    const counter = { requests: [] as string[] };
    const model = modelFor(conn, counter);
    const db = await databaseNode(model, 'big');
    counter.requests.length = 0;
    let t = performance.now();
    kids = (await model.children(db)) as Array<LoadMoreNode | CollectionNode>;
    out.cold.push(performance.now() - t);
    out.coldRequests = counter.requests.filter((r) => !r.endsWith('/count'));
    if (kids.filter((k) => k.kind === 'collection').length !== 100) {
      throw new Error('the first page is not 100 collections');
    }
    // warm: the same database collapsed and refreshed (the client's caches are warm)
    model.refresh(db);
    counter.requests.length = 0;
    t = performance.now();
    await model.children(db);
    out.warm.push(performance.now() - t);
    out.warmRequests = counter.requests.filter((r) => !r.endsWith('/count'));
    await new Promise((r) => setTimeout(r, 300)); // let background counts drain before the next run
  }
  out.more = kids.find((k): k is LoadMoreNode => k.kind === 'loadMore');
  return out;
}

interface SortedPage {
  rawSorted: number[];
  sorted: number[];
  events: { fired: number; ms: number; counts: number };
}

/** A database of SORTED collections: all fetched with the first page and sorted by name; the tree events until its counts are in. */
async function sortedPage(conn: ConnectionConfig): Promise<SortedPage> {
  const out: SortedPage = { rawSorted: [], sorted: [], events: { fired: 0, ms: 0, counts: 0 } };
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const res = await fetch(`${conn.url}/api/v2/tenants/default_tenant/databases/thousand/collections?limit=${SORTED + 1}&offset=0`);
    await res.json();
    out.rawSorted.push(performance.now() - t);
    const model = modelFor(conn, { requests: [] });
    const db = await databaseNode(model, 'thousand');
    const before = model.eventsFired;
    t = performance.now();
    const kids = await model.children(db);
    out.sorted.push(performance.now() - t);
    const names = kids.filter((k): k is CollectionNode => k.kind === 'collection').map((k) => k.collection.name);
    if (names.join() !== [...names].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))).join() || names[0] !== 'doc-0') {
      throw new Error('the first page is not sorted by name');
    }
    // tree events from expanding until every shown collection's count is in
    const shown = kids.filter((k): k is CollectionNode => k.kind === 'collection');
    while (shown.some((c) => c.count === undefined)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const countsDone = performance.now() - t;
    await new Promise((r) => setTimeout(r, 250)); // the last coalesced event
    out.events = { fired: model.eventsFired - before, ms: countsDone, counts: shown.length };
  }
  return out;
}

/** Find Collection… over the COLLECTIONS: every name in the picker, against a raw paged fetch of the same pages. */
async function findAll(conn: ConnectionConfig): Promise<{ rawFind: number[]; find: number[] }> {
  const rawFind: number[] = [];
  const find: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 5); i++) {
    let t = performance.now();
    let n = 0;
    for (let offset = 0; ; offset += 1000) {
      const res = await fetch(`${conn.url}/api/v2/tenants/default_tenant/databases/big/collections?limit=1000&offset=${offset}`);
      const page = (await res.json()) as unknown[];
      n += page.length;
      if (page.length < 1000) {
        break;
      }
    }
    rawFind.push(performance.now() - t);
    const model = modelFor(conn, { requests: [] });
    const db = await databaseNode(model, 'big');
    t = performance.now();
    const all = await model.allCollections(db);
    find.push(performance.now() - t);
    if (all.length !== n || n !== COLLECTIONS) {
      throw new Error(`Find Collection… saw ${all.length} of ${n}`);
    }
  }
  return { rawFind, find };
}

/** Memory: expand the RECORDS-record collection and load 500 records (10 pages of 50); prints the times and the heap. */
async function recordMemory(conn: ConnectionConfig): Promise<void> {
  const before = heapMiB();
  const model = modelFor(conn, { requests: [] });
  const home = await databaseNode(model, 'default_database');
  const huge = (await model.children(home)).find((k) => k.kind === 'collection' && k.collection.name === 'huge') as CollectionNode;
  let t = performance.now();
  let kids = await model.children(huge);
  const firstRecords = performance.now() - t;
  model.refresh(huge);
  t = performance.now();
  kids = await model.children(huge);
  const againRecords = performance.now() - t;
  while (kids.filter((k) => k.kind === 'record').length < 500) {
    await model.loadMore(kids.find((k) => k.kind === 'loadMore') as LoadMoreNode);
    kids = await model.children(huge);
  }
  const after = heapMiB();
  console.log(
    `\ncollection of ${RECORDS} records: first 50 records in ${firstRecords.toFixed(1)} ms ` +
      `(the server's first read after a bulk write applies its log), then ${againRecords.toFixed(1)} ms; ` +
      `after loading ${kids.filter((k) => k.kind === 'record').length}:`,
  );
  console.log(`  heap used ${after.toFixed(1)} MiB (${(after - before).toFixed(2)} MiB more than before expanding)`);
}

/** The lines of the three listing scenarios, each against its raw baseline. */
function report(p: FirstPage, s: SortedPage, f: { rawFind: number[]; find: number[] }): void {
  const { raw, cold, warm, more, coldRequests, warmRequests } = p;
  const { events } = s;
  console.log(`\nexpand a database of ${COLLECTIONS} collections → first page of 100 (median of ${RUNS}):`);
  console.log(`  raw fetch of one page   ${median(raw).toFixed(1)} ms`);
  console.log(`  explorer, cold          ${median(cold).toFixed(1)} ms   ratio to raw ${ratio(cold, raw)}   goal ≤ 300 ms`);
  console.log(`  explorer, warm          ${median(warm).toFixed(1)} ms   ratio to raw ${ratio(warm, raw)}`);
  console.log(`  "Load more…" shows ${more ? `${more.loaded} loaded` : 'nothing (wrong)'}; past ${SORTED} collections they come in the server's order`);
  console.log(`  HTTP requests sent before the first page showed, cold: ${coldRequests.length} (${coldRequests.join(', ')})`);
  console.log(`  HTTP requests sent before the first page showed, warm: ${warmRequests.length} (${warmRequests.join(', ')})`);
  console.log(`  (the first request asks for ${SORTED + 1}, to learn whether the database fits the sorted list)`);
  console.log(`\nexpand a database of ${SORTED} collections → first page sorted by name (median of ${RUNS}):`);
  console.log(`  raw fetch of all ${SORTED}  ${median(s.rawSorted).toFixed(1)} ms`);
  console.log(`  explorer, sorted        ${median(s.sorted).toFixed(1)} ms   ratio to raw ${ratio(s.sorted, s.rawSorted)}   goal ≤ 300 ms`);
  console.log(
    `  tree events until its ${events.counts} counts were in: ${events.fired} in ${events.ms.toFixed(0)} ms ` +
      `(${((events.fired * 100) / events.ms).toFixed(2)} per 100 ms; goal ≤ 1 per 100 ms, not 1 per collection)`,
  );
  console.log(`\nFind Collection… over ${COLLECTIONS} collections, every name in the picker (median of ${f.find.length}):`);
  console.log(`  raw paged fetch (1,000 per page)  ${median(f.rawFind).toFixed(1)} ms`);
  console.log(`  explorer                          ${median(f.find).toFixed(1)} ms   ratio to raw ${ratio(f.find, f.rawFind)}   goal ≤ 1.1`);
  console.log('  (record counts of the visible collections follow in the background, at most 4 at a time)');
}

async function main(): Promise<void> {
  const server = await ChromaServer.start();
  try {
    await seed(server.url);
    const conn: ConnectionConfig = { name: 'bench', url: server.url };
    const p = await firstPage(conn);
    const s = await sortedPage(conn);
    const f = await findAll(conn);
    report(p, s, f);
    await recordMemory(conn);
    console.log(
      `ratio explorer-cold/raw=${ratio(p.cold, p.raw)} explorer-warm/raw=${ratio(p.warm, p.raw)} ` +
        `sorted/raw=${ratio(s.sorted, s.rawSorted)} find/raw=${ratio(f.find, f.rawFind)} events-per-100ms=${((s.events.fired * 100) / s.events.ms).toFixed(2)}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
