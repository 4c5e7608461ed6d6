import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Metadata } from '../../src/chroma';
import type { ToHost } from '../../src/overview/core/protocol';
import type { OverviewPanel } from '../../src/overview/panel';
import { OVERVIEW_VIEW_TYPE } from '../../src/platform/viewIds';
import { Commands } from '../../src/platform/commandIds';
import { useChromaServer, vectors } from '../support/fixtures';
import { activateApi, clearConnections, until } from './support';

type Status = Extract<ToHost, { type: 'status' }>;
type Probe = Extract<ToHost, { type: 'probeReport' }>;

/** What a panel's page has sent since `watch` was called. */
function watch(panel: OverviewPanel): { messages: ToHost[]; dispose(): void } {
  const messages: ToHost[] = [];
  const sub = panel.onDidReceiveMessage((m) => messages.push(m));
  return { messages, dispose: () => sub.dispose() };
}

const statuses = (messages: ToHost[]) => messages.filter((m): m is Status => m.type === 'status');

async function probe(panel: OverviewPanel, point: number | null): Promise<Probe> {
  const w = watch(panel);
  try {
    panel.post({ type: 'probe', point });
    return await until(() => w.messages.find((m): m is Probe => m.type === 'probeReport'), 'the page to answer the probe', 20_000);
  } finally {
    w.dispose();
  }
}

const KINDS = ['pdf', 'md', 'txt'];
const N = 2000;

