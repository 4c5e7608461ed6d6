import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { QueryResult } from '../../src/chroma';
import { Commands } from '../../src/commands/ids';
import { createDefaultEmbeddingFunction } from '../../src/embedding/defaultFunction';
import type { CollectionNode, DatabaseNode } from '../../src/model/explorer';
import { ChromaServer } from '../support/chromaServer';
import { QuickInputDriver } from './quickInputDriver';
import { activateApi, clearConnections, installTinyModel, until } from './support';

const DOCS = ['the cat sat on the mat', 'chroma is a vector database for embeddings', 'python and node client code', 'hello world'];

describe('embedding: query a collection with its own embedding function, in real VS Code', () => {
  let server: ChromaServer;
  before(async function () {
    this.timeout(120_000);
    await installTinyModel();
    server = await ChromaServer.start();
    const client = new ChromaClient({ url: server.url });
    const ef = createDefaultEmbeddingFunction();
    const embeddings = await ef.embed(DOCS);
    const withDefault = await client.createCollection({ name: 'with-default', configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    await client.add(withDefault, { ids: DOCS.map((_, i) => `d${i}`), documents: DOCS, embeddings });
    const legacy = await client.createCollection({ name: 'legacy-notes' });
    await client.add(legacy, { ids: DOCS.map((_, i) => `l${i}`), documents: DOCS, embeddings });
  });
  after(async () => {
    await clearConnections();
    await server?.stop();
  });

  async function collection(name: string): Promise<CollectionNode> {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'embed', url: server.url }, { secret: null });
    const conn = api.model.roots()[0];
    const db = (await api.model.children(conn)).find((n) => n.kind === 'database') as DatabaseNode;
    return (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === name) as CollectionNode;
  }

  it('"Query…" embeds the text with the collection\'s stored function and shows the nearest records', async () => {
    const node = await collection('with-default');
    const result = await vscode.commands.executeCommand<QueryResult>(Commands.queryCollection, node, 'a vector database for embeddings');
    assert.equal(result.ids[0][0], 'd1');
    const editor = await until(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'chroma-info' ? vscode.window.activeTextEditor : undefined), 'the results page');
    const text = editor.document.getText();
    assert.match(text, /# Query: a vector database for embeddings/);
    assert.match(text, /embedded with `default`/);
    assert.match(text, /## 1\. `d1` · distance \d/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a collection without a stored function asks once which one, and remembers it', async () => {
    const node = await collection('legacy-notes');
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<QueryResult>(Commands.queryCollection, node, 'the cat on the mat');
      const pick = await driver.pick({ label: /^default$/ });
      assert.match(pick.placeholder ?? '', /stores no embedding function/);
      assert.ok(pick.labels.includes('openai') && pick.labels.includes('ollama'));
      const first = await done;
      assert.equal(first.ids[0][0], 'l0');
      // remembered: the second query asks nothing
      const second = await vscode.commands.executeCommand<QueryResult>(Commands.queryCollection, node, 'hello world');
      assert.equal(second.ids[0][0], 'l3');
    } finally {
      driver.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
