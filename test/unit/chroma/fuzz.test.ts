/**
 * Seeded fuzzing of the client against the hostile server. Every case calls one client method and must end in a
 * correct result or a ChromaError whose message is one line of at most 300 characters without the token, within
 * the client's timeout plus slack, with memory bounded, and with nothing ever reaching the redirect target.
 *
 * FUZZ_CASES (default 5,000) sets the number of cases, FUZZ_SEED the run's seed (random by default; printed on
 * failure), FUZZ_CASE one case seed to replay alone.
 */
import * as assert from 'node:assert/strict';
import { ChromaClient, ChromaError } from '../../../src/chroma';
import type { ChromaAuth, CollectionRef } from '../../../src/chroma';
import { HostileServer, Rng, mixSeed } from '../../support/hostileServer';
import type { ServedCase } from '../../support/hostileServer';

const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const RUN_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const ONLY_CASE = process.env.FUZZ_CASE ? Number(process.env.FUZZ_CASE) >>> 0 : undefined;
const TIMEOUT_MS = 300;
/**
 * Requests one case may make: a write of at most 12 records split one per request (a max_batch_size of 1), plus up
 * to 4 probes and fallbacks, each sent at most twice (one retry). A loop driven by the server's answers goes past it.
 */
const MAX_REQUESTS_PER_CASE = 2 * (12 + 4);
let maxRequestsSeen = 0;
const CONCURRENCY = 16;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const SECRET = 'fuzz-secret-token-0123456789';
/** Memory may grow this much over the start of the run: the regression was 2 GB from one gzip bomb. */
const MAX_RSS_GROWTH = 700 * 1024 * 1024;
const MAX_HEAP_GROWTH = 400 * 1024 * 1024;

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

type Check = (result: unknown) => void;

interface Method {
  name: string;
  run: (client: ChromaClient, rng: Rng) => Promise<{ result: unknown; check: Check }>;
}

// ------------------------------------------------------------------ independent checks of results

function isInt(v: unknown, min = 0): boolean {
  return Number.isSafeInteger(v) && (v as number) >= min;
}

function checkMetadata(m: unknown, where: string): void {
  if (m === null) {
    return;
  }
  assert.ok(typeof m === 'object' && !Array.isArray(m), `${where}: metadata is not an object`);
  for (const [k, v] of Object.entries(m as object)) {
    const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
    const sparse =
      typeof v === 'object' && v !== null && Array.isArray((v as { indices?: unknown }).indices) && Array.isArray((v as { values?: unknown }).values);
    assert.ok(v === null || scalar(v) || (Array.isArray(v) && v.every(scalar)) || sparse, `${where}: metadata ${k} is ${JSON.stringify(v)?.slice(0, 80)}`);
  }
}

function checkCollection(c: unknown): void {
  const o = c as Record<string, unknown>;
  assert.ok(typeof o === 'object' && o !== null && !Array.isArray(o), 'a collection is not an object');
  assert.ok(typeof o.id === 'string' && o.id.length > 0, 'collection id');
  assert.ok(typeof o.name === 'string' && o.name.length > 0, 'collection name');
  assert.ok(typeof o.tenant === 'string' && typeof o.database === 'string', 'collection tenant/database');
  assert.ok(o.dimension === null || isInt(o.dimension), 'collection dimension');
  assert.ok(o.configuration_json === undefined || o.configuration_json === null || (typeof o.configuration_json === 'object' && !Array.isArray(o.configuration_json)), 'configuration_json');
  checkMetadata(o.metadata, 'collection');
}

function checkIds(ids: unknown, max: number, where: string): string[] {
  assert.ok(Array.isArray(ids), `${where}: ids is not an array`);
  assert.ok(ids.length <= max, `${where}: ${ids.length} ids, more than ${max}`);
  assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), `${where}: an id is not a non-empty string`);
  assert.equal(new Set(ids).size, ids.length, `${where}: repeated ids`);
  return ids as string[];
}

function checkRows(value: unknown, n: number, where: string, item: (v: unknown) => boolean): void {
  if (value === null) {
    return;
  }
  assert.ok(Array.isArray(value) && value.length === n, `${where}: not one entry per id`);
  value.forEach((v, i) => assert.ok(item(v), `${where}[${i}] is ${JSON.stringify(v)?.slice(0, 80)}`));
}

