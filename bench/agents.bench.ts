/**
 * The agent tools' benchmark, on one real Chroma server, in one run.
 *
 * 1. 500 `chroma_query_documents` calls (one query text, n_results 10) over MCP — the SDK's own Client and
 *    Streamable HTTP client transport against our McpToolServer on 127.0.0.1, token checked on every request —
 *    against the same queries through our client directly: get the collection by name, embed the text with the
 *    same function, query with the same include. The tools remember a collection for 10 s (the query workbench's
 *    CollectionCache), so a burst of calls looks it up once: `directCached` does the same, which leaves MCP's
 *    JSON-RPC and HTTP as the only difference. All embed with the hashed bag of words of the sample data (so
 *    that a model's time does not hide the protocol's). A third way sends the same JSON-RPC requests over a
 *    keep-alive node:http connection instead of the SDK client's fetch: it tells our server's share of the
 *    difference from the client's. After an uncounted warm-up, each round sends every query every way, the ways
 *    taking turns per query (the server drifts); medians over the rounds. Goal: MCP/direct ≤ 1.2.
 * 2. Our own work for an answer of 100 hits: the input check and the formatting of a real 100-hit query result
 *    (~1 KB documents with metadata) into the bounded text answer. Goal: ≤ 5 ms, under the 8,000-character cap.
 * Absolute times depend on the machine: read the ratios. The last line is `ratio …`.
 */
import { toolSpec } from '../src/agents/core/catalogue';
import type { ToolContext } from '../src/agents/core/context';
import { checkInput } from '../src/agents/core/input';
import { newToken } from '../src/agents/core/mcp/guard';
import { McpToolServer } from '../src/agents/core/mcp/server';
import { queryAnswer } from '../src/agents/core/tools/records';
import { CollectionCache } from '../src/agents/core/shared';
import type { QuerySpec } from '../src/agents/core/shared';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent } from 'node:http';
import { ChromaClient } from '../src/chroma';
import type { Collection } from '../src/chroma';
import type { EmbeddingFunction } from '../src/embedding/core/types';
import { ChromaServer, describeServer, serverKindFromEnv } from '../test/support/chromaServer';
import { fastEmbedder } from '../test/support/fastEmbedder';
import { connectMcp, INITIALIZE } from '../test/support/mcpClient';
import type { McpTestClient } from '../test/support/mcpClient';
import { check, median, ms, roundsInTurns } from './support';
import type { Way } from './support';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 5_000);
const DIM = 384;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FORMAT_RUNS = Number(process.env.BENCH_FORMAT_RUNS ?? 50);
const MAX_CHARS = 8_000;
const NAME = 'bench-agents';

const WORDS = ['chroma', 'vector', 'embedding', 'query', 'filter', 'metadata', 'document', 'collection', 'index', 'distance', 'tenant', 'database', 'cosine', 'neighbour', 'chunk', 'source'];
const text = (i: number, n: number): string => Array.from({ length: n }, (_, k) => WORDS[(i * 7 + k * 3 + (i >> k)) % WORDS.length]).join(' ');

