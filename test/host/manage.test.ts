import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import { revealNode } from '../../src/explorer/revealNode';
import { Commands } from '../../src/platform/commandIds';
import type { AddResult } from '../../src/ingest/commands';
import type { CollectionNode, DatabaseNode, RecordNode } from '../../src/explorer/core/model';
import { useChromaServer, vectors } from '../support/fixtures';
import { QuickInputDriver } from './quickInputDriver';
import { activateApi, answerModals, clearConnections, installTinyModel, until } from './support';

describe('manage: create, rename and delete from the tree, in real VS Code', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  before(async () => {
    client = new ChromaClient({ url: ctx.server.url });
  });
  beforeEach(async () => {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'manage', url: ctx.server.url }, { secret: null });
  });
  afterEach(clearConnections);

  async function database(): Promise<DatabaseNode> {
    const api = await activateApi();
    return (await api.model.children(api.model.roots()[0])).find((n) => n.kind === 'database') as DatabaseNode;
  }

  async function collectionNode(name: string): Promise<CollectionNode> {
    const api = await activateApi();
    const db = await database();
    api.model.refresh(db);
    return (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === name) as CollectionNode;
  }

  it('Back goes one step back in New Collection…, keeping what was typed', async () => {
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<Collection>(Commands.createCollection, await database());
      await driver.input('went-back');
      await driver.pick({ label: /^none$/ });
      await driver.back(); // distance → embedding function
      const ef = await driver.back(); // embedding function → name
      assert.match(ef.title ?? '', /New collection/);
      const name = await driver.input('came-back');
      assert.equal(name.value, 'came-back');
      const again = await driver.pick();
      assert.equal(again.labels[0], 'default');
      await driver.pick({ label: /^ip$/ });
      const created = await done;
      assert.equal(created.name, 'came-back');
      const got = await client.getCollection('came-back');
      assert.equal((got.configuration_json?.hnsw as { space?: string }).space, 'ip');
      await assert.rejects(client.getCollection('went-back'));
    } finally {
      driver.dispose();
    }
  });

  it('the collection picker (Query Collection… from the palette) goes back one step, then on', async () => {
    const api = await activateApi();
    await api.store.save({ name: 'second', url: ctx.server.url }, { secret: null });
    await client.createCollection({ name: 'picked-back' });
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand(Commands.queryCollection);
      const first = await driver.pick({ label: /^second$/ });
      assert.deepEqual(first.labels, ['manage', 'second']);
      // one database: that step is skipped, both ways
      const collections = await driver.back();
      assert.match(collections.title ?? '', /Query a collection/);
      const again = await driver.pick({ label: /^manage$/ });
      assert.equal(again.placeholder, 'Which connection?');
      const pick = await driver.pick({ label: /^picked-back$/ });
      assert.match(pick.placeholder ?? '', /^Collection in manage \(default_tenant\/default_database\)/);
      const text = (await driver.next()) as vscode.InputBox;
      assert.equal(text.title, 'Query "picked-back"');
      text.hide();
      assert.equal(await done, undefined);
    } finally {
      driver.dispose();
    }
  });

  it('creates a collection with an embedding function and a distance, validating the name', async () => {
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<Collection>(Commands.createCollection, await database());
      await driver.input('made-in-tree');
      const ef = await driver.pick({ label: /^openai$/ });
      assert.equal(ef.labels[0], 'default');
      assert.ok(ef.labels.includes('none'));
      await driver.pick({ label: /^cosine$/ });
      const created = await done;
      assert.equal(created.name, 'made-in-tree');
      const got = await client.getCollection('made-in-tree');
      assert.equal(got.configuration_json?.embedding_function?.name, 'openai');
      assert.equal((got.configuration_json?.hnsw as { space?: string }).space, 'cosine');
      assert.ok(await collectionNode('made-in-tree'), 'the tree shows it');
    } finally {
      driver.dispose();
    }
  });

  it('renames a collection', async () => {
    await client.createCollection({ name: 'old-name' });
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand(Commands.renameCollection, await collectionNode('old-name'));
      await driver.input('new-name');
      assert.equal(await done, 'new-name');
      assert.equal((await client.getCollection('new-name')).name, 'new-name');
    } finally {
      driver.dispose();
    }
  });

  it('deletes a collection only after a modal confirmation', async () => {
    await client.createCollection({ name: 'doomed' });
    const no = answerModals(undefined);
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.deleteCollection, await collectionNode('doomed')), false);
      assert.match(no.asked[0], /^Delete the collection "doomed"\? modal=true detail=It and .* are deleted from default_tenant\/default_database/);
    } finally {
      no.dispose();
    }
    assert.ok(await client.getCollection('doomed'));
    const yes = answerModals('Delete');
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.deleteCollection, await collectionNode('doomed')), true);
    } finally {
      yes.dispose();
    }
    await assert.rejects(client.getCollection('doomed'), /does not exist/);
  });

  it('deletes a record after confirmation', async () => {
    const col = await client.createCollection({ name: 'records-to-trim' });
    await client.add(col, { ids: ['keep', 'drop'], embeddings: vectors(2, 3), documents: ['a', 'b'] });
    const api = await activateApi();
    const node = await collectionNode('records-to-trim');
    const rec = (await api.model.children(node)).find((n) => n.kind === 'record' && n.recordId === 'drop') as RecordNode;
    const yes = answerModals('Delete');
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.deleteRecord, rec), true);
    } finally {
      yes.dispose();
    }
    assert.deepEqual((await client.get(col)).ids, ['keep']);
  });

  it('multi-select delete: Delete Record… on one of two selected records deletes both after one modal; Copy Record Ids copies them', async () => {
    const col = await client.createCollection({ name: 'multi-pick' });
    await client.add(col, { ids: ['a', 'b', 'c', 'd'], embeddings: vectors(4, 3), documents: ['1', '2', '3', '4'] });
    const api = await activateApi();
    const records = async () => (await api.model.children(await collectionNode('multi-pick'))).filter((n): n is RecordNode => n.kind === 'record');
    const [a, b, c0, d0] = await records();
    // the arguments VS Code passes from the context menu of a multi-selection: (clicked, selected)
    assert.equal(await vscode.commands.executeCommand(Commands.copyRecordIds, b, [a, b]), 'a\nb');
    assert.equal(await vscode.env.clipboard.readText(), 'a\nb');
    const no = answerModals(undefined);
    try {
      // a click on a record outside the selection acts on that record alone
      assert.equal(await vscode.commands.executeCommand(Commands.deleteRecord, d0, [a, b]), false);
    } finally {
      no.dispose();
    }
    assert.match(no.asked[0], /^Delete the record "d"\?/);
    const yes = answerModals('Delete');
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.deleteRecord, a, [a, b]), true);
    } finally {
      yes.dispose();
    }
    assert.equal(yes.asked.length, 1, 'one dialog for both');
    assert.match(yes.asked[0], /^Delete 2 records\? modal=true detail=From "multi-pick" on manage \(2 records\): "a", "b"\.\nThey are deleted on the server\. This cannot be undone\.$/);
    assert.deepEqual((await client.get(col)).ids.sort(), ['c', 'd']);
    // Delete Records… from the palette (no arguments) takes the tree's selection
    await vscode.commands.executeCommand('workbench.view.extension.chroma');
    assert.deepEqual([c0, d0].map((n) => n.recordId), ['c', 'd']);
    const [c] = await records();
    // the tree settles after the refresh that followed the delete, then the record is selected as a click would
    await until(async () => {
      await revealNode(api.treeView, api.model, c, { select: true, focus: false });
      await new Promise((r) => setTimeout(r, 200));
      return api.treeView.selection.length === 1 && api.treeView.selection[0].id === c.id;
    }, 'the record to be selected in the tree');
    const again = answerModals('Delete');
    try {
      assert.deepEqual(await vscode.commands.executeCommand(Commands.deleteRecords), { deleted: 1, left: 0 });
    } finally {
      again.dispose();
    }
    assert.match(again.asked[0], /^Delete the record "c"\?/);
    assert.deepEqual((await client.get(col)).ids, ['d']);
  });

  it('Delete Collection… on one of several selected collections deletes them all after one modal naming them', async () => {
    await client.createCollection({ name: 'sel-one' });
    await client.createCollection({ name: 'sel-two' });
    const one = await collectionNode('sel-one');
    const two = await collectionNode('sel-two');
    const yes = answerModals('Delete');
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.deleteCollection, two, [one, two]), true);
    } finally {
      yes.dispose();
    }
    assert.match(yes.asked[0], /^Delete 2 collections\? modal=true detail="sel-one" \(.*\), "sel-two" \(.*\) are deleted with all their records/);
    await assert.rejects(client.getCollection('sel-one'), /does not exist/);
    await assert.rejects(client.getCollection('sel-two'), /does not exist/);
  });

  it('adds a document of another URI scheme: allowed, with no source path, its id from the URI', async () => {
    await installTinyModel();
    const col = await client.createCollection({ name: 'from-pages', configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    const uri = await vscode.commands.executeCommand<string>(Commands.showTelemetry);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    await vscode.window.showTextDocument(doc);
    const res = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, { connection: 'manage', collection: 'from-pages' });
    assert.ok(res.counts.added >= 1);
    const got = await client.get(col, { include: ['metadatas'] });
    assert.ok(got.ids.every((id) => id.startsWith('chroma-info:/telemetry.md#')), got.ids.join(', '));
    assert.ok(got.metadatas!.every((m) => !('source' in m!) && m!.uri === uri));
    // re-adding replaces by uri (the key when there is no source): nothing new, nothing removed
    const again = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, { connection: 'manage', collection: 'from-pages' });
    assert.deepEqual([again.counts.added, again.counts.removed], [0, 0]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
