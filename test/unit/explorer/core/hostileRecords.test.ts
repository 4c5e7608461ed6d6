/**
 * Hostile and huge records, stored in a real Chroma server and read back through the ExplorerModel and the record
 * view builders: what reaches the tree and the views is escaped, clean and bounded, and one bad record does not
 * take its page down. Sizes are asserted, never times (bench/records.bench.ts reports those).
 */
import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { Collection, Metadata } from '../../../../src/chroma';
import type { ConnectionConfig } from '../../../../src/connections/core/connectionConfig';
import { displayLine } from '../../../../src/util/text';
import { ExplorerModel, RECORD_PREVIEW_CHARS } from '../../../../src/explorer/core/model';
import type { CollectionNode, DatabaseNode, ErrorNode, ExplorerNode, LoadMoreNode, RecordNode } from '../../../../src/explorer/core/model';
import { formatCollection, preview, recordTooltip, TOOLTIP_MAX_CHARS } from '../../../../src/explorer/core/recordView';
import { renderRecordFile } from '../../../../src/records/core/recordFile';
import type { RecordState } from '../../../../src/records/core/recordFile';
import { readRecord } from '../../../../src/records/core/save';
import { TestProxy } from '../../../support/proxy';
import { uniqueName, useChromaServer, vectors } from '../../../support/fixtures';
import { activeTags, renderMarkdown, visibleText } from '../../util/markdown';

const MB = 1024 * 1024;
const BIDI_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The same, and line and paragraph separators: none may stand raw in a record's file. */
const BIDI_OR_CONTROL_RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const HOSTILE: Array<{ id: string; document: string; metadata: Metadata }> = [
  {
    id: '[open me](command:chroma.deleteCollection) ![x](https://evil.example/p.png)',
    document: '# Heading\n\n[link](https://evil.example) <img src=x onerror=alert(1)> $(alert) **bold** ``` fence',
    metadata: { note: '$(alert) [x](command:workbench.action.terminal.new)', html: '<script>alert(1)</script>' },
  },
  { id: 'invoice\u202Etxt.exe', document: 'bidi \u2066isolated\u2069 text', metadata: { ok: 1 } },
  { id: 'bell\u0007escape\u001b[31mred\nnewline', document: 'controls \u0085 and \u009b', metadata: { ok: 2 } },
  { id: '``a```b````', document: '`'.repeat(1_000), metadata: { ticks: '`````' } },
];

