import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection, ModifyCollectionParams } from '../../src/chroma';
import { Commands } from '../../src/platform/commandIds';
import type { MatchingDeletion } from '../../src/collections/bulkCommands';
import type { CollectionNode, ConnectionNode, DatabaseNode } from '../../src/explorer/core/model';
import { serverKindFromEnv } from '../support/chromaServer';
import { useChromaServer, vectors } from '../support/fixtures';
import { TestProxy } from '../support/proxy';
import { QuickInputDriver, enterRefused, enterValue } from './quickInputDriver';
import { activateApi, answerModals, captureMessages, clearConnections, until } from './support';

const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('data: databases, collection settings and delete by filter, in real VS Code', () => {
  const ctx = useChromaServer();
  let admin: ChromaClient;
  let driver: QuickInputDriver;

  before(async () => {
    admin = new ChromaClient({ url: ctx.server.url });
    await vscode.commands.executeCommand('workbench.view.extension.chroma');
  });
  beforeEach(async () => {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'data', url: ctx.server.url }, { secret: null });
    driver = new QuickInputDriver();
  });
  afterEach(async () => {
    driver.dispose();
    await clearConnections();
  });

  async function connection(): Promise<ConnectionNode> {
    return (await activateApi()).model.roots()[0];
  }

  /** The databases as the tree lists them (through the tree provider, which also starts their counts). */
  async function databases(): Promise<DatabaseNode[]> {
    const api = await activateApi();
    return (await api.tree.getChildren(await connection())).filter((n): n is DatabaseNode => n.kind === 'database');
  }

  async function collectionNode(name: string): Promise<CollectionNode> {
    const api = await activateApi();
    const db = (await databases()).find((d) => d.database === 'default_database')!;
    api.model.refresh(db);
    return (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === name) as CollectionNode;
  }

  it('creates a database (name checked as typed), shows its collection count, and deletes it once its name is typed', async () => {
    const api = await activateApi();
    const created = vscode.commands.executeCommand<string>(Commands.createDatabase, await connection());
    const box = (await driver.next()) as vscode.InputBox;
    // Enter on a name that is refused keeps the box open with the reason
    assert.match(await enterRefused(box, 'ab'), /3–512 characters/);
    assert.match(await enterRefused(box, 'default_database'), /already exists/);
    await enterValue(box, 'analytics');
    assert.equal(await created, 'analytics');
    assert.ok((await admin.listDatabases()).some((d) => d.name === 'analytics'));

    const scope = { tenant: 'default_tenant', database: 'analytics' };
    await admin.createCollection({ name: 'events' }, { scope });
    await admin.createCollection({ name: 'sessions' }, { scope });
    api.model.refresh(await connection());
    const db = await until(async () => (await databases()).find((d) => d.database === 'analytics'), 'the new database in the tree');
    await until(() => /^2 collections · default_tenant$/.test(String(api.tree.getTreeItem(db).description)), 'the database to show its collection count');

    const deleted = vscode.commands.executeCommand<boolean>(Commands.deleteDatabase, db);
    const confirm = (await driver.next()) as vscode.InputBox;
    assert.match(confirm.title ?? '', /^Delete the database "analytics" on data$/);
    assert.match(confirm.prompt ?? '', /deletes 2 collections \("events", "sessions"\) and all their records from tenant default_tenant\. It cannot be undone\./);
    assert.match(await enterRefused(confirm, 'analytic'), /Type "analytics" exactly/);
    assert.ok((await admin.listDatabases()).some((d) => d.name === 'analytics'), 'nothing deleted on a wrong name');
    await enterValue(confirm, 'analytics');
    assert.equal(await deleted, true);
    assert.ok(!(await admin.listDatabases()).some((d) => d.name === 'analytics'));
    await until(async () => !(await databases()).some((d) => d.database === 'analytics'), 'the tree to drop the database');
  });

  it('a server that cannot list databases is told "not supported by this server", and nothing is asked', async () => {
    const proxy = await TestProxy.start(ctx.server.url);
    const messages = captureMessages();
    try {
      // an older server: no OpenAPI, and 405 to listing databases (as 0.5.18–0.6.2 answer)
      proxy.decide = (r) =>
        r.path === '/openapi.json' ? { action: 'respond', status: 404, body: '' } : /\/databases(\?|$)/.test(r.path) ? { action: 'respond', status: 405, body: '' } : { action: 'pass' };
      const api = await activateApi();
      await api.store.save({ name: 'older', url: proxy.url }, { secret: null });
      const conn = api.model.roots().find((c) => c.connection.name === 'older')!;
      assert.equal(await vscode.commands.executeCommand(Commands.createDatabase, conn), undefined);
      assert.match(messages.infos.join('\n'), /^Creating databases is not supported by this server \(older\): it answered 405/m);
    } finally {
      messages.dispose();
      await proxy.stop();
    }
  });

  it('a server that cannot list databases: the tree says so; Add Database to View… shows one that exists, refuses one that does not; Remove takes it away', async () => {
    const proxy = await TestProxy.start(ctx.server.url);
    const messages = captureMessages({ warnings: true });
    try {
      await admin.createDatabase('archive');
      // as 0.5.18–0.6.2 answer a listing of databases
      proxy.decide = (r) => (/\/databases(\?|$)/.test(r.path) ? { action: 'respond', status: 405, body: '' } : { action: 'pass' });
      const api = await activateApi();
      await api.store.save({ name: 'older', url: proxy.url }, { secret: null });
      const conn = api.model.roots().find((c) => c.connection.name === 'older')!;
      const children = await api.tree.getChildren(conn);
      const note = children.find((n) => n.kind === 'message')!;
      const noteItem = api.tree.getTreeItem(note);
      assert.equal(noteItem.label, 'This server cannot list its databases: Add Database to View… to show another');
      assert.equal(noteItem.command?.command, Commands.addDatabaseToView);

      // one that does not exist: said so, and not added
      const refused = vscode.commands.executeCommand<string | undefined>(Commands.addDatabaseToView, note);
      await driver.input('no-such-db');
      assert.equal(await refused, undefined);
      assert.match(messages.warnings.join('\n'), /^Database "no-such-db" does not exist in tenant default_tenant on older: check its name, or make it with Create Database…\.$/m);

      const added = vscode.commands.executeCommand<string | undefined>(Commands.addDatabaseToView, conn);
      await driver.input('archive');
      assert.equal(await added, 'archive');
      const shown = async () => (await api.tree.getChildren(api.model.roots().find((c) => c.connection.name === 'older')!)).filter((n): n is DatabaseNode => n.kind === 'database');
      await until(async () => (await shown()).some((d) => d.database === 'archive'), 'the added database in the tree');
      const archive = (await shown()).find((d) => d.database === 'archive')!;
      assert.equal(api.tree.getTreeItem(archive).contextValue, 'addedDatabase');
      assert.match(String(api.tree.getTreeItem(archive).description), /· added$/);

      assert.equal(await vscode.commands.executeCommand(Commands.removeDatabaseFromView, archive), true);
      await until(async () => !(await shown()).some((d) => d.database === 'archive'), 'the database to leave the tree');
    } finally {
      messages.dispose();
      await proxy.stop();
      await admin.deleteDatabase('archive').catch(() => undefined);
    }
  });

  it('Fork Collection… on 1.0.0 says forking is not supported, naming how that was learnt', async () => {
    await admin.createCollection({ name: 'to-fork' });
    const messages = captureMessages();
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.forkCollection, await collectionNode('to-fork')), undefined);
      assert.match(messages.infos.join('\n'), /Forking collections is not supported by this server \(data\): it answered 501: "Collection forking is unsupported for local chroma"/);
    } finally {
      messages.dispose();
    }
  });

  it('Edit Collection… shows what is set and sends only what changed', async () => {
    await admin.createCollection({ name: 'tunable', metadata: { team: 'a' }, configuration: { hnsw: { space: 'cosine', ef_search: 40 } } });
    const done = vscode.commands.executeCommand<ModifyCollectionParams>(Commands.editCollection, await collectionNode('tunable'));
    const menu = (await driver.next()) as vscode.QuickPick<vscode.QuickPickItem>;
    const ef = menu.items.find((i) => i.label === 'ef_search');
    assert.equal(ef?.description, '40');
    if (serverKindFromEnv() === '1.0.0') {
      assert.equal(menu.items.find((i) => i.label === 'num_threads')?.description, 'not reported by the server');
    }
    menu.activeItems = [ef!];
    await pause(100);
    await accept();
    await driver.input('80');
    const again = await driver.pick({ label: /^\$\(check\) Save 1 change$/ });
    assert.ok(again.labels.includes('$(edit) ef_search'), again.labels.join(' | '));
    assert.deepEqual(await done, { configuration: { hnsw: { ef_search: 80 } } });
    const got = await admin.getCollection('tunable');
    assert.equal(got.configuration_json?.hnsw?.ef_search, 80);
    assert.equal(got.configuration_json?.hnsw?.space, 'cosine');
    assert.deepEqual(got.metadata, { team: 'a' });
  });

  it('Show Collection Configuration opens a read-only page of its index, distance, function and dimension', async () => {
    const col = await admin.createCollection({ name: 'shown', configuration: { hnsw: { space: 'ip' } } });
    await admin.add(col, { ids: ['x'], embeddings: vectors(1, 6) });
    const uri = await vscode.commands.executeCommand<string>(Commands.showCollectionConfig, await collectionNode('shown'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    assert.match(doc.getText(), /^# Configuration of shown/);
    assert.match(doc.getText(), /\| Distance \(space\) \| ip \|/);
    assert.match(doc.getText(), /\| Dimension \| 6 \|/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Delete Records Matching… names the count and first ids in its modal, deletes exactly those, and refreshes the node', async () => {
    const col: Collection = await admin.createCollection({ name: 'by-filter' });
    await admin.add(col, {
      ids: ['k1', 'k2', 'k3', 'k4', 'k5'],
      embeddings: vectors(5, 3),
      metadatas: [{ kind: 'a' }, { kind: 'b' }, { kind: 'a' }, { kind: 'b' }, { kind: 'a' }],
    });
    const api = await activateApi();
    const node = await collectionNode('by-filter');
    await until(() => node.count === 5, 'the record count');
    const yes = answerModals('Delete');
    let outcome: MatchingDeletion | undefined;
    try {
      outcome = await vscode.commands.executeCommand<MatchingDeletion>(Commands.deleteRecordsMatching, node, { where: { kind: 'a' } });
    } finally {
      yes.dispose();
    }
    assert.deepEqual(outcome, { matched: 3, deleted: 3, cancelled: false, moreRemain: false });
    assert.match(yes.asked[0], /^Delete 3 records of "by-filter" that match the filter\? modal=true detail=Filter: \{"where":\{"kind":"a"\}\}\nFirst ids: "k1", "k3", "k5"\n/);
    assert.deepEqual((await admin.get(col)).ids.sort(), ['k2', 'k4']);
    await until(() => node.count === 2, 'the refreshed count');
    assert.equal(api.tree.getTreeItem(node).description, '2 records');
  });
});
