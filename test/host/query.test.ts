import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import type { CollectionNode, DatabaseNode, RecordNode } from '../../src/explorer/core/model';
import type { AddResult } from '../../src/ingest/commands';
import { Commands } from '../../src/platform/commandIds';
import type { SourceJump } from '../../src/query/commands';
import type { QueryRun } from '../../src/query/core/spec';
import { ResultsContextValues } from '../../src/query/resultsView';
import type { HitNode } from '../../src/query/resultsView';
import { useChromaServer } from '../support/fixtures';
import { QuickInputDriver, enterRefused, enterValue } from './quickInputDriver';
import { activateApi, activateExtension, answerModals, captureMessages, clearConnections, installTinyModel, manifest, until } from './support';

const DEFAULT_EF = { embedding_function: { type: 'known', name: 'default', config: {} } };
const SENTENCES = [
  'Chroma keeps every embedding next to the document it was computed from.',
  'The lighthouse keeper paints the spiral stairs cobalt blue each spring.',
  'Our orchard grows quinces, medlars and one stubborn apricot tree.',
  'A where filter narrows the nearest records by their metadata values.',
  'Saxophone reeds crack when the rehearsal room gets too dry in winter.',
  'Glaciers carve U-shaped valleys over many thousands of years.',
  'The night train to Trieste leaves platform nine at half past ten.',
  'Sourdough starter needs flour, water and a warm kitchen shelf.',
];
const section = (i: number) => `## Topic ${i}\n\n${SENTENCES[i]} `.padEnd(420, `More words about topic ${i}. `) + '\n\n';
const GUIDE = SENTENCES.map((_, i) => section(i)).join('');
const LIGHTHOUSE = SENTENCES[1];

