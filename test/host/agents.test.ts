import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { AddResult } from '../../src/ingest/commands';
import { Commands } from '../../src/platform/commandIds';
import { DECLINED, WRITES_OFF } from '../../src/agents/core/mcp/server';
import { toolNamesOf } from '../../src/agents/toolNames';
import { uniqueName, useChromaServer } from '../support/fixtures';
import { connectMcp, rawRequest } from '../support/mcpClient';
import { activateApi, activateExtension, answerModals, clearConnections, installTinyModel, until } from './support';

const DEFAULT_EF = { embedding_function: { type: 'known', name: 'default', config: {} } };

/** A tool through VS Code's own lm API, as an agent in chat calls it: the text of its answer. */
async function invoke(name: string, input: Record<string, unknown>): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

async function configure(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('chroma').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('agents: language-model tools and the MCP server, in real VS Code', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let folder: vscode.Uri;

  before(async function () {
    this.timeout(60_000);
    await installTinyModel();
    client = new ChromaClient({ url: ctx.server.url });
    folder = vscode.workspace.workspaceFolders![0].uri;
  });
  beforeEach(async () => {
    const api = await activateApi();
    await clearConnections();
    await api.store.save({ name: 'agents', url: ctx.server.url }, { secret: null });
    await api.store.setActive('agents');
  });
  afterEach(async () => {
    await configure('mcp.enabled', undefined);
    await configure('mcp.allowWrites', undefined);
    await configure('agents.maxResultChars', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearConnections();
  });

  it('registers every tool package.json declares, and lists collections through vscode.lm.invokeTool', async () => {
    const ext = await activateExtension();
    const declared = toolNamesOf(ext.packageJSON);
    assert.equal(declared.length, 16);
    const known = new Set(vscode.lm.tools.map((t) => t.name));
    assert.deepEqual(declared.filter((n) => !known.has(n)), []);
    const name = uniqueName('agl');
    await client.createCollection({ name, configuration: DEFAULT_EF });
    const text = await invoke('chroma_list_collections', { limit: 1000 });
    assert.ok(text.includes(JSON.stringify(name)), text);
    assert.match(text.split('\n')[0], /on "agents"/);
  });

  it('a write asks first: its confirmation names the connection, collection and change, and nothing changes before', async () => {
    const api = await activateApi();
    const name = uniqueName('agw');
    const col = await client.createCollection({ name, configuration: DEFAULT_EF });
    const tool = api.features().agents.tool('chroma_add_documents')!;
    const input = { collection_name: name, documents: ['cats purr', 'dogs bark'], ids: ['c', 'd'] };
    const prepared = await tool.prepareInvocation!({ input }, new vscode.CancellationTokenSource().token);
    assert.equal(prepared?.confirmationMessages?.title, 'Add Chroma records');
    const message = prepared?.confirmationMessages?.message;
    // the question as plain text: names from the agent are escaped, never rendered as Markdown
    assert.equal(typeof message === 'string' ? message : message?.value, new vscode.MarkdownString().appendText(`Add 2 records to ${name} on agents?`).value);
    assert.equal(await client.count(col), 0, 'asking changes nothing');
    // a read asks nothing
    const read = await api.features().agents.tool('chroma_get_collection_count')!.prepareInvocation!({ input: { collection_name: name } }, new vscode.CancellationTokenSource().token);
    assert.equal(read?.confirmationMessages, undefined);
    assert.equal(read?.invocationMessage, `Counting records in ${name}`);
  });

  it('queries with the collection\'s own function, and answers a bad filter, an unknown collection and a long answer in one line', async () => {
    const name = uniqueName('agq');
    const col = await client.createCollection({ name, configuration: DEFAULT_EF });
    await configure('mcp.enabled', true);
    await configure('mcp.allowWrites', true);
    const api = await activateApi();
    const endpoint = await api.features().agents.endpoint();
    const modals = answerModals('Allow');
    const mcp = await connectMcp(endpoint.url, { Authorization: `Bearer ${endpoint.token}` });
    try {
      const docs = Array.from({ length: 30 }, (_, i) => `note ${i}: ${'chroma keeps embeddings of documents. '.repeat(20)}`);
      const added = await mcp.call('chroma_add_documents', { collection_name: name, documents: docs, ids: docs.map((_, i) => `n${i}`) });
      assert.equal(added.isError, false, added.text);
      assert.deepEqual(modals.asked, [`Add 30 records to ${name} on agents? modal=true detail=An agent outside VS Code asks for this through the Chroma MCP server.`]);
    } finally {
      modals.dispose();
      await mcp.close();
    }
    assert.equal(await client.count(col), 30);

    const hits = await invoke('chroma_query_documents', { collection_name: name, query_texts: ['note 3'], n_results: 3 });
    assert.equal(hits.split('\n')[0], `Nearest records in "${name}" on "agents" (embedded with default; distance l2, smaller is closer):`);
    const records = hits.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { rank: number; id: string });
    assert.deepEqual(records.map((r) => r.rank), [1, 2, 3]);
    assert.ok(records.every((r) => /^n\d+$/.test(r.id)), hits);

    const bad = await invoke('chroma_get_documents', { collection_name: name, where: { n: { $near: 1 } } });
    assert.equal(bad.split('\n').length, 1, bad);
    assert.match(bad, /^where/);
    const missing = await invoke('chroma_get_collection_count', { collection_name: 'no-such-collection' });
    assert.equal(missing, 'There is no collection "no-such-collection" on "agents": list the collections with chroma_list_collections.');

    await configure('agents.maxResultChars', 1000);
    const long = await invoke('chroma_query_documents', { collection_name: name, query_texts: ['note'], n_results: 30 });
    assert.ok(long.length <= 1000, `${long.length} characters`);
    assert.match(long.split('\n').at(-1) ?? '', /^… \d+ more records not shown \(ask with a smaller n_results or a filter\)$/);
  });

  it('searches the workspace: hits as file:line ranges, marked fresh, then stale once the file changes; show_results fills the Results view', async () => {
    const api = await activateApi();
    const name = uniqueName('ags');
    const col = await client.createCollection({ name, configuration: DEFAULT_EF });
    const uri = vscode.Uri.joinPath(folder, 'agents-notes.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('# Cats\n\nCats purr when they are content.\n', 'utf8'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const res = await vscode.commands.executeCommand<AddResult>(Commands.addActiveFile, { connection: 'agents', collection: name });
    assert.equal(res.counts.total, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const fresh = await invoke('chroma_search_workspace', { collection_name: name, query: 'cats purr' });
    assert.match(fresh.split('\n')[0], /^1 hit for "cats purr" in .* \(1 fresh\); sources are workspace-relative file:line ranges\.$/);
    assert.ok(fresh.includes('"source":"agents-notes.md:1-3"'), fresh);

    await vscode.workspace.fs.writeFile(uri, Buffer.from('# Dogs\n\nDogs bark at the mail.\n', 'utf8'));
    const stale = await until(async () => {
      const t = await invoke('chroma_search_workspace', { collection_name: name, query: 'cats purr' });
      return t.includes('(1 stale)') ? t : undefined;
    }, 'the hit marked stale');
    assert.ok(stale.includes('"source":"agents-notes.md:1-3"'), stale);

    const shown = await invoke('chroma_show_results', { collection_name: name, query: 'cats purr' });
    assert.match(shown, /^The Chroma Results view now shows 1 hit for "cats purr"/);
    const entries = api.features().query.view.shown();
    assert.equal(entries.length, 1);
    assert.equal(entries[0].spec.collection, name);
    assert.deepEqual(entries[0].run?.hits.map((h) => h.id), [(await client.get(col, {})).ids[0]]);
    await vscode.workspace.fs.delete(uri);
  });

  it('a key that needs the person\'s approval is never approved by a tool: the answer says how to allow it', async () => {
    process.env.TEAM_EMBEDDING_KEY = 'sk-not-sent';
    try {
      const name = uniqueName('agk');
      await client.createCollection({
        name,
        configuration: { embedding_function: { type: 'known', name: 'openai', config: { model_name: 'm', api_key_env_var: 'TEAM_EMBEDDING_KEY', api_base: 'http://127.0.0.1:9/v1' } } },
      });
      const modals = answerModals('Allow');
      try {
        const text = await invoke('chroma_query_documents', { collection_name: name, query_texts: ['x'] });
        assert.match(text, new RegExp(`^Embedding for "${name}" needs the person's approval, which a tool never gives \\(.*\\)\\. Ask them to run "Chroma: Query Collection…" on "${name}" in VS Code and choose Allow, then try again\\.$`));
        assert.deepEqual(modals.asked, [], 'no dialog was shown');
      } finally {
        modals.dispose();
      }
    } finally {
      delete process.env.TEAM_EMBEDDING_KEY;
    }
  });

  it('MCP: off until turned on; the SDK client lists and calls the tools; 401 without the token; writes refused while allowWrites is off and when the person says no; the status tooltip names the port', async () => {
    const api = await activateApi();
    assert.ok(!String((api.status.item.tooltip as vscode.MarkdownString).value).includes('MCP server'));
    await configure('mcp.enabled', true);
    const endpoint = await api.features().agents.endpoint();
    const port = Number(new URL(endpoint.url).port);
    await until(() => String((api.status.item.tooltip as vscode.MarkdownString).value).includes(`MCP server for agents: on, at 127.0.0.1 port ${port}`), 'the tooltip to name the port');
    assert.equal((await api.features().agents.endpoint()).token, endpoint.token, 'one token, kept');

    const name = uniqueName('agm');
    await client.createCollection({ name, configuration: DEFAULT_EF });
    const mcp = await connectMcp(endpoint.url, { Authorization: `Bearer ${endpoint.token}` });
    try {
      const listed = await mcp.client.listTools();
      assert.equal(listed.tools.length, 16);
      assert.deepEqual(await mcp.call('chroma_get_collection_count', { collection_name: name }), { text: `"${name}" on "agents" holds 0 records.`, isError: false });
      assert.deepEqual(await mcp.call('chroma_delete_collection', { collection_name: name }), { text: WRITES_OFF, isError: true });
      await client.getCollection(name);
      // allowed, the write asks in a modal; refused there, nothing changes
      await configure('mcp.allowWrites', true);
      const modals = answerModals(undefined);
      try {
        assert.deepEqual(await mcp.call('chroma_delete_collection', { collection_name: name }), { text: DECLINED, isError: true });
        assert.deepEqual(modals.asked, [`Delete collection ${name} on agents and its 0 records? modal=true detail=This cannot be undone. An agent outside VS Code asks for this through the Chroma MCP server.`]);
      } finally {
        modals.dispose();
      }
      await client.getCollection(name);
    } finally {
      await mcp.close();
    }
    const unauthorized = await rawRequest(endpoint.url, { headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unauthorized.status, 401);

    await configure('mcp.enabled', false);
    await until(() => !String((api.status.item.tooltip as vscode.MarkdownString).value).includes('MCP server'), 'the tooltip to drop the MCP line');
    await assert.rejects(rawRequest(endpoint.url, { body: '{}' }), /ECONNREFUSED/);
  });
});
