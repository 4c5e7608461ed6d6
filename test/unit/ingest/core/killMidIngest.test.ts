/**
 * Crash safety of an ingest against a real server: SIGKILL `chroma run` at a random moment of a 5,000-chunk ingest,
 * restart it on the same data path and port, run the same ingest again, and the collection holds exactly the
 * expected records. Three moments per run (early, middle, late); the moments come from KILL_SEED (printed in the
 * suite's title), so a failure replays with
 * `KILL_SEED=<seed> npx mocha --no-config --timeout 120000 --exit out/test/unit/ingest/killMidIngest.test.js`.
 */
import * as assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient, ChromaError } from '../../../../src/chroma';
import type { CollectionRef, Metadata } from '../../../../src/chroma';
import { chunkText } from '../../../../src/ingest/core/chunker';
import { ingestRecords, IngestError } from '../../../../src/ingest/core/ingest';
import type { IngestCounts } from '../../../../src/ingest/core/ingest';
import { chunkId, chunkMetadata, sha256 } from '../../../../src/ingest/core/records';
import type { IngestRecord, SourceInfo } from '../../../../src/ingest/core/records';
import { ChromaServer, freePort } from '../../../support/chromaServer';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { uniqueName } from '../../../support/fixtures';
import { demoEmbedding } from '../../../support/sampleData';
import { seededRandom } from '../../../../src/util/random';

const TOTAL = 5000;
/** The ingest's default batch, as the Add command uses it: at most this many records are in flight at a kill. */
const BATCH = 64;
const DIM = 32;
const INFO: SourceInfo = { source: 'docs/big.md', uri: 'file:///ws/docs/big.md', languageId: 'markdown', idBase: 'docs/big.md' };
const REPLACE = { key: 'source', value: 'docs/big.md' } as const;

function parseSeed(raw: string | undefined): number {
  if (raw === undefined || raw === '') {
    return randomInt(2 ** 31);
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`KILL_SEED must be a whole number ≥ 0 (got "${raw}").`);
  }
  return n;
}
const SEED = parseSeed(process.env.KILL_SEED);

/** One Markdown file of TOTAL sections, one chunk each; varied words keep the hashed embeddings apart. */
function bigDocument(): IngestRecord[] {
  const rand = seededRandom(7); // fixed: the data is the same for every seed
  const words = ['vector', 'index', 'chroma', 'query', 'embedding', 'record', 'metadata', 'filter', 'segment', 'batch', 'tenant', 'cosine', 'upsert', 'collection', 'distance', 'document'];
  const sections = Array.from({ length: TOTAL }, (_, i) => {
    const body = Array.from({ length: 10 }, () => words[Math.floor(rand() * words.length)] + Math.floor(rand() * 1000)).join(' ');
    return `## Part ${i}\n${body}.\n\n`;
  });
  const chunks = chunkText(sections.join(''), { size: 160, overlap: 0, mode: 'markdown' });
  return chunks.map((c) => ({ id: chunkId(INFO.idBase, c), document: c.text, metadata: chunkMetadata(INFO, c, chunks.length, '2026-11-25T00:00:00Z') }));
}

interface Stored {
  ids: string[];
  documents: (string | null)[];
  metadatas: (Metadata | null)[];
  embeddings: number[][];
}

/** Every record of the collection, paged through get (so duplicates across pages would show). */
async function readAll(client: ChromaClient, col: CollectionRef): Promise<Stored> {
  const all: Stored = { ids: [], documents: [], metadatas: [], embeddings: [] };
  for await (const page of client.iterateRecords(col, { include: ['documents', 'metadatas', 'embeddings'], pageSize: 1000 })) {
    all.ids.push(...page.ids);
    all.documents.push(...(page.documents ?? []));
    all.metadatas.push(...(page.metadatas ?? []));
    all.embeddings.push(...(page.embeddings ?? []));
  }
  return all;
}

