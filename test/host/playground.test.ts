import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import { createDefaultEmbeddingFunction } from '../../src/embedding/core/defaultFunction';
import { Commands } from '../../src/platform/commandIds';
import type { QuerySpec } from '../../src/query/core/spec';
import { ChromaServer } from '../support/chromaServer';
import { activateApi, clearConnections, installTinyModel, until } from './support';

const DOCS = ['the cat sat on the mat', 'chroma is a vector database for embeddings', 'python and node client code', 'hello world'];
const COLLECTION = 'playground-docs';

/** The label of a completion item, whichever form it has. */
const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

describe('playground files: *.chroma.json in real VS Code', () => {
  let server: ChromaServer;
  const written: vscode.Uri[] = [];

  before(async function () {
    this.timeout(180_000);
    await installTinyModel();
    server = await ChromaServer.start();
    const client = new ChromaClient({ url: server.url });
    const col = await client.createCollection({ name: COLLECTION, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    await client.add(col, {
      ids: DOCS.map((_, i) => `d${i}`),
      documents: DOCS,
      embeddings: await createDefaultEmbeddingFunction().embed(DOCS),
      metadatas: DOCS.map((_, i) => ({ year: 2018 + 2 * i, source: `notes/${i}.md` })),
    });
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'play', url: server.url }, { secret: null });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written) {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
    await clearConnections();
    await server?.stop();
  });

  /** Writes a playground file into the workspace and opens it. */
  async function open(name: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    written.push(uri);
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  }

  /** The CodeLenses VS Code would show, once ours are there. */
  function lenses(uri: vscode.Uri, count: number): Promise<vscode.CodeLens[]> {
    return until(async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      const ours = all.filter((l) => l.command?.command === Commands.runQuerySpec || l.command?.command === 'workbench.actions.view.problems');
      return ours.length >= count ? ours : undefined;
    }, 'the playground lenses');
  }

  /** Runs a lens's command the way VS Code does on a click. */
  function click(lens: vscode.CodeLens): Thenable<unknown> {
    assert.ok(lens.command, 'a lens with a command');
    return vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
  }

  it('Run Query from a CodeLens fills the results view; Run All shows every query of the list', async () => {
    const api = await activateApi();
    const text = JSON.stringify(
      {
        connection: 'play',
        collection: COLLECTION,
        nResults: 2,
        queries: [{ query: 'a vector database for embeddings' }, { query: 'hello world', where: { year: { $gte: 2022 } } }],
      },
      null,
      2,
    );
    const editor = await open('retrieval-host.chroma.json', text);
    const found = await lenses(editor.document.uri, 3);
    const [all, first, second] = found;
    assert.match(all.command!.title, /Run All \(2\)/);
    assert.equal(all.range.start.line, 0);
    assert.equal(first.range.start.line, editor.document.positionAt(text.indexOf('{\n      "query": "a vector')).line);
    assert.match(first.command!.title, /Run Query/);
    assert.equal(second.range.start.line, editor.document.positionAt(text.indexOf('"hello world"')).line - 1);

    await click(first);
    const hits = await until(() => (api.features().query.view.hitNodes().length > 0 ? api.features().query.view.hitNodes() : undefined), 'hits in the results view');
    // what a user sees: one item per hit, nearest first
    assert.equal(hits.length, 2);
    assert.equal(hits[0].model.hit.id, 'd1');
    assert.match(String(api.features().query.view.getTreeItem(hits[0]).label), /\bd1\b/);
    const shown = api.features().query.view.shown();
    assert.equal(shown.length, 1);
    const spec = shown[0].spec;
    assert.deepEqual([spec.connection, spec.collection, spec.nResults, spec.tenant, spec.database], ['play', COLLECTION, 2, 'default_tenant', 'default_database']);
    assert.deepEqual(spec.input, { kind: 'text', text: 'a vector database for embeddings' });

    await click(all);
    await until(() => (api.features().query.view.shown().length === 2 && api.features().query.view.shown().every((e) => e.run) ? true : undefined), 'both queries shown');
    const [a, b] = api.features().query.view.shown();
    assert.equal((a.spec as QuerySpec).input.kind, 'text');
    assert.deepEqual(b.spec.where, { year: { $gte: 2022 } });
    // the filter went to the server: only records of 2022 and later came back
    assert.ok(b.run!.hits.length > 0);
    assert.ok(b.run!.hits.every((h) => Number(h.metadata?.year) >= 2022), JSON.stringify(b.run!.hits.map((h) => h.metadata)));
    assert.equal(b.run!.hits[0].id, 'd3');
  });

  it('completes connection names, collection names and sampled metadata keys', async () => {
    const text = '{\n  "connection": "",\n  "collection": "",\n  "query": "x",\n  "where": {}\n}\n';
    const editor = await open('completion-host.chroma.json', text);
    const uri = editor.document.uri;
    const at = (marker: string, delta: number) => editor.document.positionAt(text.indexOf(marker) + delta);
    const complete = async (pos: vscode.Position, want: string) =>
      until(async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
        return list.items.some((i) => labelOf(i) === want) ? list.items : undefined;
      }, `a completion "${want}"`);
    const connections = await complete(at('"connection": ""', '"connection": "'.length), 'play');
    const play = connections.find((i) => labelOf(i) === 'play')!;
    assert.equal(play.insertText, '"play"');

    // the collection list is of the connection the file names
    await editor.edit((b) => b.insert(at('"connection": ""', '"connection": "'.length), 'play'));
    const text2 = editor.document.getText();
    const collections = await complete(editor.document.positionAt(text2.indexOf('"collection": ""') + '"collection": "'.length), COLLECTION);
    assert.equal(collections.find((i) => labelOf(i) === COLLECTION)!.insertText, `"${COLLECTION}"`);

    await editor.edit((b) => b.insert(editor.document.positionAt(text2.indexOf('"collection": ""') + '"collection": "'.length), COLLECTION));
    const text3 = editor.document.getText();
    const keys = await complete(editor.document.positionAt(text3.indexOf('"where": {') + '"where": {'.length), 'year');
    assert.ok(keys.some((i) => labelOf(i) === 'source'));
    const year = keys.find((i) => labelOf(i) === 'year')!;
    assert.match(year.detail ?? '', /whole number/);
  });

  it('a bad filter, or an unknown connection, shows a diagnostic where it is, and the query has no Run lens', async () => {
    const text = JSON.stringify({ connection: 'play', collection: COLLECTION, query: 'cats', where: { year: { $gtx: 2020 } } }, null, 2);
    const editor = await open('bad-filter-host.chroma.json', text);
    const uri = editor.document.uri;
    const diag = await until(() => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'Chroma'), 'a Chroma diagnostic');
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diag.message, /^where\.year\.\$gtx: is not an operator/);
    assert.equal(editor.document.getText(diag.range), '"$gtx": 2020');
    const [lens] = await lenses(uri, 1);
    assert.equal(lens.command?.command, 'workbench.actions.view.problems');
    assert.match(lens.command!.title, /1 problem to fix/);

    // fixed in the editor: the diagnostic goes and the lens runs the query
    await editor.edit((b) => b.replace(diag.range, '"$gt": 2020'));
    await until(() => (vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Chroma') ? undefined : true), 'the diagnostic to go');
    assert.equal((await lenses(uri, 1))[0].command?.command, Commands.runQuerySpec);

    const unknown = JSON.stringify({ connection: 'staging', collection: COLLECTION, query: 'cats' }, null, 2);
    const other = await open('unknown-connection-host.chroma.json', unknown);
    const d2 = await until(() => vscode.languages.getDiagnostics(other.document.uri).find((d) => d.source === 'Chroma'), 'a diagnostic for the connection');
    assert.equal(other.document.getText(d2.range), '"staging"');
    assert.match(d2.message, /no connection named "staging": use "play"/);
  });

  it('the JSON schema comes with the file: VS Code checks the filter grammar it refers to', async () => {
    const text = JSON.stringify({ connection: 'play', collection: COLLECTION, query: 'cats', where: { year: 2020, source: 'a.md' } }, null, 2);
    const editor = await open('schema-host.chroma.json', text);
    // reported by VS Code's JSON support, not by the extension: only the filter schema's `where` allows one
    // condition per object, so the playground schema's $ref to it was followed
    const fromSchema = await until(
      () =>
        vscode.languages
          .getDiagnostics(editor.document.uri)
          .find((d) => d.source !== 'Chroma' && /more than one condition|more properties than limit of 1/.test(d.message)),
      'a schema diagnostic',
      60_000,
    );
    assert.ok(fromSchema.range.start.line >= editor.document.positionAt(text.indexOf('"where"')).line);
  });

  it('New Query Playground opens a starting file for a collection, ready to run', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>(Commands.newPlayground, { connection: 'play', collection: COLLECTION });
    assert.ok(uri, 'a document');
    assert.equal(uri.scheme, 'untitled');
    assert.match(uri.path, /playground-docs\.chroma\.json$/);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), uri.toString());
    assert.deepEqual(JSON.parse(editor.document.getText()), { connection: 'play', collection: COLLECTION, query: 'What to search for', nResults: 10 });
    // the query text is selected, for typing over
    assert.equal(editor.document.getText(editor.selection), 'What to search for');
    await editor.edit((b) => b.replace(editor.selection, 'hello world'));
    const [lens] = await lenses(uri, 1);
    assert.equal(lens.command?.command, Commands.runQuerySpec);
    assert.deepEqual((lens.command!.arguments![0] as QuerySpec).input, { kind: 'text', text: 'hello world' });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
