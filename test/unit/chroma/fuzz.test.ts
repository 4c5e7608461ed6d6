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
import type { ChromaAuth } from '../../../src/chroma';
import { HostileServer, Rng, mixSeed } from '../../support/hostileServer';
import type { ServedCase } from '../../support/hostileServer';
import { METHODS } from './fuzzMethods';

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