const stringOrNull = (v: unknown) => v === null || typeof v === 'string';
const finiteVector = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function checkRecords(r: Record<string, unknown>, ids: string[], where: string): void {
  checkRows(r.documents, ids.length, `${where}.documents`, stringOrNull);
  checkRows(r.uris, ids.length, `${where}.uris`, stringOrNull);
  checkRows(r.embeddings, ids.length, `${where}.embeddings`, finiteVector);
  if (r.metadatas !== null) {
    checkRows(r.metadatas, ids.length, `${where}.metadatas`, () => true);
    (r.metadatas as unknown[]).forEach((m, i) => checkMetadata(m, `${where}.metadatas[${i}]`));
  }
}

function checkGet(max: number): Check {
  return (result) => {
    const r = result as Record<string, unknown>;
    const ids = checkIds(r.ids, max, 'get');
    checkRecords(r, ids, 'get');
  };
}

function checkQuery(queries: number, nResults: number): Check {
  return (result) => {
    const r = result as Record<string, unknown>;
    assert.ok(Array.isArray(r.ids) && r.ids.length === queries, 'query: not one id list per query');
    for (const field of ['documents', 'metadatas', 'embeddings', 'uris', 'distances']) {
      assert.ok(r[field] === null || (Array.isArray(r[field]) && (r[field] as unknown[]).length === queries), `query.${field}: not one list per query`);
    }
    (r.ids as unknown[]).forEach((row, q) => {
      const ids = checkIds(row, nResults, `query[${q}]`);
      const pick = (field: string) => (r[field] === null ? null : (r[field] as unknown[])[q]);
      checkRecords({ documents: pick('documents'), uris: pick('uris'), embeddings: pick('embeddings'), metadatas: pick('metadatas') }, ids, `query[${q}]`);
      checkRows(pick('distances'), ids.length, `query[${q}].distances`, (d) => d === null || (typeof d === 'number' && Number.isFinite(d)));
    });
  };
}

const anything: Check = () => undefined;
const count: Check = (n) => assert.ok(isInt(n), `count is ${JSON.stringify(n)}`);
const list =
  (max: number, item: (v: unknown) => void): Check =>
  (r) => {
    assert.ok(Array.isArray(r) && r.length <= max, 'not a list within the limit');
    r.forEach(item);
  };

// ------------------------------------------------------------------ the methods fuzzed

const ref = (rng: Rng): CollectionRef => ({
  id: '6f1c1a52-1111-2222-3333-444455556666',
  tenant: 'default_tenant',
  database: 'default_database',
  dimension: rng.chance(0.5) ? 3 : null,
});

function recordSet(rng: Rng) {
  const n = rng.int(1, 12); // at most 12: MAX_REQUESTS_PER_CASE counts on it
  return {
    ids: Array.from({ length: n }, (_, i) => `r-${i}`),
    embeddings: Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()]),
    documents: Array.from({ length: n }, (_, i) => `doc ${i}`),
    metadatas: Array.from({ length: n }, (_, i) => ({ i })),
  };
}