/** Each stored record is one of ours, once, with its document, metadata and embedding intact. */
function assertIntact(stored: Stored, expected: ReadonlyMap<string, IngestRecord>, what: string): void {
  assert.equal(new Set(stored.ids).size, stored.ids.length, `${what}: an id is stored twice`);
  assert.equal(stored.documents.length, stored.ids.length, `${what}: documents missing from get`);
  stored.ids.forEach((id, i) => {
    const want = expected.get(id);
    assert.ok(want, `${what}: unexpected id ${id}`);
    const doc = stored.documents[i];
    const meta = stored.metadatas[i];
    assert.equal(doc, want.document, `${what}: the document of ${id} differs`);
    assert.equal(meta?.sha256, sha256(want.document), `${what}: the sha256 of ${id} does not match its document`);
    assert.deepEqual(meta, want.metadata, `${what}: the metadata of ${id} differs`);
    const v = demoEmbedding(want.document, DIM);
    const got = stored.embeddings[i];
    assert.ok(got?.length === DIM && got.every((x, k) => Math.abs(x - v[k]) < 1e-6), `${what}: the embedding of ${id} differs`);
  });
}

/** Exactly the expected ids (count and paged get), all intact, and the vector index answers for them. */
async function assertExact(client: ChromaClient, col: CollectionRef, records: readonly IngestRecord[], expected: ReadonlyMap<string, IngestRecord>, what: string): Promise<void> {
  assert.equal(await client.count(col), records.length, `${what}: count`);
  const stored = await readAll(client, col);
  assert.equal(stored.ids.length, records.length, `${what}: records returned by a paged get`);
  assertIntact(stored, expected, what);
  const have = new Set(stored.ids);
  const missing = records.filter((r) => !have.has(r.id)).map((r) => r.id);
  assert.deepEqual(missing, [], `${what}: missing ids`);
  // a query goes through the HNSW segment, which a crash could leave behind the log
  for (const r of [records[0], records[Math.floor(records.length / 2)], records[records.length - 1]]) {
    const res = await client.query(col, { queryEmbeddings: [demoEmbedding(r.document, DIM)], nResults: 5, include: ['distances'] });
    const k = res.ids[0].indexOf(r.id);
    assert.ok(k >= 0 && (res.distances?.[0][k] ?? 1) < 1e-4, `${what}: a query for ${r.id} did not find it (got ${res.ids[0].join(', ')})`);
  }
}

interface Moment {
  bucket: 'early' | 'middle' | 'late';
  /** The kill is armed when this many records are written... */
  target: number;
  /** ...and fires this fraction of one batch's duration later: between batches, mid-embed or mid-upsert. */
  delay: number;
}

function moments(seed: number): Moment[] {
  const rand = seededRandom(seed);
  const third = Math.floor(TOTAL / 3);
  // the late bucket stops 4 batches before the end, so the kill always lands inside the run
  const buckets: Array<[Moment['bucket'], number, number]> = [['early', BATCH, third], ['middle', third, 2 * third], ['late', 2 * third, TOTAL - 5 * BATCH]];
  return buckets.map(([bucket, lo, hi]) => ({ bucket, target: lo + Math.floor(rand() * (hi - lo)), delay: rand() }));
}

