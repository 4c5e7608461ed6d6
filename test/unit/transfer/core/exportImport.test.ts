import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from '../../../../src/chroma';
import type { Collection, Metadata } from '../../../../src/chroma';
import { TransferError } from '../../../../src/transfer/core/errors';
import { describeExport, exportCollection, inspectExport } from '../../../../src/transfer/core/exporter';
import type { ExportOptions } from '../../../../src/transfer/core/exporter';
import { decodeRecord, parseManifest } from '../../../../src/transfer/core/format';
import { describeImport, importFile } from '../../../../src/transfer/core/importer';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { demoEmbedding } from '../../../support/sampleData';
import { uniqueName, useChromaServer, vectors } from '../../../support/fixtures';

const DIM = 64;
/** A vector's float32 bits, as hex. */
const f32 = (v: ArrayLike<number>) => Buffer.from(Float32Array.from(v).buffer).toString('hex');
const EXPORTED_AT = () => new Date('2026-03-04T05:06:07.000Z');

interface Stored {
  document: string | null;
  metadata: Metadata | null;
  uri: string | null;
  embedding: number[] | null;
}

/** Every record of a collection, by id, as the server returns it. */
async function readAll(client: ChromaClient, col: Collection, withEmbeddings = true): Promise<Map<string, Stored>> {
  const out = new Map<string, Stored>();
  const include = withEmbeddings ? (['documents', 'metadatas', 'uris', 'embeddings'] as const) : (['documents', 'metadatas', 'uris'] as const);
  for await (const page of client.iterateRecords(col, { include: [...include], pageSize: 2000 })) {
    page.ids.forEach((id, i) =>
      out.set(id, { document: page.documents![i], metadata: page.metadatas![i], uri: page.uris![i], embedding: page.embeddings?.[i] ?? null }),
    );
  }
  return out;
}

/** Records with every kind of value: unicode and multi-line documents, some without one, some with a uri. */
async function seed(client: ChromaClient, name: string, count: number, dim = DIM, space = 'ip'): Promise<Collection> {
  const col = await client.createCollection({
    name,
    metadata: { team: 'search', version: 3, ratio: 0.75, public: true },
    configuration: { hnsw: { space, ef_search: 77, max_neighbors: 24 }, embedding_function: { type: 'known', name: 'default', config: {} } },
  });
  for (let start = 0; start < count; start += 5000) {
    const n = Math.min(5000, count - start);
    const ids = Array.from({ length: n }, (_, k) => `rec-${String(start + k).padStart(6, '0')}`);
    await client.add(col, {
      ids,
      embeddings: vectors(n, dim, start + 1),
      documents: ids.map((id, k) => ((start + k) % 97 === 0 ? null : `Document ${id}: ünïcødé ✓ "quotes"\nsecond line \\ ${k % 7}`)),
      metadatas: ids.map((_, k) => ({ i: start + k, f: (start + k) / 8 + 0.1, even: (start + k) % 2 === 0, tag: `t-${k % 13}`, emoji: '🦀' })),
      uris: ids.map((id, k) => ((start + k) % 10 === 0 ? `file:///data/${id}.txt` : null)),
    });
  }
  return client.getCollection(name);
}

