import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import { createDefaultEmbeddingFunction } from '../../src/embedding/core/defaultFunction';
import { Commands } from '../../src/platform/commandIds';
import { hitsLink } from '../../src/eval/report';
import type { RecordedRun } from '../../src/eval/runs';
import { useChromaServer } from '../support/fixtures';
import { activateApi, clearConnections, installTinyModel, until } from './support';

const DEFAULT_EF = { embedding_function: { type: 'known', name: 'default', config: {} } };
/** Three files, each of two sentences: the fine collection has a record per sentence, the coarse one per file. */
const FILES: Record<string, [string, string]> = {
  cats: ['Cats sleep for most of the day in warm sunny places.', 'A cat purrs when it is content and calm.'],
  chroma: ['Chroma stores embeddings next to their documents.', 'A collection has its own embedding function.'],
  rust: ['Rust checks memory safety when the program compiles.', 'The borrow checker rejects dangling references.'],
};
const names = Object.keys(FILES);

const SINGLE = {
  name: 'retrieval',
  target: { connection: 'evalhost', collection: 'eval-fine', k: 1 },
  cases: [
    { name: 'cats by sentence', query: FILES.cats[0], expect: { ids: ['fine-cats-0'] }, tags: ['smoke'] },
    { name: 'borrow checker', query: FILES.rust[1], expect: { ids: ['fine-chroma-0'] } },
    { name: 'missing record', query: FILES.chroma[0], expect: { ids: ['no-such-record'] } },
  ],
};

const COMPARE = {
  name: 'chunk sizes',
  target: { name: 'sentences', connection: 'evalhost', collection: 'eval-fine', k: 1 },
  compare: { name: 'files', collection: 'eval-coarse' },
  cases: names.flatMap((n) => FILES[n].map((q, i) => ({ name: `${n} ${i}`, query: q, expect: { sources: [`notes/${n}.md`] } }))),
};