describe(`kill mid-ingest: SIGKILL the real server during a ${TOTAL}-chunk ingest, restart, re-run (KILL_SEED=${SEED})`, function () {
  this.timeout(120_000);
  const records = bigDocument();
  const expected = new Map(records.map((r) => [r.id, r]));
  const done: CollectionRef[] = [];
  let dataDir = '';
  let server: ChromaServer | undefined;
  let client: ChromaClient;

  before(async function () {
    this.timeout(90_000);
    assert.equal(records.length, TOTAL, 'the test document should make exactly one chunk per section');
    dataDir = mkdtempSync(join(tmpdir(), 'chroma-explorer-kill-'));
    server = await ChromaServer.start({ path: dataDir, port: await freePort() });
    client = new ChromaClient({ url: server.url, timeoutMs: 30_000 });
  });

  after(async function () {
    this.timeout(30_000);
    await server?.stop();
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  beforeEach(async function () {
    // a failed round may leave the server down; the next round starts from the same data
    if (server && !server.running) {
      await server.restart();
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && server) {
      console.error(`KILL_SEED=${SEED}; the server's last output:\n${server.log.slice(-4000)}`);
    }
  });

  for (const m of moments(SEED)) {
    it(`${m.bucket}: killed after ≥ ${m.target} written (+${Math.round(m.delay * 100)}% of a batch), restarted: exactly ${TOTAL} ids, intact`, async () => {
      const srv = server!;
      const col = await client.createCollection({ name: uniqueName('kill') });

      // 1. the ingest, with the server SIGKILLed at the chosen moment
      let last = performance.now();
      let lastProgress: IngestCounts | undefined;
      let killing: Promise<void> | undefined;
      const outcome = await ingestRecords(client, col, fastEmbedder(DIM), records, {
        replaceSource: REPLACE,
        onProgress: (c) => {
          const now = performance.now();
          const batchMs = now - last;
          last = now;
          lastProgress = c;
          if (!killing && c.written >= m.target) {
            killing = new Promise<void>((r) => setTimeout(r, m.delay * batchMs)).then(() => srv.crash());
          }
        },
      }).then(
        (counts) => counts,
        (e: unknown) => e,
      );
      assert.ok(killing, `the ingest never reached ${m.target} written records`);
      await killing;
      assert.ok(outcome instanceof IngestError, `the ingest should fail with an IngestError, got ${outcome instanceof Error ? outcome.message : JSON.stringify(outcome)}`);
      const { counts } = outcome;
      assert.ok(outcome.reason instanceof ChromaError && outcome.reason.code === 'unreachable', `the cause should be an unreachable server, got: ${String(outcome.reason)}`);
      assert.match(outcome.message, new RegExp(`Cannot reach Chroma at 127\\.0\\.0\\.1:${srv.port}.* ${counts.written} of ${TOTAL} records were written \\(${counts.added} new, 0 updated\\); running it again finishes the job without duplicates\\.$`));
      assert.doesNotMatch(outcome.message, /\n|\[object |TypeError/);
      assert.equal(counts.written, lastProgress?.written ?? 0, 'the error reports what the last progress report said');
      assert.ok(counts.written >= m.target && counts.written < TOTAL, `written ${counts.written} should be in [${m.target}, ${TOTAL})`);

      // 2. restart on the same data path and port; what was acknowledged survived, and nothing else came in
      await srv.restart();
      const after = await readAll(client, col);
      assertIntact(after, expected, 'after the restart');
      const survived = new Set(after.ids);
      const acknowledged = records.slice(0, counts.written).filter((r) => !survived.has(r.id));
      assert.deepEqual(acknowledged.map((r) => r.id), [], 'records reported written were lost by the crash');
      assert.ok(after.ids.length <= counts.written + BATCH, `${after.ids.length} records stored, more than the ${counts.written} written plus one batch in flight`);
      assert.equal(await client.count(col), after.ids.length, 'count after the restart');

      // 3. the same ingest again finishes the job: writes only what is missing
      const rerun = await ingestRecords(client, col, fastEmbedder(DIM), records, { replaceSource: REPLACE });
      assert.deepEqual(
        { ...rerun },
        { added: TOTAL - after.ids.length, updated: 0, unchanged: after.ids.length, removed: 0, written: TOTAL - after.ids.length, total: TOTAL },
        're-run counts',
      );
      await assertExact(client, col, records, expected, 'after the re-run');
      done.push(col);
    });
  }

  it('the later kills left the earlier collections whole', async function () {
    assert.equal(done.length, 3, 'every kill round should have passed');
    for (const col of done) {
      await assertExact(client, col, records, expected, `collection ${col.name ?? col.id}`);
    }
  });
});
