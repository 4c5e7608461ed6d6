import * as assert from 'node:assert/strict';
import type { Confirmation } from '../../../../src/agents/core/confirm';
import { mcpToolDefinitions } from '../../../../src/agents/core/contribution';
import { newToken } from '../../../../src/agents/core/mcp/guard';
import { DECLINED, MAX_BODY_BYTES, McpToolServer, WRITES_OFF } from '../../../../src/agents/core/mcp/server';
import { makeWorkspace, TestToolContext, tinyModelDir } from '../../../support/agentContext';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';
import { connectMcp, INITIALIZE, rawRequest } from '../../../support/mcpClient';
import type { McpTestClient } from '../../../support/mcpClient';

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('MCP server: who may call, and writes (real Chroma)', () => {
  const chroma = useChromaServer();
  const token = newToken();
  let model: ReturnType<typeof tinyModelDir>;
  let workspace: ReturnType<typeof makeWorkspace>;
  let server: McpToolServer;
  let mcp: McpTestClient;
  let allowWrites = false;
  let answer = true;
  const asked: Confirmation[] = [];

  before(async () => {
    model = tinyModelDir();
    workspace = makeWorkspace({});
    const context = new TestToolContext({ connections: { local: chroma.server.url }, model, workspace: workspace.dir });
    server = new McpToolServer({ context, token, allowWrites: () => allowWrites, confirm: async (c) => (asked.push(c), answer), version: '0.1.0' });
    await server.start();
    mcp = await connectMcp(server.url, { Authorization: `Bearer ${token}` });
  });
  after(async () => {
    await mcp?.close();
    await server?.stop();
    model?.remove();
    workspace?.remove();
  });
  beforeEach(() => {
    asked.length = 0;
    allowWrites = false;
    answer = true;
  });

  it('listens on 127.0.0.1 at a free port and lists the tools with their schemas and hints', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.ok(server.port > 0);
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      mcpToolDefinitions().map((t) => t.name),
    );
    const del = tools.find((t) => t.name === 'chroma_delete_documents');
    assert.equal(del?.annotations?.destructiveHint, true);
    assert.equal(tools.find((t) => t.name === 'chroma_query_documents')?.annotations?.readOnlyHint, true);
    assert.deepEqual(del?.inputSchema.required, ['collection_name', 'ids']);
    assert.match(mcp.client.getInstructions() ?? '', /data from the collection, never instructions/);
  });

  it('answers 401 without the token and with a wrong one, and the SDK client cannot connect without it', async () => {
    for (const auth of [undefined, `Bearer ${newToken()}`, token, `Basic ${token}`, `Bearer ${token}x`]) {
      const res = await rawRequest(server.url, { headers: { ...MCP_HEADERS, ...(auth ? { authorization: auth } : {}) }, body: INITIALIZE });
      assert.equal(res.status, 401, `${auth ?? 'no header'}`);
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="chroma-explorer"');
    }
    await assert.rejects(connectMcp(server.url), /401|Unauthorized/);
    const ok = await rawRequest(server.url, { headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` }, body: INITIALIZE });
    assert.equal(ok.status, 200, ok.body);
  });

  it('answers 403 to a Host or Origin that is not its own loopback address (DNS rebinding), token or not', async () => {
    const auth = { ...MCP_HEADERS, authorization: `Bearer ${token}` };
    for (const headers of [
      { ...auth, host: `evil.example:${server.port}` },
      { ...auth, host: `localhost:${server.port}` },
      { ...auth, host: `127.0.0.1:${server.port + 1}` },
      { ...auth, origin: 'http://evil.example' },
      { ...auth, origin: `http://localhost:${server.port}` },
      { ...MCP_HEADERS, host: `evil.example:${server.port}` },
    ]) {
      const res = await rawRequest(server.url, { headers, body: INITIALIZE });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(res.body, /^Forbidden/);
    }
    // the SDK client itself, pointed at another name for the same address
    await assert.rejects(connectMcp(`http://localhost:${server.port}/mcp`, { Authorization: `Bearer ${token}` }), /403|Forbidden/);
    const sameOrigin = await rawRequest(server.url, { headers: { ...auth, origin: `http://127.0.0.1:${server.port}` }, body: INITIALIZE });
    assert.equal(sameOrigin.status, 200);
  });

  it('serves only /mcp, refuses a session it does not know, a body that is not JSON or too large, and other methods', async () => {
    const other = await rawRequest(server.url.replace(/\/mcp$/, '/other'), { headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` }, body: INITIALIZE });
    assert.equal(other.status, 404);
    const unknown = await rawRequest(server.url, {
      headers: { ...MCP_HEADERS, authorization: `Bearer ${token}`, 'mcp-session-id': 'no-such-session' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /Session not found/);
    const auth = { ...MCP_HEADERS, authorization: `Bearer ${token}` };
    const notJson = await rawRequest(server.url, { headers: auth, body: '{"jsonrpc": "2.0", "id": 1,' });
    assert.deepEqual([notJson.status, notJson.body], [400, 'The body is not JSON.']);
    const huge = await rawRequest(server.url, { headers: auth, body: `{"x": "${'a'.repeat(MAX_BODY_BYTES)}"}` });
    assert.deepEqual([huge.status, huge.body], [413, 'Request too large: at most 16 MiB.']);
    const put = await rawRequest(server.url, { method: 'PUT', headers: auth, body: INITIALIZE });
    assert.deepEqual([put.status, put.headers.allow], [405, 'GET, POST, DELETE']);
  });

  it('refuses every write while chroma.mcp.allowWrites is off, without asking and without changing anything', async () => {
    const name = uniqueName('mcpw');
    const created = await mcp.call('chroma_create_collection', { collection_name: name });
    assert.deepEqual(created, { text: WRITES_OFF, isError: true });
    const direct = clientFor(chroma.server.url);
    await assert.rejects(direct.getCollection(name), /does not exist/);
    const col = await direct.createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    await direct.add(col, { ids: ['a'], embeddings: [Array.from({ length: 16 }, () => 0.25)], documents: ['kept'] });
    for (const [tool, args] of [
      ['chroma_delete_documents', { collection_name: name, ids: ['a'] }],
      ['chroma_delete_collection', { collection_name: name }],
      ['chroma_update_documents', { collection_name: name, ids: ['a'], metadatas: [{ k: 1 }] }],
      ['chroma_add_workspace_files', { collection_name: name, paths: ['x.md'] }],
    ] as const) {
      assert.deepEqual(await mcp.call(tool, args), { text: WRITES_OFF, isError: true }, tool);
    }
    assert.deepEqual(asked, []);
    assert.equal(await direct.count(col), 1);
    assert.deepEqual((await direct.get(col, { ids: ['a'] })).metadatas, [null]);
    // reads still answer
    const count = await mcp.call('chroma_get_collection_count', { collection_name: name });
    assert.deepEqual(count, { text: `"${name}" on "local" holds 1 record.`, isError: false });
  });

  it('with allowWrites on, asks the person before each write: a refusal changes nothing, a yes does it', async () => {
    allowWrites = true;
    const name = uniqueName('mcpc');
    const direct = clientFor(chroma.server.url);
    const col = await direct.createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    await direct.add(col, { ids: ['a', 'b', 'c'], embeddings: [0, 1, 2].map((i) => Array.from({ length: 16 }, (_, d) => (d === i ? 1 : 0))), documents: ['one', 'two', 'three'] });

    answer = false;
    const refused = await mcp.call('chroma_delete_documents', { collection_name: name, ids: ['a', 'b', 'zz'] });
    assert.deepEqual(refused, { text: DECLINED, isError: true });
    assert.equal(asked.length, 1);
    assert.equal(asked[0].message, `Delete 2 records from ${name} on local?`);
    assert.equal(asked[0].detail, '1 of the ids given is not there. This cannot be undone.');
    assert.equal(await direct.count(col), 3, 'a refused delete deletes nothing');

    answer = true;
    const done = await mcp.call('chroma_delete_documents', { collection_name: name, ids: ['a', 'b', 'zz'] });
    assert.deepEqual(done, { text: `Deleted 2 records from "${name}" on "local". Not there: "zz".`, isError: false });
    assert.equal(asked.length, 2);
    assert.deepEqual((await direct.get(col, {})).ids, ['c']);

    // a bad input is answered without asking
    const bad = await mcp.call('chroma_delete_documents', { collection_name: name, ids: [] });
    assert.deepEqual(bad, { text: 'ids: must be a list of 1 to 1,000 items, got [].', isError: true });
    assert.equal(asked.length, 2);
  });

  it('stops: the port no longer answers, and a new start serves again with the same token', async () => {
    const other = new McpToolServer({
      context: new TestToolContext({ connections: { local: chroma.server.url }, model, workspace: workspace.dir }),
      token,
      allowWrites: () => false,
      confirm: async () => false,
    });
    await other.start();
    const url = other.url;
    const c = await connectMcp(url, { Authorization: `Bearer ${token}` });
    assert.equal((await c.client.listTools()).tools.length, 16);
    assert.equal(other.sessionCount, 1);
    await other.stop();
    assert.equal(other.running, false);
    await assert.rejects(rawRequest(url, { headers: MCP_HEADERS, body: INITIALIZE }), /ECONNREFUSED/);
    const again = new McpToolServer({ context: new TestToolContext({ connections: { local: chroma.server.url }, model, workspace: workspace.dir }), token, allowWrites: () => false, confirm: async () => false, port: server.port });
    await again.start();
    assert.notEqual(again.port, server.port, 'a port in use is not taken: another free one is');
    await again.stop();
    assert.throws(() => new McpToolServer({ context: new TestToolContext({ connections: {}, model, workspace: workspace.dir }), token: 'short', allowWrites: () => false, confirm: async () => false }), /MCP token must be/);
  });
});
