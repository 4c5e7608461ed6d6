import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import { Commands } from '../../src/platform/commandIds';
import type { AddResult } from '../../src/ingest/commands';
import { freePort } from '../support/chromaServer';
import { useChromaServer } from '../support/fixtures';
import { QuickInputDriver } from './quickInputDriver';
import { activateApi, captureMessages, clearConnections, installTinyModel, until } from './support';

const DEFAULT_EF = { embedding_function: { type: 'known', name: 'default', config: {} } };
const section = (n: number, body = 'text') => `## Section ${n}\n\n${body} ${n}: chroma stores embeddings of documents in a collection. `.padEnd(400, 'the cat sat on the mat. ') + '\n\n';

describe('ingest: add documents from the editor, in real VS Code', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let folder: vscode.Uri;
  let messages: ReturnType<typeof captureMessages>;
  const target = (collection: string) => ({ connection: 'ingest', collection });

  before(async function () {
    this.timeout(60_000);
    await installTinyModel();
    client = new ChromaClient({ url: ctx.server.url });
    folder = vscode.workspace.workspaceFolders![0].uri;
  });
  beforeEach(async () => {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'ingest', url: ctx.server.url }, { secret: null });
    messages = captureMessages();
  });
  afterEach(async () => {
    messages.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearConnections();
  });

  async function fresh(name: string): Promise<Collection> {
    await client.deleteCollection(name).catch(() => undefined);
    return client.createCollection({ name, configuration: DEFAULT_EF });
  }

  async function write(rel: string, text: string | Uint8Array): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder, rel);
    await vscode.workspace.fs.writeFile(uri, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    return uri;
  }

  async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  }

  it('adds the active file: chunk ids <path>#<i>, source metadata, the collection\'s embedding function', async () => {
    const col = await fresh('notes');
    const uri = await write('notes.md', Array.from({ length: 8 }, (_, i) => section(i)).join(''));
    await open(uri);
    const res = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, target('notes'));
    assert.ok(res.counts.added > 1, JSON.stringify(res.counts));
    assert.match(res.message, new RegExp(`^notes\\.md: ${res.counts.total} chunks \\(${res.counts.total} new, 0 updated, 0 removed\\)$`));
    assert.deepEqual(messages.infos.at(-1), res.message);
    const got = await client.get(col, { include: ['documents', 'metadatas', 'embeddings'] });
    assert.deepEqual([...got.ids].sort(), Array.from({ length: res.counts.total }, (_, i) => `notes.md#${i}`).sort());
    const m = got.metadatas![got.ids.indexOf('notes.md#0')]!;
    assert.equal(m.source, 'notes.md');
    assert.equal(m.uri, uri.toString());
    assert.equal(m.languageId, 'markdown');
    assert.equal(m.startLine, 1);
    assert.equal(m.chunk, 0);
    assert.equal(m.chunks, res.counts.total);
    assert.match(String(m.sha256), /^[0-9a-f]{64}$/);
    assert.ok(!Number.isNaN(Date.parse(String(m.addedAt))));
    assert.equal(got.embeddings![0].length, 16, 'embedded with the tiny default model');
  });

  it('edit and re-add: counts say what changed, and removed chunks are gone', async () => {
    const col = await fresh('notes');
    const uri = await write('notes.md', Array.from({ length: 8 }, (_, i) => section(i)).join(''));
    const editor = await open(uri);
    const first = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, target('notes'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, editor.document.lineCount, 0), Array.from({ length: 4 }, (_, i) => section(i, i === 1 ? 'changed' : 'text')).join(''));
    await vscode.workspace.applyEdit(edit);
    await editor.document.save();
    const second = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, target('notes'));
    assert.equal(second.counts.removed, first.counts.total - second.counts.total);
    assert.ok(second.counts.removed > 0);
    assert.match(second.message, /^notes\.md: \d+ chunks \(\d+ new, \d+ updated, (\d+ unchanged, )?\d+ removed\)$/);
    const got = await client.get(col, { include: ['documents'] });
    assert.deepEqual([...got.ids].sort(), Array.from({ length: second.counts.total }, (_, i) => `notes.md#${i}`).sort());
    assert.ok(got.documents!.some((d) => d!.includes('changed 1')));
  });

  it('adds a selection as one record <path>#L<start>-L<end>', async () => {
    const col = await fresh('snippets');
    const uri = await write('src/app.py', 'import chromadb\n\nclient = chromadb.HttpClient()\ncol = client.get_collection("notes")\nprint(col.count())\n');
    const editor = await open(uri);
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    const res = await vscode.commands.executeCommand<AddResult>(Commands.addSelection, target('snippets'));
    assert.equal(res.counts.added, 1);
    const got = await client.get(col, { include: ['documents', 'metadatas'] });
    assert.deepEqual(got.ids, ['src/app.py#L3-L5']);
    assert.equal(got.documents![0], 'client = chromadb.HttpClient()\ncol = client.get_collection("notes")\nprint(col.count())\n');
    assert.deepEqual([got.metadatas![0]!.startLine, got.metadatas![0]!.endLine, got.metadatas![0]!.languageId], [3, 5, 'python']);
  });

  it('adds a folder of 200 files, respecting .gitignore and skipping binaries', async function () {
    this.timeout(240_000);
    const col = await fresh('corpus');
    for (let i = 0; i < 200; i++) {
      await write(`corpus/doc-${String(i).padStart(3, '0')}.md`, `# Document ${i}\n\nThis is document ${i} about chroma and vectors.\n`);
    }
    await write('corpus/ignored/secret.md', '# ignored by .gitignore\n');
    await write('corpus/.gitignore', 'ignored/\n');
    await write('corpus/image.txt', new Uint8Array([137, 80, 78, 71, 0, 0, 0, 13]));
    const dir = vscode.Uri.joinPath(folder, 'corpus');
    const res = await vscode.commands.executeCommand<AddResult>(Commands.addFiles, dir, [dir], target('corpus'));
    assert.equal(res.files, 200);
    assert.equal(res.counts.added, 200);
    assert.equal(res.skipped.length, 1);
    assert.match(res.skipped[0], /corpus\/image\.txt looks binary/);
    assert.match(res.message, /^200 files: 200 chunks \(200 new, 0 updated, 0 removed\); skipped 1: /);
    assert.equal(await client.count(col), 200);
    const ignored = await client.get(col, { where: { source: 'corpus/ignored/secret.md' } });
    assert.deepEqual(ignored.ids, []);
  });

  it('cancelled midway: says exactly what was written; running again finishes with the exact set of ids', async function () {
    this.timeout(240_000);
    const col = await fresh('cancel');
    for (let i = 0; i < 30; i++) {
      await write(`batch/file-${String(i).padStart(2, '0')}.md`, Array.from({ length: 6 }, (_, j) => section(j, `file ${i}`)).join(''));
    }
    const dir = vscode.Uri.joinPath(folder, 'batch');
    // Cancel the real progress notification's token once 30 records are written, as a click on Cancel would.
    const w = vscode.window as unknown as Record<string, unknown>;
    const withProgress = vscode.window.withProgress;
    w.withProgress = (options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) =>
      withProgress.call(vscode.window, options, (progress, token) => {
        const source = new vscode.CancellationTokenSource();
        token.onCancellationRequested(() => source.cancel());
        const spy = {
          report: (v: { message?: string }) => {
            progress.report(v);
            const written = Number(/(\d+) records written/.exec(v.message ?? '')?.[1] ?? 0);
            if (written >= 30) {
              source.cancel();
            }
          },
        };
        return task(spy, source.token);
      });
    let cancelled: AddResult | undefined;
    try {
      cancelled = await vscode.commands.executeCommand<AddResult | undefined>(Commands.addFiles, dir, [dir], target('cancel'));
    } finally {
      w.withProgress = withProgress;
    }
    assert.equal(cancelled, undefined);
    const said = messages.errors.at(-1) ?? '';
    const m = /^Cancelled after (\d+) of 30 files: (\d+) records written in all \(\d+ new, 0 updated\)\. Run it again to finish; nothing is duplicated\.$/.exec(said);
    assert.ok(m, said);
    const written = Number(m[2]);
    assert.ok(written >= 30 && written < 90, said);
    assert.equal(await client.count(col), written, 'exactly what the message says was written');
    const rerun = await vscode.commands.executeCommand<AddResult>(Commands.addFiles, dir, [dir], target('cancel'));
    assert.ok(rerun.counts.unchanged > 0, rerun.message);
    const all = await client.get(col, { include: ['metadatas'] });
    const expected = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const file = `batch/file-${String(i).padStart(2, '0')}.md`;
      const chunks = all.metadatas!.find((m) => m!.source === file)!.chunks as number;
      for (let c = 0; c < chunks; c++) {
        expected.add(`${file}#${c}`);
      }
    }
    assert.deepEqual([...all.ids].sort(), [...expected].sort());
  });

  it('picks the target: connection → collection, most recent first, with "New collection…"', async () => {
    await fresh('alpha');
    const beta = await fresh('beta');
    await open(await write('pick.md', section(5)));
    await vscode.commands.executeCommand(Commands.addActiveFile, target('beta'));
    const driver = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand<AddResult>(Commands.addActiveFile);
      const step = await driver.pick();
      assert.equal(step.labels[0], '$(add) New collection…');
      assert.equal(step.labels[1], 'beta', 'the most recent target comes first and is preselected');
      assert.equal((await done).counts.unchanged, 1);
      assert.equal(await client.count(beta), 1);
      const created = vscode.commands.executeCommand<AddResult>(Commands.addActiveFile);
      await driver.pick({ label: /New collection/ });
      await driver.input('made-from-editor');
      assert.equal((await created).counts.added, 1);
      const made = await client.getCollection('made-from-editor');
      assert.equal(made.configuration_json?.embedding_function?.name, 'default');
    } finally {
      driver.dispose();
      await client.deleteCollection('made-from-editor').catch(() => undefined);
    }
  });

  it('records the git commit of files in a git repository (through VS Code\'s git extension)', async function () {
    this.timeout(120_000);
    const col = await fresh('git');
    const repo = vscode.Uri.joinPath(folder, 'repo');
    const uri = await write('repo/readme.md', '# Repo\n\nTracked file about chroma.\n');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo.fsPath, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init');
    const head = git('rev-parse', 'HEAD');
    const gitApi = (await vscode.extensions.getExtension<{ getAPI(v: 1): { openRepository(u: vscode.Uri): Promise<unknown>; getRepository(u: vscode.Uri): { state: { HEAD?: { commit?: string } } } | null } }>('vscode.git')!.activate()).getAPI(1);
    await gitApi.openRepository(repo);
    await until(() => gitApi.getRepository(uri)?.state.HEAD?.commit === head, 'the git extension to see the repository');
    await open(uri);
    await vscode.commands.executeCommand(Commands.addActiveFile, target('git'));
    const got = await client.get(col, { include: ['metadatas'] });
    assert.equal(got.metadatas![0]!.gitCommit, head);
    assert.equal(got.metadatas![0]!.source, 'repo/readme.md');
  });

  describe('bad input: a clear message, and nothing is sent', () => {
    it('an empty file', async () => {
      const col = await fresh('bad');
      await open(await write('empty.md', '   \n\n'));
      assert.equal(await vscode.commands.executeCommand(Commands.addActiveFile, target('bad')), undefined);
      assert.match(messages.errors.at(-1) ?? '', /^empty\.md is empty\. Nothing was sent\.$/);
      assert.equal(await client.count(col), 0);
    });

    it('a binary file, and a file over chroma.ingest.maxFileSizeMB', async () => {
      const col = await fresh('bad');
      const bin = await write('blob.dat', new Uint8Array([1, 2, 0, 4]));
      await vscode.commands.executeCommand(Commands.addFiles, bin, [bin], target('bad'));
      assert.match(messages.errors.at(-1) ?? '', /No text files to add: blob\.dat looks binary/);
      await vscode.workspace.getConfiguration().update('chroma.ingest.maxFileSizeMB', 0.01, vscode.ConfigurationTarget.Global);
      try {
        const big = await write('big.md', 'x'.repeat(20_000));
        await vscode.commands.executeCommand(Commands.addFiles, big, [big], target('bad'));
        assert.match(messages.errors.at(-1) ?? '', /^No text files to add: big\.md is 20 KiB, over the 10 KiB limit \(chroma\.ingest\.maxFileSizeMB\)\.$/);
      } finally {
        await vscode.workspace.getConfiguration().update('chroma.ingest.maxFileSizeMB', undefined, vscode.ConfigurationTarget.Global);
      }
      assert.equal(await client.count(col), 0);
    });

    it('an untitled editor is allowed: its id comes from the title, and it gets no source path', async () => {
      const col = await fresh('untitled');
      const doc = await vscode.workspace.openTextDocument({ content: 'scratch notes about chroma collections', language: 'markdown' });
      await vscode.window.showTextDocument(doc);
      const res = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, target('untitled'));
      assert.equal(res.counts.added, 1);
      const got = await client.get(col, { include: ['metadatas'] });
      assert.match(got.ids[0], /^Untitled-\d+#0$/);
      assert.equal('source' in got.metadatas![0]!, false);
      assert.match(String(got.metadatas![0]!.uri), /^untitled:/);
    });

    it('a dimension mismatch with existing records', async () => {
      const col = await fresh('dims');
      await client.add(col, { ids: ['old'], embeddings: [[1, 2, 3]] });
      await open(await write('dims.md', section(1)));
      await vscode.commands.executeCommand(Commands.addActiveFile, target('dims'));
      assert.match(messages.errors.at(-1) ?? '', /makes 16-dimensional vectors, but the collection holds 3-dimensional ones.*0 of 1 records were written/);
      assert.equal(await client.count(col), 1);
    });

    it('a collection deleted meanwhile, and a server that is down', async () => {
      const api = await activateApi();
      await fresh('vanishing');
      await open(await write('gone.md', section(2)));
      // the collection node the user clicked, whose collection is deleted before the write
      const col = await client.getCollection('vanishing');
      const node = { kind: 'collection', id: 'x', collection: col, parent: { kind: 'database', id: 'd', tenant: col.tenant, database: col.database, parent: api.model.roots()[0] } };
      await client.deleteCollection('vanishing');
      await vscode.commands.executeCommand(Commands.addActiveEditorHere, node);
      assert.match(messages.errors.at(-1) ?? '', /does not exist/);
      const port = await freePort();
      await api.store.save({ name: 'down', url: `http://127.0.0.1:${port}` }, { secret: null });
      await vscode.commands.executeCommand(Commands.addActiveFile, { connection: 'down', collection: 'anything' });
      assert.match(messages.errors.at(-1) ?? '', new RegExp(`Cannot reach Chroma at 127\\.0\\.0\\.1:${port}: connection refused`));
    });
  });
});
