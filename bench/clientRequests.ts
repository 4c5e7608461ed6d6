/**
 * Our own work per get and query request (part of the client benchmark, client.bench.ts): this process's CPU time
 * per request with our client, less the same requests sent raw with `fetch` (and their answers parsed), against the
 * same real Chroma server. The server runs in its own process, so its time is not in either figure; what is left
 * is what ours adds: validation, the request pipeline (timeout, cancellation, headers), the body read under its
 * cap, the shape check, error mapping. Blocks of each way take turns; medians. With BENCH_PROFILE=1 a CPU profile
 * of each way says where the time goes, by part.
 */
import { ChromaClient } from '../src/chroma';
import type { Collection } from '../src/chroma';
import { vectors } from '../test/support/fixtures';
import { median, selfTimeByPart } from './support';

const PER_BLOCK = Number(process.env.BENCH_PER_REQUEST ?? 300);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 7);
const RECORDS = 2_000;
const DIM = 384;
const PAGE = 100;

type Call = (i: number) => Promise<unknown>;

/** Which part of the process a profile sample's innermost frame belongs to. */
function partOf(url: string, fn: string): string {
  if (url === '') {
    return fn === '(garbage collector)' ? 'garbage collection' : fn === '(idle)' || fn === '(program)' ? fn : `native ${fn}`;
  }
  const chroma = /\/src\/chroma\/(\w+)\.js$/.exec(url)?.[1];
  if (chroma) {
    return /^(shapes|resultShapes|shapeChecks)$/.test(chroma) ? 'ours: shape check' : `ours: ${chroma}.ts`;
  }
  if (/node_modules\/(ofetch|ufo|destr)\//.test(url)) {
    return 'ofetch';
  }
  if (url.includes('undici')) {
    return 'fetch (undici)';
  }
  if (/abort_controller|event_target/.test(url)) {
    return 'AbortSignal';
  }
  if (/timers/.test(url)) {
    return 'timers';
  }
  return url.includes('/bench/') ? 'the bench itself' : 'node (streams, buffers, promises)';
}

/** CPU and wall µs per call, over `n` calls in a row. */
async function perCall(call: Call, n: number): Promise<{ cpu: number; wall: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    await call(i);
  }
  const d = process.cpuUsage(cpu);
  return { cpu: (d.user + d.system) / n, wall: ((performance.now() - t) * 1000) / n };
}

/** The two ways of each operation, on a collection of RECORDS records. */
function callsOn(url: string, client: ChromaClient, col: Collection): Record<string, Record<'ours' | 'raw', Call>> {
  const base = `${url}/api/v2/tenants/${col.tenant}/databases/${col.database}/collections/${col.id}`;
  const q = vectors(1, DIM, 7)[0];
  const raw = async (op: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${base}/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json();
  };
  const pages = RECORDS / PAGE;
  return {
    get: {
      ours: (i) => client.get(col, { limit: PAGE, offset: (i % pages) * PAGE, include: ['documents', 'metadatas'] }),
      raw: (i) => raw('get', { limit: PAGE, offset: (i % pages) * PAGE, include: ['documents', 'metadatas'] }),
    },
    query: {
      ours: () => client.query(col, { queryEmbeddings: [q], nResults: 10, include: ['documents', 'metadatas', 'distances'] }),
      raw: () => raw('query', { query_embeddings: [q], n_results: 10, include: ['documents', 'metadatas', 'distances'] }),
    },
  };
}

/** Self time per request by part, ours and raw, from a CPU profile of PER_BLOCK × 5 requests of each way. */
async function profileBoth(op: string, ways: Record<'ours' | 'raw', Call>): Promise<void> {
  const n = PER_BLOCK * 5;
  const ours = await selfTimeByPart(async () => void (await perCall(ways.ours, n)), partOf);
  const raw = await selfTimeByPart(async () => void (await perCall(ways.raw, n)), partOf);
  const names = [...new Set([...ours.keys(), ...raw.keys()])].filter((k) => k !== '(idle)');
  names.sort((a, b) => (ours.get(b) ?? 0) - (ours.get(a) ?? 0));
  const us = (m: Map<string, number>, name: string) => (((m.get(name) ?? 0) * 1000) / n).toFixed(1).padStart(8);
  for (const name of names) {
    console.log(`    ${op} ${name.padEnd(36)} ours ${us(ours, name)} µs   raw ${us(raw, name)} µs`);
  }
  // answers.ts's self time is JSON.parse of the body (a builtin is counted in its caller): raw parses the same body
  // in res.json(), counted under undici. What is ours alone is the rest of src/chroma.
  const own = new Map([['own', [...ours].filter(([k]) => k.startsWith('ours:') && k !== 'ours: answers.ts').reduce((t, [, v]) => t + v, 0)]]);
  console.log(`    ${op} ${'ours: src/chroma but the JSON.parse'.padEnd(36)} ours ${us(own, 'own')} µs`);
}

/** Prints ours and raw CPU per get and query request, and their difference: our own work. */
export async function perRequestWork(url: string): Promise<void> {
  const client = new ChromaClient({ url, timeoutMs: 300_000 });
  const col = await client.createCollection({ name: `bench-requests-${Date.now()}` });
  try {
    const v = vectors(RECORDS, DIM, 42);
    await client.add(col, {
      ids: v.map((_, i) => `doc-${i}`),
      embeddings: v.map((e) => Float32Array.from(e)),
      documents: v.map((_, i) => `Short document ${i} about topic ${i % 97}.`),
      metadatas: v.map((_, i) => ({ source: `file-${i % 50}.md`, chunk: i % 20, draft: i % 3 === 0 })),
    });
    console.log(`\nour own work per request (µs of this process's CPU; medians of ${BLOCKS} blocks of ${PER_BLOCK} requests)`);
    console.log('           ours cpu   raw cpu   ours−raw cpu   ours wall   raw wall');
    for (const [op, ways] of Object.entries(callsOn(url, client, col))) {
      const seen = { ours: { cpu: [] as number[], wall: [] as number[] }, raw: { cpu: [] as number[], wall: [] as number[] } };
      await perCall(ways.ours, PER_BLOCK);
      await perCall(ways.raw, PER_BLOCK);
      for (let b = 0; b < BLOCKS; b++) {
        for (const way of b % 2 ? (['raw', 'ours'] as const) : (['ours', 'raw'] as const)) {
          const r = await perCall(ways[way], PER_BLOCK);
          seen[way].cpu.push(r.cpu);
          seen[way].wall.push(r.wall);
        }
      }
      const m = (way: 'ours' | 'raw', k: 'cpu' | 'wall') => median(seen[way][k]);
      const cols = [m('ours', 'cpu'), m('raw', 'cpu'), m('ours', 'cpu') - m('raw', 'cpu'), m('ours', 'wall'), m('raw', 'wall')];
      console.log(`  ${op.padEnd(7)}${cols.map((x) => x.toFixed(0).padStart(11)).join('')}`);
      if (process.env.BENCH_PROFILE) {
        await profileBoth(op, ways);
      }
    }
  } finally {
    await client.deleteCollection(col.name);
  }
}
