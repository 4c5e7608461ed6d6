import * as assert from 'node:assert/strict';
import { prepareTool, runTool } from '../../../../src/agents/core/runner';
import { sourceText } from '../../../../src/agents/core/tools/workspace';
import { makeWorkspace, TestToolContext, tinyModelDir } from '../../../support/agentContext';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';

/** The JSON lines of the fenced block of an answer. */
function records(text: string): Array<Record<string, unknown>> {
  const m = /\n(`{3,})jsonl\n([\s\S]*?)\n\1(\n|$)/.exec(text);
  return m ? m[2].split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

const CATS = '# Cats\n\nCats sleep most of the day.\n';
const DOGS = '# Dogs\n\nDogs fetch sticks in the park.\n';
const BIRDS = '# Birds\n\nBirds sing at dawn.\n';

describe('agent tools: the workspace tools (real Chroma, a folder on disk)', () => {
  const chroma = useChromaServer();
  let model: ReturnType<typeof tinyModelDir>;
  let workspace: ReturnType<typeof makeWorkspace>;
  let ctx: TestToolContext;
  let name: string;

  before(async () => {
    model = tinyModelDir();
    workspace = makeWorkspace({ 'notes/cats.md': CATS, 'notes/dogs.md': DOGS, 'notes/birds.md': BIRDS, 'notes/deep/fish.txt': 'Fish swim.\n', 'other.md': 'other\n' });
    ctx = new TestToolContext({ connections: { local: chroma.server.url }, model, workspace: workspace.dir });
    name = uniqueName('wsp');
    await clientFor(chroma.server.url).createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
  });
  after(() => {
    model?.remove();
    workspace?.remove();
  });

  it('adds the files that paths, folders and globs name, and a second add replaces their chunks', async () => {
    const prepared = await prepareTool(ctx, 'chroma_add_workspace_files', { collection_name: name, paths: ['notes/*.md', 'notes/deep'] });
    assert.ok(prepared.ok);
    assert.equal(prepared.invocation, `Adding workspace files to ${name}`);
    assert.equal(prepared.confirmation?.message, `Add 4 workspace files (notes/birds.md, notes/cats.md, notes/deep/fish.txt, …) to ${name} on local?`);
    const read = await prepareTool(ctx, 'chroma_search_workspace', { collection_name: name, query: 'x', connection: 'local' });
    assert.ok(read.ok);
    assert.deepEqual([read.invocation, read.confirmation], [`Searching the workspace in ${name} on local`, undefined], 'reads need no confirmation');
    const bad = await prepareTool(ctx, 'chroma_search_workspace', { collection_name: name });
    assert.deepEqual(bad, { ok: false, answer: { text: 'Missing query: What to search for, in words: it is embedded and compared with the stored documents.', isError: true, kind: 'bad-input' } });
    const first = await runTool(ctx, 'chroma_add_workspace_files', { collection_name: name, paths: ['notes/*.md', 'notes/deep'] });
    assert.deepEqual(first, { text: `Added to "${name}" on "local": 4 files: 4 chunks (4 new, 0 updated, 0 removed).`, isError: false });
    const again = await runTool(ctx, 'chroma_add_workspace_files', { collection_name: name, paths: ['notes/cats.md'] });
    assert.equal(again.text, `Added to "${name}" on "local": notes/cats.md: 1 chunk (0 new, 0 updated, 1 unchanged, 0 removed).`);
    const direct = clientFor(chroma.server.url);
    assert.equal(await direct.count(await direct.getCollection(name)), 4);
    const none = await runTool(ctx, 'chroma_add_workspace_files', { collection_name: name, paths: ['nothing/**/*.rs'] });
    assert.deepEqual(none, { text: 'paths: no workspace files match "nothing/**/*.rs" (check chroma.ingest.include, files.exclude and .gitignore).', isError: true, kind: 'bad-input' });
  });

  it('answers with file:line ranges marked fresh, moved, stale or missing, as the Results view marks them', async () => {
    await clientFor(chroma.server.url)
      .getCollection(name)
      .then((c) => clientFor(chroma.server.url).add(c, { ids: ['loose'], embeddings: [Array.from({ length: 16 }, () => 0.2)], documents: ['not from a file'] }));
    workspace.write('notes/dogs.md', `A line added on top.\n${DOGS}`);
    workspace.write('notes/birds.md', '# Birds\n\nBirds were rewritten.\n');
    workspace.delete('notes/deep/fish.txt');
    const answer = await runTool(ctx, 'chroma_search_workspace', { collection_name: name, query: 'animals', n_results: 10 });
    assert.equal(answer.isError, false, answer.text);
    const byId = new Map(records(answer.text).map((r) => [r.id, r]));
    assert.deepEqual([byId.get('notes/cats.md#0')?.source, byId.get('notes/cats.md#0')?.status], ['notes/cats.md:1-3', 'fresh']);
    assert.deepEqual([byId.get('notes/dogs.md#0')?.source, byId.get('notes/dogs.md#0')?.status], ['notes/dogs.md:2-4', 'moved (was lines 1-3)']);
    assert.deepEqual([byId.get('notes/birds.md#0')?.source, byId.get('notes/birds.md#0')?.status], ['notes/birds.md:1-3', 'stale: lines 1–3 changed since the record was added']);
    assert.deepEqual([byId.get('notes/deep/fish.txt#0')?.source, byId.get('notes/deep/fish.txt#0')?.status], ['notes/deep/fish.txt:1', 'missing: notes/deep/fish.txt is not in this workspace']);
    assert.deepEqual([byId.get('loose')?.source, byId.get('loose')?.status], [undefined, 'not from a workspace file']);
    assert.match(answer.text, /^5 hits for "animals" in ".*" on "local" \(/);
    for (const part of ['1 fresh', '1 moved', '1 stale', '1 missing', '1 not from a workspace file']) {
      assert.ok(answer.text.split('\n')[0].includes(part), `${part} in ${answer.text.split('\n')[0]}`);
    }
  });

  it('marks a record whose file cannot be compared as unchecked, and names the link it has', () => {
    const link = { source: 'a.md', startLine: 3, endLine: 3 };
    assert.deepEqual(sourceText(link, { path: 'a.md', status: { state: 'unchecked', reason: 'the record has no sha256 to compare with' } }), {
      source: 'a.md:3',
      status: 'unchecked: the record has no sha256 to compare with',
    });
  });

  it('honours cancellation: an aborted call answers that it was cancelled and does nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const direct = clientFor(chroma.server.url);
    const before = await direct.count(await direct.getCollection(name));
    const r = await runTool(ctx, 'chroma_add_workspace_files', { collection_name: name, paths: ['other.md'] }, { signal: ac.signal });
    assert.deepEqual(r, { text: 'Cancelled: the call stopped; anything it had finished stays done.', isError: true, kind: 'cancelled' });
    assert.equal(await direct.count(await direct.getCollection(name)), before);
  });
});
