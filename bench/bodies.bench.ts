/**
 * Large answers and the event loop: how long the client blocks the thread it runs on (the extension host's, in
 * VS Code) while it reads and parses one big body under the 64 MiB cap.
 *
 * A loopback HTTP server answers POST …/get with a realistic get() answer: ids, 384-d embeddings as JSON numbers (as
 * Chroma sends them), documents and metadata, of about BENCH_BODY_MB (default 50) MB. Each round reads it with
 * ChromaClient.get (ours: bytes, parse, shape check; also with the body sent without a Content-Length, as a
 * compressing proxy would, "chunked") and with raw fetch + JSON.parse (the baseline: what any client that parses on
 * its thread does, and what ours did before). A 1 ms timer measures the longest gap between its ticks during each read: the
 * worst stall. Small answers (a 10-record get, ~80 KB) are timed too, ours against raw, so the large-body path does
 * not cost the common one.
 * Absolute times depend on the machine: read the ratios. The last line is
 * `stall ours=… ms chunked=… ms raw=… ms idle=… ms ratio ours/raw=X.XX small ours/raw=Y.YY`.
 */
import { Worker } from 'node:worker_threads';
import { ChromaClient } from '../src/chroma';
import { vectors } from '../test/support/fixtures';
import { median } from './support';

const TARGET_MB = Number(process.env.BENCH_BODY_MB ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SMALL_READS = Number(process.env.BENCH_SMALL ?? 300);
const DIM = 384;
const COLLECTION = { id: '6f1f0c3e-0000-4000-8000-000000000001', tenant: 'default_tenant', database: 'default_database' };

/** A get() answer of `n` records, as Chroma writes it. */
function getAnswer(n: number): string {
  const embeddings = vectors(n, DIM, 11);
  return JSON.stringify({
    ids: embeddings.map((_, i) => `doc-${i}`),
    embeddings,
    documents: embeddings.map((_, i) => `Document ${i}: ${'Chroma keeps the embeddings of these notes next to their text. '.repeat(3)}`),
    metadatas: embeddings.map((_, i) => ({ source: `notes/file-${i % 200}.md`, chunk: i % 40, draft: i % 3 === 0, score: i / 7 })),
    uris: null,
    include: ['embeddings', 'documents', 'metadatas'],
  });
}

/** As many records as make about `mb` MB. */
function answerOf(mb: number): { body: Buffer; records: number } {
  const probe = getAnswer(100).length / 100;
  const records = Math.max(1, Math.round((mb * 1e6) / probe));
  return { body: Buffer.from(getAnswer(records)), records };
}

/**
 * The server runs in its own thread, so that writing 50 MB to the socket is not counted as the client's stall.
 * `bodies` are sent to it once; a message picks which one it answers with.
 */
const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
let current = 0;
const bodies = workerData.bodies.map((b) => Buffer.from(b));
let chunked = false;
parentPort.on('message', (m) => { current = m.body; chunked = m.chunked; parentPort.postMessage('ok'); });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = bodies[current];
    if (!chunked) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    // no Content-Length, as a compressing proxy answers: the client cannot know the size in advance
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let i = 0; i < body.length; i += 65536) res.write(body.subarray(i, i + 65536));
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

async function serve(bodies: Buffer[]): Promise<{ url: string; use: (body: number, chunked?: boolean) => Promise<void>; stop: () => Promise<number> }> {
  const worker = new Worker(SERVER, { eval: true, workerData: { bodies: bodies.map((b) => new Uint8Array(b)) } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const use = (body: number, chunked = false) =>
    new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.postMessage({ body, chunked });
    });
  return { url: `http://127.0.0.1:${port}`, use, stop: () => worker.terminate() };
}

/** Runs `fn` while a 1 ms timer ticks; answers the longest gap between ticks (the worst stall) and the time taken. */
async function stallDuring(fn: () => Promise<unknown>): Promise<{ stallMs: number; ms: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  worst = Math.max(worst, performance.now() - last);
  return { stallMs: worst, ms };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const big = answerOf(TARGET_MB);
  const small = answerOf(0.08);
  const server = await serve([big.body, small.body]);
  const url = server.url;
  const getPath = `${url}/api/v2/tenants/${COLLECTION.tenant}/databases/${COLLECTION.database}/collections/${COLLECTION.id}/get`;
  const client = new ChromaClient({ url, retries: 0, timeoutMs: 120_000 });
  const ours = () => client.get(COLLECTION, { include: ['embeddings', 'documents', 'metadatas'] });
  const raw = async () => JSON.parse(await (await fetch(getPath, { method: 'POST', body: '{}' })).text()) as unknown;
  console.log(`body ${(big.body.length / 1e6).toFixed(1)} MB (${big.records.toLocaleString('en-US')} records × ${DIM}-d), small ${small.body.length} bytes (${small.records} records)`);
  try {
    const got = await ours();
    if (got.ids.length !== big.records || got.embeddings?.[0]?.length !== DIM) {
      throw new Error('benchmark sanity check failed: ours read the wrong answer');
    }
    await raw();
    type Row = { stallMs: number; ms: number };
    const rows: Record<'ours' | 'chunked' | 'raw' | 'idle', Row[]> = { ours: [], chunked: [], raw: [], idle: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? (['raw', 'chunked', 'ours'] as const) : (['ours', 'chunked', 'raw'] as const);
      for (const name of order) {
        await server.use(0, name === 'chunked');
        rows[name].push(await stallDuring(name === 'raw' ? raw : ours));
      }
      // the machine's own noise: the same timer while nothing runs, as long as ours took
      rows.idle.push(await stallDuring(() => sleep(rows.ours[round].ms)));
    }
    await server.use(1);
    const smallTimes: Record<'ours' | 'raw', number[]> = { ours: [], raw: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fn] of [['ours', ours], ['raw', raw]] as const) {
        const t = performance.now();
        for (let i = 0; i < SMALL_READS; i++) {
          await fn();
        }
        smallTimes[name].push((performance.now() - t) / SMALL_READS);
      }
    }
    const m = (name: keyof typeof rows, key: keyof Row) => median(rows[name].map((r) => r[key]));
    const worst = (name: keyof typeof rows) => Math.max(...rows[name].map((r) => r.stallMs));
    console.log(`median ms       read   worst stall (median / max of ${ROUNDS})`);
    for (const name of ['ours', 'chunked', 'raw', 'idle'] as const) {
      console.log(`${name.padEnd(10)} ${m(name, 'ms').toFixed(0).padStart(9)}   ${m(name, 'stallMs').toFixed(0).padStart(6)} / ${worst(name).toFixed(0)}`);
    }
    const so = median(smallTimes.ours);
    const sr = median(smallTimes.raw);
    console.log(`small get (${small.records} records): ours ${so.toFixed(2)} ms, raw ${sr.toFixed(2)} ms per read`);
    console.log(
      `stall ours=${m('ours', 'stallMs').toFixed(0)} ms chunked=${m('chunked', 'stallMs').toFixed(0)} ms raw=${m('raw', 'stallMs').toFixed(0)} ms idle=${m('idle', 'stallMs').toFixed(0)} ms ` +
        `ratio ours/raw=${(m('ours', 'stallMs') / m('raw', 'stallMs')).toFixed(2)} small ours/raw=${(so / sr).toFixed(2)}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