const METHODS: Method[] = [
  { name: 'heartbeat', run: async (c) => ({ result: await c.heartbeat(), check: (n) => assert.ok(typeof n === 'number' && Number.isFinite(n)) }) },
  { name: 'version', run: async (c) => ({ result: await c.version(), check: (v) => assert.ok(typeof v === 'string' && v.length > 0 && v.length <= 64) }) },
  { name: 'preflight', run: async (c) => ({ result: await c.preflight({ refresh: true }), check: (p) => assert.ok(isInt((p as { max_batch_size: unknown }).max_batch_size, 1)) }) },
  { name: 'healthcheck', run: async (c) => ({ result: await c.healthcheck(), check: (h) => assert.ok(typeof h === 'object' && h !== null && !Array.isArray(h)) }) },
  {
    name: 'identity',
    run: async (c) => ({
      result: await c.identity(),
      check: (i) => {
        const o = i as { tenant: unknown; databases: unknown };
        assert.ok(typeof o.tenant === 'string' && Array.isArray(o.databases) && o.databases.every((d) => typeof d === 'string'));
      },
    }),
  },
  {
    name: 'scope',
    run: async (c) => ({ result: await c.scope(), check: (s) => assert.ok(typeof (s as { tenant: unknown }).tenant === 'string' && typeof (s as { database: unknown }).database === 'string') }),
  },
  { name: 'getTenant', run: async (c) => ({ result: await c.getTenant('acme'), check: (t) => assert.equal(typeof (t as { name: unknown }).name, 'string') }) },
  {
    name: 'listDatabases',
    run: async (c, rng) => {
      const limit = rng.pick([1, 5, 100]);
      return {
        result: await c.listDatabases({ tenant: 'acme', limit }),
        check: list(limit, (d) => {
          const o = d as Record<string, unknown>;
          assert.ok(typeof o.id === 'string' && typeof o.name === 'string' && o.name.length > 0 && typeof o.tenant === 'string', 'database');
        }),
      };
    },
  },
  { name: 'getDatabase', run: async (c) => ({ result: await c.getDatabase('docs', { tenant: 'acme' }), check: (d) => assert.equal(typeof (d as { name: unknown }).name, 'string') }) },
  {
    name: 'listCollections',
    run: async (c, rng) => {
      const limit = rng.pick([1, 10, 100]);
      return { result: await c.listCollections({ limit }), check: list(limit, checkCollection) };
    },
  },
  {
    name: 'iterateCollections',
    run: async (c) => {
      const seen: unknown[] = [];
      for await (const col of c.iterateCollections({ pageSize: 5 })) {
        seen.push(col);
        if (seen.length >= 15) {
          break;
        }
      }
      return { result: seen, check: list(15, checkCollection) };
    },
  },
  { name: 'countCollections', run: async (c) => ({ result: await c.countCollections(), check: count }) },
  { name: 'getCollection', run: async (c) => ({ result: await c.getCollection('notes'), check: checkCollection }) },
  { name: 'createCollection', run: async (c) => ({ result: await c.createCollection({ name: 'notes-1', metadata: { owner: 'me' } }), check: checkCollection }) },
  { name: 'modifyCollection', run: async (c, rng) => ({ result: await c.modifyCollection(ref(rng), { name: 'renamed', metadata: { a: 1 } }), check: anything }) },
  { name: 'deleteCollection', run: async (c) => ({ result: await c.deleteCollection('notes'), check: anything }) },
  { name: 'count', run: async (c, rng) => ({ result: await c.count(ref(rng)), check: count }) },
  {
    name: 'add',
    run: async (c, rng) => {
      const rs = recordSet(rng);
      return { result: await c.add(ref(rng), rs), check: (r) => assert.equal((r as { written: number }).written, rs.ids.length) };
    },
  },
  {
    name: 'upsert',
    run: async (c, rng) => {
      const rs = recordSet(rng);
      return { result: await c.upsert(ref(rng), rs), check: (r) => assert.equal((r as { written: number }).written, rs.ids.length) };
    },
  },
  { name: 'update', run: async (c, rng) => ({ result: await c.update(ref(rng), { ids: ['a', 'b'], metadatas: [{ x: null }, { y: 2 }] }), check: anything }) },
  { name: 'delete', run: async (c, rng) => ({ result: await c.delete(ref(rng), { ids: ['a'] }), check: anything }) },
  {
    name: 'get',
    run: async (c, rng) => {
      const ids = rng.chance(0.3) ? ['a', 'b', 'c'] : undefined;
      const limit = rng.pick([undefined, 1, 10, 100]);
      const include = rng.pick([undefined, ['documents' as const], ['embeddings' as const, 'metadatas' as const, 'uris' as const, 'documents' as const]]);
      const max = Math.min(limit ?? Infinity, ids?.length ?? Infinity);
      return { result: await c.get(ref(rng), { ids, limit, include }), check: checkGet(max) };
    },
  },
  {
    name: 'iterateRecords',
    run: async (c, rng) => {
      const pages: unknown[] = [];
      for await (const page of c.iterateRecords(ref(rng), { pageSize: 4 })) {
        pages.push(page);
        if (pages.length >= 3) {
          break;
        }
      }
      return { result: pages, check: (ps) => (ps as unknown[]).forEach((p) => checkGet(4)(p)) };
    },
  },
  {
    name: 'query',
    run: async (c, rng) => {
      const queries = rng.int(1, 3);
      const nResults = rng.pick([1, 5, 10]);
      const include = rng.pick([undefined, ['distances' as const], ['embeddings' as const, 'metadatas' as const, 'documents' as const, 'distances' as const, 'uris' as const]]);
      const queryEmbeddings = Array.from({ length: queries }, () => [rng.next(), rng.next(), rng.next()]);
      return { result: await c.query(ref(rng), { queryEmbeddings, nResults, include }), check: checkQuery(queries, nResults) };
    },
  },
];

