import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import { revealNode } from '../../src/explorer/revealNode';
import { Commands } from '../../src/platform/commandIds';
import type { CollectionNode, DatabaseNode, ErrorNode, ExplorerNode, LoadMoreNode, RecordNode } from '../../src/explorer/core/model';
import { ChromaServer, freePort } from '../support/chromaServer';
import { vectors } from '../support/fixtures';
import { NginxTokenProxy } from '../support/nginx';
import { activateApi, captureMessages, until, useQuickInputs } from './support';
import { activeTags, renderMarkdown } from '../unit/util/markdown';

const TOKEN = 'ck-host-test-token-5f3a9b';

/** Every file under `dir` (bounded), for looking for leaked secrets. */
function filesUnder(dir: string, depth = 6): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    try {
      const st = statSync(p);
      if (st.isDirectory() && depth > 0) {
        out = out.concat(filesUnder(p, depth - 1));
      } else if (st.isFile() && st.size < 5_000_000) {
        out.push(p);
      }
    } catch {
      // vanished
    }
  }
  return out;
}

describe('explorer: the Chroma tree in real VS Code', () => {
  let server: ChromaServer;
  let nginx: NginxTokenProxy;
  const input = useQuickInputs();

  before(async function () {
    this.timeout(180_000);
    server = await ChromaServer.start();
    nginx = await NginxTokenProxy.start(server.url, TOKEN);
    const admin = new ChromaClient({ url: server.url });
    await admin.createDatabase('catalog');
    const scope = { tenant: 'default_tenant', database: 'catalog' };
    for (let i = 0; i < 130; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => admin.createCollection({ name: `col-${String(i + j).padStart(3, '0')}` }, { scope })));
    }
    const notes = await admin.createCollection({
      name: 'notes',
      metadata: { team: 'search' },
      configuration: { embedding_function: { type: 'known', name: 'openai', config: { api_key_env_var: 'OPENAI_API_KEY', model_name: 'text-embedding-3-small' } } },
    });
    await admin.add(notes, {
      ids: Array.from({ length: 120 }, (_, i) => `docs/file-${String(i).padStart(3, '0')}.md#0`),
      embeddings: vectors(120, 4),
      documents: Array.from({ length: 120 }, (_, i) => `Note number ${i}: Chroma stores embeddings.`),
      metadatas: Array.from({ length: 120 }, (_, i) => ({ source: `docs/file-${i}.md`, chunk: 0 })),
    });
    await vscode.commands.executeCommand('workbench.view.extension.chroma');
  });
  after(async () => {
    await nginx?.stop();
    await server?.stop();
  });

  async function connect(name: string, url: string, extra: object = {}) {
    const api = await activateApi();
    await api.store.save({ name, url, ...extra }, { secret: null });
    const conn = api.model.roots().find((r) => r.connection.name === name);
    assert.ok(conn);
    return { api, conn };
  }

  async function child<T extends ExplorerNode>(parent: ExplorerNode, test: (n: ExplorerNode) => boolean): Promise<T> {
    const api = await activateApi();
    const kids = await api.model.children(parent);
    const found = kids.find(test);
    assert.ok(found, `no such child among ${kids.map((k) => k.id).join(', ')}`);
    return found as T;
  }

  it('expands every level, with counts, tooltips and the context values menus use', async () => {
    const { api, conn } = await connect('local', server.url);
    await revealNode(api.treeView, api.model, conn, { expand: true });
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    assert.equal(api.tree.getTreeItem(db).contextValue, 'database');
    await revealNode(api.treeView, api.model, db, { expand: true });
    const col = await child<CollectionNode>(db, (n) => n.kind === 'collection' && n.collection.name === 'notes');
    await until(() => col.count !== undefined, 'the record count');
    const item = api.tree.getTreeItem(col);
    assert.equal(item.description, '120 records');
    assert.equal(item.contextValue, 'collection');
    assert.equal(item.tooltip, undefined, 'the tooltip comes on hover, from resolveTreeItem');
    const tip = ((await api.tree.resolveTreeItem(item, col, new vscode.CancellationTokenSource().token)).tooltip as vscode.MarkdownString).value;
    assert.match(tip, new RegExp(`id: \`${col.collection.id}\``));
    assert.match(tip, /dimension: 4/);
    assert.match(tip, /distance: l2/);
    assert.match(tip, /embedding function: openai/);
    assert.match(tip, /"team": "search"/);
    await revealNode(api.treeView, api.model, col, { expand: true });
    const rec = await child<RecordNode>(col, (n) => n.kind === 'record');
    const recItem = api.tree.getTreeItem(rec);
    assert.equal(recItem.label, 'docs/file-000.md#0');
    assert.equal(recItem.description, 'Note number 0: Chroma stores embeddings.');
    assert.equal(recItem.command?.command, Commands.openRecord);
    await revealNode(api.treeView, api.model, rec, { select: true, focus: false });
    assert.equal(api.treeView.selection[0]?.id, rec.id);
  });

  it('reveal finishes while tree events keep coming (counts arriving), and selects the record', async () => {
    const { api, conn } = await connect('local', server.url);
    await revealNode(api.treeView, api.model, conn, { expand: true });
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    await revealNode(api.treeView, api.model, db, { expand: true });
    const col = await child<CollectionNode>(db, (n) => n.kind === 'collection' && n.collection.name === 'notes');
    await revealNode(api.treeView, api.model, col, { expand: true });
    const recs = (await api.model.children(col)).filter((n): n is RecordNode => n.kind === 'record');
    // what a page of counts arriving does: an event every 25 ms naming the open collection (a plain reveal
    // under this never finished in code-server 1.100)
    const queue = (api.model as unknown as { queue: { add(n: ExplorerNode): void; flush(): void } }).queue;
    const storm = setInterval(() => {
      queue.add(col);
      queue.flush();
    }, 25);
    try {
      for (const rec of [recs[3], recs[31], recs[7]]) {
        await revealNode(api.treeView, api.model, rec, { select: true, focus: false });
        assert.equal(api.treeView.selection[0]?.id, rec.id);
      }
    } finally {
      clearInterval(storm);
    }
  });

  it('server text in the tree is inert: labels lose bidi and controls, tooltips are escaped, untrusted, without icons', async () => {
    const admin = new ChromaClient({ url: server.url });
    const col = await admin.createCollection({ name: 'hostile-host', metadata: { note: '[x](command:chroma.addConnection) $(alert)' } });
    const id = 'invoice\u202Etxt.exe [open](command:chroma.deleteCollection) $(alert)';
    await admin.add(col, { ids: [id, 'x'.repeat(300_000)], embeddings: vectors(2, 4), documents: ['![i](https://evil.example/i.png) <img src=x>', 'big id'] });
    const { api, conn } = await connect('local', server.url);
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    const colNode = await child<CollectionNode>(db, (n) => n.kind === 'collection' && n.collection.name === 'hostile-host');
    const colTip = (await api.tree.resolveTreeItem(api.tree.getTreeItem(colNode), colNode, new vscode.CancellationTokenSource().token)).tooltip as vscode.MarkdownString;
    const recs = (await api.model.children(colNode)).filter((n): n is RecordNode => n.kind === 'record');
    const rec = recs.find((r) => r.recordId === id)!;
    const item = api.tree.getTreeItem(rec);
    assert.equal(item.label, 'invoicetxt.exe [open](command:chroma.deleteCollection) $(alert)');
    const tip = item.tooltip as vscode.MarkdownString;
    for (const md of [tip, colTip]) {
      assert.equal(md.supportThemeIcons, false);
      assert.ok(!md.isTrusted);
      // rendered as the Markdown preview would: our bold title only, no link, image or HTML from the server
      assert.deepEqual(activeTags(renderMarkdown(md.value)).filter((t) => t !== '<strong>'), [], md.value);
    }
    const big = api.tree.getTreeItem(recs.find((r) => r.recordId.length === 300_000)!);
    assert.ok(String(big.label).length <= 200);
    assert.ok((big.tooltip as vscode.MarkdownString).value.length <= 4_096);
    assert.ok(String(big.id).length < 400);
  });

  it('pages collections past 100 and records past 50 with "Load more…"', async () => {
    const { api, conn } = await connect('local', server.url);
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'catalog');
    let kids = await api.model.children(db);
    assert.equal(kids.filter((k) => k.kind === 'collection').length, 100);
    // the total comes from collections_count, which the first page does not wait for
    const more = await until(async () => {
      const m = (await api.model.children(db)).find((k) => k.kind === 'loadMore') as LoadMoreNode;
      return m.total !== undefined ? m : undefined;
    }, 'the collection total');
    assert.equal(api.tree.getTreeItem(more).description, '100 of 130');
    await vscode.commands.executeCommand(Commands.loadMore, more);
    kids = await api.model.children(db);
    assert.equal(kids.filter((k) => k.kind === 'collection').length, 130);
    assert.ok(!kids.some((k) => k.kind === 'loadMore'));

    const home = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    const col = await child<CollectionNode>(home, (n) => n.kind === 'collection' && n.collection.name === 'notes');
    let recs = await api.model.children(col);
    assert.equal(recs.filter((r) => r.kind === 'record').length, 50);
    for (let i = 0; i < 2; i++) {
      await vscode.commands.executeCommand(Commands.loadMore, recs.find((r) => r.kind === 'loadMore'));
      recs = await api.model.children(col);
    }
    assert.equal(recs.filter((r) => r.kind === 'record').length, 120);
    assert.ok(!recs.some((k) => k.kind === 'loadMore'));
  });

  it('opens a record as an editable JSON chroma: file with id, document, metadata, uri and the embedding dimension', async () => {
    const { conn } = await connect('local', server.url);
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    const col = await child<CollectionNode>(db, (n) => n.kind === 'collection' && n.collection.name === 'notes');
    const rec = await child<RecordNode>(col, (n) => n.kind === 'record');
    await vscode.commands.executeCommand(Commands.openRecord, rec);
    const editor = await until(() => vscode.window.activeTextEditor?.document.uri.scheme === 'chroma' ? vscode.window.activeTextEditor : undefined, 'the record editor');
    const file = JSON.parse(editor.document.getText()) as Record<string, unknown>;
    assert.deepEqual(
      [file.id, file.document, file.metadata, file.uri],
      ['docs/file-000.md#0', 'Note number 0: Chroma stores embeddings.', { chunk: 0, source: 'docs/file-0.md' }, null],
    );
    assert.equal(file.$embedding, '4-d · openai function');
    assert.equal(editor.document.uri.path, '/local/default_database/notes/docs∕file-000.md#0.json');
    assert.equal(editor.document.languageId, 'json');
    await vscode.commands.executeCommand(Commands.openInEditor, col);
    const colEditor = await until(() => (vscode.window.activeTextEditor?.document.getText().startsWith('# `notes`') ? vscode.window.activeTextEditor : undefined), 'the collection editor');
    assert.match(colEditor.document.getText(), /records: 120/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Filter Records… narrows the tree to matching records, says so on the collection, and Clear Filter undoes it', async () => {
    const { api, conn } = await connect('local', server.url);
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    const col = await child<CollectionNode>(db, (n) => n.kind === 'collection' && n.collection.name === 'notes');
    await until(() => col.count !== undefined, 'the record count');
    await vscode.commands.executeCommand(Commands.filterRecords, col, { where: { source: { $in: ['docs/file-3.md', 'docs/file-7.md'] } } });
    const recs = (await api.model.children(col)).filter((r): r is RecordNode => r.kind === 'record');
    assert.deepEqual(recs.map((r) => r.recordId), ['docs/file-003.md#0', 'docs/file-007.md#0']);
    const item = api.tree.getTreeItem(col);
    assert.equal(item.contextValue, 'filteredCollection');
    assert.match(String(item.description), /^120 records · filtered: .*docs\/file-3\.md/);
    await vscode.commands.executeCommand(Commands.clearFilter, col);
    assert.equal(api.tree.getTreeItem(col).contextValue, 'collection');
    assert.equal((await api.model.children(col)).filter((r) => r.kind === 'record').length, 50);
  });

  it('copies record and collection ids', async () => {
    const { conn } = await connect('local', server.url);
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    const col = await child<CollectionNode>(db, (n) => n.kind === 'collection' && n.collection.name === 'notes');
    await vscode.commands.executeCommand(Commands.copyCollectionId, col);
    assert.equal(await vscode.env.clipboard.readText(), col.collection.id);
    const rec = await child<RecordNode>(col, (n) => n.kind === 'record');
    await vscode.commands.executeCommand(Commands.copyRecordId, rec);
    assert.equal(await vscode.env.clipboard.readText(), rec.recordId);
  });

  it('an unreachable server shows an error item with the reason and Retry, never a modal', async () => {
    const port = await freePort();
    const messages = captureMessages({ warnings: true });
    let err: ErrorNode;
    let api: Awaited<ReturnType<typeof connect>>['api'];
    try {
      let conn;
      ({ api, conn } = await connect('nowhere', `http://127.0.0.1:${port}`));
      await revealNode(api.treeView, api.model, conn, { expand: true });
      err = await child<ErrorNode>(conn, (n) => n.kind === 'error');
    } finally {
      messages.dispose();
    }
    // the tree says it in place: no dialog and no notification of any kind
    assert.deepEqual([...messages.errors, ...messages.warnings, ...messages.infos], []);
    const item = api.tree.getTreeItem(err);
    assert.equal(item.contextValue, 'error');
    assert.match(String(item.label), new RegExp(`Cannot reach Chroma at 127\\.0\\.0\\.1:${port}: connection refused`));
    assert.equal(item.command?.command, Commands.refreshNode);
  });

  it('behind nginx that checks x-chroma-token: error item with Set Token, then the tree opens', async () => {
    const { driver } = input;
    const { api, conn } = await connect('guarded', nginx.url, { authHeader: 'x-chroma-token' });
    const err = await child<ErrorNode>(conn, (n) => n.kind === 'error');
    assert.equal(api.tree.getTreeItem(err).contextValue, 'errorAuth');
    assert.match(err.message, /needs credentials \(401\)/);
    const done = vscode.commands.executeCommand<boolean>(Commands.setToken, err);
    await driver.input(TOKEN);
    assert.equal(await done, true);
    const db = await until(async () => (await api.model.children(conn)).find((n) => n.kind === 'database'), 'the databases after setting the token');
    assert.equal((db as DatabaseNode).database !== undefined, true);
  });

  it('adds an Authorization: Bearer connection through the wizard; the token is in no settings file and no log', async () => {
    const { driver } = input;
    const api = await activateApi();
    const done = vscode.commands.executeCommand(Commands.addConnection);
    await driver.pick({ value: nginx.url });
    await driver.input('secured');
    await driver.pick({ label: /Authorization: Bearer/ });
    const secretStep = await driver.input(TOKEN);
    assert.match(secretStep.prompt ?? '', /secret storage, never in settings/);
    // the server has two databases: the wizard asks which to open first; Enter keeps default_database
    const dbStep = await driver.pick();
    assert.deepEqual([...dbStep.labels].sort(), ['catalog', 'default_database']);
    await done;
    const saved = api.store.get('secured');
    assert.deepEqual(saved, { name: 'secured', url: nginx.url, authHeader: 'authorization' });
    assert.equal(await api.store.getSecret(saved), TOKEN);
    const conn = api.model.roots().find((r) => r.connection.name === 'secured')!;
    const kids = await api.model.children(conn);
    assert.ok(kids.some((k) => k.kind === 'database'), 'the tree opens with the stored token');

    // settings.json lives two levels above the extension's global storage, in desktop VS Code and code-server alike
    const userDir = vscode.Uri.joinPath(api.logUri, '..', '..', '..', '..').fsPath;
    const settingsFiles = filesUnder(userDir, 4).filter((f) => f.endsWith('settings.json'));
    assert.ok(settingsFiles.length > 0, `no settings.json under ${userDir}`);
    for (const f of settingsFiles) {
      const text = readFileSync(f, 'utf8');
      assert.ok(!text.includes(TOKEN), `${f} contains the token`);
    }
    const setting = JSON.stringify(vscode.workspace.getConfiguration().inspect('chroma.connections'));
    assert.ok(setting.includes('secured') && !setting.includes(TOKEN));
    const logs = filesUnder(vscode.Uri.joinPath(api.logUri, '..').fsPath, 3);
    assert.ok(logs.length > 0, 'no log files found');
    for (const f of logs) {
      assert.ok(!readFileSync(f, 'utf8').includes(TOKEN), `${f} contains the token`);
    }
  });

  it('a failed check says why and saves nothing when cancelled', async () => {
    const { driver } = input;
    const api = await activateApi();
    const port = await freePort();
    const done = vscode.commands.executeCommand(Commands.addConnection);
    await driver.pick({ value: `http://127.0.0.1:${port}` });
    await driver.input();
    await driver.pick();
    const failed = await driver.pick({ label: /Cancel/ });
    assert.match(failed.placeholder ?? '', new RegExp(`Cannot reach Chroma at 127\\.0\\.0\\.1:${port}: connection refused`));
    assert.equal(await done, undefined);
    assert.deepEqual(api.store.list(), []);
  });

  it('"Chroma Cloud" asks only for the API key', async () => {
    const { driver } = input;
    const done = vscode.commands.executeCommand(Commands.addConnection);
    await driver.pick({ label: /Chroma Cloud/ });
    const key = await driver.input('ck-not-a-real-key');
    assert.match(key.prompt ?? '', /Chroma Cloud API key/);
    // This machine cannot reach the cloud: the check fails, and says why.
    const failed = await driver.pick({ label: /Cancel/ });
    assert.match(failed.placeholder ?? '', /api\.trychroma\.com/);
    await done;
  });

  it('refresh keeps node ids, so VS Code keeps what was expanded', async () => {
    const { api, conn } = await connect('local', server.url);
    const db = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    const before = (await api.model.children(db)).map((n) => n.id);
    await vscode.commands.executeCommand(Commands.refreshExplorer);
    const db2 = await child<DatabaseNode>(conn, (n) => n.kind === 'database' && n.database === 'default_database');
    assert.equal(db2.id, db.id);
    assert.deepEqual((await api.model.children(db2)).map((n) => n.id), before);
  });
});
