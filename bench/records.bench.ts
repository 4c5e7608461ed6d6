/**
 * Large-records benchmark, on a real server: a page of 20 documents of 2 MB, a 10 MB document and a 1 MB id, read
 * through the explorer model, turned into tree texts (label, description, tooltip) and into the record view, each
 * against the same page of 20 small records measured in the same run (the baseline).
 *
 * "Our work" is what the extension adds to the bare request: model time − raw fetch+parse time, plus the tree
 * texts. Goal: ≤ 100 ms for the 20 × 2 MB page. The server's own time to read 40 MB is reported, not ours.
 * Run with `node --expose-gc` for the heap line. The last line is `ratio …`.
 */
import { ChromaClient } from '../src/chroma';
import type { Collection } from '../src/chroma';
import { displayLine } from '../src/util/text';
import { ExplorerModel } from '../src/explorer/core/model';
import type { CollectionNode, DatabaseNode, ExplorerNode, RecordNode } from '../src/explorer/core/model';
import { embeddingFunctionLabel, formatCollection, preview, recordTooltip } from '../src/explorer/core/recordView';
import { renderRecordFile } from '../src/records/core/recordFile';
import { recordOf } from '../src/records/core/save';
import { ChromaServer } from '../test/support/chromaServer';
import { vectors } from '../test/support/fixtures';
import { heapMiB, median, ms } from './support';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MB = 1024 * 1024;



/** What the tree provider computes per node: label, description and tooltip. */
function treeTexts(nodes: ExplorerNode[]): number {
  let size = 0;
  for (const n of nodes) {
    if (n.kind === 'record') {
      size += displayLine(n.recordId, 200).length + preview(n.documentStart).length + recordTooltip(n).length;
    }
  }
  return size;
}

/** The tree's old description and tooltip preview: whitespace normalised over the whole document, then cut. */
function wholeStringPreview(text: string | null, max: number): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

interface PageTimes {
  raw: number;
  model: number;
  texts: number;
  textChars: number;
  oldTexts?: number;
}

/** What the steps share: the server, the collections, the model that reads them and its collection nodes. */
interface Bench {
  url: string;
  cols: Record<string, Collection>;
  client: ChromaClient;
  model: ExplorerModel;
  nodeOf: (name: string) => CollectionNode;
}

