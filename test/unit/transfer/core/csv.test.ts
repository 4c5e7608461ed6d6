import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from '../../../../src/chroma';
import { embeddingToBase64 } from '../../../../src/chroma/encoding';
import { csvRecords, csvValue, importCsv, readCsvHeader, readCsvRows, sniffDelimiter } from '../../../../src/transfer/core/csv';
import { describeImport } from '../../../../src/transfer/core/importer';
import { fastEmbedder } from '../../../support/fastEmbedder';
import { uniqueName, useChromaServer } from '../../../support/fixtures';
import { demoEmbedding } from '../../../support/sampleData';

const f32 = (v: ArrayLike<number>) => Buffer.from(Float32Array.from(v).buffer).toString('hex');

async function rows(path: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of readCsvRows(path, 'x.csv')) {
    out.push(r.fields);
  }
  return out;
}

describe('CSV import', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'transfer-csv-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses RFC 4180: quotes, escaped quotes, delimiters and line breaks in fields, CRLF, a BOM, no final newline', async () => {
    const path = join(dir, 'a.csv');
    writeFileSync(path, '\ufeffid,text,n\r\n1,"a, ""quoted"" text",3\r\n2,"two\nlines",\r\n3,plain,-1.5');
    assert.deepEqual(await rows(path), [
      ['id', 'text', 'n'],
      ['1', 'a, "quoted" text', '3'],
      ['2', 'two\nlines', ''],
      ['3', 'plain', '-1.5'],
    ]);
    // a field across the parser's 1 MiB reads
    const long = 'é'.repeat(700_000);
    writeFileSync(path, `id;text\nx;"${long}"\n`);
    assert.deepEqual(await rows(path), [['id', 'text'], ['x', long]]);
    writeFileSync(path, 'id,text\n1,"never closed\n');
    await assert.rejects(rows(path), /^TransferError: x\.csv ends inside a quoted field that starts on line 2: a closing quote \(\"\) is missing\.$/);
  });

  it('delimiters are sniffed from the header; cells keep their type as metadata', async () => {
    assert.equal(sniffDelimiter('a;b;"c,d"'), ';');
    assert.equal(sniffDelimiter('a\tb\tc'), '\t');
    assert.equal(sniffDelimiter('single'), ',');
    const path = join(dir, 't.tsv');
    writeFileSync(path, 'id\tdoc\n');
    assert.deepEqual(await readCsvHeader(path, 't.tsv'), { columns: ['id', 'doc'], delimiter: '\t' });
    writeFileSync(path, 'id,id\n');
    await assert.rejects(readCsvHeader(path, 't.csv'), /names the column "id" twice/);
    assert.deepEqual(['42', '-7', '0.5', '1e3', '-.25', 'true', 'false', '007', '1,5', ' ', '9007199254740993'].map(csvValue), [42, -7, 0.5, 1000, -0.25, true, false, '007', '1,5', undefined, '9007199254740993']);
  });

  it('rows map to records: ids from a column or the row number, typed metadata, embeddings as JSON or base64; bad rows named', async () => {
    const path = join(dir, 'm.csv');
    writeFileSync(path, `key,body,year,vec\na,hello,2020,"[1,2]"\nb,,,${embeddingToBase64([0.5, -1])}\n`);
    const got = [];
    for await (const r of csvRecords(path, 'm.csv', { id: 'key', document: 'body', metadata: ['year'], embedding: 'vec' }, 'm')) {
      got.push({ ...r, embedding: r.embedding && Array.from(r.embedding) });
    }
    assert.deepEqual(got, [
      { id: 'a', document: 'hello', metadata: { year: 2020 }, uri: null, embedding: [1, 2] },
      { id: 'b', document: null, metadata: null, uri: null, embedding: [0.5, -1] },
    ]);
    const noIds = [];
    for await (const r of csvRecords(path, 'm.csv', { document: 'body', metadata: [] }, 'm')) {
      noIds.push(r.id);
    }
    assert.deepEqual(noIds, ['m-1', 'm-2']);
    writeFileSync(path, 'key,body\na,one\nb,two,three\n');
    const drain = async (p: string, mapping: Parameters<typeof csvRecords>[2]) => {
      const it = csvRecords(p, 'm.csv', mapping, 'm');
      while (!(await it.next()).done) {
        // read them all
      }
    };
    await assert.rejects(drain(path, { id: 'key', document: 'body', metadata: [] }), /^TransferError: Row 2 \(line 3\) of m\.csv has 3 fields, the header 2\. Fix that row \(quote fields that hold the delimiter\), then import again\.$/);
    await assert.rejects(drain(path, { id: 'nope', metadata: [] }), /m\.csv has no column "nope" \(its columns: key, body\)/);
  });

  describe('into a real server', () => {
    const ctx = useChromaServer();

    it('imports rows into a new collection, embedding the documents with its function', async () => {
      const client = new ChromaClient({ url: ctx.server.url });
      const path = join(dir, 'notes.csv');
      const lines = ['id,title,text,year'];
      for (let i = 0; i < 2500; i++) {
        lines.push(`n${i},"Note ${i}, part ${i % 3}","Some text about ""vectors"" ${i}\nwith a second line",${2000 + (i % 25)}`);
      }
      writeFileSync(path, `${lines.join('\n')}\n`);
      const name = uniqueName('csv');
      const r = await importCsv({
        client,
        file: path,
        fileLabel: 'notes.csv',
        into: { kind: 'new', name },
        mapping: { id: 'id', document: 'text', metadata: ['title', 'year'] },
        configuration: { hnsw: { space: 'ip' }, embedding_function: { type: 'known', name: 'default', config: {} } },
        idPrefix: 'notes',
        embedderFor: () => Promise.resolve(fastEmbedder(24)),
      });
      assert.deepEqual({ written: r.counts.written, embedded: r.counts.embedded, read: r.read }, { written: 2500, embedded: 2500, read: 2500 });
      assert.match(describeImport(r, 'notes.csv'), /^Imported 2,500 of 2,500 records from notes\.csv into new collection "csv-[0-9a-f]+" \(2,500 embedded with the collection's function\) in (\d+ min )?[\d.]+ s\.$/);
      const col = await client.getCollection(name);
      assert.equal((col.configuration_json?.hnsw as { space?: string }).space, 'ip');
      const got = await client.get(col, { ids: ['n7'], include: ['documents', 'metadatas', 'embeddings'] });
      assert.equal(got.documents?.[0], 'Some text about "vectors" 7\nwith a second line');
      assert.deepEqual(got.metadatas?.[0], { title: 'Note 7, part 1', year: 2007 });
      assert.equal(f32(got.embeddings![0]), f32(demoEmbedding(got.documents![0]!, 24)));
    });
  });
});
