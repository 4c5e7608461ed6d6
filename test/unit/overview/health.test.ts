/** The health check, on crafted collections in a real server: each finding with its count and ids, none on a clean one. */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChromaClient, Collection, Metadata } from '../../../src/chroma';
import { healthCheck, ownSource } from '../../../src/overview/core/health';
import type { Finding, FindingKind, HealthOptions } from '../../../src/overview/core/health';
import { scanCollection } from '../../../src/overview/core/scan';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';

const DIM = 6;

interface Row {
  id: string;
  embedding: number[];
  document: string | null;
  metadata: Metadata | null;
}

describe('healthCheck on collections in a real server', function () {
  this.timeout(60_000);
  const chroma = useChromaServer();
  let client: ChromaClient;
  let workspace: string;
  /** Paths asked about, in order. */
  let asked: string[];
  const sourceExists = (source: string) => {
    asked.push(source);
    return access(join(workspace, source)).then(
      () => true,
      () => false,
    );
  };

  before(() => {
    client = clientFor(chroma.server.url);
    workspace = mkdtempSync(join(tmpdir(), 'overview-health-'));
    mkdirSync(join(workspace, 'src'));
    writeFileSync(join(workspace, 'src', 'here.ts'), 'export {};\n');
  });
  beforeEach(() => {
    asked = [];
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  async function collectionOf(rows: Row[], space: 'l2' | 'cosine'): Promise<Collection> {
    const col = await client.createCollection({ name: uniqueName('health'), configuration: { hnsw: { space } } });
    await client.add(col, {
      ids: rows.map((r) => r.id),
      embeddings: rows.map((r) => r.embedding),
      documents: rows.map((r) => r.document),
      metadatas: rows.map((r) => r.metadata),
    });
    return col;
  }

  async function check(col: Collection, opts: Omit<HealthOptions, 'sourceExists'>): Promise<Map<FindingKind, Finding>> {
    const scan = await scanCollection(client, col, { pageSize: 7 });
    const findings = await healthCheck(scan, { ...opts, sourceExists });
    assert.ok(findings.every((f) => f.count > 0 && f.exampleIds.length > 0 && f.exampleIds.length <= 10 && f.title && !f.title.includes('\n')));
    return new Map(findings.map((f) => [f.kind, f]));
  }

  /** Unit vectors, unique documents, one type per key, ids in the extension's scheme whose source exists. */
  function cleanRows(count: number): Row[] {
    return vectors(count, DIM, 77).map((embedding, i) => ({
      id: `src/here.ts#${i}`,
      embedding,
      document: `chunk ${i} of here.ts`,
      metadata: { source: 'src/here.ts', chunk: i, lang: 'ts', fresh: i % 2 === 0 },
    }));
  }

  it('finds nothing on a clean collection (asking once about its one source file)', async () => {
    const col = await collectionOf(cleanRows(30), 'cosine');
    const findings = await check(col, { space: 'cosine', normalising: true });
    assert.deepEqual([...findings.values()], []);
    assert.deepEqual(asked, ['src/here.ts']);
  });

  it('reports each problem with its count and example ids', async () => {
    const rows = cleanRows(40);
    const unit = vectors(10, DIM, 5);
    // Records without a document.
    rows[1].document = null;
    rows[2].document = '';
    // Duplicate documents: a group of three and a pair.
    rows[3].document = rows[4].document = rows[5].document = 'the same words';
    rows[6].document = rows[7].document = 'another copy';
    // Duplicate embeddings: a pair.
    rows[8].embedding = rows[9].embedding = unit[0];
    // Not normalised: length 3 and 0.5.
    rows[10].embedding = unit[1].map((x) => 3 * x);
    rows[11].embedding = unit[2].map((x) => 0.5 * x);
    // A zero vector.
    rows[12].embedding = new Array<number>(DIM).fill(0);
    // A key used with two types.
    rows[13].metadata = { ...rows[13].metadata, chunk: 'thirteen' };
    rows[14].metadata = { ...rows[14].metadata, fresh: 1 };
    // Records from files that are gone: a chunk index, a content hash and a line-range id.
    rows[20] = { ...rows[20], id: 'src/gone.ts#0', metadata: { source: 'src/gone.ts', chunk: 0, lang: 'ts', fresh: true } };
    rows[21] = { ...rows[21], id: 'src/gone.ts#1', metadata: { source: 'src/gone.ts', chunk: 1, lang: 'ts', fresh: false } };
    rows[22] = { ...rows[22], id: 'docs/old.md#0123456789abcdef', metadata: { source: 'docs/old.md', chunk: 2, lang: 'ts', fresh: true } };
    rows[23] = { ...rows[23], id: 'docs/old.md#L3-L9', metadata: { source: 'docs/old.md', chunk: 3, lang: 'ts', fresh: true } };
    // Not the extension's scheme: left alone although no such file exists.
    rows[24] = { ...rows[24], id: 'notes#4', metadata: { chunk: 4, lang: 'ts', fresh: true } };
    rows[25] = { ...rows[25], id: 'other-tool-25', metadata: { source: 'src/missing-too.ts', chunk: 5, lang: 'ts', fresh: true } };
    const col = await collectionOf(rows, 'cosine');
    const f = await check(col, { space: 'cosine', normalising: false });
    const ids = (kind: FindingKind) => [...(f.get(kind)?.exampleIds ?? [])].sort();
    const id = (i: number) => rows[i].id;

    assert.deepEqual(
      [...f.keys()],
      ['noDocument', 'duplicateDocument', 'duplicateEmbedding', 'notNormalised', 'zeroVector', 'mixedTypes', 'missingSource'],
    );
    assert.equal(f.get('noDocument')?.count, 2);
    assert.deepEqual(ids('noDocument'), [id(1), id(2)].sort());
    assert.equal(f.get('duplicateDocument')?.count, 5);
    assert.deepEqual(f.get('duplicateDocument')?.exampleIds, [id(3), id(4), id(5), id(6), id(7)], 'the largest group first, its members together');
    assert.match(f.get('duplicateDocument')?.detail ?? '', /5 records share .* \(2 groups; the largest has 3\)/);
    assert.equal(f.get('duplicateEmbedding')?.count, 2);
    assert.deepEqual(ids('duplicateEmbedding'), [id(8), id(9)].sort());
    assert.equal(f.get('notNormalised')?.count, 2);
    assert.deepEqual(ids('notNormalised'), [id(10), id(11)].sort());
    assert.match(f.get('notNormalised')?.detail ?? '', /length of 0\.5000 to 3\.000, not 1 .* cosine distance/);
    assert.equal(f.get('zeroVector')?.count, 1);
    assert.deepEqual(ids('zeroVector'), [id(12)]);
    assert.equal(f.get('mixedTypes')?.count, 2);
    assert.deepEqual(ids('mixedTypes'), [id(13), id(14)].sort());
    assert.match(f.get('mixedTypes')?.detail ?? '', /2 keys: chunk \(number 39, string 1\), fresh \(boolean 39, number 1\)/);
    assert.equal(f.get('missingSource')?.count, 4);
    assert.deepEqual(ids('missingSource'), ['docs/old.md#0123456789abcdef', 'docs/old.md#L3-L9', 'src/gone.ts#0', 'src/gone.ts#1']);
    assert.match(f.get('missingSource')?.detail ?? '', /from 2 files .* \(docs\/old\.md, src\/gone\.ts\)/);
    assert.deepEqual([...asked].sort(), ['docs/old.md', 'src/gone.ts', 'src/here.ts'], 'once per distinct source of an own-scheme id');

    // In an l2 collection with a function that does not normalise, lengths are nobody's business; zeros still are.
    const l2 = await check(await collectionOf(rows, 'l2'), { space: 'l2', normalising: false });
    assert.equal(l2.has('notNormalised'), false);
    assert.equal(l2.get('zeroVector')?.count, 1);
    // …but a normalising function (Chroma's default) makes them suspect in any space.
    const normalising = await check(await collectionOf(rows, 'l2'), { space: 'l2', normalising: true });
    assert.equal(normalising.get('notNormalised')?.count, 2);
    assert.match(normalising.get('notNormalised')?.detail ?? '', /embedding function returns unit vectors/);
  });

  it('keeps at most ten example ids however many records a finding has', async () => {
    const rows = cleanRows(25).map((r) => ({ ...r, document: null }));
    const f = await check(await collectionOf(rows, 'cosine'), { space: 'cosine', normalising: true });
    assert.equal(f.get('noDocument')?.count, 25);
    assert.equal(f.get('noDocument')?.exampleIds.length, 10);
  });

  it('does not count a source as missing when the check itself fails', async () => {
    const rows = cleanRows(3).map((r, i) => ({ ...r, id: `src/x.ts#${i}`, metadata: { ...r.metadata, source: 'src/x.ts' } }));
    const col = await collectionOf(rows, 'cosine');
    const scan = await scanCollection(client, col);
    const findings = await healthCheck(scan, { space: 'cosine', normalising: true, sourceExists: () => Promise.reject(new Error('no workspace')) });
    assert.deepEqual(findings, []);
  });
});

describe('ownSource', () => {
  it('recognises the extension\'s own ids: <source>#<chunk>, #<16 hex>, #L<a>-L<b>', () => {
    assert.equal(ownSource('src/a.ts#0', { source: 'src/a.ts' }), 'src/a.ts');
    assert.equal(ownSource('src/a b.ts#12', { source: 'src/a b.ts' }), 'src/a b.ts');
    assert.equal(ownSource('src/a.ts#0123456789abcdef', { source: 'src/a.ts' }), 'src/a.ts');
    assert.equal(ownSource('src/a.ts#L1-L20', { source: 'src/a.ts' }), 'src/a.ts');
    assert.equal(ownSource('src/a.ts#intro', { source: 'src/a.ts' }), undefined);
    assert.equal(ownSource('src/b.ts#0', { source: 'src/a.ts' }), undefined);
    assert.equal(ownSource('src/a.ts#0', { path: 'src/a.ts' }), undefined);
    assert.equal(ownSource('src/a.ts#0', null), undefined);
    assert.equal(ownSource('#0', { source: '' }), undefined);
  });
});
