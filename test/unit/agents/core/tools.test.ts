import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Confirmation } from '../../../../src/agents/core/confirm';
import { newToken } from '../../../../src/agents/core/mcp/guard';
import { McpToolServer } from '../../../../src/agents/core/mcp/server';
import { makeWorkspace, TestToolContext, tinyModelDir } from '../../../support/agentContext';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';
import { EmbeddingApprovals } from '../../../../src/embedding/core/approvals';
import { HttpStub } from '../../../support/httpStub';
import { connectMcp } from '../../../support/mcpClient';
import type { McpTestClient } from '../../../support/mcpClient';

const DEFAULT_FN = { embedding_function: { type: 'known', name: 'default', config: {} } };

/** Waits for a condition (polling), failing after `ms`. */
async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting until ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The JSON lines of the first fenced block of an answer. */
function records(text: string): Array<Record<string, unknown>> {
  const m = /\n(`{3,})jsonl\n([\s\S]*?)\n\1(\n|$)/.exec(text);
  return m ? m[2].split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

describe('agent tools: every tool through the MCP SDK client (real Chroma, tiny default model)', () => {
  const chroma = useChromaServer();
  const token = newToken();
  let model: ReturnType<typeof tinyModelDir>;
  let workspace: ReturnType<typeof makeWorkspace>;
  let context: TestToolContext;
  let server: McpToolServer;
  let mcp: McpTestClient;
  let maxResultChars = 8_000;
  const asked: Confirmation[] = [];

  before(async () => {
    model = tinyModelDir();
    workspace = makeWorkspace({
      'docs/cats.md': '# Cats\n\nCats sleep most of the day and purr when they are content.\n',
      'docs/vectors.md': '# Vectors\n\nChroma stores embeddings and finds the nearest neighbours of a query.\n',
      'src/app.ts': 'export const answer = 42;\n',
    });
    context = new TestToolContext({ connections: { local: chroma.server.url, second: chroma.server.url }, model, workspace: workspace.dir });
    server = new McpToolServer({ context, token, allowWrites: () => true, confirm: async (c) => (asked.push(c), true), maxResultChars: () => maxResultChars });
    await server.start();
    mcp = await connectMcp(server.url, { Authorization: `Bearer ${token}` });
  });
  after(async () => {
    await mcp?.close();
    await server?.stop();
    model?.remove();
    workspace?.remove();
  });

  it('creates, fills, reads, queries, changes and deletes a collection, asking before each change', async () => {
    const name = uniqueName('agent');
    const direct = clientFor(chroma.server.url);
    const ok = async (tool: string, args: Record<string, unknown>) => {
      const r = await mcp.call(tool, args);
      assert.equal(r.isError, false, `${tool}: ${r.text}`);
      return r.text;
    };

    assert.equal(await ok('chroma_create_collection', { collection_name: name, space: 'cosine', metadata: { owner: 'tests' } }), `Created collection "${name}" on "local" (embedding function default, distance cosine). Add records with chroma_add_documents or chroma_add_workspace_files.`);
    assert.equal(asked.at(-1)?.message, `Create collection ${name} on local?`);
    const listed = await ok('chroma_list_collections', {});
    assert.ok(records(listed).some((r) => r.name === name));

    const docs = ['cats purr and sleep', 'vector databases store embeddings', 'the weather is sunny today'];
    assert.equal(
      await ok('chroma_add_documents', { collection_name: name, documents: docs, ids: ['cat', 'vec', 'sun'], metadatas: [{ topic: 'pets', year: 2024 }, { topic: 'tech', year: 2025 }, null] }),
      `Added 3 records to "${name}" on "local" (embedded with default).`,
    );
    assert.equal(asked.at(-1)?.message, `Add 3 records to ${name} on local?`);
    assert.equal(
      await ok('chroma_add_documents', { collection_name: name, documents: ['again', 'new one'], ids: ['cat', 'new'] }),
      `Added 1 record to "${name}" on "local" (embedded with default). Left 1 existing id as it was: "cat" (change them with chroma_update_documents).`,
    );
    assert.equal(asked.at(-1)?.detail, '1 record with ids already there is left as it is.');
    assert.equal(await ok('chroma_get_collection_count', { collection_name: name }), `"${name}" on "local" holds 4 records.`);

    const info = await ok('chroma_get_collection_info', { collection_name: name });
    const facts = JSON.parse(/```json\n([\s\S]*)\n```/.exec(info)?.[1] ?? '{}') as Record<string, unknown>;
    assert.equal(facts.records, 4);
    assert.equal(facts.dimension, 16);
    assert.equal(facts.distance, 'cosine');
    assert.deepEqual(facts.embedding_function, { name: 'default', config: {} });
    assert.deepEqual(facts.metadata, { owner: 'tests' });

    const peek = records(await ok('chroma_peek_collection', { collection_name: name, limit: 2 }));
    assert.equal(peek.length, 2);

    // the nearest neighbour of a record's own text is that record, with the tiny model too
    const query = await ok('chroma_query_documents', { collection_name: name, query_texts: ['vector databases store embeddings', 'cats purr and sleep'], n_results: 2 });
    assert.match(query, /^Nearest records in ".*" on "local" \(embedded with default; distance cosine, smaller is closer\):\nQuery 1 \("vector databases store embeddings"\): records from collection/);
    const blocks = query.split(/\nQuery \d /).slice(1).map((b) => records(`\n${b}`));
    assert.equal(blocks[0][0].id, 'vec');
    assert.equal(blocks[1][0].id, 'cat');
    assert.equal(typeof blocks[0][0].distance, 'number');
    const filtered = records(await ok('chroma_query_documents', { collection_name: name, query_texts: ['anything'], n_results: 5, where: { year: { $gte: 2025 } }, include: ['metadatas', 'embeddings'] }));
    assert.deepEqual(filtered.map((r) => r.id), ['vec']);
    assert.deepEqual(Object.keys(filtered[0]).sort(), ['embedding', 'id', 'metadata', 'rank']);
    assert.equal((filtered[0].embedding as { dimension: number }).dimension, 16);

    const got = await ok('chroma_get_documents', { collection_name: name, ids: ['sun', 'nope'] });
    assert.match(got, /^1 record from ".*" on "local"\. Not there: "nope"\./);
    assert.deepEqual(records(got).map((r) => [r.id, r.document]), [['sun', 'the weather is sunny today']]);
    assert.deepEqual(records(await ok('chroma_get_documents', { collection_name: name, where_document: { $contains: 'purr' } })).map((r) => r.id), ['cat']);

    assert.equal(
      await ok('chroma_update_documents', { collection_name: name, ids: ['sun', 'ghost'], documents: ['rain all week', 'boo'], metadatas: [{ topic: 'weather' }, null] }),
      `Updated the documents and metadata of 1 record in "${name}" on "local" (embedded with default). Not there, so not changed: "ghost".`,
    );
    assert.equal(asked.at(-1)?.message, `Update 1 record in ${name} on local (documents and metadata)?`);
    const sun = await direct.get(await direct.getCollection(name), { ids: ['sun'], include: ['documents', 'metadatas', 'embeddings'] });
    assert.deepEqual([sun.documents?.[0], sun.metadatas?.[0]], ['rain all week', { topic: 'weather' }]);
    assert.equal(sun.embeddings?.[0]?.length, 16, 'the new document was embedded again');

    const renamed = `${name}-r`;
    assert.equal(await ok('chroma_modify_collection', { collection_name: name, new_name: renamed, new_metadata: { owner: 'agent' } }), `Changed collection "${name}" on "local": renamed it to "${renamed}" and replaced its metadata (1 key).`);
    assert.equal(asked.at(-1)?.message, `Change collection ${name} on local: rename it to ${renamed} and replace its metadata with 1 key?`);

    const fork = await mcp.call('chroma_fork_collection', { collection_name: renamed, new_collection_name: `${name}-f` });
    assert.equal(fork.isError, true);
    assert.match(fork.text, /^"local" cannot fork collections \(.*\): forking is a Chroma Cloud feature\. Copy the records with chroma_get_documents and chroma_add_documents instead\.$/);
    assert.doesNotMatch(fork.text, /\n/);

    assert.equal(await ok('chroma_delete_documents', { collection_name: renamed, ids: ['new'] }), `Deleted 1 record from "${renamed}" on "local".`);
    const before = asked.length;
    assert.equal(await ok('chroma_delete_collection', { collection_name: renamed }), `Deleted collection "${renamed}" on "local", which held 3 records.`);
    assert.equal(asked[before].message, `Delete collection ${renamed} on local and its 3 records?`);
    await assert.rejects(direct.getCollection(renamed), /does not exist/);
  });

  it('adds workspace files, searches them with file:line answers, and shows results in the view', async () => {
    const name = uniqueName('ws');
    const direct = clientFor(chroma.server.url);
    await direct.createCollection({ name, configuration: DEFAULT_FN });
    const added = await mcp.call('chroma_add_workspace_files', { collection_name: name, paths: ['docs/**/*.md'] });
    assert.equal(added.isError, false, added.text);
    assert.match(added.text, new RegExp(`^Added to "${name}" on "local": 2 files: `));
    assert.equal(asked.at(-1)?.message, `Add 2 workspace files (docs/cats.md, docs/vectors.md) to ${name} on local?`);

    const search = await mcp.call('chroma_search_workspace', { collection_name: name, query: '# Cats\n\nCats sleep most of the day and purr when they are content.\n', n_results: 2 });
    assert.equal(search.isError, false, search.text);
    assert.match(search.text, /^2 hits for .* \(2 fresh\); sources are workspace-relative file:line ranges\./);
    const hits = records(search.text);
    assert.deepEqual(hits[0].source, 'docs/cats.md:1-3');
    assert.equal(hits[0].status, 'fresh');

    const shown = await mcp.call('chroma_show_results', { collection_name: name, query: 'nearest neighbours', n_results: 2 });
    assert.equal(shown.isError, false, shown.text);
    assert.match(shown.text, /^The Chroma Results view now shows 2 hits for "nearest neighbours"/);
    const run = context.shown.at(-1);
    assert.ok(run);
    assert.equal(run.spec.collection, name);
    assert.equal(run.spec.connection, 'local');
    assert.deepEqual(run.spec.input, { kind: 'text', text: 'nearest neighbours' });
    assert.equal(run.hits.length, 2);
    assert.equal(run.queryVector.length, 16);
  });

  it('answers a bad filter, an unknown collection, an unknown connection and another database in one line each', async () => {
    const name = uniqueName('one');
    const direct = clientFor(chroma.server.url);
    const col = await direct.createCollection({ name, configuration: DEFAULT_FN });
    await direct.add(col, { ids: ['a'], embeddings: [Array.from({ length: 16 }, () => 0.25)], documents: ['x'] });
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['chroma_query_documents', { collection_name: name, query_texts: ['x'], where: { year: { $gt: 'soon' } } }, /^where\.year\.\$gt: needs a number, got "soon"/],
      ['chroma_get_documents', { collection_name: name, where: { $and: 'x' } }, /^where\.\$and: /],
      ['chroma_query_documents', { collection_name: 'no-such-collection', query_texts: ['x'] }, /^There is no collection "no-such-collection" on "local": list the collections with chroma_list_collections\.$/],
      ['chroma_get_collection_count', { collection_name: name, connection: 'prod' }, /^No connection named "prod" \(known: "local", "second"\): leave "connection" out to use the active one\.$/],
      ['chroma_list_collections', { database: 'no_such_db' }, /^There is no database "no_such_db" on "local": leave "database" out to use the connection's own\.$/],
      ['chroma_get_collection_count', { collection_name: name, database: 'no_such_db' }, /^There is no database "no_such_db" on "local"/],
      ['chroma_query_documents', { collection_name: name, query_text: 'x' }, /^Unknown parameter "query_text": chroma_query_documents takes collection_name, query_texts, /],
    ];
    for (const [tool, args, expected] of cases) {
      const r = await mcp.call(tool, args);
      assert.equal(r.isError, true, `${tool} ${JSON.stringify(args)}: ${r.text}`);
      assert.match(r.text, expected);
      assert.doesNotMatch(r.text, /\n/, 'one line');
    }
    // a database by name on another connection
    await direct.createDatabase('agents_db');
    const c2 = await direct.createCollection({ name, configuration: DEFAULT_FN }, { scope: { tenant: 'default_tenant', database: 'agents_db' } });
    await direct.add(c2, { ids: ['p', 'q'], embeddings: [Array.from({ length: 16 }, () => 0.1), Array.from({ length: 16 }, () => 0.2)], documents: ['p', 'q'] });
    const count = await mcp.call('chroma_get_collection_count', { collection_name: name, connection: 'second', database: 'agents_db' });
    assert.deepEqual(count, { text: `"${name}" on "second" (database "agents_db") holds 2 records.`, isError: false });
  });

  it('keeps an answer of 100 long hits under chroma.agents.maxResultChars, with one line saying what was left out', async () => {
    const name = uniqueName('big');
    const direct = clientFor(chroma.server.url);
    const col = await direct.createCollection({ name, configuration: DEFAULT_FN });
    const ids = Array.from({ length: 120 }, (_, i) => `r${i}`);
    const vectors = ids.map((_, i) => Array.from({ length: 16 }, (__, d) => Math.sin(i + d)));
    await direct.add(col, { ids, embeddings: vectors, documents: ids.map((id) => `${id} ${'filler text '.repeat(100)}`), metadatas: ids.map((id) => ({ id, n: 1 })) });
    for (const max of [8_000, 3_000]) {
      maxResultChars = max;
      const r = await mcp.call('chroma_query_documents', { collection_name: name, query_texts: ['filler'], n_results: 100 });
      assert.equal(r.isError, false);
      assert.ok(r.text.length <= max, `${r.text.length} > ${max}`);
      const last = r.text.split('\n').at(-1) ?? '';
      const shown = records(r.text).length;
      assert.equal(last, `… ${100 - shown} more records not shown (ask with a smaller n_results or a filter)`);
    }
    maxResultChars = 8_000;
  });

  it('never approves a key: tells the person what to allow, and sends nothing; a collection without a function needs a choice', async () => {
    const provider = await HttpStub.start(() => ({ body: { data: [{ index: 0, embedding: Array.from({ length: 16 }, () => 0.1) }] } }));
    const keyed = new TestToolContext({ connections: { local: chroma.server.url }, model, workspace: workspace.dir, env: { TEAM_EMBEDDING_KEY: 'sk-secret' } });
    const other = new McpToolServer({ context: keyed, token, allowWrites: () => true, confirm: async () => true });
    await other.start();
    const c = await connectMcp(other.url, { Authorization: `Bearer ${token}` });
    try {
      const direct = clientFor(chroma.server.url);
      const name = uniqueName('keyed');
      await direct.createCollection({
        name,
        configuration: { embedding_function: { type: 'known', name: 'openai', config: { model_name: 'm', api_key_env_var: 'TEAM_EMBEDDING_KEY', api_base: `${provider.url}/v1` } } },
      });
      const r = await c.call('chroma_query_documents', { collection_name: name, query_texts: ['x'] });
      assert.equal(r.isError, true);
      assert.match(r.text, new RegExp(`^Embedding for "${name}" needs the person's approval, which a tool never gives \\(Nothing was sent: .*\\)\\. Ask them to run "Chroma: Query Collection…" on "${name}" in VS Code and choose Allow, then try again\\.$`));
      const files = await c.call('chroma_add_workspace_files', { collection_name: name, paths: ['docs/cats.md'] });
      assert.equal(files.isError, true);
      assert.match(files.text, new RegExp(`^Embedding for "${name}" needs the person's approval, which a tool never gives`));
      assert.equal(provider.seen.length, 0, 'nothing was sent to the embedding host');
      assert.equal(await direct.count(await direct.getCollection(name)), 0);
      // once the person has allowed both (in VS Code), the same call goes through
      keyed.approved.add(EmbeddingApprovals.envVarId('openai', 'TEAM_EMBEDDING_KEY'));
      keyed.approved.add(EmbeddingApprovals.textId('openai', provider.origin));
      keyed.approved.add(EmbeddingApprovals.sendId('TEAM_EMBEDDING_KEY', provider.origin));
      const add = await c.call('chroma_add_documents', { collection_name: name, documents: ['x'], ids: ['x'] });
      assert.equal(add.isError, false, add.text);
      assert.equal(provider.seen[0].headers.authorization, 'Bearer sk-secret');

      const legacy = uniqueName('legacy');
      await direct.createCollection({ name: legacy });
      const choice = await c.call('chroma_add_documents', { collection_name: legacy, documents: ['x'], ids: ['x'] });
      assert.deepEqual(choice, {
        text: `"${legacy}" stores no embedding function, so text cannot be embedded for it. Ask the person to choose one with "Chroma: Choose Embedding Function…" in VS Code, then try again.`,
        isError: true,
      });
      assert.equal(await direct.count(await direct.getCollection(legacy)), 0);
    } finally {
      await c.close();
      await other.stop();
      await provider.stop();
    }
  });

  it("honours cancellation over MCP: the client's abort reaches the embedding request in flight", async () => {
    const held: Array<{ closed: boolean }> = [];
    // an embedding host that takes the request and never answers
    const slow = createServer((_req, res) => {
      const h = { closed: false };
      held.push(h);
      res.on('close', () => (h.closed = true));
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    try {
      const name = uniqueName('slow');
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
      // the person allowed this host in VS Code (a tool never asks)
      context.approved.add(EmbeddingApprovals.textId('ollama', url));
      await clientFor(chroma.server.url).createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'ollama', config: { url, model_name: 'm' } } } });
      const ac = new AbortController();
      const call = mcp.call('chroma_query_documents', { collection_name: name, query_texts: ['x'] }, { signal: ac.signal });
      await until(() => held.length === 1, 'the embedding request arrives');
      ac.abort();
      await assert.rejects(call, /abort/i);
      await until(() => held[0].closed, 'the server side drops the embedding request');
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });

  it('remembers a queried collection for a burst of queries, and looks it up again once it was re-created', async () => {
    const name = uniqueName('again');
    const direct = clientFor(chroma.server.url);
    const first = await direct.createCollection({ name, configuration: DEFAULT_FN });
    await direct.add(first, { ids: ['old'], embeddings: [Array.from({ length: 16 }, () => 0.25)], documents: ['old'] });
    assert.deepEqual(records((await mcp.call('chroma_query_documents', { collection_name: name, query_texts: ['x'] })).text).map((r) => r.id), ['old']);
    const lookUp = `GET /api/v2/tenants/default_tenant/databases/default_database/collections/${name}`;
    assert.ok(context.requests.includes(lookUp), 'the first query looked the collection up');
    const sent = context.requests.length;
    assert.equal((await mcp.call('chroma_query_documents', { collection_name: name, query_texts: ['y'] })).isError, false);
    assert.deepEqual(context.requests.slice(sent).filter((r) => r === lookUp), [], 'the second query of the burst does not look the collection up again');
    // re-created behind the tools' back
    await direct.deleteCollection(name);
    const second = await direct.createCollection({ name, configuration: DEFAULT_FN });
    await direct.add(second, { ids: ['new'], embeddings: [Array.from({ length: 16 }, () => 0.5)], documents: ['new'] });
    const again = await mcp.call('chroma_query_documents', { collection_name: name, query_texts: ['x'] });
    assert.equal(again.isError, false, again.text);
    assert.deepEqual(records(again.text).map((r) => r.id), ['new']);
    // deleted through a tool: the next query says so
    assert.equal((await mcp.call('chroma_delete_collection', { collection_name: name })).isError, false);
    assert.match((await mcp.call('chroma_query_documents', { collection_name: name, query_texts: ['x'] })).text, /^There is no collection/);
  });
});
