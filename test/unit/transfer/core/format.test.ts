import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaInvalidArgumentError, ChromaResponseTooLargeError } from '../../../../src/chroma';
import { AdaptiveLimits, quotaLimit } from '../../../../src/transfer/core/adaptive';
import { TransferError } from '../../../../src/transfer/core/errors';
import {
  buildManifest,
  canonicalJson,
  decodeRecord,
  encodeManifest,
  encodeRecord,
  normalizeSelection,
  parseManifest,
} from '../../../../src/transfer/core/format';
import { keeps } from '../../../../src/transfer/core/writeTarget';
import { LineWriter, dropPartialLine, readLines, scanLines } from '../../../../src/transfer/core/lines';

const bits = (e: ArrayLike<number>) => Buffer.from(Float32Array.from(e).buffer).toString('hex');

async function collect(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(path, 'f.jsonl')) {
    out.push(line);
  }
  return out;
}

describe('transfer format (pure)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'transfer-format-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('embeddings: base64 of little-endian float32, bit-exact both ways (signed zero, subnormal, extremes)', () => {
    const values = [1, -0, 0.1, 1.401298464324817e-45, 3.4028234663852886e38, -2.5, Math.fround(1 / 3)];
    const line = encodeRecord('a', null, null, null, values, 'base64-float32-le');
    const embedding = (JSON.parse(line) as { embedding: string }).embedding;
    // 1.0f is 00 00 80 3f in little-endian
    assert.equal(Buffer.from(embedding, 'base64').subarray(0, 4).toString('hex'), '0000803f');
    const back = decodeRecord(line, 'line 2');
    assert.ok(back.embedding instanceof Float32Array);
    assert.equal(bits(back.embedding), bits(values));
    assert.ok(Object.is(back.embedding[1], -0));
    // JSON numbers: the float32 value comes back exactly too
    const asNumbers = decodeRecord(encodeRecord('a', null, null, null, values, 'json-numbers'), 'line 2');
    assert.equal(bits(asNumbers.embedding!), bits(values));
  });

  it('records: null fields left out, everything else kept as it was', () => {
    const line = encodeRecord('id-1', 'héllo\n"quoted"', { n: 3, f: 0.25, b: false, s: 'x' }, 'file:///a', null, 'base64-float32-le');
    // metadata keys sorted: servers answer them in any order, and the same record must make the same line
    assert.equal(line, '{"id":"id-1","document":"héllo\\n\\"quoted\\"","metadata":{"b":false,"f":0.25,"n":3,"s":"x"},"uri":"file:///a"}');
    assert.deepEqual(decodeRecord(line, 'x'), { id: 'id-1', document: 'héllo\n"quoted"', metadata: { n: 3, f: 0.25, b: false, s: 'x' }, uri: 'file:///a', embedding: null });
    assert.equal(encodeRecord('b', null, null, null, null, 'none'), '{"id":"b"}');
  });

  it('bad record lines are refused with the line named and what to do', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"id": ', /^Line 7 of f\.jsonl is not valid JSON\. Fix or remove that line/],
      ['{"document":"x"}', /^Line 7 of f\.jsonl: it has no "id"/],
      ['{"id":"a","embedding":"not base64!"}', /record "a" has an "embedding" that is not base64/],
      ['{"id":"a","embedding":"AAA="}', /not whole float32 values/],
      ['{"id":"a","embedding":[1,"x"]}', /values that are not numbers/],
      ['{"id":"a","metadata":[1]}', /"metadata" that is not an object/],
      ['{"id":"a","document":5}', /"document" that is not a string/],
    ];
    for (const [line, message] of cases) {
      assert.throws(() => decodeRecord(line, 'Line 7 of f.jsonl'), (e: unknown) => e instanceof TransferError && e.code === 'bad-line' && message.test(e.message));
    }
  });

  it('manifest: built from the collection, read back; foreign and newer files refused', () => {
    const m = buildManifest({
      collection: {
        id: 'c1',
        name: 'docs',
        metadata: { team: 'a' },
        configuration_json: { hnsw: { space: 'cosine' }, embedding_function: { type: 'known', name: 'default', config: {} } },
        dimension: 3,
        tenant: 't',
        database: 'd',
      },
      count: 2,
      sourceUrl: 'http://h:8000',
      embeddingEncoding: 'base64-float32-le',
      selection: { where: {}, ids: ['b', 'a', 'b'] },
      exportedAt: new Date('2026-01-02T03:04:05Z'),
    });
    assert.deepEqual(m.selection, { ids: ['b', 'a'] });
    const text = encodeManifest(m);
    assert.deepEqual(parseManifest(text, 'f.jsonl'), m);
    assert.deepEqual(parseManifest(`\ufeff${text}`, 'f.jsonl'), m);
    assert.throws(() => parseManifest('{"id":"x"}', 'f.jsonl'), /^TransferError: f\.jsonl is not a Chroma Explorer export \(its first line has no "format"/);
    assert.throws(() => parseManifest('hello', 'f.jsonl'), /its first line is not JSON/);
    assert.throws(() => parseManifest(JSON.stringify({ ...m, version: 9 }), 'f.jsonl'), /format version 9, newer than this Chroma Explorer reads \(1\)\. Update the extension\./);
    assert.throws(() => parseManifest(JSON.stringify({ ...m, count: -1 }), 'f.jsonl'), /no valid count/);
  });

  it('a stored configuration keeps what was asked when it has every setting asked for (defaults filled in are fine)', () => {
    const stored = { hnsw: { space: 'ip', ef_search: 100, max_neighbors: 16 }, spann: null, embedding_function: { type: 'known', name: 'default', config: {} } };
    assert.equal(keeps(stored, { hnsw: { space: 'ip' }, embedding_function: { type: 'known', name: 'default', config: {} } }), true);
    assert.equal(keeps(stored, { hnsw: { space: 'cosine' } }), false);
    // a local server turns SPANN settings into HNSW ones: reported as a change
    assert.equal(keeps(stored, { spann: { space: 'ip', search_nprobe: 64 } }), false);
    assert.equal(keeps(stored, { embedding_function: { type: 'known', name: 'openai', config: {} } }), false);
  });

  it('selections compare by content, not key order; empty parts mean everything', () => {
    assert.equal(canonicalJson({ where: { b: 1, a: { $gt: 2 } } }), canonicalJson({ where: { a: { $gt: 2 }, b: 1 } }));
    assert.equal(normalizeSelection({ where: {}, whereDocument: {} }), undefined);
  });

  it('lines: CRLF, a line across read chunks, a last line without newline', async () => {
    const long = 'x'.repeat(3 * 1024 * 1024 + 17);
    const path = join(dir, 'lines.jsonl');
    writeFileSync(path, `first\r\n${long}\nthird\n\nlast`);
    assert.deepEqual(await collect(path), ['first', long, 'third', '', 'last']);
  });

  it('scan: complete lines, first and last, a partial line found and dropped', async () => {
    const path = join(dir, 'scan.jsonl');
    writeFileSync(path, 'm\n{"id":"1"}\n{"id":"2"}\n{"id":"3');
    const scan = (await scanLines(path, 'scan.jsonl'))!;
    assert.deepEqual({ ...scan }, { size: 32, lines: 3, firstLine: 'm', lastLine: '{"id":"2"}', completeBytes: 24 });
    assert.equal(await dropPartialLine(path, scan), 8);
    assert.equal(readFileSync(path, 'utf8'), 'm\n{"id":"1"}\n{"id":"2"}\n');
    assert.equal(await scanLines(join(dir, 'missing.jsonl'), 'x'), undefined);
    writeFileSync(path, 'only a partial manifest');
    assert.deepEqual({ ...(await scanLines(path, 'x'))! }, { size: 23, lines: 0, completeBytes: 0 });
  });

  it('writer: appends, or empties the file first', async () => {
    const path = join(dir, 'w.jsonl');
    writeFileSync(path, 'old\n');
    const a = await LineWriter.open(path, true);
    await a.write('more\n');
    await a.close();
    assert.equal(readFileSync(path, 'utf8'), 'old\nmore\n');
    const w = await LineWriter.open(path, false);
    await w.write('new\n');
    await w.close();
    assert.equal(readFileSync(path, 'utf8'), 'new\n');
  });

  it('limits are learnt from the quota errors Chroma Cloud sends, and from answers too large to read', () => {
    const quota = (kind: string, action: string, limit: number) =>
      new ChromaInvalidArgumentError(`Chroma at api.trychroma.com rejected the request: Quota exceeded: …`, {
        status: 422,
        serverKind: 'ChromaError',
        serverMessage: `Quota exceeded: '${kind}' exceeded quota limit for action '${action}': current usage of 1000 exceeds limit of ${limit}`,
      });
    assert.equal(quotaLimit(quota('Number of records', 'Upsert', 300), 'Number of records'), 300);
    assert.equal(quotaLimit(quota('Number of records', 'Upsert', 300), 'Limit value'), undefined);
    assert.equal(quotaLimit(quota('Limit value', 'Get', 100), 'Limit value'), 100);
    assert.equal(quotaLimit(new Error('Quota exceeded'), 'Limit value'), undefined);
    const limits = (AdaptiveLimits as unknown as { new (w: number, p: number): AdaptiveLimits });
    const l = new limits(1000, 800);
    assert.equal(l.learnFromWrite(quota('Number of records', 'Upsert', 300)), true);
    assert.equal(l.writeSize, 300);
    // a quota at or above the size in use teaches nothing: the failure is real
    assert.equal(l.learnFromWrite(quota('Number of records', 'Upsert', 300)), false);
    assert.equal(l.learnFromWrite(quota('Document size (bytes)', 'Upsert', 16384)), false);
    assert.equal(l.learnFromRead(new ChromaResponseTooLargeError('too large', { limitBytes: 1 }), 800), true);
    assert.equal(l.pageSize, 400);
    assert.equal(l.learnFromRead(quota('Limit value', 'Get', 300), 400), true);
    assert.equal(l.pageSize, 300);
    // a second read refused for the same reason (reads run ahead) retries without learning it again
    assert.equal(l.learnFromRead(quota('Limit value', 'Get', 300), 400), true);
    assert.deepEqual(l.learnt, ['at most 300 records per write', 'pages of 400 records (larger answers were too large to read)', 'at most 300 records per read']);
  });
});
