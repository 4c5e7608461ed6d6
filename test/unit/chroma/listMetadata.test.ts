/**
 * List-valued metadata (Chroma 1.5 and later): the same values are sent through the client and, as they are, to the
 * real server the suite runs on (CHROMA_EXPLORER_SERVER: 1.0.0 or newest), and the client's verdict must be the
 * server's. What each server answered is written down here: the newest stores strings, numbers (whole and decimal
 * mixed become decimals) and booleans, one type per list, and refuses the rest with 422; 1.0.0 refuses every list
 * with 422 ("did not match any variant of untagged enum MetadataValue").
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaError, ChromaInvalidArgumentError, ChromaUnsupportedError } from '../../../src/chroma';
import type { ChromaClient, Collection, Metadata } from '../../../src/chroma';
import { hasMixedNumberList, jsonWithDecimalLists } from '../../../src/chroma/decimals';
import { hasListValues, listValueProblem } from '../../../src/chroma/listValues';
import { readRecord, saveRecord } from '../../../src/records/core/save';
import { recordHash, renderRecordFile } from '../../../src/records/core/recordFile';
import { copyCollection } from '../../../src/transfer/core/copier';
import { exportCollection } from '../../../src/transfer/core/exporter';
import { importFile } from '../../../src/transfer/core/importer';
import { fastEmbedder } from '../../support/fastEmbedder';
import { serverKindFromEnv } from '../../support/chromaServer';
import { clientFor, uniqueName, useChromaServer } from '../../support/fixtures';

const KIND = serverKindFromEnv();
const TOO_OLD = /metadata "v" is a list; this server \(Chroma 1\.x before 1\.5\) is too old for list metadata values: they need Chroma 1\.5 or later\./;

interface Case {
  value: unknown;
  /** On the newest server: what it stores (read back), or why the client refuses it. */
  newest: { stored: unknown } | { refused: RegExp };
}

const CASES: Case[] = [
  { value: ['red', 'blue'], newest: { stored: ['red', 'blue'] } },
  { value: ['a', 'a', ''], newest: { stored: ['a', 'a', ''] } },
  { value: [1, 2, 3], newest: { stored: [1, 2, 3] } },
  { value: [1.5, 2.5], newest: { stored: [1.5, 2.5] } },
  // mixed whole and decimal numbers: stored as decimals ([1.0, 2.5], read back in JSON as 1.0)
  { value: [1, 2.5], newest: { stored: [1, 2.5] } },
  { value: [2.5, 1], newest: { stored: [2.5, 1] } },
  { value: [true, false], newest: { stored: [true, false] } },
  { value: [1e19], newest: { stored: [1e19] } },
  { value: [1, 'x'], newest: { refused: /"v" mixes numbers and strings \(a string at \[1\]\): a list holds one type/ } },
  { value: ['x', true], newest: { refused: /"v" mixes strings and booleans/ } },
  { value: [true, 1], newest: { refused: /"v" mixes booleans and numbers/ } },
  { value: [[1]], newest: { refused: /"v" holds a list at \[0\]: lists cannot be nested/ } },
  { value: ['a', ['b']], newest: { refused: /"v" holds a list at \[1\]/ } },
  { value: [null], newest: { refused: /"v" holds null at \[0\]: list items must be strings, numbers or booleans/ } },
  { value: ['a', null], newest: { refused: /"v" holds null at \[1\]/ } },
  { value: [{ a: 1 }], newest: { refused: /"v" holds an object at \[0\]/ } },
];

/** The empty list: the newest server answers 201 and stores nothing, so the client refuses it instead. */
const EMPTY = /"v" is an empty list, which Chroma does not store \(an add drops the key, an update removes it\)/;

describe('list metadata values (pure)', () => {
  it('rules: one type per list, whole and decimal numbers together, no null, nesting, object or empty list', () => {
    assert.equal(listValueProblem(['a']), undefined);
    assert.equal(listValueProblem([1, 2.5, -3]), undefined);
    assert.match(listValueProblem([]) ?? '', /^is an empty list/);
    assert.match(listValueProblem([1, Number.NaN]) ?? '', /holds NaN at \[1\]: numbers must be finite/);
    assert.ok(hasListValues([null, { a: 1 }, { t: ['x'] }]));
    assert.ok(!hasListValues([null, { a: 1 }]));
    assert.ok(!hasListValues(undefined));
  });

  it('a $in / $nin list of numbers that are not all 64-bit integers is written with every number a decimal', () => {
    const body = { where: { $and: [{ a: { $in: [2, 0.5] } }, { b: { $nin: [1e19] } }, { c: { $in: [1, 2] } }, { d: { $in: ['2', 0.5] } }] }, limit: 3 };
    assert.ok(hasMixedNumberList(body.where));
    assert.equal(
      jsonWithDecimalLists(body),
      '{"where":{"$and":[{"a":{"$in":[2.0,0.5]}},{"b":{"$nin":[10000000000000000000.0]}},{"c":{"$in":[1,2]}},{"d":{"$in":["2",0.5]}}]},"limit":3}',
    );
    // numbers JSON writes with an exponent are decimals already; -0 is a whole number
    assert.equal(jsonWithDecimalLists({ x: { $in: [1e21, -0, -3] } }), '{"x":{"$in":[1e+21,0.0,-3.0]}}');
    assert.ok(!hasMixedNumberList({ a: { $in: [1, 2] } }));
    assert.ok(!hasMixedNumberList({ a: { $eq: 0.5 } }));
    // a string that looks like the marker's text is written as it is
    assert.equal(jsonWithDecimalLists({ s: '"2"', x: { $in: [2, 0.5] } }), '{"s":"\\"2\\"","x":{"$in":[2.0,0.5]}}');
  });
});