describe('hostile and huge records through the ExplorerModel and record views (real server)', function () {
  this.timeout(180_000);
  const ctx = useChromaServer();
  let proxy: TestProxy;
  let admin: ChromaClient;
  let model: ExplorerModel;
  let tenant: string;
  const cols: Record<string, Collection> = {};

  before(async function () {
    this.timeout(300_000);
    proxy = await TestProxy.start(ctx.server.url);
    admin = new ChromaClient({ url: ctx.server.url, timeoutMs: 120_000 });
    tenant = uniqueName('tenant');
    await admin.createTenant(tenant);
    await admin.createDatabase('default_database', { tenant });
    const scope = { tenant, database: 'default_database' };
    for (const name of ['hostile', 'large', 'pages', 'surrogate']) {
      cols[name] = await admin.createCollection({ name }, { scope });
    }
    await admin.add(cols.hostile, {
      ids: HOSTILE.map((r) => r.id),
      embeddings: vectors(HOSTILE.length, 3),
      documents: HOSTILE.map((r) => r.document),
      metadatas: HOSTILE.map((r) => r.metadata),
    });
    await admin.add(cols.large, { ids: ['ten-mb'], embeddings: vectors(1, 3), documents: [`${'ten megabytes of text '.repeat(476_700)}`.slice(0, 10 * MB)] });
    await admin.add(cols.large, { ids: ['i'.repeat(MB)], embeddings: vectors(1, 3, 2), documents: ['a record with a 1 MB id'] });
    // 20 documents of 2 MB, five per request (the server takes at most ~32 MB per request)
    for (let b = 0; b < 4; b++) {
      await admin.add(cols.pages, {
        ids: Array.from({ length: 5 }, (_, i) => `two-mb-${b * 5 + i}`),
        embeddings: vectors(5, 3, b + 3),
        documents: Array.from({ length: 5 }, (_, i) => `${b * 5 + i}: ${'two megabytes\t\n  of text  '.repeat(80_660)}`.slice(0, 2 * MB)),
      });
    }
    await admin.add(cols.surrogate, { ids: ['ok-1', 'ok-2', 'ok-3'], embeddings: vectors(3, 3), documents: ['one', 'two', 'three'] });
  });
  after(async () => {
    await proxy.stop();
  });
  beforeEach(() => {
    proxy.reset();
    const connections: ConnectionConfig[] = [{ name: 'hostile', url: proxy.url, tenant }];
    model = new ExplorerModel({
      connections: () => connections,
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, retries: 0, timeoutMs: 120_000 })),
    });
  });

  async function collectionNode(name: string): Promise<CollectionNode> {
    const [conn] = model.roots();
    const db = (await model.children(conn)).find((n) => n.kind === 'database') as DatabaseNode;
    const col = (await model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === name);
    assert.ok(col, `no collection ${name}`);
    return col as CollectionNode;
  }

  function records(kids: ExplorerNode[]): RecordNode[] {
    return kids.filter((k): k is RecordNode => k.kind === 'record');
  }

  function assertBoundedNode(r: RecordNode): void {
    assert.ok(r.id.length <= 400, `node id of ${r.id.length} characters`);
    assert.ok((r.documentStart?.length ?? 0) <= RECORD_PREVIEW_CHARS);
    assert.ok(recordTooltip(r).length <= TOOLTIP_MAX_CHARS, `tooltip of ${recordTooltip(r).length} characters`);
    assert.ok(displayLine(r.recordId, 200).length <= 200);
    assert.ok(preview(r.documentStart).length <= 80);
  }

  it('tooltips and views of Markdown-laden records render no link, image, HTML or emphasis; labels lose bidi and controls', async () => {
    const col = await collectionNode('hostile');
    const recs = records(await model.children(col));
    assert.deepEqual(recs.map((r) => r.recordId).sort(), HOSTILE.map((r) => r.id).sort());
    for (const r of recs) {
      const html = renderMarkdown(recordTooltip(r));
      // our own bold id line and italic notes; the server's emphasis stays literal (checked below)
      assert.deepEqual(activeTags(html).filter((t) => t !== '<strong>' && t !== '<em>'), [], html);
      assert.ok(!BIDI_OR_CONTROL.test(displayLine(r.recordId, 200)), JSON.stringify(displayLine(r.recordId, 200)));
      assert.ok(!BIDI_OR_CONTROL.test(preview(r.documentStart)));
      assertBoundedNode(r);
    }
    const first = recs.find((r) => r.recordId === HOSTILE[0].id)!;
    const tip = visibleText(renderMarkdown(recordTooltip(first)));
    assert.ok(tip.includes('[open me](command:chroma.deleteCollection)'), tip);
    assert.ok(tip.includes('**bold**') && tip.includes('<img src=x onerror=alert(1)>'), tip);
    assert.ok(tip.includes('"note": "$(alert) [x](command:workbench.action.terminal.new)"'), tip);

    // each record's editable file: the server's text exactly (JSON escapes), no bidi, control or line-separator character raw
    for (const h of HOSTILE) {
      const file = renderRecordFile((await readRecord(admin, cols.hostile, h.id))!, { collectionName: 'hostile', functionLabel: 'default' });
      assert.ok(!BIDI_OR_CONTROL_RAW.test(file.text.replace(/\n/g, '')), JSON.stringify(file.text));
      const back = JSON.parse(file.text) as { id: string; document: string; metadata: Metadata };
      assert.deepEqual([back.id, back.document, back.metadata], [h.id, h.document, h.metadata]);
    }
    assert.match(renderRecordFile((await readRecord(admin, cols.hostile, HOSTILE[1].id))!, { collectionName: 'h', functionLabel: 'default' }).text, /"id": "invoice\\u202etxt\.exe"/);
    const sample = await admin.get(cols.hostile, { limit: 20, include: ['documents'] });
    const page = renderMarkdown(formatCollection(cols.hostile, 4, sample));
    assert.deepEqual(activeTags(page).filter((t) => !/^<(h[12]|em)>$/.test(t)), [], page);
    assert.ok(visibleText(page).includes('**bold**'), 'the server\'s emphasis stays literal');
  });

  it('an id with a lone surrogate makes only its own item an error; the others list, ids stay unique and stable', async () => {
    const col = await collectionNode('surrogate');
    // Chroma itself cannot store such an id: a server (or proxy) that sends one is what this guards against
    proxy.decide = (req) =>
      req.method === 'POST' && req.path.endsWith('/get')
        ? {
            action: 'respond',
            status: 200,
            body: '{"ids":["ok-1","bad-\\ud800-id","ok-3","\\udc00"],"documents":["one","two","three","four"],"metadatas":[null,null,null,null],"embeddings":null,"uris":null,"include":["documents","metadatas"]}',
          }
        : { action: 'pass' };
    const kids = await model.children(col);
    assert.deepEqual(kids.map((k) => k.kind), ['record', 'error', 'record', 'error']);
    assert.deepEqual(records(kids).map((r) => r.recordId), ['ok-1', 'ok-3']);
    const bad = kids[1] as ErrorNode;
    assert.match(bad.message, /not valid Unicode/);
    assert.equal(bad.action, 'none');
    assert.ok(!/[\ud800-\udfff]/.test(displayLine(bad.message, 300)), 'the label shows no lone surrogate');
    assert.equal(new Set(kids.map((k) => k.id)).size, kids.length);
    model.refresh(col);
    assert.deepEqual((await model.children(col)).map((k) => k.id), kids.map((k) => k.id));
  });

  it('a record that comes again on the next page is listed once (VS Code refuses two items of one id)', async () => {
    model = new ExplorerModel({
      connections: () => [{ name: 'hostile', url: proxy.url, tenant }],
      clientFor: (c) => Promise.resolve(new ChromaClient({ url: c.url, tenant: c.tenant, retries: 0 })),
      recordPageSize: 2,
    });
    const col = await collectionNode('surrogate');
    let kids = await model.children(col);
    assert.deepEqual(records(kids).map((r) => r.recordId), ['ok-1', 'ok-2']);
    // the second page repeats ok-2, as paging does when records move between requests
    proxy.decide = (req) =>
      req.path.endsWith('/get') && req.body.includes('"offset":2')
        ? { action: 'respond', status: 200, body: '{"ids":["ok-2","ok-3"],"documents":["two","three"],"metadatas":[null,null],"embeddings":null,"uris":null,"include":["documents","metadatas"]}' }
        : { action: 'pass' };
    await model.loadMore(kids.find((k) => k.kind === 'loadMore') as LoadMoreNode);
    kids = await model.children(col);
    assert.deepEqual(records(kids).map((r) => r.recordId), ['ok-1', 'ok-2', 'ok-3']);
    assert.equal(new Set(kids.map((k) => k.id)).size, kids.length);
  });

  it('10 MB documents and 1 MB ids: the page completes, nodes, labels and tooltips stay small, the view is cut', async () => {
    const col = await collectionNode('large');
    const recs = records(await model.children(col));
    assert.equal(recs.length, 2);
    recs.forEach(assertBoundedNode);
    const ten = recs.find((r) => r.recordId === 'ten-mb')!;
    assert.equal(ten.documentLength, 10 * MB);
    const long = recs.find((r) => r.recordId.length === MB);
    assert.ok(long, 'the 1 MB id is kept whole for commands');
    assert.ok(long.id.length < 400);

    // the record files leave the 10 MB document and the 1 MB id out (kept as they are), with a note and their start
    const ctx = { collectionName: 'large', functionLabel: 'default' };
    const tenFile = renderRecordFile((await readRecord(admin, cols.large, 'ten-mb')) as RecordState, ctx);
    assert.ok(tenFile.text.length < 5_000, `${tenFile.text.length} characters`);
    assert.deepEqual(tenFile.hidden, ['document']);
    assert.match(tenFile.text, /"\$document": "Too large to edit here \(10,485,760 characters; this editor takes up to 100,000 characters of JSON\): left out of this file, and kept as it is when you save\."/);
    assert.ok(!/"document":/.test(tenFile.text));
    const idFile = renderRecordFile((await readRecord(admin, cols.large, long.recordId)) as RecordState, ctx);
    assert.ok(idFile.text.length < 5_000, `${idFile.text.length} characters`);
    assert.deepEqual(idFile.hidden, ['id']);
  });

  it('a page of 20 documents of 2 MB keeps a bounded preview of each, and the collection view is bounded', async () => {
    const col = await collectionNode('pages');
    const recs = records(await model.children(col));
    assert.equal(recs.length, 20);
    recs.forEach(assertBoundedNode);
    assert.ok(recs.every((r) => r.documentLength === 2 * MB));
    assert.match(preview(recs[0].documentStart), /^\d+: two megabytes of text two megabytes/);
    const sample = await admin.get(cols.pages, { limit: 20, include: ['documents'] });
    const view = formatCollection(cols.pages, 20, sample);
    assert.ok(view.length < 20 * 300 + 5_000, `${view.length} characters`);
  });
});
