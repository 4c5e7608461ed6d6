import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ChromaClient, Collection, Metadata } from '../../../src/chroma';
import { validateToWebview } from '../../../src/overview/core/protocol';
import type { ToWebview } from '../../../src/overview/core/protocol';
import type { LastQuery } from '../../../src/overview/mapData';
import { OverviewSession } from '../../../src/overview/session';
import type { SessionDeps } from '../../../src/overview/session';
import { PROJECT_ROOT } from '../../support/chromaServer';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../support/fixtures';

/** The worker as tsc compiles it (the extension runs the bundled dist/projectionWorker.js). */
const WORKER = join(PROJECT_ROOT, 'out', 'src', 'overview', 'core', 'projectionWorker.js');
const N = 300;
const LONG_VALUE = `${'long value '.repeat(100)}end`;

function sessionFor(client: ChromaClient, collection: Collection, over: Partial<SessionDeps> = {}) {
  const posted: ToWebview[] = [];
  const warnings: string[] = [];
  const session = new OverviewSession({
    client,
    collection,
    connection: 'local',
    sampleSize: () => 10_000,
    sourceExists: () => Promise.resolve(true),
    workerFile: WORKER,
    canExport: false,
    post: (m) => posted.push(m),
    log: { warn: (m) => warnings.push(m), info: () => undefined },
    ...over,
  });
  return { session, posted, warnings };
}

const ofType = <T extends ToWebview['type']>(posted: ToWebview[], type: T) => posted.filter((m): m is Extract<ToWebview, { type: T }> => m.type === type);
const last = <T extends ToWebview['type']>(posted: ToWebview[], type: T) => ofType(posted, type).at(-1);

describe('overview session: a collection read, checked and projected, as messages for the page', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let col: Collection;
  let ids: string[];

  before(async () => {
    client = clientFor(ctx.server.url);
    col = await client.createCollection({ name: uniqueName('overview'), configuration: { hnsw: { space: 'cosine' } } });
    ids = Array.from({ length: N }, (_, i) => `r${i}`);
    await client.add(col, {
      ids,
      embeddings: vectors(N, 8, 5),
      documents: ids.map((id, i) => (i === 3 ? null : i === 4 ? 'same text' : i === 5 ? 'same text' : `document ${id}`)),
      metadatas: ids.map((_, i): Metadata => ({ kind: ['a', 'b', 'c'][i % 3], ...(i === 0 ? { note: LONG_VALUE } : {}) })),
    });
    col = await client.getCollection(col.name);
  });

  it('posts facts, the scan, facets, findings, the points and their colours, every message valid for the page', async () => {
    const { session, posted } = sessionFor(client, col);
    await session.run(false);
    for (const m of posted) {
      assert.ok(validateToWebview(m), `${m.type} fits the protocol`);
    }
    assert.deepEqual(last(posted, 'scanned'), { type: 'scanned', total: N, read: N, sampled: false, dim: 8 });
    const facets = last(posted, 'facets')?.facets ?? [];
    assert.deepEqual(
      facets.map((f) => f.key),
      ['kind', 'note'],
    );
    const kinds = ofType(posted, 'health').at(-1)?.findings.map((f) => f.kind) ?? [];
    assert.ok(kinds.includes('noDocument') && kinds.includes('duplicateDocument'), kinds.join());
    const points = ofType(posted, 'points');
    assert.equal(points.length, 1);
    assert.equal(points[0].n, N);
    assert.equal(Buffer.from(points[0].coords, 'base64').length, N * 8);
    const colors = last(posted, 'colors');
    assert.equal(colors?.key, 'kind', 'coloured by the key every record has with three values');
    assert.deepEqual(
      colors?.legend.map((l) => l.count),
      [100, 100, 100],
    );
    assert.equal(last(posted, 'progress')?.phase, 'done');
    assert.match(last(posted, 'init')?.facts.find((f) => f.label === 'Records')?.value ?? '', /^300$/);

    // what the page names by index resolves to the full values here
    assert.equal(session.idAt(0), ids[0]);
    assert.equal(session.idAt(N), undefined);
    const note = facets.findIndex((f) => f.key === 'note');
    assert.deepEqual(session.filterOf(note, 0), { key: 'note', value: LONG_VALUE });
    assert.ok((facets[note].top[0].label.length ?? 0) < LONG_VALUE.length, 'the page gets a shortened label');
    assert.equal(session.filterOf(99, 0), undefined);
    assert.deepEqual(session.idsOf([2, 1, 2, -1, N]), [ids[2], ids[1]]);
    const info = session.pointInfo(3);
    assert.deepEqual(info, { type: 'pointInfo', index: 3, id: 'r3', document: null });
    session.dispose();
  });

  it('replays what the page shows to a page that loaded again', async () => {
    const { session, posted } = sessionFor(client, col);
    await session.run(false);
    const before = posted.length;
    session.replay();
    const again = posted.slice(before).map((m) => m.type);
    assert.deepEqual(again, ['init', 'scanned', 'facets', 'health', 'points', 'colors', 'highlight', 'progress']);
    session.dispose();
  });

  it('reads a sample of sampleSize records and says so', async () => {
    const { session, posted } = sessionFor(client, col, { sampleSize: () => 100 });
    await session.run(false);
    assert.deepEqual(last(posted, 'scanned'), { type: 'scanned', total: N, read: 100, sampled: true, dim: 8 });
    assert.equal(ofType(posted, 'points')[0]?.n, 100);
    posted.length = 0;
    await session.run(true);
    assert.equal(last(posted, 'scanned')?.read, N, 'Scan all reads every record');
    session.dispose();
  });

  it('highlights the last query: its hits by index and its own point placed on the map', async () => {
    const q: LastQuery = { label: '“x”', vector: vectors(1, 8, 99)[0], hitIds: ['r10', 'r20', 'gone'] };
    const { session, posted } = sessionFor(client, col, { queries: { lastFor: (c, id) => (c === 'local' && id === col.id ? q : undefined) } });
    await session.run(false);
    const h = last(posted, 'highlight');
    assert.deepEqual(h?.hits, [10, 20]);
    assert.equal(h?.missing, 1);
    assert.equal(h?.query?.length, 2);
    assert.ok(h?.query?.every(Number.isFinite));
    session.dispose();
  });

  it('UMAP on request, and a cancelled projection keeps the map shown before', async () => {
    const { session, posted } = sessionFor(client, col);
    await session.run(false);
    posted.length = 0;
    await session.reproject('umap');
    assert.equal(ofType(posted, 'points')[0]?.method, 'umap');
    assert.ok(ofType(posted, 'progress').some((p) => p.phase === 'project' && p.fraction > 0 && p.fraction < 1), 'UMAP reports progress');
    posted.length = 0;
    const running = session.reproject('pca');
    session.cancel();
    await running;
    assert.equal(ofType(posted, 'points').length, 0);
    assert.match(last(posted, 'progress')?.text ?? '', /Cancelled; the map shown is the one before/);
    assert.equal(session.busy, false);
    session.dispose();
  });

  it('a server that fails is one line on the page, not a stack', async () => {
    const gone = { ...col, id: '00000000-0000-0000-0000-000000000000', name: 'gone' };
    const { session, posted, warnings } = sessionFor(client, gone);
    await session.run(false);
    const error = last(posted, 'error');
    assert.ok(error, 'an error is shown');
    assert.match(error.text, /^Reading the collection failed: /);
    assert.ok(!/\n|at \w+ \(/.test(error.text), error.text);
    assert.equal(warnings.length, 1);
    assert.equal(last(posted, 'progress')?.phase, 'done');
    session.dispose();
  });
});