describe('collection overview: facts, facets, health and the embedding map, in real VS Code', () => {
  const ctx = useChromaServer();
  const big = { connection: 'overview', collection: 'two-thousand' };
  const hostile = { connection: 'overview', collection: 'hostile' };

  before(async function () {
    this.timeout(120_000);
    const client = new ChromaClient({ url: ctx.server.url });
    const col = await client.createCollection({ name: big.collection, configuration: { hnsw: { space: 'cosine' } } });
    const ids = Array.from({ length: N }, (_, i) => `doc-${String(i).padStart(4, '0')}`);
    await client.add(col, {
      ids,
      embeddings: vectors(N, 16, 11),
      documents: ids.map((id, i) => (i % 100 === 7 ? null : `Document ${id} about ${KINDS[i % 3]}`)),
      metadatas: ids.map((_, i): Metadata => ({ kind: KINDS[i % 3], year: 2000 + (i % 25) })),
    });
    const bad = await client.createCollection({ name: hostile.collection });
    await client.add(bad, {
      ids: ['<img src=x onerror="window.__pwned=1">', 'plain', '<script>window.__pwned=2</script>'],
      embeddings: vectors(3, 4, 3),
      documents: ['<script>window.__pwned=3</script>', '<img src=x onerror="window.__pwned=4">', null],
      metadatas: [{ tag: '<img src=x onerror="window.__pwned=5">' }, { tag: '<b>bold</b>' }, { tag: 'x' }],
    });
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'overview', url: ctx.server.url }, { secret: null });
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration().update('chroma.overview.sampleSize', undefined, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await clearConnections();
  });

  it('opens on a 2,000-record collection: the page reports the count, facets, findings and 2,000 points drawn', async () => {
    const panel = await vscode.commands.executeCommand<OverviewPanel>(Commands.collectionOverview, big);
    assert.ok(panel, 'the command answers with the panel');
    const w = watch(panel);
    try {
      const done = await until(() => statuses(w.messages).find((s) => s.points === N), 'the map to draw 2,000 points', 90_000);
      assert.equal(done.records, N);
      assert.equal(done.facets, 2, 'kind and year');
      assert.ok(done.findings >= 1, 'records without a document are found');
      const report = await probe(panel, null);
      assert.match(report.text, /All 2,000 records read/);
      assert.match(report.text, /Records without a document/);
      assert.match(report.text, /cosine/);
      assert.equal(report.pwned, false);
      // The runner's chromium takes a picture of the workbench for the README (.test-artifacts/overview.png).
      console.log('[screenshot] overview.png');
      await new Promise((r) => setTimeout(r, 2_000));
      // Embedding Map shows the same panel
      const again = await vscode.commands.executeCommand<OverviewPanel>(Commands.embeddingMap, big);
      assert.equal(again, panel);
    } finally {
      w.dispose();
    }
  });

  it('a sample of chroma.overview.sampleSize records is said plainly, and maps that many points', async () => {
    await vscode.workspace.getConfiguration().update('chroma.overview.sampleSize', 500, vscode.ConfigurationTarget.Global);
    const panel = await vscode.commands.executeCommand<OverviewPanel>(Commands.collectionOverview, big);
    const w = watch(panel);
    try {
      const done = await until(() => statuses(w.messages).find((s) => s.points === 500), 'the map of the sample', 90_000);
      assert.equal(done.records, N);
      const report = await probe(panel, null);
      assert.match(report.text, /Sample of 500 of 2,000 records/);
      assert.match(report.text, /Scan all 2,000/);
    } finally {
      w.dispose();
    }
  });

  it('hidden and shown again, the page is rebuilt with the same state', async () => {
    const panel = await vscode.commands.executeCommand<OverviewPanel>(Commands.collectionOverview, big);
    const w = watch(panel);
    try {
      await until(() => statuses(w.messages).find((s) => s.points === N), 'the map', 90_000);
      await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
      await until(() => !panel.panel.visible || undefined, 'the panel to be hidden');
      w.messages.length = 0;
      panel.panel.reveal();
      await until(() => w.messages.find((m) => m.type === 'ready'), 'the page to load again');
      const back = await until(() => statuses(w.messages).find((s) => s.points === N && s.facets === 2), 'the map again', 30_000);
      assert.equal(back.records, N);
    } finally {
      w.dispose();
    }
  });

  it('after a window reload: a restored panel opens its collection again; one whose collection is gone says so', async () => {
    const api = await activateApi();
    const client = new ChromaClient({ url: ctx.server.url });
    const col = await client.getCollection(big.collection);
    const restore = { connection: big.connection, tenant: col.tenant, database: col.database, id: col.id, name: col.name };
    const make = () => vscode.window.createWebviewPanel(OVERVIEW_VIEW_TYPE, 'restored', vscode.ViewColumn.Active, {});
    // what VS Code hands the serializer: a new panel and the page's last state
    const panel = await api.features().restoreOverview(make(), { view: null, n: N, method: 'pca', selection: [], scrollY: 0, restore });
    assert.ok(panel, 'the overview opens again');
    assert.equal(panel.panel.title, `Overview: ${big.collection}`);
    const w = watch(panel);
    try {
      await until(() => statuses(w.messages).find((s) => s.points === N), 'the map of the restored panel', 90_000);
    } finally {
      w.dispose();
    }
    // the command finds the restored panel: one panel per collection
    assert.equal(await vscode.commands.executeCommand<OverviewPanel>(Commands.collectionOverview, big), panel);
    // a page state the browser's workbench did not store before reloading: found by its title among the open panels
    const byTitle = vscode.window.createWebviewPanel(OVERVIEW_VIEW_TYPE, `Overview: ${big.collection}`, vscode.ViewColumn.Active, {});
    assert.equal(await api.features().restoreOverview(byTitle, { view: null }), panel);

    const gone = make();
    assert.equal(await api.features().restoreOverview(gone, { restore: { ...restore, id: '00000000-0000-0000-0000-000000000000' } }), undefined);
    assert.match(gone.webview.html, /cannot open again: the collection of that name now is another one/);
    const noName = make();
    assert.equal(await api.features().restoreOverview(noName, { restore: { ...restore, name: 'no-such-collection' } }), undefined);
    assert.match(noName.webview.html, /The overview of &quot;no-such-collection&quot; on overview cannot open again: /);
    const unknown = make();
    assert.equal(await api.features().restoreOverview(unknown, { view: null }), undefined);
    assert.match(unknown.webview.html, /does not say which collection it showed/);
    assert.doesNotMatch(unknown.webview.html, /<script/);
  });

  it('hostile ids, documents and metadata are shown as text and run nothing', async () => {
    const panel = await vscode.commands.executeCommand<OverviewPanel>(Commands.collectionOverview, hostile);
    const w = watch(panel);
    try {
      await until(() => statuses(w.messages).find((s) => s.points === 3), 'the map of 3 points', 60_000);
      const reports = [await probe(panel, 0), await probe(panel, 1), await probe(panel, 2)];
      for (const r of reports) {
        assert.equal(r.pwned, false, 'no script of the records ran');
        assert.equal(r.foreign, 0, 'no element or handler of the records was added');
      }
      const text = reports.map((r) => r.text).join('\n');
      // the documents (in the point details), ids (in the health findings) and metadata values (facets), as text
      assert.ok(text.includes('<script>window.__pwned=3</script>'), 'a document with <script> as text');
      assert.ok(text.includes('<img src=x onerror="window.__pwned=4">'), 'a document with <img onerror> as text');
      assert.ok(text.includes('<script>window.__pwned=2</script>'), 'an id as text');
      assert.ok(text.includes('<img src=x onerror="window.__pwned=5">'), 'a metadata value as text');
    } finally {
      w.dispose();
    }
  });
});
