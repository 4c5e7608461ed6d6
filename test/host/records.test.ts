/**
 * Editing records in place, in real VS Code: a record opens as a JSON file through the `chroma:` file system, and
 * saving it (TextDocument.save, as Ctrl+S does) writes to a real Chroma server, re-embedding with the collection's
 * own function (Chroma's default, run on the tiny test model).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import type { CollectionNode, DatabaseNode, RecordNode } from '../../src/explorer/core/model';
import { Commands } from '../../src/platform/commandIds';
import { readRecord } from '../../src/records/core/save';
import { useChromaServer } from '../support/fixtures';
import { activateApi, answerModals, clearConnections, installTinyModel, until } from './support';

const DEFAULT_EF = { embedding_function: { type: 'known', name: 'default', config: {} } };
const CONNECTION = 'records';

describe("records: edit records in place through chroma: files, in real VS Code", () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let collection: Collection;

  before(async function () {
    this.timeout(60_000);
    await installTinyModel();
    client = new ChromaClient({ url: ctx.server.url });
    // the web workbench saves after a delay by default: these tests save when a person would press Ctrl+S
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: CONNECTION, url: ctx.server.url }, { secret: null });
    await client.deleteCollection('notes').catch(() => undefined);
    collection = await client.createCollection({ name: 'notes', configuration: DEFAULT_EF });
    const docs = ['Chroma stores embeddings.', 'A second note.'];
    await client.add(collection, {
      ids: ['a', 'b'],
      documents: docs,
      embeddings: await embed(docs),
      metadatas: [{ source: 'a.md', line: 3 }, { source: 'b.md' }],
    });
    collection = await client.getCollection('notes');
  });

  afterEach(async () => {
    // leave no dirty editor behind (closing one would ask to save it)
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearConnections();
  });

  /** The collection's own embedding function, as the extension runs it. */
  async function embed(texts: string[]): Promise<number[][]> {
    const api = await activateApi();
    const fn = await api.embeddings.functionFor(api.store.get(CONNECTION)!, collection ?? (await client.getCollection('notes')));
    return fn!.embed(texts);
  }

  async function collectionNode(): Promise<CollectionNode> {
    const api = await activateApi();
    const db = (await api.model.children(api.model.roots()[0])).find((n) => n.kind === 'database') as DatabaseNode;
    api.model.refresh(db);
    return (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === 'notes') as CollectionNode;
  }

  async function edit(id: string): Promise<vscode.TextEditor> {
    const api = await activateApi();
    const record = (await api.model.children(await collectionNode())).find((n) => n.kind === 'record' && n.recordId === id) as RecordNode;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Commands.editRecord, record);
    assert.ok(editor, 'Edit Record opened an editor');
    return editor;
  }

  /** Replaces the editor's JSON with `f` applied to it, as typing would. */
  async function change(editor: vscode.TextEditor, f: (j: Record<string, unknown>) => void): Promise<void> {
    const doc = editor.document;
    const j = JSON.parse(doc.getText()) as Record<string, unknown>;
    f(j);
    const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    assert.ok(await editor.edit((b) => b.replace(all, JSON.stringify(j, null, 2))));
    assert.ok(doc.isDirty);
  }

  const meta = (j: Record<string, unknown>) => j.metadata as Record<string, unknown>;

  it('Edit Record opens the record as JSON; a metadata edit saved goes to the server, the embedding kept', async () => {
    const before = (await readRecord(client, collection, 'a'))!;
    const editor = await edit('a');
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.uri.scheme, 'chroma');
    const file = JSON.parse(editor.document.getText()) as Record<string, unknown>;
    assert.deepEqual([file.id, file.document, file.metadata, file.uri], ['a', 'Chroma stores embeddings.', { line: 3, source: 'a.md' }, null]);
    assert.equal(file.$embedding, `${before.embedding!.length}-d · default function`);

    await change(editor, (j) => {
      meta(j).line = 4;
      meta(j).reviewed = true;
      delete meta(j).source;
    });
    assert.equal(await editor.document.save(), true);
    assert.equal(editor.document.isDirty, false);
    const after = (await readRecord(client, collection, 'a'))!;
    assert.deepEqual(after.metadata, { line: 4, reviewed: true });
    assert.deepEqual(after.embedding, before.embedding);
    assert.equal(after.document, before.document);
  });

  it('a record reads as names (connection › database › collection › record); its $embedding hover says the rest; a renamed collection still saves', async () => {
    const editor = await edit('a');
    const uri = editor.document.uri;
    assert.equal(uri.path, `/${CONNECTION}/default_database/notes/a.json`);
    assert.ok(!uri.path.includes(collection.id), 'the collection id is not in the path people read');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab!;
    // the tab's title is the record's name: the resourceLabelFormatter keeps '/' as its separator, so VS Code finds the basename
    assert.equal(tab.label, 'a.json');
    assert.ok(tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString());

    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('"$embedding"'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 6));
    // the hover's Markdown is escaped: read it as text
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/\\(.)/g, '$1');
    assert.match(hoverText, /The embedding is made by the collection's embedding function \(default\) when the document changes, and kept when only metadata or uri change/);

    // renamed on the server while open: the URI keeps the collection's id, so the save still finds it
    await client.modifyCollection(collection, { name: 'renamed-notes' });
    try {
      await change(editor, (j) => (meta(j).line = 5));
      assert.equal(await editor.document.save(), true);
      assert.deepEqual((await readRecord(client, await client.getCollection('renamed-notes'), 'a'))!.metadata, { line: 5, source: 'a.md' });
    } finally {
      await client.deleteCollection('renamed-notes').catch(() => undefined);
    }
  });

  it("a document edit saved is re-embedded: the stored embedding is the collection's function's output for the new text", async () => {
    const editor = await edit('b');
    const text = 'The lighthouse keeper wrote a new note about vectors.';
    await change(editor, (j) => (j.document = text));
    assert.equal(await editor.document.save(), true);
    const after = (await readRecord(client, collection, 'b'))!;
    assert.equal(after.document, text);
    const [expected] = await embed([text]);
    assert.deepEqual(Array.from(after.embedding!, Math.fround), expected.map(Math.fround));
    assert.deepEqual(after.metadata, { source: 'b.md' });
  });

  it('a conflicting save (the record changed on the server) writes nothing and offers Compare, which shows both', async () => {
    const editor = await edit('a');
    await client.update(collection, { ids: ['a'], metadatas: [{ line: 99 }] });
    await change(editor, (j) => (meta(j).note = 'mine'));
    const modal = answerModals('Compare');
    try {
      assert.equal(await editor.document.save(), false);
    } finally {
      modal.dispose();
    }
    assert.equal(modal.asked.length, 1);
    assert.match(modal.asked[0], /^"a" changed on the server since you opened it\. modal=true detail=Overwrite replaces the server's version with yours\./);
    assert.ok(editor.document.isDirty, 'the edit stays unsaved');
    assert.deepEqual((await readRecord(client, collection, 'a'))!.metadata, { source: 'a.md', line: 99 });
    // Compare: a diff of the server's version (read-only, as it is now) and the edit
    const diff = await until(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === editor.document.uri.toString()),
      'the diff tab',
    );
    const input = diff.input as vscode.TabInputTextDiff;
    assert.match(input.original.query, /(^|&)view=server(&|$)/);
    const server = JSON.parse((await vscode.workspace.openTextDocument(input.original)).getText()) as Record<string, unknown>;
    assert.deepEqual(server.metadata, { line: 99, source: 'a.md' });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(input.original, Buffer.from('{}'))), /read-only/);

    // Overwrite: the edit replaces the server's version
    const overwrite = answerModals('Overwrite');
    try {
      assert.equal(await editor.document.save(), true);
    } finally {
      overwrite.dispose();
    }
    assert.deepEqual((await readRecord(client, collection, 'a'))!.metadata, { source: 'a.md', line: 3, note: 'mine' });
  });

  it('invalid metadata: nothing is sent, the editor stays dirty, and the problem is marked in the file', async () => {
    const editor = await edit('a');
    await change(editor, (j) => (meta(j).tags = { nested: true }));
    const problem = await until(
      () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.source === 'Chroma'),
      'the metadata problem in the editor',
    );
    assert.equal(problem.message, 'Record "a": metadata "tags" is an object; values must be a string, number or boolean, or a list of one of those.');
    assert.match(editor.document.getText(problem.range), /^"tags": \{/);
    const modal = answerModals(undefined);
    try {
      assert.equal(await editor.document.save(), false);
    } finally {
      modal.dispose();
    }
    assert.deepEqual(modal.asked, [], 'refused before any question');
    assert.ok(editor.document.isDirty);
    assert.deepEqual((await readRecord(client, collection, 'a'))!.metadata, { source: 'a.md', line: 3 });
  });

  it('a 2 MB document opens at once without it (the file says so), and the metadata saved keeps it whole; a collection summary is read-only', async () => {
    // 10 MB is checked in the plain suites (hostileRecords.test.ts); the server takes seconds per 10 MB request
    const big = 'two megabytes of text '.repeat(95_400).slice(0, 2 * 1024 * 1024);
    await client.add(collection, { ids: ['big'], documents: [big], embeddings: await embed(['x']), metadatas: [{ size: 'large' }] });
    const editor = await edit('big');
    const text = editor.document.getText();
    assert.ok(text.length < 5_000, `${text.length} characters in the editor`);
    const file = JSON.parse(text) as Record<string, unknown>;
    assert.equal(file.document, undefined);
    assert.match(String(file.$document), /^Too large to edit here \(2,097,152 characters;/);
    await change(editor, (j) => (meta(j).size = 'still large'));
    assert.equal(await editor.document.save(), true);
    const after = (await readRecord(client, collection, 'big'))!;
    assert.equal(after.document, big);
    assert.deepEqual(after.metadata, { size: 'still large' });

    const summary = await vscode.commands.executeCommand<vscode.TextEditor>(Commands.openInEditor, await collectionNode());
    assert.equal(summary?.document.languageId, 'markdown');
    assert.match(summary.document.getText(), /^# `notes`/);
    assert.equal((await vscode.workspace.fs.stat(summary.document.uri)).permissions, vscode.FilePermission.Readonly);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(summary.document.uri, Buffer.from('# mine'))), /read-only/);
  });

  it('a record deleted on the server while open: the save fails, nothing is written, the edit stays', async () => {
    const editor = await edit('b');
    await client.delete(collection, { ids: ['b'] });
    await change(editor, (j) => (j.document = 'too late'));
    assert.equal(await editor.document.save(), false);
    assert.ok(editor.document.isDirty);
    assert.equal(await readRecord(client, collection, 'b'), undefined);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(editor.document.uri)), /"b" is not in the collection "notes" any more: it was deleted on the server/);
  });

  it("Add Record… opens a new record's file; saving adds it, embedded with the collection's function, then edits it under its id", async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(Commands.addRecord, await collectionNode());
    assert.ok(editor);
    const draft = JSON.parse(editor.document.getText()) as Record<string, unknown>;
    assert.match(String(draft.id), /^[0-9a-f-]{36}$/);
    assert.deepEqual([draft.document, draft.metadata, draft.uri], ['', {}, null]);
    await change(editor, (j) => {
      j.id = 'added';
      j.document = 'A record typed in the editor.';
      j.metadata = { source: 'typed' };
    });
    assert.equal(await editor.document.save(), true);
    const added = (await readRecord(client, collection, 'added'))!;
    assert.deepEqual([added.document, added.metadata], ['A record typed in the editor.', { source: 'typed' }]);
    const [expected] = await embed(['A record typed in the editor.']);
    assert.deepEqual(Array.from(added.embedding!, Math.fround), expected.map(Math.fround));
    // the draft's tab makes way for the record's own
    const record = await until(() => (vscode.window.activeTextEditor?.document.uri.query.includes('id=added') ? vscode.window.activeTextEditor : undefined), "the added record's editor");
    assert.equal((JSON.parse(record.document.getText()) as { id: string }).id, 'added');

    // an id that exists is refused: nothing is overwritten
    const second = await vscode.commands.executeCommand<vscode.TextEditor>(Commands.addRecord, await collectionNode());
    await change(second!, (j) => {
      j.id = 'a';
      j.document = 'would replace a';
    });
    assert.equal(await second!.document.save(), false);
    assert.ok(second!.document.isDirty);
    assert.equal((await readRecord(client, collection, 'a'))!.document, 'Chroma stores embeddings.');
  });
});
