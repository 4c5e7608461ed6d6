import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionNode, ExplorerNode, SectionNode } from '../../src/explorer/core/model';
import { Commands } from '../../src/platform/commandIds';
import { PROJECT_ROOT } from '../support/chromaServer';
import { activateApi, captureMessages, clearConnections, until, useQuickInputs } from './support';
import { processesOf } from '../support/processes';


describe('local Chroma: data folders, servers and the Local data node', () => {
  const inputs = useQuickInputs();
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const made: string[] = [];

  before(() => {
    assert.ok(ws, 'the host tests run with a workspace folder');
    // The workspace's own Chroma: node_modules/.bin/chroma of the npm chromadb the tests pin (Chroma 1.0.0).
    mkdirSync(join(ws, 'node_modules', '.bin'), { recursive: true });
    rmSync(join(ws, 'node_modules', '.bin', 'chroma'), { force: true });
    symlinkSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'chroma'), join(ws, 'node_modules', '.bin', 'chroma'));
  });
  after(async () => {
    const api = await activateApi();
    for (const e of api.local.state.list()) {
      await api.local.state.servers.stop(e.key).catch(() => undefined);
    }
    for (const d of made) {
      rmSync(d, { recursive: true, force: true });
    }
    rmSync(join(ws, 'node_modules'), { recursive: true, force: true });
    await clearConnections();
  });

  async function localRoot(): Promise<SectionNode> {
    const api = await activateApi();
    const roots = await api.tree.getChildren();
    const root = roots[0];
    assert.equal(root.kind, 'section', 'Local data is the first node of the view');
    assert.equal(api.tree.getTreeItem(root).label, 'Local data');
    return root as SectionNode;
  }

  async function folderNode(label: string): Promise<{ node: ExplorerNode; item: vscode.TreeItem }> {
    const api = await activateApi();
    const children = await api.tree.getChildren(await localRoot());
    const node = children.find((n) => api.tree.getTreeItem(n).label === label);
    assert.ok(node, `a node ${label} under Local data, got ${children.map((n) => String(api.tree.getTreeItem(n).label)).join(', ')}`);
    return { node, item: api.tree.getTreeItem(node) };
  }

  it('New Local Chroma… starts the workspace Chroma on ./chroma-a: a session connection, the status bar, its node; Stop on the node stops it', async function () {
    this.timeout(120_000);
    const api = await activateApi();
    const folder = join(ws, 'chroma-a');
    made.push(folder);
    const run = vscode.commands.executeCommand(Commands.newLocalChroma);
    const asked = await inputs.driver.input('chroma-a');
    assert.match(asked.prompt ?? '', /relative to the workspace/);
    await run;

    const entry = api.local.state.list().find((e) => e.label === './chroma-a');
    assert.ok(entry, 'the new folder is listed');
    const status = api.local.state.status(entry);
    assert.equal(status.state, 'running');
    assert.ok(status.state === 'running');
    assert.match(status.description, /^npm chromadb 3\.0\.6 \(binding 1\.0\.1\) from the workspace's node_modules$/);
    assert.equal(processesOf(entry.key).length >= 1, true, 'a chroma process serves the folder');

    // A session connection, active, never written to settings.
    const conn = api.store.list().find((c) => c.name === 'Local ./chroma-a');
    assert.deepEqual(conn, { name: 'Local ./chroma-a', url: status.url, local: './chroma-a' });
    assert.equal(api.store.active?.name, 'Local ./chroma-a');
    const saved = vscode.workspace.getConfiguration().inspect<unknown[]>('chroma.connections')?.globalValue ?? [];
    assert.equal(JSON.stringify(saved).includes('chroma-a'), false, 'not in settings');
    await vscode.commands.executeCommand(Commands.checkNow);
    await until(() => api.status.item.text === '$(database) Chroma local · ./chroma-a', `the status bar text, got "${api.status.item.text}"`);

    // Its connection lists databases and collections like any other; a collection made there is listed.
    const client = await api.model.client(api.model.roots().find((r) => r.connection.name === 'Local ./chroma-a') as ConnectionNode);
    await client.createCollection({ name: 'local-docs' });
    const connNode = api.model.roots().find((r) => r.connection.name === 'Local ./chroma-a');
    assert.ok(connNode);
    const [db] = await api.model.children(connNode);
    assert.equal(db.kind, 'database');
    const collections = await api.model.children(db);
    assert.deepEqual(collections.map((c) => (c.kind === 'collection' ? c.collection.name : c.kind)), ['local-docs']);

    // The new folder's size follows what the server wrote, without a refresh.
    await until(async () => !String((await folderNode('./chroma-a')).item.description).startsWith('0 bytes '), 'the size of ./chroma-a to leave 0 bytes');
    const { node, item } = await folderNode('./chroma-a');
    assert.match(String(item.description), new RegExp(`^\\d+(\\.\\d+)? (bytes|KiB|MiB) · running on :${status.port}$`));
    assert.equal(item.contextValue, 'localFolder.running');
    assert.match((item.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1'), /Served by npm chromadb 3\.0\.6 \(binding 1\.0\.1\) from the workspace's node_modules/);

    await vscode.commands.executeCommand(Commands.stopLocalChroma, node);
    assert.equal(api.local.state.status(entry).state, 'not-running');
    assert.equal(api.store.list().some((c) => c.name === 'Local ./chroma-a'), false, 'its connection is gone');
    assert.deepEqual(processesOf(entry.key), [], 'no process of the folder is left');
    const after = await folderNode('./chroma-a');
    assert.match(String(after.item.description), / · not running$/);
    assert.equal(after.item.contextValue, 'localFolder.stopped');
  });

  it('Open Chroma Data Folder… lists the folders found in the workspace then Browse…; a killed server shows "stopped unexpectedly" and Restart brings it back', async function () {
    this.timeout(120_000);
    const api = await activateApi();
    await vscode.commands.executeCommand(Commands.refreshLocalData);
    const run = vscode.commands.executeCommand(Commands.openDataFolder);
    const shown = await inputs.driver.pick({ value: 'chroma-a' });
    assert.equal(shown.title, 'Open Chroma Data Folder');
    assert.equal(shown.labels[shown.labels.length - 1], 'Browse…');
    assert.ok(shown.labels.includes('./chroma-a'), `found folders first, got ${shown.labels.join(', ')}`);
    assert.equal(shown.labels.some((l) => l.includes('node_modules')), false, 'search.exclude is honoured');
    await run;
    const entry = api.local.state.list().find((e) => e.label === './chroma-a');
    assert.ok(entry);
    const status = api.local.state.status(entry);
    assert.ok(status.state === 'running', `running, got ${status.state}`);
    const conn = api.store.list().find((c) => c.name === 'Local ./chroma-a');
    assert.ok(conn, `a session connection, got ${JSON.stringify(api.store.list())} for ${JSON.stringify(status)}`);
    const collections = await api.model.children((await api.model.children(api.model.roots().find((r) => r.connection.name === conn.name)!))[0]);
    assert.deepEqual(collections.map((c) => (c.kind === 'collection' ? c.collection.name : c.kind)), ['local-docs'], 'the data written before is served');

    const messages = captureMessages({ warnings: true });
    try {
      process.kill(status.pid, 'SIGKILL');
      await until(() => api.local.state.status(entry).state === 'stopped-unexpectedly', 'the crash to be seen');
      const { item } = await folderNode('./chroma-a');
      assert.match(String(item.description), / · stopped unexpectedly$/);
      assert.equal(item.contextValue, 'localFolder.crashed');
      await until(() => messages.warnings.length > 0, 'the crash message');
      assert.match(messages.warnings[0], /^Chroma on \.\/chroma-a stopped unexpectedly \(signal SIGKILL\)/);
      assert.equal(api.store.list().some((c) => c.name === conn.name), false, 'no connection to a dead server');
      // No restart loop: it stays stopped until the user restarts it.
      assert.equal(api.local.state.status(entry).state, 'stopped-unexpectedly');
    } finally {
      messages.dispose();
    }

    await vscode.commands.executeCommand(Commands.restartLocalChroma, entry.key);
    const again = api.local.state.status(entry);
    assert.ok(again.state === 'running', `running again, got ${again.state}`);
    assert.notEqual(again.pid, status.pid);
    assert.ok(api.store.list().some((c) => c.name === conn.name && c.url === again.url));
    await vscode.commands.executeCommand(Commands.stopLocalChroma, entry.key);
    assert.deepEqual(processesOf(entry.key), []);
  });
  it('Save as Connection pins the port: the saved connection answers the same folder after Stop and Open, and after Restart', async function () {
    this.timeout(120_000);
    const api = await activateApi();
    const folder = join(ws, 'chroma-a');
    await vscode.commands.executeCommand(Commands.openDataFolder, vscode.Uri.file(folder));
    const entry = api.local.state.list().find((e) => e.label === './chroma-a');
    assert.ok(entry);
    const first = api.local.state.status(entry);
    assert.ok(first.state === 'running', `running, got ${first.state}`);

    const run = vscode.commands.executeCommand(Commands.saveLocalAsConnection, entry.key);
    const asked = await inputs.driver.input('Pinned chroma-a');
    assert.equal(asked.prompt, `A saved connection to ${first.url}. ./chroma-a's server starts on port ${first.port} from now on, so the connection follows the folder.`);
    await run;
    const saved = api.store.list().find((c) => c.name === 'Pinned chroma-a');
    assert.deepEqual(saved, { name: 'Pinned chroma-a', url: first.url });

    const collectionsVia = async (name: string) => {
      const root = api.model.roots().find((r) => r.connection.name === name);
      assert.ok(root, `a connection ${name} in the tree`);
      const [db] = await api.model.children(root);
      return (await api.model.children(db)).map((c) => (c.kind === 'collection' ? c.collection.name : c.kind));
    };
    await vscode.commands.executeCommand(Commands.stopLocalChroma, entry.key);
    await vscode.commands.executeCommand(Commands.openDataFolder, vscode.Uri.file(folder));
    const second = api.local.state.status(entry);
    assert.ok(second.state === 'running' && second.pid !== first.pid, 'a new server');
    assert.equal(second.url, first.url, 'on the saved port');
    await vscode.commands.executeCommand(Commands.restartLocalChroma, entry.key);
    const third = api.local.state.status(entry);
    assert.ok(third.state === 'running' && third.pid !== second.pid, 'restarted');
    assert.equal(third.url, first.url, 'restarted on the saved port');
    assert.deepEqual(await collectionsVia('Pinned chroma-a'), ['local-docs'], 'the saved connection reaches the folder');
    await vscode.commands.executeCommand(Commands.stopLocalChroma, entry.key);
    await api.local.state.servers.pinnedPorts.unpin(entry.key);
  });
});