describe(`list metadata values on the real server (Chroma ${KIND})`, () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let sent: string[];
  let col: Collection;
  let n = 0;

  before(async () => {
    sent = [];
    client = clientFor(ctx.server.url, { onRequest: (r) => sent.push(`${r.method} ${r.path}`) });
    col = await client.createCollection({ name: uniqueName('lists') });
  });

  const path = (op: string) => `/api/v2/tenants/${col.tenant}/databases/${col.database}/collections/${col.id}/${op}`;

  /** What the server itself says to an add of this value, sent as it is. */
  async function raw(value: unknown): Promise<'stored' | number> {
    try {
      await client.transport.request('POST', path('add'), { body: { ids: [`raw-${n++}`], embeddings: [[1, 0]], metadatas: [{ v: value }] } });
      return 'stored';
    } catch (e) {
      assert.ok(e instanceof ChromaError && e.status !== undefined && e.status < 500, String(e));
      return e.status;
    }
  }

  /** The client's verdict: stored (and what it reads back), or refused before anything was sent. */
  async function viaClient(value: unknown): Promise<{ stored: unknown } | { refused: string }> {
    const id = `c-${n++}`;
    const adds = () => sent.filter((s) => s.endsWith('/add')).length;
    const before = adds();
    try {
      await client.add(col, { ids: [id], embeddings: [[1, 0]], metadatas: [{ v: value } as Metadata] });
    } catch (e) {
      assert.ok(e instanceof ChromaInvalidArgumentError, String(e));
      assert.equal(adds(), before, 'refused before sending');
      return { refused: e.message };
    }
    const got = await client.get(col, { ids: [id], include: ['metadatas'] });
    return { stored: got.metadatas?.[0]?.v };
  }

  for (const c of CASES) {
    it(`${'stored' in c.newest ? 'takes' : 'refuses'} ${JSON.stringify(c.value)} as the server does`, async () => {
      const ours = await viaClient(c.value);
      const server = await raw(c.value);
      if (KIND === 'newest' && 'stored' in c.newest) {
        assert.deepEqual(ours, c.newest);
        assert.equal(server, 'stored');
      } else {
        assert.ok('refused' in ours, `the client sent ${JSON.stringify(c.value)}`);
        assert.match(ours.refused, KIND === 'newest' ? (c.newest as { refused: RegExp }).refused : 'stored' in c.newest ? TOO_OLD : /"v" /);
        assert.equal(server, 422, 'the server refuses it too');
      }
    });
  }

  it('refuses an empty list, which the newest server takes but never stores (1.0.0 refuses it)', async () => {
    const ours = await viaClient([]);
    assert.ok('refused' in ours);
    assert.match(ours.refused, EMPTY);
    if (KIND === 'newest') {
      assert.equal(await raw([]), 'stored');
      const got = await client.get(col, { ids: [`raw-${n - 1}`], include: ['metadatas'] });
      assert.deepEqual(got.metadatas, [null], 'the server kept no key');
    } else {
      assert.equal(await raw([]), 422);
    }
  });

  it('a collection never takes a list in its metadata (the newest server drops the connection on one)', async () => {
    const before = sent.length;
    await assert.rejects(client.createCollection({ name: uniqueName('l'), metadata: { tags: ['a'] } as never }), /The collection: metadata "tags" is a list; a collection's metadata takes only strings, numbers and booleans/);
    assert.equal(sent.length, before);
  });

  describe('in writes and filters', () => {
    let data: Collection;
    before(async function () {
      this.timeout(60_000);
      data = await client.createCollection({ name: uniqueName('tags') });
      await client.add(data, {
        ids: ['a', 'b', 'c'],
        embeddings: [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        documents: ['one', 'two', 'three'],
        metadatas: [{ year: 2020 }, { year: 2021 }, { year: 2022, name: 'x' }],
      });
    });

    it(KIND === 'newest' ? 'an update sets and an upsert writes list values; $contains finds them by string, number and boolean' : 'an update or upsert with a list is refused as too old, sending nothing', async () => {
      const lists = [{ tags: ['red', 'blue'], n: [1, 2], b: [true] }, { tags: ['green'], f: [2.5] }];
      const writes = () => sent.filter((s) => /\/(update|upsert)$/.test(s)).length;
      const before = writes();
      const update = client.update(data, { ids: ['a', 'b'], metadatas: lists as never });
      const upsert = client.upsert(data, { ids: ['d'], embeddings: [[0.5, 0.5]], documents: ['four'], metadatas: [{ tags: ['red'] }] as never });
      if (KIND !== 'newest') {
        await assert.rejects(update, /metadata "tags" is a list; this server \(Chroma 1\.x before 1\.5\) is too old/);
        await assert.rejects(upsert, /is too old for list metadata values/);
        assert.equal(writes(), before);
        await assert.rejects(client.get(data, { where: { tags: { $contains: 'red' } } }), (e: unknown) => {
          assert.ok(e instanceof ChromaUnsupportedError, String(e));
          assert.match(e.message, /^Filter not supported by this server \(Chroma 1\.x before 1\.5\): where\.tags\.\$contains: \$contains on metadata lists is for Chroma 1\.5 and later/);
          return true;
        });
        return;
      }
      await update;
      await upsert;
      const ids = async (where: Record<string, unknown>) => [...(await client.get(data, { where, include: [] })).ids].sort();
      assert.deepEqual(await ids({ tags: { $contains: 'red' } }), ['a', 'd']);
      assert.deepEqual(await ids({ tags: { $not_contains: 'red' } }), ['b', 'c']);
      assert.deepEqual(await ids({ n: { $contains: 2 } }), ['a']);
      assert.deepEqual(await ids({ b: { $contains: true } }), ['a']);
      assert.deepEqual(await ids({ f: { $contains: 2.5 } }), ['b']);
      // a list is not its elements: $eq and $in do not look inside
      assert.deepEqual(await ids({ tags: { $in: ['red', 'green'] } }), []);
      const got = await client.get(data, { ids: ['a'], include: ['metadatas'] });
      assert.deepEqual(got.metadatas?.[0], { year: 2020, tags: ['red', 'blue'], n: [1, 2], b: [true] });
    });

    it('the record editor saves a record that holds a list when another key changed, also without a base (after a reload)', async function () {
      if (KIND !== 'newest') {
        // 1.0.0 holds no list: adding one from the editor is refused as too old, sending nothing
        const record = (await readRecord(client, data, 'c'))!;
        const file = renderRecordFile(record, { collectionName: data.name, functionLabel: 'test' });
        const text = JSON.stringify({ ...JSON.parse(file.text), metadata: { year: 2022, name: 'x', v: ['a'] } });
        const before = sent.length;
        await assert.rejects(
          saveRecord({ client, collection: data, id: 'c', text, embedder: () => Promise.resolve(fastEmbedder(2)), overwrite: () => Promise.resolve(true) }),
          TOO_OLD,
        );
        assert.ok(!sent.slice(before).some((s) => s.endsWith('/update')));
        return;
      }
      const record = (await readRecord(client, data, 'a'))!;
      const file = renderRecordFile(record, { collectionName: data.name, functionLabel: 'test' });
      const j = JSON.parse(file.text) as { metadata: Record<string, unknown> };
      j.metadata.year = 2030;
      const result = await saveRecord({
        client,
        collection: data,
        id: 'a',
        text: JSON.stringify(j),
        // no base: it cannot be told whether the record changed, and the caller chose to overwrite
        embedder: () => Promise.resolve(fastEmbedder(2)),
        overwrite: () => Promise.resolve(true),
      });
      assert.equal(result.sent, true);
      const after = (await readRecord(client, data, 'a'))!;
      assert.deepEqual(after.metadata, { year: 2030, tags: ['red', 'blue'], n: [1, 2], b: [true] });
      assert.notEqual(recordHash(after), recordHash(record));
    });

    it('Copy Collection To… and export / import keep the records and their list values', async () => {
      const source = await client.get(data, { include: ['metadatas'] });
      const byId = (r: { ids: string[]; metadatas: unknown[] | null }) => Object.fromEntries(r.ids.map((id, i) => [id, r.metadatas?.[i] ?? null]));
      const copied = await copyCollection({ source: { client, collection: data }, target: { client, into: { kind: 'new', name: uniqueName('copy') } } });
      assert.equal(copied.counts.written, source.ids.length);
      assert.deepEqual(byId(await client.get(copied.collection, { include: ['metadatas'] })), byId(source));
      const dir = mkdtempSync(join(tmpdir(), 'lists-'));
      try {
        const file = join(dir, 'data.jsonl');
        await exportCollection({ client, collection: data, file, embeddingEncoding: 'base64-float32-le' });
        const imported = await importFile({ client, file, into: { kind: 'new', name: uniqueName('imp') } });
        assert.equal(imported.counts.written, source.ids.length);
        assert.deepEqual(byId(await client.get(imported.collection, { include: ['metadatas'] })), byId(source));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      if (KIND === 'newest') {
        assert.deepEqual(byId(source).a, { year: 2030, tags: ['red', 'blue'], n: [1, 2], b: [true] });
      }
    });
  });
});