/** JSON-RPC over one keep-alive node:http connection: an MCP client without fetch. */
function rawMcpClient(url: string, token: string): (body: unknown) => Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` };
  return (body) =>
    new Promise((resolve, reject) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(text) } }, (res) => {
        let out = '';
        res.on('data', (c: Buffer) => (out += c.toString()));
        res.on('end', () => {
          if (res.headers['mcp-session-id']) {
            headers['mcp-session-id'] = res.headers['mcp-session-id'] as string;
            headers['mcp-protocol-version'] = '2025-06-18';
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: out });
        });
      });
      req.on('error', reject);
      req.end(text);
    });
}

/** The tools' context: our client on the bench server and the fast embedder; nothing else is used. */
function toolContext(client: ChromaClient, embedder: EmbeddingFunction): ToolContext {
  return {
    clientFor: async (_c, database) => ({ client, connection: 'bench', tenant: 'default_tenant', database: database ?? 'default_database' }),
    embeddingFunction: async () => embedder,
    checkSources: () => Promise.reject(new Error('not used')),
    findWorkspaceFiles: () => Promise.reject(new Error('not used')),
    readWorkspaceFiles: () => Promise.reject(new Error('not used')),
    showResults: () => Promise.reject(new Error('not used')),
  };
}

/** The collection of RECORDS ~1 KB documents, embedded by `embedder`. */
async function seed(client: ChromaClient, embedder: EmbeddingFunction): Promise<Collection> {
  const col = await client.createCollection({ name: NAME, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
  const docs = Array.from({ length: RECORDS }, (_, i) => `Record ${i}: ${text(i, 150)}`);
  await client.add(col, {
    ids: docs.map((_, i) => `doc-${i}`),
    embeddings: await embedder.embed(docs),
    documents: docs,
    metadatas: docs.map((_, i) => ({ source: `docs/file-${i % 50}.md`, startLine: (i % 20) * 10 + 1, endLine: (i % 20) * 10 + 9, chunk: i % 20 })),
  });
  return col;
}

/** The four ways of sending one query: our client (without and with the tools' cache), MCP by the SDK, MCP by node:http. */
async function queryWays(client: ChromaClient, embedder: EmbeddingFunction, mcp: McpTestClient, mcpServer: McpToolServer, token: string, col: Collection): Promise<Record<string, Way<string>>> {
  const raw = rawMcpClient(mcpServer.url, token);
  check((await raw(INITIALIZE)).status === 200, 'raw initialize');
  await raw({ jsonrpc: '2.0', method: 'notifications/initialized' });
  let id = 10;
  const cache = new CollectionCache();
  const key = { connection: 'bench', tenant: col.tenant, database: col.database, collection: NAME } as QuerySpec;
  const queryBy = async (c: Collection, q: string): Promise<number> => {
    const [v] = await embedder.embed([q]);
    const r = await client.query(c, { queryEmbeddings: [v], nResults: 10, include: ['documents', 'metadatas', 'distances'] });
    return r.ids[0].length;
  };
  return {
    direct: async (q) => queryBy(await client.getCollection(NAME), q),
    directCached: async (q) => {
      let c = cache.get(key);
      if (!c) {
        c = await client.getCollection(NAME);
        cache.set(key, c);
      }
      return queryBy(c, q);
    },
    mcp: async (q) => {
      const r = await mcp.call('chroma_query_documents', { collection_name: NAME, query_texts: [q], n_results: 10 });
      check(!r.isError && r.text.length <= MAX_CHARS, r.text.slice(0, 200));
      return r.text.split('\n').filter((l) => l.startsWith('{"rank":')).length;
    },
    rawMcp: async (q) => {
      const r = await raw({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: 'chroma_query_documents', arguments: { collection_name: NAME, query_texts: [q], n_results: 10 } } });
      const text = (JSON.parse(r.body) as { result: { content: Array<{ text: string }> } }).result.content[0].text;
      return text.split('\n').filter((l) => l.startsWith('{"rank":')).length;
    },
  };
}

/** Part 1: every query every way in turns, ROUNDS rounds; prints the rounds and each way's median. */
async function protocolRounds(ways: Record<string, Way<string>>, queries: readonly string[]): Promise<Record<string, number>> {
  const names = Object.keys(ways);
  const times = await roundsInTurns(ways, queries, {
    warmUp: 30,
    rounds: ROUNDS,
    unit: 'call',
    checkHits: (hits, sent) => check(names.every((n) => hits[n] === sent * 10), `hits ${JSON.stringify(hits)}`),
  });
  console.log('\nmedian of the rounds:');
  for (const n of names) {
    console.log(`  ${n.padEnd(12)} ${ms(median(times[n]))}  (${(median(times[n]) / QUERIES).toFixed(2)} ms/call)`);
  }
  return Object.fromEntries(names.map((n) => [n, median(times[n])]));
}

/** Part 2: the input check and the formatting of a real 100-hit result, FORMAT_RUNS times after 5 warm-ups; prints it. */
async function answerWork(client: ChromaClient, embedder: EmbeddingFunction, col: Collection, query: string): Promise<{ format: number; chars: number }> {
  const spec = toolSpec('chroma_query_documents');
  check(spec !== undefined, 'the tool exists');
  const input = { collection_name: NAME, query_texts: [query], n_results: 100, where: { chunk: { $gte: 0 } } };
  const [v] = await embedder.embed([query]);
  const result = await client.query(col, { queryEmbeddings: [v], nResults: 100, include: ['documents', 'metadatas', 'distances'] });
  check(result.ids[0].length === 100, '100 hits');
  const work: number[] = [];
  let chars = 0;
  let shown = 0;
  for (let i = 0; i < FORMAT_RUNS + 5; i++) {
    const t = performance.now();
    checkInput(spec!, input);
    const answer = queryAnswer({ collection: col, where: '"bench-agents" on "bench"', functionName: embedder.name, texts: input.query_texts, result, budget: MAX_CHARS });
    const took = performance.now() - t;
    if (i >= 5) {
      work.push(took);
    }
    chars = answer.length;
    shown = answer.split('\n').filter((l) => l.startsWith('{"rank":')).length;
    check(chars <= MAX_CHARS && /\n… \d+ more records not shown/.test(answer), `answer of ${chars} characters`);
  }
  const format = median(work);
  console.log(`\n100-hit answer, our own work (input check + formatting), median of ${FORMAT_RUNS}: ${ms(format)}, ${chars} characters (cap ${MAX_CHARS}), ${shown} records shown`);
  return { format, chars };
}

async function main(): Promise<void> {
  const kind = serverKindFromEnv();
  const server = await ChromaServer.start({ kind });
  const embedder = fastEmbedder(DIM);
  const client = new ChromaClient({ url: server.url, timeoutMs: 300_000 });
  const token = newToken();
  const mcpServer = new McpToolServer({ context: toolContext(client, embedder), token, allowWrites: () => false, confirm: async () => false, maxResultChars: () => MAX_CHARS });
  await mcpServer.start();
  const mcp = await connectMcp(mcpServer.url, { Authorization: `Bearer ${token}` });
  try {
    const col = await seed(client, embedder);
    const queries = Array.from({ length: QUERIES }, (_, i) => text(i + 11, 6));
    console.log(`${describeServer(kind)}, ${RECORDS} records × ${DIM}-d (~1 KB documents), ${QUERIES} chroma_query_documents calls, n_results 10, ${ROUNDS} rounds`);
    const med = await protocolRounds(await queryWays(client, embedder, mcp, mcpServer, token, col), queries);
    const { format, chars } = await answerWork(client, embedder, col, queries[0]);
    console.log(`ratio mcp/direct=${(med.mcp / med.direct).toFixed(2)} (goal ≤ 1.2) mcp/directCached=${(med.mcp / med.directCached).toFixed(2)} rawMcp/directCached=${(med.rawMcp / med.directCached).toFixed(2)} format100=${format.toFixed(2)} ms (goal ≤ 5) chars100=${chars} (cap ${MAX_CHARS}) on ${describeServer(kind)}`);
  } finally {
    await mcp.close();
    await mcpServer.stop();
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
