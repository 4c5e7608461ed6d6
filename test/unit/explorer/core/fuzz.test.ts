/**
 * Seeded fuzzing of the tree model and the record views against the hostile server: a walk through the explorer
 * (connection → databases → collections → records, "Load more…", counts) and the record and collection pages of
 * what it found, with every answer drawn from the hostile generator. Each walk must end in nodes or error items,
 * never a thrown error; every message must be one clean line; every tooltip and page must stay bounded; and the
 * walk must finish in time with memory bounded.
 *
 * FUZZ_MODEL_CASES (default 1,000) sets the number of walks, FUZZ_SEED the run's seed (random by default; printed
 * on failure), FUZZ_CASE one walk to replay alone.
 */
import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import type { Collection, GetResult } from '../../../../src/chroma';
import type { ConnectionConfig } from '../../../../src/connections/core/connectionConfig';
import { ExplorerModel } from '../../../../src/explorer/core/model';
import type { CollectionNode, ExplorerNode } from '../../../../src/explorer/core/model';
import { collectionTooltip, connectionTooltip, embeddingFunctionLabel, formatCollection, recordTooltip, TOOLTIP_MAX_CHARS } from '../../../../src/explorer/core/recordView';
import { renderRecordFile, sortedMetadata } from '../../../../src/records/core/recordFile';
import { recordOf } from '../../../../src/records/core/save';
import { hostileCase, HostileServer, mixSeed, Rng, validAnswer } from '../../../support/hostileServer';
import type { HostileCase, HostileOptions, HostileRequest } from '../../../support/hostileServer';

const CASES = Number(process.env.FUZZ_MODEL_CASES ?? 1000);
const RUN_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const ONLY_CASE = process.env.FUZZ_CASE ? Number(process.env.FUZZ_CASE) >>> 0 : undefined;
const TIMEOUT_MS = 300;
const CONCURRENCY = 8;
/** A walk makes at most a few dozen requests, each bounded by the timeout; the rest is a busy machine. */
const WALK_BOUND_MS = 30_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Pages are cut well below this (a record file leaves out a 10 MB document and shows a note with its start). */
const MAX_PAGE_CHARS = 400_000;
const MAX_HEAP_GROWTH = 400 * 1024 * 1024;
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
/** What a message must never look like: a JavaScript error leaking through instead of a typed one. */
const RAW = /TypeError|is not a function|Cannot read prop|undefined is not|\[object Object\]|RangeError|SyntaxError: Unexpected/;

/**
 * A walk needs a chain of answers to get deep: each request is answered correctly four times in five, and with the
 * hostile generator's garbage (of every kind) otherwise.
 */
function mostlyValid(seed: number, req: HostileRequest, opts: HostileOptions): HostileCase {
  const rng = new Rng(seed);
  const valid = rng.next() < 0.8 ? validAnswer(req, rng) : undefined;
  if (!valid) {
    return hostileCase(seed, req, opts);
  }
  return { label: 'valid', expect: 'ok', status: valid.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(valid.json)) };
}

function checkMessage(where: string, message: string): string | undefined {
  if (message.length === 0 || message.length > 300) {
    return `${where}: a message of ${message.length} characters`;
  }
  if (UNSAFE.test(message)) {
    return `${where}: control or bidi characters in "${message.slice(0, 80)}"`;
  }
  if (RAW.test(message)) {
    return `${where}: a raw error "${message.slice(0, 120)}"`;
  }
  return undefined;
}

function checkNode(node: ExplorerNode, seen: Set<string>): string | undefined {
  if (typeof node.id !== 'string' || node.id.length > 2_000) {
    return `a node id of ${String(node.id).length} characters`;
  }
  if (seen.has(node.id)) {
    return `the node id ${node.id.slice(0, 80)} is given twice (VS Code rejects the tree)`;
  }
  seen.add(node.id);
  switch (node.kind) {
    case 'error':
      return checkMessage('error item', node.message);
    case 'collection': {
      const tip = collectionTooltip(node);
      return tip.length > TOOLTIP_MAX_CHARS ? `a collection tooltip of ${tip.length} characters` : node.countError ? checkMessage('count', node.countError) : undefined;
    }
    case 'record': {
      const tip = recordTooltip(node);
      return tip.length > TOOLTIP_MAX_CHARS ? `a record tooltip of ${tip.length} characters` : undefined;
    }
    default:
      return undefined;
  }
}