describe('query workbench: ways to query and the results view, in real VS Code', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let col: Collection;
  let guide: vscode.Uri;
  const target = { connection: 'query', collection: 'guide' };

  before(async function () {
    this.timeout(120_000);
    await installTinyModel();
    client = new ChromaClient({ url: ctx.server.url });
    col = await client.createCollection({ name: 'guide', configuration: DEFAULT_EF });
    await client.createCollection({ name: 'other', configuration: DEFAULT_EF });
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'query', url: ctx.server.url }, { secret: null });
    // the file is added the way a user adds it: open it, Add Active File to the collection
    guide = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'query', 'guide.md');
    await vscode.workspace.fs.writeFile(guide, Buffer.from(GUIDE, 'utf8'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(guide));
    const added = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, target);
    assert.ok(added.counts.added > 2, JSON.stringify(added.counts));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await clearConnections();
  });

  /** The hit shown for the chunk that holds `sentence`. */
  async function hitWith(sentence: string): Promise<HitNode> {
    const api = await activateApi();
    return until(() => api.features().query.view.hitNodes().find((n) => n.model.hit.document?.includes(sentence)), `a hit holding "${sentence}"`);
  }

  /** Puts the file's text back, in the editor and on disk. */
  async function restoreGuide(editor: vscode.TextEditor): Promise<void> {
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), GUIDE));
    await editor.document.save();
  }

  it('Query Collection…: typed text and Enter run it (one step); the results view shows the query and its hits', async () => {
    const api = await activateApi();
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, target);
      const box = await driver.input(LIGHTHOUSE);
      assert.match(box.prompt ?? '', /Enter runs it · 10 results · no filter$/);
      const run = await done;
      assert.ok(run.hits.length > 2);
      assert.equal(run.spec.input.kind === 'text' && run.spec.input.text, LIGHTHOUSE);
      const [header, ...items] = api.features().query.view.getChildren();
      assert.equal(header.kind, 'header');
      const headerItem = api.features().query.view.getTreeItem(header);
      assert.equal(headerItem.label, `“${LIGHTHOUSE}”`);
      assert.match(String(headerItem.description), new RegExp(`^guide · ${run.hits.length} hits · \\d+ ms · \\d\\d:\\d\\d:\\d\\d$`));
      const hits = items.filter((n) => n.kind === 'hit');
      assert.deepEqual(
        hits.map((n) => api.features().query.view.getTreeItem(n).label),
        run.hits.map((h) => `${h.rank}. ${h.id}`),
      );
      const first = api.features().query.view.getTreeItem(hits[0]);
      assert.match(String(first.description), /^\d\.\d{4} · query\/guide\.md:\d+–\d+ · /);
      const tip = api.features().query.view.resolveTreeItem(first, hits[0]).tooltip as vscode.MarkdownString;
      assert.equal(tip.isTrusted, false);
      assert.match(tip.value, /"source": "query\/guide\.md"/);
    } finally {
      driver.dispose();
    }
  });

  it('Go to Source (the default click of a hit from a file) opens the file with the chunk\'s lines selected', async () => {
    const api = await activateApi();
    await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, target, LIGHTHOUSE);
    const node = await hitWith(LIGHTHOUSE);
    await until(() => api.features().query.view.hitNodes().find((n) => n.id === node.id && n.model.status?.state === 'fresh'), 'the hit checked fresh');
    const item = api.features().query.view.getTreeItem(node);
    assert.equal(item.command?.command, Commands.goToSource, 'Go to Source is what a click does');
    assert.equal(item.contextValue, ResultsContextValues.hitWithSource);
    const jump = await vscode.commands.executeCommand<SourceJump>(item.command.command, ...(item.command.arguments ?? []));
    assert.equal(jump.freshness.state, 'fresh');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), guide.toString());
    const m = node.model.hit.metadata!;
    assert.equal(editor.selection.start.line, Number(m.startLine) - 1);
    assert.equal(editor.selection.start.character, 0);
    assert.equal(editor.selection.end.line, Number(m.endLine) - 1);
    const selected = editor.document.getText(editor.selection);
    assert.ok(selected.includes(LIGHTHOUSE), selected);
    // the gutter marks the lines the results came from
    assert.ok(api.features().query.decorations.linesOf(guide).some(([s, e]) => s === Number(m.startLine) && e === Number(m.endLine)));
  });

  it('a hit whose lines changed since it was added is marked stale, and Go to Source says so; lines added above make it "moved"', async () => {
    const api = await activateApi();
    await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, target, LIGHTHOUSE);
    const node = await hitWith(LIGHTHOUSE);
    const m = node.model.hit.metadata!;
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(guide));
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('lighthouse keeper'));
    const warnings = answerModals(undefined);
    try {
      await editor.edit((e) => e.replace(new vscode.Range(line, 0, line, 3), 'A new'));
      const stale = await until(() => api.features().query.view.hitNodes().find((n) => n.id === node.id && n.model.status?.state === 'stale'), 'the stale marker');
      assert.match(String(api.features().query.view.getTreeItem(stale).description), /^\d\.\d{4} · stale · query\/guide\.md:/);
      const jump = await vscode.commands.executeCommand<SourceJump>(Commands.goToSource, stale);
      assert.equal(jump.freshness.state, 'stale');
      assert.equal(jump.editor.selection.start.line, Number(m.startLine) - 1);
      assert.ok(warnings.asked.some((w) => /^Stale: in query\/guide\.md, lines \d+–\d+ changed since the record was added\./.test(w)), warnings.asked.join('\n'));
      // stale lines get no gutter mark
      assert.ok(!api.features().query.decorations.linesOf(guide).some(([s]) => s === Number(m.startLine)));

      await restoreGuide(editor);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'Two lines\nadded on top\n'));
      const moved = await until(() => api.features().query.view.hitNodes().find((n) => n.id === node.id && n.model.status?.state === 'moved'), 'the moved marker');
      const again = await vscode.commands.executeCommand<SourceJump>(Commands.goToSource, moved);
      assert.deepEqual(again.freshness, { state: 'moved', startLine: Number(m.startLine) + 2, endLine: Number(m.endLine) + 2 });
      assert.equal(again.editor.selection.start.line, Number(m.startLine) + 1);
    } finally {
      warnings.dispose();
      await restoreGuide(editor);
    }
  });

  it('Find Similar Records on a record of the tree: its stored embedding is the query, the record itself is left out', async () => {
    const api = await activateApi();
    const conn = api.model.roots().find((n) => n.kind === 'connection')!;
    const db = (await api.model.children(conn)).find((n) => n.kind === 'database') as DatabaseNode;
    const colNode = (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === 'guide') as CollectionNode;
    const record = (await api.model.children(colNode)).find((n): n is RecordNode => n.kind === 'record')!;
    const run = await vscode.commands.executeCommand<QueryRun>(Commands.findSimilar, record);
    const count = await client.count(col);
    assert.equal(run.hits.length, Math.min(10, count - 1));
    assert.ok(!run.hits.some((h) => h.id === record.recordId), `${record.recordId} is in its own results`);
    assert.deepEqual(run.spec.input, { kind: 'record', recordId: record.recordId });
    const [header] = api.features().query.view.getChildren();
    assert.equal(api.features().query.view.getTreeItem(header).label, `similar to ${record.recordId}`);
    assert.ok(!api.features().query.view.hitNodes().some((n) => n.model.hit.id === record.recordId));
    // from a hit in the results view too
    const fromHit = await vscode.commands.executeCommand<QueryRun>(Commands.findSimilar, api.features().query.view.hitNodes()[0]);
    assert.ok(!fromHit.hits.some((h) => h.id === run.hits[0].id));
  });

  it('Query Collection… on a filtered collection of the tree starts from its filter', async () => {
    const api = await activateApi();
    const conn = api.model.roots().find((n) => n.kind === 'connection')!;
    const db = (await api.model.children(conn)).find((n) => n.kind === 'database') as DatabaseNode;
    const colNode = (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === 'guide') as CollectionNode;
    api.model.setFilter(colNode, { where: { chunk: 1 } });
    try {
      const filtered = (await api.model.children(db)).find((n) => n.kind === 'collection' && n.collection.name === 'guide') as CollectionNode;
      const run = await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, filtered, LIGHTHOUSE);
      assert.deepEqual(run.spec.where, { chunk: 1 });
      assert.deepEqual(run.hits.map((h) => h.metadata?.chunk), [1]);
      const [, filterNode] = api.features().query.view.getChildren();
      assert.equal(filterNode.kind, 'filter');
      assert.equal(api.features().query.view.getTreeItem(filterNode).command?.command, Commands.filterResults);
    } finally {
      api.model.setFilter(colNode, undefined);
    }
  });

  it('Search Chroma for Selection: the selected text, against the collection used last', async () => {
    await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, { connection: 'query', collection: 'other' }, 'anything');
    await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, target, 'something');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(guide));
    const at = editor.document.getText().indexOf(SENTENCES[6]);
    editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + SENTENCES[6].length));
    const run = await vscode.commands.executeCommand<QueryRun>(Commands.searchSelection, editor.document.uri);
    assert.equal(run.spec.collection, 'guide');
    assert.deepEqual(run.spec.input, { kind: 'text', text: SENTENCES[6] });
    assert.ok(run.hits.some((h) => h.document?.includes(SENTENCES[6])));
    // nothing selected: a message, nothing sent
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const messages = captureMessages();
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.searchSelection), undefined);
      assert.match(messages.errors.at(-1) ?? '', /^Select some text in an editor first/);
    } finally {
      messages.dispose();
    }
  });

  it('Query by Vector…: the pasted array is checked against the collection\'s dimension before anything is sent', async () => {
    const api = await activateApi();
    const stored = await client.get(col, { limit: 1, include: ['embeddings'] });
    const vector = Array.from(stored.embeddings![0]);
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<QueryRun>(Commands.queryByVector, target);
      const box = (await driver.next()) as vscode.InputBox;
      // Enter on a vector of the wrong dimension keeps the box open and says why
      assert.equal(await enterRefused(box, '[1, 2, 3]'), `The vector has 3 dimensions, but the collection holds ${vector.length}-dimensional embeddings.`);
      await enterValue(box, JSON.stringify(vector));
      const run = await done;
      assert.equal(run.hits[0].id, stored.ids[0]);
      assert.equal(api.features().query.view.getTreeItem(api.features().query.view.getChildren()[0]).label, `vector (${vector.length}-d)`);
    } finally {
      driver.dispose();
    }
    const messages = captureMessages();
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.queryByVector, target, [1, 2]), undefined);
      assert.match(messages.errors.at(-1) ?? '', new RegExp(`^The vector has 2 dimensions, but the collection holds ${vector.length}-dimensional embeddings\\. Nothing was sent\\.$`));
    } finally {
      messages.dispose();
    }
  });

  it('chroma.runQuerySpec (what a playground file\'s Run Query calls): checks its argument, runs a list, Copy Results and Re-run', async () => {
    const api = await activateApi();
    const messages = captureMessages();
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.runQuerySpec, { connection: 'query', collection: 'guide', input: { kind: 'text', text: 'x' }, n_results: 3 }), undefined);
      assert.match(messages.errors.at(-1) ?? '', /^The query is not usable: the query has an unknown key "n_results": write "nResults"/);
      assert.equal(await vscode.commands.executeCommand(Commands.runQuerySpec, { connection: 'nowhere', collection: 'guide', input: { kind: 'text', text: 'x' } }), undefined);
      assert.match(messages.errors.at(-1) ?? '', /^There is no connection named "nowhere"/);
    } finally {
      messages.dispose();
    }
    const runs = await vscode.commands.executeCommand<Array<{ run?: QueryRun; error?: string }>>(Commands.runQuerySpec, [
      { connection: 'query', collection: 'guide', input: { kind: 'text', text: SENTENCES[2] }, nResults: 2 },
      { connection: 'query', collection: 'guide', input: { kind: 'text', text: SENTENCES[5] }, nResults: 3, where: { chunk: { $gte: 1 } } },
    ]);
    assert.deepEqual(runs.map((r) => r.run?.hits.length), [2, 3]);
    assert.ok(runs[1].run!.hits.every((h) => Number(h.metadata?.chunk) >= 1));
    const headers = api.features().query.view.getChildren();
    assert.deepEqual(headers.map((h) => h.kind), ['header', 'header']);
    assert.equal(api.features().query.view.getTreeItem(headers[0]).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.deepEqual(api.features().query.view.getChildren(headers[1]).map((n) => n.kind), ['filter', 'hit', 'hit', 'hit']);
    const json = JSON.parse((await vscode.commands.executeCommand<string>(Commands.copyResults))!) as Array<{ hits: unknown[] }>;
    assert.deepEqual(json.map((q) => q.hits.length), [2, 3]);
    assert.equal(await vscode.env.clipboard.readText(), JSON.stringify(json, null, 2));
    const rerun = await vscode.commands.executeCommand<QueryRun>(Commands.rerunQuery);
    assert.equal(rerun.hits.length, 2);
    assert.notEqual(api.features().query.view.getChildren()[0].id, headers[0].id, 'a re-run is a new run');
  });

  it('History: the last queries of the workspace, re-runnable from a quick pick', async () => {
    const api = await activateApi();
    await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, target, SENTENCES[7]);
    await vscode.commands.executeCommand<QueryRun>(Commands.queryCollection, target, SENTENCES[3]);
    const history = api.features().query.history();
    assert.deepEqual(history.slice(0, 2).map((e) => e.spec.input), [{ kind: 'text', text: SENTENCES[3] }, { kind: 'text', text: SENTENCES[7] }]);
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<QueryRun>(Commands.queryHistory);
      const pick = await driver.pick({ label: new RegExp(`^“${SENTENCES[7].slice(0, 20)}`) });
      assert.equal(pick.labels[0], `“${SENTENCES[3]}”`);
      const run = await done;
      assert.deepEqual(run.spec.input, { kind: 'text', text: SENTENCES[7] });
      assert.deepEqual(api.features().query.history()[0].spec.input, { kind: 'text', text: SENTENCES[7] }, 'run again: on top');
    } finally {
      driver.dispose();
    }
  });

  it('package.json: the results view, its commands in menus, every results contextValue used', async () => {
    const ext = await activateExtension();
    const m = manifest(ext) as ReturnType<typeof manifest> & { contributes: { views: Record<string, Array<{ id: string }>> } };
    assert.ok(m.contributes.views.chroma.some((v) => v.id === 'chromaResults'));
    const menus = m.contributes.menus['view/item/context'].filter((e) => (e.when ?? '').includes('view == chromaResults'));
    for (const value of Object.values(ResultsContextValues).filter((v) => v !== ResultsContextValues.message)) {
      assert.ok(
        menus.some((e) => {
          const re = /viewItem =~ \/(.+?)\//.exec(e.when ?? '');
          return re !== null && new RegExp(re[1]).test(value);
        }),
        `contextValue ${value} is in no menu`,
      );
    }
    const hidden = new Set(m.contributes.menus.commandPalette.filter((e) => e.when === 'false').map((e) => e.command));
    for (const id of [Commands.runQuerySpec, Commands.goToSource, Commands.openResultRecord]) {
      assert.ok(hidden.has(id), `${id} shows in the palette`);
    }
    assert.ok(m.contributes.menus['editor/context'].some((e) => e.command === Commands.searchSelection));
    assert.ok(m.contributes.menus['view/item/context'].some((e) => e.command === Commands.findSimilar && (e.when ?? '').includes('viewItem == record')));
  });
});
