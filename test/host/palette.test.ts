import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import { RECORD_PAGE_SIZE } from '../../src/pickers/recordStep';
import { Commands } from '../../src/platform/commandIds';
import { useChromaServer, vectors } from '../support/fixtures';
import { QuickInputDriver, quickInputSent } from './quickInputDriver';
import { activateApi, activateExtension, answerModals, clearConnections, manifest, until } from './support';

/**
 * Everything a tree menu item does works from the palette too: run with no tree node, each command asks
 * connection → database → collection (→ record), answered here by typing into the real quick picks.
 */
describe('palette: tree commands run without a node, asking with pickers', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let driver: QuickInputDriver;
  const annex = { tenant: 'default_tenant', database: 'annex' };

  before(async () => {
    client = new ChromaClient({ url: ctx.server.url });
    // A second database, so the database step is asked (with one it is skipped).
    await client.createDatabase('annex');
    await client.createCollection({ name: 'annex-only' }, { scope: annex });
  });
  beforeEach(async () => {
    const api = await activateApi();
    await clearConnections();
    // Two connections, so the connection step is asked too.
    await api.store.save({ name: 'palette', url: ctx.server.url }, { secret: null });
    await api.store.save({ name: 'spare', url: ctx.server.url }, { secret: null });
    driver = new QuickInputDriver();
  });
  afterEach(async () => {
    driver.dispose();
    await clearConnections();
  });

  /** Answers the connection, database and collection steps by typing each name. */
  async function pickCollection(database: string, collection: string): Promise<void> {
    await driver.pick({ value: 'palette', label: /^palette$/ });
    await driver.pick({ value: database, label: new RegExp(`^${database}$`) });
    await driver.pick({ value: collection, label: new RegExp(`^${collection}$`) });
  }

  it('package.json shows them in the palette; only node-bound commands stay hidden', async () => {
    const m = manifest(await activateExtension());
    const hidden = new Set(m.contributes.menus.commandPalette.filter((e) => e.when === 'false').map((e) => e.command));
    const shown = [
      Commands.connectLocalhost,
      Commands.openRecord,
      Commands.copyRecordId,
      Commands.copyCollectionId,
      Commands.createCollection,
      Commands.renameCollection,
      Commands.deleteCollection,
      Commands.deleteRecord,
      Commands.queryCollection,
    ];
    assert.deepEqual(shown.filter((c) => hidden.has(c)), []);
  });

  it('Create Collection…: connection → database → name, function, distance; Back from the name returns to the database', async () => {
    const done = vscode.commands.executeCommand<Collection>(Commands.createCollection);
    const conn = await driver.pick({ value: 'palette', label: /^palette$/ });
    assert.deepEqual(conn.labels, ['palette', 'spare']);
    const db = await driver.pick({ value: 'default', label: /^default_database$/ });
    assert.deepEqual([...db.labels].sort(), ['annex', 'default_database']);
    const name = await driver.back();
    assert.equal(name.title, 'New collection in default_database');
    const again = await driver.pick({ value: 'annex', label: /^annex$/ });
    assert.match(again.placeholder ?? '', /^Database of palette/);
    await driver.input('made-from-palette');
    await driver.pick({ value: 'none', label: /^none$/ });
    const space = await driver.pick({ value: 'cosine', label: /^cosine$/ });
    assert.equal(space.title, 'New collection in annex');
    assert.equal((await done).name, 'made-from-palette');
    const got = await client.getCollection('made-from-palette', { scope: annex });
    assert.equal((got.configuration_json?.hnsw as { space?: string }).space, 'cosine');
    await assert.rejects(client.getCollection('made-from-palette'), /does not exist/);
  });

  it('Rename Collection…: Back from the collection step returns to the database step', async () => {
    await client.createCollection({ name: 'before-rename' });
    const done = vscode.commands.executeCommand<string>(Commands.renameCollection);
    await driver.pick({ value: 'palette', label: /^palette$/ });
    await driver.pick({ value: 'annex', label: /^annex$/ });
    const collections = await driver.back();
    assert.equal(collections.title, 'Rename a collection');
    const db = await driver.pick({ value: 'default_database', label: /^default_database$/ });
    assert.match(db.placeholder ?? '', /^Database of palette/, 'Back went to the database step');
    const pick = await driver.pick({ value: 'before', label: /^before-rename$/ });
    assert.match(pick.placeholder ?? '', /^Collection in palette \(default_tenant\/default_database\)/);
    const name = await driver.input('after-rename');
    assert.equal(name.prompt, 'The new name');
    assert.equal(await done, 'after-rename');
    assert.equal((await client.getCollection('after-rename')).name, 'after-rename');
    await assert.rejects(client.getCollection('before-rename'), /does not exist/);
  });

  it('Delete Collection…: picked, confirmed with its record count, deleted on the server', async () => {
    const col = await client.createCollection({ name: 'doomed-from-palette' });
    await client.add(col, { ids: ['a', 'b'], embeddings: vectors(2, 3) });
    const yes = answerModals('Delete');
    try {
      const done = vscode.commands.executeCommand<boolean>(Commands.deleteCollection);
      await pickCollection('default_database', 'doomed-from-palette');
      assert.equal(await done, true);
      assert.match(yes.asked[0], /^Delete the collection "doomed-from-palette"\? modal=true detail=It and 2 records are deleted from default_tenant\/default_database on palette\./);
    } finally {
      yes.dispose();
    }
    await assert.rejects(client.getCollection('doomed-from-palette'), /does not exist/);
  });

  it('Copy Collection Id: picked, then on the clipboard', async () => {
    const col = await client.createCollection({ name: 'copied-from-palette' });
    const done = vscode.commands.executeCommand<string>(Commands.copyCollectionId);
    await pickCollection('default_database', 'copied-from-palette');
    assert.equal(await done, col.id);
    assert.equal(await vscode.env.clipboard.readText(), col.id);
  });

  it('Delete Record…: a collection, then a record found by typing words of its document', async () => {
    const col = await client.createCollection({ name: 'trim-from-palette' });
    await client.add(col, { ids: ['keep', 'drop'], embeddings: vectors(2, 3), documents: ['apple pie', 'banana bread'] });
    const yes = answerModals('Delete');
    try {
      const done = vscode.commands.executeCommand<boolean>(Commands.deleteRecord);
      await pickCollection('default_database', 'trim-from-palette');
      const rec = await driver.pick({ value: 'banana', label: /^drop$/ });
      assert.deepEqual([...rec.labels].sort(), ['drop', 'keep']);
      assert.equal(rec.title, 'Delete a record');
      assert.equal(await done, true);
      assert.match(yes.asked[0], /^Delete the record "drop"\? modal=true detail=It is deleted from "trim-from-palette"/);
    } finally {
      yes.dispose();
    }
    assert.deepEqual((await client.get(col)).ids, ['keep']);
  });

  it('Copy Record Id: records come a page at a time; "Load more…" adds the next page to the open pick', async () => {
    const col = await client.createCollection({ name: 'paged-from-palette' });
    const ids = Array.from({ length: RECORD_PAGE_SIZE + 30 }, (_, i) => `rec-${String(i).padStart(3, '0')}`);
    await client.add(col, { ids, embeddings: vectors(ids.length, 3), documents: ids.map((id) => `document of ${id}`) });
    const done = vscode.commands.executeCommand<string>(Commands.copyRecordId);
    await pickCollection('default_database', 'paged-from-palette');
    const pick = (await driver.next()) as vscode.QuickPick<vscode.QuickPickItem>;
    assert.equal(pick.items.length, RECORD_PAGE_SIZE + 1, 'a first page and "Load more…"');
    const more = pick.items[RECORD_PAGE_SIZE];
    assert.match(more.label, /Load more…/);
    assert.equal(more.description, `${RECORD_PAGE_SIZE} loaded`);
    const firstPage = new Set(pick.items.slice(0, RECORD_PAGE_SIZE).map((i) => i.label));
    pick.activeItems = [more];
    await quickInputSent(); // the workbench learns the active item from the host's next update
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await until(() => pick.items.length === ids.length, 'the second page in the same pick');
    assert.ok(!pick.items.some((i) => /Load more/.test(i.label)), 'no "Load more…" once all are loaded');
    const late = pick.items.find((i) => !firstPage.has(i.label))!;
    assert.equal(late.description, `document of ${late.label}`);
    pick.value = late.label;
    pick.activeItems = [late];
    await quickInputSent();
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await done, late.label);
    assert.equal(await vscode.env.clipboard.readText(), late.label);
  });

  it('Open Record: a picked record opens in an editor', async () => {
    const col = await client.createCollection({ name: 'opened-from-palette' });
    await client.add(col, { ids: ['only'], embeddings: vectors(1, 3), documents: ['the document to open'] });
    const done = vscode.commands.executeCommand(Commands.openRecord);
    await pickCollection('default_database', 'opened-from-palette');
    await driver.pick({ value: 'only', label: /^only$/ });
    await done;
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'chroma');
    assert.match(doc.getText(), /the document to open/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