describe('retrieval evaluation: sets run in the Test Explorer against a real Chroma', () => {
  const ctx = useChromaServer();
  const written: vscode.Uri[] = [];

  before(async function () {
    this.timeout(180_000);
    await installTinyModel();
    const client = new ChromaClient({ url: ctx.server.url });
    const ef = createDefaultEmbeddingFunction();
    const fine = await client.createCollection({ name: 'eval-fine', configuration: DEFAULT_EF });
    const sentences = names.flatMap((n) => FILES[n].map((text, i) => ({ id: `fine-${n}-${i}`, text, source: `notes/${n}.md` })));
    await client.add(fine, {
      ids: sentences.map((s) => s.id),
      documents: sentences.map((s) => s.text),
      embeddings: await ef.embed(sentences.map((s) => s.text)),
      metadatas: sentences.map((s) => ({ source: s.source })),
    });
    const coarse = await client.createCollection({ name: 'eval-coarse', configuration: DEFAULT_EF });
    const docs = names.map((n) => FILES[n].join(' '));
    await client.add(coarse, { ids: names.map((n) => `coarse-${n}`), documents: docs, embeddings: await ef.embed(docs), metadatas: names.map((n) => ({ source: `notes/${n}.md` })) });
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'evalhost', url: ctx.server.url }, { secret: null });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written) {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
    await clearConnections();
  });

  async function writeSet(name: string, set: unknown): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'evals', name);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(set, null, 2)));
    written.push(uri);
    return uri;
  }

  /** The set's test items, once the controller lists all of its cases. */
  async function itemsOf(uri: vscode.Uri, count: number): Promise<vscode.TestItem[]> {
    const tests = (await activateApi()).features().evaluation.tests;
    return until(() => {
      const file = tests.controller.items.get(uri.toString());
      const out: vscode.TestItem[] = [];
      file?.children.forEach((c) => out.push(c));
      return out.length === count ? out.sort((a, b) => (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0)) : undefined;
    }, `${count} test items of ${uri.path}`);
  }

  /** Runs every test with the Test Explorer's own command; resolves with the run of `uri` it recorded. */
  async function runAll(uri: vscode.Uri, command = 'testing.runAll'): Promise<RecordedRun> {
    const tests = (await activateApi()).features().evaluation.tests;
    const done = new Promise<RecordedRun>((resolve) => {
      const sub = tests.onDidFinishSet((r) => r.uri.toString() === uri.toString() && (sub.dispose(), resolve(r)));
    });
    await vscode.commands.executeCommand(command);
    return done;
  }

  /** The retrieval set written afresh (its three cases) and listed: each test that uses it stands on its own. */
  async function retrievalSet(): Promise<vscode.Uri> {
    // the Test Explorer's controller, made (and watching) before the set is written
    assert.ok((await activateApi()).features().evaluation.tests);
    const uri = await writeSet('retrieval.chroma-eval.json', SINGLE);
    // Opened as a person who wrote it has it: the controller reads an opened set at once, where a file watcher of
    // the web workbench that is still being set up can miss a file written in the same instant.
    await vscode.workspace.openTextDocument(uri);
    await itemsOf(uri, SINGLE.cases.length);
    return uri;
  }

  /** The set's last recorded run; run now when this session has none. */
  async function lastRun(uri: vscode.Uri): Promise<RecordedRun> {
    return (await activateApi()).features().evaluation.runs.last(uri) ?? runAll(uri);
  }

  it('lists one item per case with its range and tags, and a run passes and fails cases by the set\'s threshold, saying why', async () => {
    const tests = (await activateApi()).features().evaluation.tests;
    const uri = await writeSet('retrieval.chroma-eval.json', SINGLE);
    const items = await itemsOf(uri, 3);
    assert.deepEqual(items.map((i) => i.label), ['cats by sentence', 'borrow checker', 'missing record']);
    assert.deepEqual(items[0].tags.map((t) => t.id), ['smoke']);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(items[1].range), /^\{\s*"name": "borrow checker"/);

    const recorded = await runAll(uri);
    const outcome = (id: string) => tests.outcomes.get(`${uri.toString()}#${id}`);
    assert.equal(outcome('cats by sentence')?.state, 'passed');
    assert.equal(outcome('borrow checker')?.state, 'failed');
    assert.match(outcome('borrow checker')?.messages[0] ?? '', /^expected fine-chroma-0 \(rank [2-6], outside the top 1\); first came fine-rust-1$/);
    assert.equal(outcome('missing record')?.state, 'failed');
    assert.equal(outcome('missing record')?.messages[0], 'expected no-such-record (not in top 50); first came fine-chroma-0');
    const counts = recorded.run.runs[0].metrics.counts;
    assert.deepEqual([counts.cases, counts.passed, counts.failed, counts.errors], [3, 1, 2, 0]);
  });

  it('the failure message links to the case\'s hits, which open in the Chroma Results view', async () => {
    const api = await activateApi();
    const r = await lastRun(await retrievalSet());
    const link = hitsLink(r.set, r.set.target, r.run.runs[0].results[1])!;
    assert.ok(link.startsWith(`command:${Commands.runQuerySpec}?`));
    const args = JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))) as unknown[];
    await vscode.commands.executeCommand(Commands.runQuerySpec, ...args);
    const shown = await until(() => api.features().query.view.shown()[0]?.run, 'the hits in the results view');
    assert.deepEqual(shown.hits.map((h) => h.id), ['fine-rust-1']);
  });

  it('Run Again records the history; the Evaluation Report has the table, the failures, the changes and the chart', async () => {
    const api = await activateApi();
    const uri = await retrievalSet();
    await lastRun(uri); // the Test Explorer's last run, to run again
    const again = await runAll(uri, 'testing.reRunLastRun');
    assert.ok(again.history.length >= 2, `history of ${again.history.length}`);
    assert.deepEqual(again.changes, [], 'nothing changed between the two runs');
    const page = await vscode.commands.executeCommand<vscode.Uri>(Commands.showEvalReport, uri);
    const text = (await vscode.workspace.openTextDocument(page)).getText();
    assert.match(text, /^# Evaluation: retrieval$/m);
    assert.match(text, /\| recall@1 \| 0\.333 \|/);
    assert.match(text, /## Changed since the last run\n\nNo case changed\./);
    assert.match(text, new RegExp(`## Over the last ${again.history.length} runs`));
    assert.match(text, /## Failed cases/);
    assert.match(text, /borrow checker/);
    assert.equal(api.features().evaluation.runs.history('evals/retrieval.chroma-eval.json').length, again.history.length);
  });

  it('compare: two collections of the same files at different chunk sizes, side by side, with deltas and wins', async () => {
    const uri = await writeSet('chunks.chroma-eval.json', COMPARE);
    await itemsOf(uri, 6);
    const recorded = await runAll(uri);
    const [a, b] = recorded.run.runs;
    assert.deepEqual([a.target.name, b.target.name], ['sentences', 'files']);
    assert.equal(a.metrics.values?.recall, 1, 'each sentence finds its own record');
    const c = recorded.run.comparison!;
    assert.equal(c.wins.a + c.wins.b + c.wins.ties, 6);
    assert.equal(c.wins.b, 0, 'the files cannot beat a perfect recall');
    const page = await vscode.commands.executeCommand<vscode.Uri>(Commands.showEvalReport, uri);
    const text = (await vscode.workspace.openTextDocument(page)).getText();
    assert.match(text, /\| metric \| sentences \(eval\\-fine\) \| files \(eval\\-coarse\) \| Δ \(B − A\) \|/);
    assert.doesNotMatch(text, /## Changed since the last run/, 'a first run has nothing to compare with');
    assert.match(text, /## Wins/);
  });

  it('Write Evaluation Reports writes JSON, JUnit and Markdown per set into chroma.eval.reportFolder', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    await retrievalSet();
    await itemsOf(await writeSet('chunks.chroma-eval.json', COMPARE), COMPARE.cases.length);
    await vscode.workspace.getConfiguration('chroma').update('eval.reportFolder', 'out-eval', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<{ sets: Array<{ set: string; files?: vscode.Uri[]; error?: string }> }>(Commands.writeEvalReports);
      assert.deepEqual(result.sets.map((s) => [s.set, s.error]).sort(), [['evals/chunks.chroma-eval.json', undefined], ['evals/retrieval.chroma-eval.json', undefined]]);
      const junit = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, 'out-eval', 'evals', 'retrieval.junit.xml'))).toString();
      assert.match(junit, /<testsuite [^>]*tests="3"[^>]*failures="2"/);
      const json = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, 'out-eval', 'evals', 'chunks.eval.json'))).toString()) as { targets: unknown[] };
      assert.equal(json.targets.length, 2);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, 'out-eval', 'evals', 'retrieval.eval.md'));
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, 'out-eval'), { recursive: true }).then(undefined, () => undefined);
      await vscode.workspace.getConfiguration('chroma').update('eval.reportFolder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Add to Evaluation Set… on a Results view hit adds the query and the hits marked right as a case, listed at once', async () => {
    const api = await activateApi();
    const uri = await retrievalSet();
    await vscode.commands.executeCommand(Commands.runQuerySpec, { connection: 'evalhost', collection: 'eval-fine', input: { kind: 'text', text: FILES.cats[1] }, nResults: 3 });
    const hit = await until(() => api.features().query.view.hitNodes().find((n) => n.model.hit.id === 'fine-cats-1'), 'the hit fine-cats-1');
    const added = await vscode.commands.executeCommand<vscode.Uri>(Commands.addToEvalSet, hit, { ids: ['fine-cats-1'], set: uri });
    assert.equal(added.toString(), uri.toString());
    const set = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString()) as typeof SINGLE;
    assert.equal(set.cases.length, 4);
    assert.deepEqual(set.cases[3], { query: FILES.cats[1], expect: { ids: ['fine-cats-1'] } });
    const items = await itemsOf(uri, 4);
    assert.equal(items[3].label, FILES.cats[1]);

    const fresh = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'evals', 'fresh.chroma-eval.json');
    written.push(fresh);
    await vscode.commands.executeCommand(Commands.addToEvalSet, hit, { ids: ['fine-cats-1', 'fine-cats-0'], set: fresh });
    const made = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(fresh)).toString()) as { target: { connection: string; collection: string }; cases: unknown[] };
    assert.deepEqual([made.target.connection, made.target.collection, made.cases.length], ['evalhost', 'eval-fine', 1]);
  });

  it('the editor flags an unknown connection and record ids the collection lacks, and completes connection names', async () => {
    const good = await writeSet('checks.chroma-eval.json', { target: { connection: 'evalhost', collection: 'eval-fine' }, cases: [{ query: 'cats', expect: { ids: ['fine-cats-0', 'ghost-id'] } }] });
    const bad = await writeSet('nowhere.chroma-eval.json', { target: { connection: 'nowhere', collection: 'eval-fine' }, cases: [{ query: 'cats', expect: { ids: ['fine-cats-0'] } }] });
    const doc = await vscode.workspace.openTextDocument(good);
    await vscode.window.showTextDocument(doc);
    const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Chroma');
    const [ghost] = await until(() => (ours(good).length > 0 ? ours(good) : undefined), 'the unknown id flagged');
    assert.equal(ghost.message, '"eval-fine" has no record "ghost-id": this case can never find it.');
    assert.equal(doc.getText(ghost.range), '"ghost-id"');
    assert.equal(ghost.severity, vscode.DiagnosticSeverity.Warning);
    await vscode.workspace.openTextDocument(bad);
    const [conn] = await until(() => (ours(bad).length > 0 ? ours(bad) : undefined), 'the unknown connection flagged');
    assert.match(conn.message, /^There is no connection named "nowhere": use "evalhost", or add it with "Chroma: Add Connection…"\.$/);
    assert.equal(conn.severity, vscode.DiagnosticSeverity.Error);
    const at = doc.positionAt(doc.getText().indexOf('"evalhost"') + 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', good, at);
    assert.ok(list.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'evalhost'), 'the connection is offered');
  });
});