/** Three collections: 20 small records, 20 × 2 MB documents, and a 10 MB document with a 1 MB id; prints the time. */
async function seed(url: string): Promise<Record<string, Collection>> {
  const admin = new ChromaClient({ url, timeoutMs: 300_000 });
  const cols: Record<string, Collection> = {};
  for (const name of ['small', 'pages', 'large']) {
    cols[name] = await admin.createCollection({ name });
  }
  await admin.add(cols.small, {
    ids: Array.from({ length: 20 }, (_, i) => `small-${i}`),
    embeddings: vectors(20, 3),
    documents: Array.from({ length: 20 }, (_, i) => `Record ${i}: a short document of the kind people chunk from notes and code.`),
    metadatas: Array.from({ length: 20 }, (_, i) => ({ source: `file-${i}.md`, chunk: i })),
  });
  const t0 = performance.now();
  for (let b = 0; b < 4; b++) {
    await admin.add(cols.pages, {
      ids: Array.from({ length: 5 }, (_, i) => `two-mb-${b * 5 + i}`),
      embeddings: vectors(5, 3, b + 2),
      documents: Array.from({ length: 5 }, (_, i) => `${b * 5 + i}: ${'two megabytes\t\n of   text '.repeat(90_000)}`.slice(0, 2 * MB)),
      metadatas: Array.from({ length: 5 }, (_, i) => ({ source: `big-${b * 5 + i}.md` })),
    });
  }
  await admin.add(cols.large, { ids: ['ten-mb'], embeddings: vectors(1, 3), documents: ['ten megabytes of text '.repeat(500_000).slice(0, 10 * MB)] });
  await admin.add(cols.large, { ids: ['i'.repeat(MB)], embeddings: vectors(1, 3, 9), documents: ['a record with a 1 MB id'] });
  console.log(`seeded 20 × 2 MB, 10 MB and a 1 MB id in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return cols;
}

/** The explorer model over the seeded server, and its nodes of the collections in the default database. */
async function bench(url: string, cols: Record<string, Collection>): Promise<Bench> {
  const client = new ChromaClient({ url, timeoutMs: 300_000 });
  const model = new ExplorerModel({ connections: () => [{ name: 'bench', url }], clientFor: () => Promise.resolve(client) });
  const db = (await model.children(model.roots()[0])) as DatabaseNode[];
  const colNodes = (await model.children(db[0])).filter((n): n is CollectionNode => n.kind === 'collection');
  return { url, cols, client, model, nodeOf: (name) => colNodes.find((c) => c.collection.name === name)! };
}

/**
 * A collection's page of records, RUNS times: a raw fetch+parse of the same page, then the model's children and
 * their tree texts; with `compareOld`, also the old tree's whole-document previews of the raw page. Medians.
 */
async function page(b: Bench, name: string, compareOld: boolean): Promise<PageTimes> {
  const col = b.cols[name];
  const url = `${b.url}/api/v2/tenants/${col.tenant}/databases/${col.database}/collections/${col.id}/get`;
  const body = JSON.stringify({ limit: 50, offset: 0, include: ['documents', 'metadatas'] });
  const raw: number[] = [];
  const modelTimes: number[] = [];
  const texts: number[] = [];
  const old: number[] = [];
  let textChars = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const parsed = (await res.json()) as { documents: (string | null)[] };
    raw.push(performance.now() - t);
    if (compareOld) {
      t = performance.now();
      // the old tree: each getTreeItem previewed the whole document twice (description, tooltip)
      for (const d of parsed.documents) {
        wholeStringPreview(d, 80);
        wholeStringPreview(d, 400);
      }
      old.push(performance.now() - t);
    }
    const node = b.nodeOf(name);
    b.model.refresh(node);
    t = performance.now();
    const kids = await b.model.children(node);
    modelTimes.push(performance.now() - t);
    t = performance.now();
    textChars = treeTexts(kids);
    texts.push(performance.now() - t);
  }
  return { raw: median(raw), model: median(modelTimes), texts: median(texts), textChars, oldTexts: compareOld ? median(old) : undefined };
}

/** What the extension adds to the bare request: model time − raw fetch+parse time, plus the tree texts. */
const ours = (p: PageTimes) => Math.max(0, p.model - p.raw) + p.texts;

function reportPages(small: PageTimes, pages: PageTimes, large: PageTimes): void {
  console.log(`\nexpand a collection → its page of records, tree texts included (median of ${RUNS}):`);
  console.log('                           raw fetch+parse    model (incl. fetch)   tree texts        our work   tree text chars');
  for (const [label, p] of [
    ['20 small records (base)', small],
    ['20 × 2 MB documents', pages],
    ['10 MB doc + 1 MB id', large],
  ] as const) {
    console.log(`  ${label.padEnd(24)} ${ms(p.raw)}        ${ms(p.model)}        ${ms(p.texts)}   ${ms(ours(p))}   ${p.textChars}`);
  }
  console.log(`  goal: our work on the 20 × 2 MB page ≤ 100 ms → ${ours(pages).toFixed(1)} ms`);
  console.log(`  the tree's old whole-document previews of the same page: ${pages.oldTexts!.toFixed(1)} ms (now ${pages.texts.toFixed(1)} ms)`);
}

/** Memory the nodes keep: the 20 × 2 MB page's nodes hold previews, not documents. Prints it. */
async function pageHeap(b: Bench): Promise<void> {
  b.model.refresh(b.nodeOf('pages'));
  const before = heapMiB();
  const kids = (await b.model.children(b.nodeOf('pages'))) as RecordNode[];
  const after = heapMiB();
  console.log(`  heap kept by the 20 × 2 MB page's nodes: ${(after - before).toFixed(2)} MiB (${kids.length} nodes; the documents are 40 MiB)`);
}

interface ViewTimes {
  fetch: number;
  format: number;
  chars: number;
}

/** The record view of record `id`, or (undefined) the collection view of its first 20 records, RUNS times. Medians. */
async function view(b: Bench, name: string, id: string | undefined): Promise<ViewTimes> {
  const col = b.cols[name];
  const fetches: number[] = [];
  const formats: number[] = [];
  let chars = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const got =
      id === undefined
        ? await b.client.get(col, { limit: 20, include: ['documents'] })
        : await b.client.get(col, { ids: [id], include: ['documents', 'metadatas', 'embeddings', 'uris'] });
    fetches.push(performance.now() - t);
    t = performance.now();
    const record = id === undefined ? undefined : recordOf(got, id);
    const ctx = { collectionName: col.name, functionLabel: embeddingFunctionLabel(col) };
    chars = (record ? renderRecordFile(record, ctx).text : formatCollection(col, 20, got)).length;
    formats.push(performance.now() - t);
  }
  return { fetch: median(fetches), format: median(formats), chars };
}

/** Record views: the 10 MB document and the 1 MB id against a small record, and the collection page of 20 × 2 MB. */
async function views(b: Bench): Promise<Record<'smallView' | 'tenView' | 'idView' | 'smallCol' | 'pagesCol', ViewTimes>> {
  const smallView = await view(b, 'small', 'small-0');
  const tenView = await view(b, 'large', 'ten-mb');
  const idView = await view(b, 'large', 'i'.repeat(MB));
  const smallCol = await view(b, 'small', undefined);
  const pagesCol = await view(b, 'pages', undefined);
  console.log('\nopen a record / collection document (median):        fetch           format   characters');
  for (const [label, v] of [
    ['small record (base)', smallView],
    ['10 MB document', tenView],
    ['1 MB id', idView],
    ['collection of small records (base)', smallCol],
    ['collection of 20 × 2 MB', pagesCol],
  ] as const) {
    console.log(`  ${label.padEnd(36)} ${ms(v.fetch)}   ${ms(v.format)}   ${v.chars}`);
  }
  return { smallView, tenView, idView, smallCol, pagesCol };
}

async function main(): Promise<void> {
  const server = await ChromaServer.start();
  try {
    const b = await bench(server.url, await seed(server.url));
    // warm-up: the server's first reads after writes apply its log
    await page(b, 'small', false);
    await page(b, 'pages', false);
    const small = await page(b, 'small', false);
    const pages = await page(b, 'pages', true);
    const large = await page(b, 'large', false);
    reportPages(small, pages, large);
    await pageHeap(b);
    const v = await views(b);
    const r = (a: number, c: number) => (a / Math.max(c, 0.01)).toFixed(2);
    console.log(
      `ratio ours-2MB-page/ours-small-page=${r(ours(pages), ours(small))} ours-10MB-page/ours-small-page=${r(ours(large), ours(small))} ` +
        `format-10MB/format-small=${r(v.tenView.format, v.smallView.format)} format-2MB-collection/format-small-collection=${r(v.pagesCol.format, v.smallCol.format)} ` +
        `old-texts/new-texts=${r(pages.oldTexts!, pages.texts)}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
