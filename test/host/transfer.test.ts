import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import type { CollectionNode, DatabaseNode, RecordNode } from '../../src/explorer/core/model';
import { Commands } from '../../src/platform/commandIds';
import type { CopyResult } from '../../src/transfer/core/copier';
import type { ExportResult } from '../../src/transfer/core/exporter';
import type { ImportResult } from '../../src/transfer/core/importer';
import { uniqueName, useChromaServer, vectors } from '../support/fixtures';
import { QuickInputDriver } from './quickInputDriver';
import { activateApi, answerModals, captureMessages, clearConnections, installTinyModel } from './support';

const CONNECTION = 'transfer';

describe('transfer: export and import through the commands, in real VS Code', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let dir: string;
  let source: Collection;

  before(async () => {
    client = new ChromaClient({ url: ctx.server.url });
    dir = mkdtempSync(join(tmpdir(), 'transfer-host-'));
    source = await client.createCollection({
      name: uniqueName('export'),
      metadata: { owner: 'host-test' },
      configuration: { hnsw: { space: 'ip', ef_search: 55 }, embedding_function: { type: 'known', name: 'default', config: {} } },
    });
    const ids = Array.from({ length: 300 }, (_, i) => `r-${String(i).padStart(3, '0')}`);
    await client.add(source, { ids, embeddings: vectors(300, 8), documents: ids.map((id) => `text of ${id}`), metadatas: ids.map((_, i) => ({ i, kind: i % 2 ? 'odd' : 'even' })) });
    source = await client.getCollection(source.name);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: CONNECTION, url: ctx.server.url }, { secret: null });
  });
  afterEach(clearConnections);

  async function databaseNode(): Promise<DatabaseNode> {
    const api = await activateApi();
    return (await api.model.children(api.model.roots()[0])).find((n) => n.kind === 'database') as DatabaseNode;
  }

  it('Export Collection… to a file given by argument, then Import Records… into a new collection: the server has it all', async () => {
    const file = join(dir, 'exported.jsonl');
    const messages = captureMessages();
    try {
      const exported = await vscode.commands.executeCommand<ExportResult>(Commands.exportCollection, { connection: CONNECTION, collection: source.name }, { file });
      assert.equal(exported?.written, 300);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      assert.equal(lines.length, 301);
      assert.equal((JSON.parse(lines[0]) as { collection: { name: string } }).collection.name, source.name);
      assert.ok(messages.infos.some((m) => m.startsWith(`Exported 300 of 300 records of "${source.name}" to exported.jsonl`)), messages.infos.join('\n'));

      const name = uniqueName('imported');
      const imported = await vscode.commands.executeCommand<ImportResult>(Commands.importRecords, undefined, { file, to: { connection: CONNECTION, name } });
      assert.equal(imported?.created, true);
      assert.equal(imported?.counts.written, 300);
      assert.deepEqual(messages.errors, []);
      assert.ok(messages.infos.some((m) => m.startsWith(`Imported 300 of 300 records from exported.jsonl into new collection "${name}"`)), messages.infos.join('\n'));
      const restored = await client.getCollection(name);
      assert.deepEqual(restored.configuration_json, source.configuration_json);
      assert.deepEqual(restored.metadata, source.metadata);
      assert.equal(await client.count(restored), 300);
      const [a, b] = await Promise.all([
        client.get(source, { ids: ['r-007', 'r-299'], include: ['documents', 'metadatas', 'embeddings'] }),
        client.get(restored, { ids: ['r-007', 'r-299'], include: ['documents', 'metadatas', 'embeddings'] }),
      ]);
      assert.deepEqual(b, a);
      // the tree shows the new collection
      const api = await activateApi();
      const db = await databaseNode();
      api.model.refresh(db);
      assert.ok((await api.model.children(db)).some((n) => n.kind === 'collection' && n.collection.name === name));
    } finally {
      messages.dispose();
    }
  });

  it('Export Records… on two selected records exports those two; importing them into a collection with records asks first, naming what is lost', async () => {
    const api = await activateApi();
    const db = await databaseNode();
    const col = (await api.model.children(db)).find((n): n is CollectionNode => n.kind === 'collection' && n.collection.name === source.name)!;
    const records = (await api.model.children(col)).filter((n): n is RecordNode => n.kind === 'record');
    const picked = [records[5], records[2]];
    const file = join(dir, 'two.jsonl');
    // as VS Code calls a context-menu command on a multi-selection: (clicked, selected), then our options
    const exported = await vscode.commands.executeCommand<ExportResult>(Commands.exportRecords, picked[0], picked, { file });
    assert.equal(exported?.written, 2);
    const ids = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual(ids, [picked[0].recordId, picked[1].recordId]);

    const target = await client.createCollection({ name: uniqueName('into') });
    await client.add(target, { ids: [picked[0].recordId, 'other'], embeddings: vectors(2, 8, 3), documents: ['mine', 'other'] });
    const modals = answerModals('Skip Existing');
    try {
      const imported = await vscode.commands.executeCommand<ImportResult>(Commands.importRecords, { connection: CONNECTION, collection: target.name }, { file });
      assert.equal(modals.asked.length, 1);
      assert.match(modals.asked[0], new RegExp(`^Import 2 records from two\\.jsonl into "${target.name}", which holds 2 records\\? modal=true detail=Overwrite: records with the same ids are replaced \\(their documents, metadata and embeddings are lost\\)\\.`));
      assert.deepEqual({ written: imported?.counts.written, skipped: imported?.counts.skippedExisting }, { written: 1, skipped: 1 });
    } finally {
      modals.dispose();
    }
    const kept = await client.get(target, { ids: [picked[0].recordId], include: ['documents'] });
    assert.equal(kept.documents?.[0], 'mine');
    assert.equal(await client.count(target), 3);
  });

  it('Copy Collection To… another name on the same connection: records and configuration in the new collection', async () => {
    const name = uniqueName('copied');
    const copied = await vscode.commands.executeCommand<CopyResult>(Commands.copyCollectionTo, { connection: CONNECTION, collection: source.name }, { to: { connection: CONNECTION, name } });
    assert.deepEqual({ created: copied?.created, written: copied?.counts.written }, { created: true, written: 300 });
    const col = await client.getCollection(name);
    assert.deepEqual(col.configuration_json, source.configuration_json);
    assert.equal(await client.count(col), 300);
  });

  it('Import Records… of a CSV file: columns mapped in the wizard, documents embedded with the new collection\'s default function', async () => {
    await installTinyModel();
    const file = join(dir, 'people notes.csv');
    writeFileSync(file, 'id,text,lang,n\na,"Hello, world",en,1\nb,"Zweite ""Zeile""",de,2.5\nc,third,en,\n');
    const name = uniqueName('csv');
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<ImportResult>(Commands.importRecords, undefined, { file, to: { connection: CONNECTION, name } });
      const ids = await driver.pick({ label: /^id$/ });
      assert.equal(ids.placeholder, 'Which column holds the record ids?');
      assert.deepEqual(ids.labels, ['$(symbol-number) Make ids from row numbers', 'id', 'text', 'lang', 'n']);
      const docs = await driver.pick();
      assert.equal(docs.labels[0], 'text', 'the text column is offered first');
      const embeddings = await driver.pick();
      assert.match(embeddings.labels[0], /No embeddings: embed the documents/);
      const metadata = await driver.pick();
      assert.deepEqual(metadata.labels, ['lang', 'n']);
      const imported = await done;
      assert.deepEqual({ created: imported?.created, written: imported?.counts.written, embedded: imported?.counts.embedded }, { created: true, written: 3, embedded: 3 });
    } finally {
      driver.dispose();
    }
    const col = await client.getCollection(name);
    assert.equal(col.configuration_json?.embedding_function?.name, 'default');
    const got = await client.get(col, { ids: ['b', 'c'], include: ['documents', 'metadatas', 'embeddings'] });
    const byId = new Map(got.ids.map((id, i) => [id, { document: got.documents![i], metadata: got.metadatas![i], dim: got.embeddings![i].length }]));
    assert.deepEqual(byId.get('b'), { document: 'Zweite "Zeile"', metadata: { lang: 'de', n: 2.5 }, dim: col.dimension });
    assert.deepEqual(byId.get('c'), { document: 'third', metadata: { lang: 'en' }, dim: col.dimension });
  });
});