const AUTHS: ChromaAuth[] = [
  { kind: 'none' },
  { kind: 'x-chroma-token', token: SECRET },
  { kind: 'bearer', token: SECRET },
  { kind: 'basic', username: 'admin', password: SECRET },
];

interface Failure {
  caseSeed: number;
  method: string;
  problem: string;
  served: ServedCase[];
}

/** `secret`: the credential this client sent, which must never show up (the server echoes it back at times). */
function checkError(e: unknown, secret: boolean): string | undefined {
  if (!(e instanceof ChromaError)) {
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 400);
  }
  for (const [what, text] of [
    ['message', e.message],
    ['serverMessage', e.serverMessage],
  ] as const) {
    if (text === undefined) {
      continue;
    }
    if (text.length > 300 || UNSAFE.test(text)) {
      return `${e.name} ${what} is not one clean line of ≤ 300 characters: ${JSON.stringify(text.slice(0, 400))}`;
    }
    if (secret && (text.includes(SECRET) || text.includes(Buffer.from(`admin:${SECRET}`).toString('base64')))) {
      return `${e.name} ${what} carries the secret`;
    }
  }
  return undefined;
}

/** The kind of an answer, without its details: `redirect 301` → `redirect`. */
const kindOf = (label: string) => label.replace(/ (\(.*|\d+)$/, '');

async function runCase(server: HostileServer, caseSeed: number, kinds: Map<string, number>): Promise<Failure | undefined> {
  const rng = new Rng(caseSeed);
  const method = rng.pick(METHODS);
  const retries = rng.chance(0.2) ? 1 : 0;
  let requests = 0;
  const auth = rng.pick(AUTHS);
  const client = new ChromaClient({
    url: server.caseUrl(caseSeed),
    timeoutMs: TIMEOUT_MS,
    retries,
    backoff: { baseMs: 5, maxMs: 20 },
    auth,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    ...(rng.chance(0.7) ? { tenant: 'default_tenant', database: 'default_database' } : {}),
    onRequest: () => requests++,
  });
  let problem: string | undefined;
  let succeeded = false;
  let error = '';
  let code: string | undefined;
  let timedOut = false;
  try {
    const { result, check } = await method.run(client, rng);
    succeeded = true;
    try {
      check(result);
    } catch (e) {
      problem = `returned garbage as data: ${e instanceof Error ? e.message : String(e)}`;
    }
  } catch (e) {
    problem = checkError(e, auth.kind !== 'none');
    error = e instanceof Error ? e.message : String(e);
    code = e instanceof ChromaError ? e.code : undefined;
    timedOut = code === 'timeout';
  }
  const served = server.served(caseSeed);
  server.forget(caseSeed);
  served.forEach((s) => kinds.set(kindOf(s.label), (kinds.get(kindOf(s.label)) ?? 0) + 1));
  // A timeout on a correct answer is load (the server shares this process and its event loop), not a client bug.
  if (!problem && !succeeded && !timedOut && served.length > 0 && served.every((s) => s.expect === 'ok')) {
    problem = `failed although every answer was correct: ${error}`;
  }
  const last = served[served.length - 1];
  // Probes decide nothing on their own: the v2 and v1 heartbeat probes after a 404 are summed up as "not offered",
  // "not Chroma" or "v1 only", whatever they meet, and scope() falls back to the default tenant and database when
  // /auth/identity is missing.
  const probe =
    last?.path.startsWith('/api/v1/') ||
    last?.path === '/api/v2/auth/identity' ||
    (last?.path === '/api/v2/heartbeat' && method.name !== 'heartbeat');
  if (!problem && succeeded && last?.expect === 'error' && !probe) {
    problem = 'succeeded although the last answer was garbage';
  }
  // Where one code is right, it must be that one (a timeout aside: load can delay any answer past 300 ms).
  if (!problem && !succeeded && last?.expectCode && !probe && code !== last.expectCode && !timedOut) {
    problem = `failed with ${code} instead of ${last.expectCode}: ${error}`;
  }
  // A case ends (a hang fails the test's own timeout) after a bounded number of requests: no retry or paging loop
  // runs on because of what a server answers.
  if (!problem && requests > MAX_REQUESTS_PER_CASE) {
    problem = `made ${requests} requests (at most ${MAX_REQUESTS_PER_CASE} expected)`;
  }
  maxRequestsSeen = Math.max(maxRequestsSeen, requests);
  const leaked = server.recorder.seen.filter((r) => r.path.startsWith(`/c/${caseSeed}/`));
  if (!problem && leaked.length > 0) {
    problem = `${leaked.length} request(s) reached the redirect target, ${leaked.filter((r) => r.headers['x-chroma-token'] || r.headers.authorization).length} with credentials`;
  }
  return problem ? { caseSeed, method: method.name, problem, served } : undefined;
}

describe('ChromaClient against a hostile server (seeded fuzz)', function () {
  this.timeout(600_000);
  let server: HostileServer;
  before(async () => {
    server = await HostileServer.start({ maxBodyBytes: MAX_RESPONSE_BYTES, secret: SECRET });
  });
  after(async () => {
    await server?.stop();
  });

  it(`${ONLY_CASE === undefined ? CASES : 1} cases end in a correct result or a clean typed error, after a bounded number of requests, in bounded memory`, async () => {
    const seeds = ONLY_CASE === undefined ? Array.from({ length: CASES }, (_, i) => mixSeed(RUN_SEED, i)) : [ONLY_CASE];
    const failures: Failure[] = [];
    const kinds = new Map<string, number>();
    const start = process.memoryUsage();
    let peakRss = start.rss;
    let peakHeap = start.heapUsed;
    const sample = () => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    };
    let next = 0;
    const worker = async () => {
      while (next < seeds.length) {
        const seed = seeds[next++];
        const failure = await runCase(server, seed, kinds);
        if (failure) {
          failures.push(failure);
        }
        if (next % 50 === 0) {
          sample();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    sample();
    const report = failures
      .slice(0, 5)
      .map((f) => `  case ${f.caseSeed} (${f.method}): ${f.problem}\n    served: ${f.served.map((s) => `${s.method} ${s.path.slice(0, 80)} → ${s.label}`).join('; ')}`)
      .join('\n');
    console.log(`      (at most ${maxRequestsSeen} requests in one case)`);
    assert.equal(failures.length, 0, `FUZZ_SEED=${RUN_SEED}: ${failures.length} of ${seeds.length} cases failed (replay one with FUZZ_CASE=<case>):\n${report}`);
    assert.equal(server.recorder.seen.length, 0, 'requests reached the redirect target');
    const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
    assert.ok(peakRss - start.rss < MAX_RSS_GROWTH, `FUZZ_SEED=${RUN_SEED}: rss grew by ${mib(peakRss - start.rss)}`);
    assert.ok(peakHeap - start.heapUsed < MAX_HEAP_GROWTH, `FUZZ_SEED=${RUN_SEED}: the heap grew by ${mib(peakHeap - start.heapUsed)}`);
    if (ONLY_CASE === undefined) {
      // The mix must stay hostile: each kind of garbage was served.
      for (const kind of ['valid', 'mutated', 'redirect', 'gzip bomb', 'slow-loris', 'huge body', '100 KB of <', 'malformed HTTP']) {
        assert.ok((kinds.get(kind) ?? 0) > 0, `no "${kind}" answer was served`);
      }
    }
  });
});