describe('export and import (real server)', function () {
  this.timeout(300_000);
  const ctx = useChromaServer();
  let client: ChromaClient;
  let dir: string;
  let big: Collection;
  const TOKEN = 'sk-secret-token-never-in-a-file';

  before(async () => {
    // The 1.0.0 server ignores the token; it is here to prove no file ever carries one.
    client = new ChromaClient({ url: `${ctx.server.url}/api/v2`, auth: { kind: 'x-chroma-token', token: TOKEN }, timeoutMs: 120_000 });
    dir = mkdtempSync(join(tmpdir(), 'transfer-'));
    big = await seed(client, uniqueName('big'), 20_000);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const exportTo = (file: string, extra: Partial<ExportOptions> = {}) =>
    exportCollection({ client, collection: big, file, embeddingEncoding: 'base64-float32-le', now: EXPORTED_AT, ...extra });

  it('export → import of 20,000 records: ids, documents, metadata, float32 embeddings and the configuration, bit for bit', async () => {
    const file = join(dir, 'big.jsonl');
    const exported = await exportTo(file);
    assert.equal(exported.written, 20_000);
    assert.equal(exported.cancelled, false);
    assert.equal(exported.changedDuring, undefined);
    assert.match(describeExport(exported, big.name, 'big.jsonl'), /^Exported 20,000 of 20,000 records of "big-[0-9a-f]+" to big\.jsonl: \d+(\.\d)? MiB in (\d+ min )?[\d.]+ s\.$/);
    const text = readFileSync(file, 'utf8');
    assert.equal(text.includes(TOKEN), false, 'no credential in the file');
    const lines = text.split('\n');
    assert.equal(lines.length, 20_002); // manifest, 20,000 records, and the empty string after the last newline
    const manifest = parseManifest(lines[0], 'big.jsonl');
    assert.deepEqual(
      { ...manifest, collection: { ...manifest.collection } },
      {
        format: 'chroma-explorer/jsonl',
        version: 1,
        // newer servers also return the per-key index schema: kept in the manifest as they sent it
        collection: { name: big.name, id: big.id, metadata: big.metadata, configuration: big.configuration_json, dimension: DIM, ...(big.schema ? { schema: big.schema } : {}) },
        count: 20_000,
        source: { url: ctx.server.url, tenant: 'default_tenant', database: 'default_database' },
        exportedAt: '2026-03-04T05:06:07.000Z',
        embeddingEncoding: 'base64-float32-le',
      },
    );

    const name = uniqueName('restored');
    const imported = await importFile({ client, file, fileLabel: 'big.jsonl', into: { kind: 'new', name } });
    assert.equal(imported.created, true);
    assert.deepEqual({ ...imported.counts, noTextIds: [] }, { written: 20_000, skippedExisting: 0, skippedNoText: 0, noTextIds: [], embedded: 0 });
    assert.match(describeImport(imported, 'big.jsonl'), /^Imported 20,000 of 20,000 records from big\.jsonl into new collection "restored-[0-9a-f]+" in (\d+ min )?[\d.]+ s\.$/);
    const restored = await client.getCollection(name);
    assert.deepEqual(restored.configuration_json, big.configuration_json);
    assert.deepEqual(restored.metadata, big.metadata);
    assert.equal(restored.dimension, DIM);
    const [a, b] = await Promise.all([readAll(client, big), readAll(client, restored)]);
    assert.equal(b.size, 20_000);
    for (const [id, rec] of a) {
      // the server writes each float32 in its shortest form: equal numbers are equal bits
      assert.deepEqual(b.get(id), rec, id);
    }
  });

  it('a filter\'s matches, with embeddings as JSON numbers, import to the same float32 values', async () => {
    const file = join(dir, 'tagged.jsonl');
    const selection = { where: { tag: 't-3' }, whereDocument: { $contains: 'second' } };
    const exported = await exportTo(file, { selection, embeddingEncoding: 'json-numbers' });
    const all = await readAll(client, big);
    const expected = [...all].filter(([, r]) => r.metadata?.tag === 't-3' && r.document?.includes('second'));
    assert.ok(expected.length > 1000);
    assert.equal(exported.written, expected.length);
    const manifest = parseManifest(readFileSync(file, 'utf8').split('\n')[0], 'x');
    assert.deepEqual(manifest.selection, selection);
    assert.equal(manifest.count, expected.length);
    assert.equal(manifest.embeddingEncoding, 'json-numbers');
    const imported = await importFile({ client, file, into: { kind: 'new', name: uniqueName('tagged') } });
    const b = await readAll(client, imported.collection);
    assert.equal(b.size, expected.length);
    for (const [id, rec] of expected) {
      assert.deepEqual(b.get(id), rec, id);
    }
  });

  it('cosine collections: the file holds exactly the float32 values the server returns (its cosine writes may move them by an ulp)', async () => {
    const cos = await seed(client, uniqueName('cos'), 500, DIM, 'cosine');
    const file = join(dir, 'cos.jsonl');
    await exportCollection({ client, collection: cos, file, embeddingEncoding: 'base64-float32-le' });
    const stored = await readAll(client, cos);
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    assert.equal(lines.length, 500);
    for (const line of lines) {
      const rec = decodeRecord(line, 'x');
      assert.equal(f32(rec.embedding!), f32(stored.get(rec.id)!.embedding!), rec.id);
    }
    const imported = await importFile({ client, file, into: { kind: 'new', name: uniqueName('cos') } });
    assert.equal((imported.collection.configuration_json?.hnsw as { space?: string }).space, 'cosine');
    const back = await readAll(client, imported.collection);
    for (const [id, rec] of stored) {
      const got = back.get(id)!.embedding!;
      rec.embedding!.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 2 ** -22 * Math.max(Math.abs(v), 2 ** -10), `${id}[${i}]: ${got[i]} vs ${v}`));
    }
  });

  it('a cancelled export resumes to the same file, byte for byte, after dropping a cut-off last line', async () => {
    const whole = join(dir, 'whole.jsonl');
    await exportTo(whole);
    const partial = join(dir, 'partial.jsonl');
    const ac = new AbortController();
    const cancelled = await exportTo(partial, {
      signal: ac.signal,
      onProgress: ({ written }) => {
        if (written >= 4000) {
          ac.abort();
        }
      },
    });
    assert.equal(cancelled.cancelled, true);
    assert.ok(cancelled.written >= 4000 && cancelled.written < 20_000, String(cancelled.written));
    assert.match(describeExport(cancelled, big.name, 'partial.jsonl'), /^Export of "big-[0-9a-f]+" cancelled: [\d,]+ of 20,000 records are in partial\.jsonl\. Export again to the same file to resume\.$/);
    // as if the process had died in the middle of a line
    appendFileSync(partial, '{"id":"rec-0040');
    const state = await inspectExport(partial, client, big, undefined);
    assert.deepEqual({ records: state?.records, same: state?.sameExport }, { records: cancelled.written, same: true });
    // resuming ignores the clock: the manifest is the first run's
    const resumed = await exportTo(partial, { resume: true, now: () => new Date() });
    assert.equal(resumed.resumedAfter, cancelled.written);
    assert.equal(resumed.written, 20_000 - cancelled.written);
    assert.equal(resumed.droppedBytes, '{"id":"rec-0040'.length);
    assert.match(describeExport(resumed, big.name, 'partial.jsonl'), /\(resumed: [\d,]+ were there, [\d,]+ added\); a cut-off last line \(15 bytes\) was dropped first/);
    assert.ok(readFileSync(partial).equals(readFileSync(whole)), 'the resumed file is the uncancelled one');
    // a complete file resumes to itself
    const again = await exportTo(partial, { resume: true });
    assert.equal(again.written, 0);
    assert.ok(readFileSync(partial).equals(readFileSync(whole)));
  });

  it('resuming refuses a collection that changed since, and a file of another collection or selection', async () => {
    const small = await seed(client, uniqueName('small'), 3000);
    const file = join(dir, 'small.jsonl');
    const ac = new AbortController();
    const opts: ExportOptions = { client, collection: small, file, embeddingEncoding: 'base64-float32-le', signal: ac.signal, onProgress: ({ written }) => written >= 1000 && ac.abort() };
    const first = await exportCollection(opts);
    assert.equal(first.cancelled, true);
    const before = readFileSync(file);
    await assert.rejects(exportCollection({ ...opts, signal: undefined, resume: true, selection: { where: { even: true } } }), (e: unknown) => e instanceof TransferError && e.code === 'other-export');
    await assert.rejects(exportTo(file, { resume: true }), /holds an export of another collection or selection: choose another file, or start over\./);
    // a record before the resume point goes: every later record moves up one place
    await client.delete(small, { ids: ['rec-000010'] });
    await assert.rejects(
      exportCollection({ ...opts, signal: undefined, resume: true }),
      (e: unknown) => e instanceof TransferError && e.code === 'changed' && /^"small-[0-9a-f]+" changed since .* \(record 1,000 is now "rec-001000", the file's last is "rec-000999"\), so appending would give a wrong file\. Start the export over\.$/.test(e.message),
    );
    assert.ok(readFileSync(file).equals(before), 'a refused resume leaves the file as it was');
  });

  it('chosen ids export in the order chosen (missing ones left out) and resume after the last written id', async () => {
    const ids = ['rec-019999', 'rec-000005', 'nope', 'rec-000005', 'rec-010000', 'rec-000000'];
    const file = join(dir, 'chosen.jsonl');
    const exported = await exportTo(file, { selection: { ids } });
    assert.equal(exported.total, 4);
    const got = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual(got, ['rec-019999', 'rec-000005', 'rec-010000', 'rec-000000']);
    // cut after two records: the resume goes on from the third
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(join(dir, 'chosen-partial.jsonl'), `${lines.slice(0, 3).join('\n')}\n${lines[3].slice(0, 20)}`);
    const resumed = await exportTo(join(dir, 'chosen-partial.jsonl'), { selection: { ids }, resume: true });
    assert.equal(resumed.written, 2);
    assert.ok(readFileSync(join(dir, 'chosen-partial.jsonl')).equals(readFileSync(file)));
  });

  it('import refuses a file whose dimension differs from the collection\'s, before writing anything', async () => {
    const file = join(dir, 'dim.jsonl');
    await exportTo(file, { selection: { ids: ['rec-000001', 'rec-000002'] } });
    const other = await client.createCollection({ name: uniqueName('dim32') });
    await client.add(other, { ids: ['x'], embeddings: vectors(1, 32) });
    const target = await client.getCollection(other.name);
    await assert.rejects(
      importFile({ client, file, fileLabel: 'dim.jsonl', into: { kind: 'existing', collection: target } }),
      (e: unknown) =>
        e instanceof TransferError &&
        e.code === 'dimension' &&
        e.message === `dim.jsonl holds 64-dimensional embeddings, but "${target.name}" holds 32-dimensional ones. Import into a new collection, or re-embed the documents with the collection's function.`,
    );
    assert.equal(await client.count(target), 1);
  });

  it('a file without embeddings is embedded with the target\'s function; records with no document are skipped and named', async () => {
    const file = join(dir, 'noemb.jsonl');
    const ids = ['rec-000000', 'rec-000001', 'rec-000002', 'rec-000097'];
    await exportTo(file, { selection: { ids }, embeddingEncoding: 'none' });
    assert.equal(readFileSync(file, 'utf8').includes('"embedding"'), false);
    // no function: refused up front
    await assert.rejects(importFile({ client, file, fileLabel: 'noemb.jsonl', into: { kind: 'new', name: uniqueName('noemb') } }), /noemb\.jsonl has no embeddings/);
    const asked: string[] = [];
    const imported = await importFile({
      client,
      file,
      fileLabel: 'noemb.jsonl',
      into: { kind: 'new', name: uniqueName('noemb') },
      embedderFor: async (c) => {
        asked.push(c.name);
        return fastEmbedder(48);
      },
    });
    assert.deepEqual(asked, [imported.collection.name]);
    assert.deepEqual({ ...imported.counts }, { written: 2, skippedExisting: 0, skippedNoText: 2, noTextIds: ['rec-000000', 'rec-000097'], embedded: 2 });
    assert.match(describeImport(imported, 'noemb.jsonl'), /\(2 skipped \(no embedding and no document to embed, e\.g\. "rec-000000", "rec-000097"\); 2 embedded with the collection's function\)/);
    const got = await client.get(imported.collection, { include: ['documents', 'embeddings'] });
    assert.deepEqual([...got.ids].sort(), ['rec-000001', 'rec-000002']);
    got.ids.forEach((id, i) => assert.equal(f32(got.embeddings![i]), f32(demoEmbedding(got.documents![i]!, 48)), id));
    // the collection is healthy: Chroma 1.0.0 breaks one that gets records without embeddings
    assert.equal(await client.count(imported.collection), 2);
    // the user declining to choose a function leaves nothing behind
    const declined = uniqueName('declined');
    await assert.rejects(importFile({ client, file, into: { kind: 'new', name: declined }, embedderFor: async () => undefined }), /No embedding function was chosen/);
    await assert.rejects(client.getCollection(declined));
  });

  it('import into an existing collection overwrites by id, or skips the ids it has (resume)', async () => {
    const file = join(dir, 'some.jsonl');
    const ids = Array.from({ length: 50 }, (_, i) => `rec-${String(i).padStart(6, '0')}`);
    await exportTo(file, { selection: { ids } });
    const target = await client.createCollection({ name: uniqueName('existing') });
    await client.add(target, { ids: ['rec-000001', 'keep'], embeddings: vectors(2, DIM, 99), documents: ['old', 'mine'] });
    const withDim = await client.getCollection(target.name);
    const skipped = await importFile({ client, file, into: { kind: 'existing', collection: withDim }, skipExisting: true });
    assert.deepEqual({ written: skipped.counts.written, skippedExisting: skipped.counts.skippedExisting }, { written: 49, skippedExisting: 1 });
    assert.equal((await client.get(withDim, { ids: ['rec-000001'] })).documents?.[0], 'old');
    const overwritten = await importFile({ client, file, into: { kind: 'existing', collection: withDim } });
    assert.equal(overwritten.counts.written, 50);
    assert.equal((await client.get(withDim, { ids: ['rec-000001'] })).documents?.[0], (await client.get(big, { ids: ['rec-000001'] })).documents?.[0]);
    assert.equal(await client.count(withDim), 51);
  });

  it('a cancelled import says what it wrote; a file that is not an export is refused with what to do', async () => {
    const file = join(dir, 'big2.jsonl');
    await exportTo(file);
    const ac = new AbortController();
    const r = await importFile({ client, file, into: { kind: 'new', name: uniqueName('cut') }, signal: ac.signal, onProgress: ({ counts }) => counts.written >= 2000 && ac.abort() });
    assert.equal(r.cancelled, true);
    const stored = await client.count(r.collection);
    assert.ok(r.counts.written >= 2000 && r.counts.written <= stored && stored < 20_000, `${r.counts.written} reported, ${stored} stored`);
    assert.match(describeImport(r, 'big2.jsonl'), /^Import cancelled: [\d,]+ of 20,000 records from big2\.jsonl were written to new collection "cut-[0-9a-f]+"\. Import again and choose Skip Existing to resume\.$/);
    const resumed = await importFile({ client, file, into: { kind: 'existing', collection: await client.getCollection(r.collection.name) }, skipExisting: true });
    assert.equal(resumed.counts.written + resumed.counts.skippedExisting, 20_000);
    assert.equal(await client.count(r.collection), 20_000);
    const notOurs = join(dir, 'other.jsonl');
    writeFileSync(notOurs, '{"id":"a","embedding":[1,2]}\n');
    await assert.rejects(importFile({ client, file: notOurs, fileLabel: 'other.jsonl', into: { kind: 'new', name: uniqueName('x') } }), /^TransferError: other\.jsonl is not a Chroma Explorer export/);
    // a bad line midway: the message names it and what was written before
    const broken = join(dir, 'broken.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(broken, [...lines.slice(0, 1501), '{"id": oops', ...lines.slice(1501, 1600)].join('\n'));
    await assert.rejects(
      importFile({ client, file: broken, fileLabel: 'broken.jsonl', into: { kind: 'new', name: uniqueName('broken') } }),
      /^TransferError: Line 1,502 of broken\.jsonl is not valid JSON\. Fix or remove that line, then import again\. [\d,]+ of 20,000 records were written to "broken-[0-9a-f]+"; import again and choose Skip Existing to resume\.$/,
    );
  });
});