/** Waits until every collection shown has its count or its count error (they arrive in the background). */
async function countsSettled(nodes: CollectionNode[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (nodes.some((n) => n.count === undefined && n.countError === undefined) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The record and collection pages of a collection the walk found, built from hostile answers too. */
/** How far walks got: a fuzz whose walks all stop at the first request would prove nothing. */
const reached = { collections: 0, records: 0, pages: 0 };

async function pages(client: ChromaClient, c: Collection, recordId: string | undefined): Promise<string | undefined> {
  const texts: string[] = [];
  try {
    const sample: GetResult = await client.get(c, { limit: 20, include: ['documents'] });
    texts.push(formatCollection(c, await client.count(c).catch(() => undefined), sample));
    if (recordId !== undefined) {
      const record = recordOf(await client.get(c, { ids: [recordId], include: ['documents', 'metadatas', 'embeddings', 'uris'] }), recordId);
      if (record) {
        const file = renderRecordFile(record, { collectionName: c.name, functionLabel: embeddingFunctionLabel(c) });
        texts.push(file.text);
        // the record's editable file reads back to exactly what the server sent, for every field it shows
        const back = JSON.parse(file.text) as Record<string, unknown>;
        const sent: Record<string, unknown> = { id: record.id, document: record.document, metadata: sortedMetadata(record.metadata) ?? {}, uri: record.uri };
        const wrong = Object.keys(sent).find((f) => !file.hidden.includes(f as never) && JSON.stringify(back[f]) !== JSON.stringify(sent[f]));
        if (wrong) {
          return `the record file's ${wrong} does not read back to what the server sent`;
        }
      }
    }
  } catch (e) {
    // the client's own typed errors are the documents provider's business; a raw one is a failure
    return checkMessage('page', e instanceof Error ? e.message : String(e));
  }
  reached.pages++;
  const long = texts.find((t) => t.length > MAX_PAGE_CHARS);
  return long ? `a page of ${long.length} characters` : undefined;
}

async function walk(server: HostileServer, caseSeed: number): Promise<string | undefined> {
  const conn: ConnectionConfig = { name: `fuzz-${caseSeed}`, url: server.caseUrl(caseSeed) };
  const client = new ChromaClient({ url: conn.url, timeoutMs: TIMEOUT_MS, retries: 0, maxResponseBytes: MAX_RESPONSE_BYTES });
  const model = new ExplorerModel({ connections: () => [conn], clientFor: () => Promise.resolve(client), collectionPageSize: 5, recordPageSize: 5 });
  const seen = new Set<string>();
  const problem = (nodes: ExplorerNode[]) => nodes.map((n) => checkNode(n, seen)).find((p) => p !== undefined);
  const [root] = model.roots();
  const tip = connectionTooltip(root.connection);
  if (tip.length > TOOLTIP_MAX_CHARS) {
    return `a connection tooltip of ${tip.length} characters`;
  }
  const dbs = await model.children(root);
  const p1 = problem(dbs);
  if (p1) {
    return p1;
  }
  const db = dbs.find((n) => n.kind === 'database');
  if (!db) {
    return undefined;
  }
  let cols = await model.children(db);
  const more = cols.find((n) => n.kind === 'loadMore');
  if (more && more.kind === 'loadMore') {
    await model.loadMore(more);
    seen.clear();
    dbs.forEach((n) => seen.add(n.id));
    cols = await model.children(db);
  }
  const collections = cols.filter((n): n is CollectionNode => n.kind === 'collection');
  await countsSettled(collections, 5_000);
  const p2 = problem(cols);
  if (p2) {
    return p2;
  }
  const col = collections[0];
  if (!col) {
    return undefined;
  }
  reached.collections++;
  const records = await model.children(col);
  const p3 = problem(records);
  if (p3) {
    return p3;
  }
  const rec = records.find((n) => n.kind === 'record');
  if (rec) {
    reached.records++;
  }
  return pages(client, col.collection, rec && rec.kind === 'record' ? rec.recordId : undefined);
}

describe('the explorer model and record views against a hostile server (seeded fuzz)', function () {
  this.timeout(600_000);
  let server: HostileServer;
  before(async () => {
    server = await HostileServer.start({ maxBodyBytes: MAX_RESPONSE_BYTES }, mostlyValid);
  });
  after(async () => {
    await server?.stop();
  });

  it(`${ONLY_CASE === undefined ? CASES : 1} walks end in nodes or clean error items, with bounded tooltips and pages, in time`, async () => {
    const seeds = ONLY_CASE === undefined ? Array.from({ length: CASES }, (_, i) => mixSeed(RUN_SEED ^ 0x5eed, i)) : [ONLY_CASE];
    const failures: string[] = [];
    const heapStart = process.memoryUsage().heapUsed;
    let peakHeap = heapStart;
    let next = 0;
    const worker = async () => {
      while (next < seeds.length) {
        const seed = seeds[next++];
        const started = performance.now();
        let problem: string | undefined;
        try {
          problem = await walk(server, seed);
        } catch (e) {
          problem = `threw ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e)}`;
        }
        const ms = performance.now() - started;
        if (!problem && ms > WALK_BOUND_MS) {
          problem = `took ${Math.round(ms)} ms`;
        }
        if (problem) {
          const served = server.served(seed).map((s) => `${s.method} ${s.path.slice(0, 60)} → ${s.label}`);
          failures.push(`case ${seed}: ${problem}\n    served: ${served.slice(0, 12).join('; ')}`);
        }
        server.forget(seed);
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.equal(failures.length, 0, `FUZZ_SEED=${RUN_SEED}: ${failures.length} of ${seeds.length} walks failed (replay one with FUZZ_CASE=<case>):\n  ${failures.slice(0, 5).join('\n  ')}`);
    assert.equal(server.recorder.seen.length, 0, 'requests reached the redirect target');
    if (ONLY_CASE === undefined) {
      const share = (n: number) => n / seeds.length;
      assert.ok(share(reached.collections) > 0.2 && share(reached.records) > 0.05 && share(reached.pages) > 0.02, `walks stopped too early: ${JSON.stringify(reached)} of ${seeds.length}`);
    }
    assert.ok(peakHeap - heapStart < MAX_HEAP_GROWTH, `FUZZ_SEED=${RUN_SEED}: the heap grew by ${Math.round((peakHeap - heapStart) / 2 ** 20)} MiB`);
  });
});
