import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../../../src/chroma';
import { runSet } from '../../../../src/eval/core/evaluate';
import type { SetRunDeps } from '../../../../src/eval/core/evaluate';
import { parseEvalSet } from '../../../../src/eval/core/parse';
import { batchCases, planCases, runTarget } from '../../../../src/eval/core/runner';
import type { Embed } from '../../../../src/eval/core/runner';
import type { CaseResult, EvalSet } from '../../../../src/eval/core/types';
import type { SetFile } from '../../../../src/eval/core/writeSet';
import { formatSet } from '../../../../src/eval/core/writeSet';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';

/**
 * The fixture: records r00…r59 on a quarter circle, r(j) at angle j·0.02 from [1, 0, 0, 0], so a query at angle 0
 * ranks them r00, r01, … exactly (l2 grows with the angle). Two exact duplicates, dupA and dupB, sit far away at
 * [0, 0, 1, 0]. Metadata: topic j % 3, even, and ingest's source/lines (file j % 6, lines 10j+1 … 10j+10).
 */
const N = 60;
const at = (angle: number): number[] => [Math.cos(angle), Math.sin(angle), 0, 0];
const id = (j: number) => `r${String(j).padStart(2, '0')}`;
/** An exact-match embedding function: "angle 0.3" embeds at that angle, the way r(15) was written. */
const angleEmbed: Embed = (texts) => Promise.resolve(texts.map((t) => at(Number(/angle (-?[\d.]+)/.exec(t)?.[1] ?? Number.NaN))));

async function fill(client: ChromaClient, name: string, reversed = false): Promise<Collection> {
  const col = await client.createCollection({ name });
  const js = Array.from({ length: N }, (_, j) => j);
  await client.add(col, {
    ids: [...js.map(id), 'dupA', 'dupB'],
    embeddings: [...js.map((j) => at((reversed ? N - 1 - j : j) * 0.02)), [0, 0, 1, 0], [0, 0, 1, 0]],
    documents: [...js.map((j) => `record ${j}`), 'duplicate', 'duplicate'],
    metadatas: [
      ...js.map((j) => ({ topic: j % 3, even: j % 2 === 0, source: `docs/file-${j % 6}.md`, startLine: 10 * j + 1, endLine: 10 * j + 10 })),
      { topic: 9, even: true },
      { topic: 9, even: true },
    ],
  });
  return col;
}

function setOf(file: SetFile): EvalSet {
  const parsed = parseEvalSet(formatSet(file, 'json'), 'json');
  assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
  assert.ok(parsed.set);
  return parsed.set;
}

const byName = (results: readonly CaseResult[], name: string) => {
  const r = results.find((x) => x.name === name);
  assert.ok(r, `no result named ${name}`);
  return r;
};

describe('evaluation runner (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let name: string;
  const requests: string[] = [];

  before(async () => {
    client = clientFor(ctx.server.url, { onRequest: (r) => requests.push(`${r.method} ${r.path.replace(/^.*\/collections\/[^/]+\//, '')}`) });
    name = uniqueName('eval');
    await fill(client, name);
  });

  const connect: SetRunDeps['connect'] = () => Promise.resolve({ client, embedderFor: () => Promise.resolve(angleEmbed) });
  const target = () => ({ connection: 'local', collection: name, k: 5 });

  it('ids, sources and where: ranks, metrics, outcome, and a message that says where a miss ranked', async () => {
    const set = setOf({
      target: target(),
      cases: [
        { name: 'rank 4', query: 'angle 0', expect: { ids: ['r03'] } },
        { name: 'rank 8', query: 'angle 0', expect: { ids: ['r07', 'r01'] } },
        { name: 'absent', query: 'angle 0', expect: { ids: ['nope'] } },
        { name: 'lines', query: { vector: at(0) }, expect: { sources: [{ source: 'docs/file-2.md', startLine: 85, endLine: 90 }] } },
        { name: 'file', query: 'angle 0.2', expect: { sources: ['file-4.md'] } },
        { name: 'where', query: 'angle 0', expect: { where: { topic: 1 } } },
      ],
    });
    const run = await runTarget(set.target, set.cases, set.minRecall, { client, embedderFor: () => Promise.resolve(angleEmbed) });
    const r = (n: string) => byName(run.results, n);
    assert.equal(r('rank 4').outcome, 'passed');
    assert.deepEqual(r('rank 4').items, [{ kind: 'id', label: 'r03', rank: 4, found: true }]);
    assert.deepEqual(r('rank 4').hits.slice(0, 5).map((h) => h.id), ['r00', 'r01', 'r02', 'r03', 'r04']);
    assert.deepEqual({ ...r('rank 4').metrics }, { recall: 1, precision: 0.2, reciprocalRank: 0.25, ndcg: 1 / Math.log2(5), hit: true, expected: 1, found: 1, relevantHits: 1 });
    assert.equal(r('rank 8').outcome, 'failed');
    assert.equal(r('rank 8').message, 'expected r07 (rank 8, outside the top 5); found 1 of 2, needs 2 (r01 at rank 2); first came r00, r02, r03, …');
    assert.equal(r('absent').message, 'expected nope (not in top 50); first came r00, r01, r02, …');
    assert.equal(r('absent').hits.length, 50, 'max(k, 50) hits fetched');
    // r08 has lines 81–90 of docs/file-2.md: it overlaps 85–90 and ranks 9th
    assert.deepEqual(r('lines').items, [{ kind: 'source', label: 'docs/file-2.md:85–90', rank: 9, found: false }]);
    assert.deepEqual(r('lines').hits[8], { id: 'r08', distance: r('lines').hits[8].distance, rank: 9, relevant: true, source: 'docs/file-2.md', startLine: 81, endLine: 90 });
    // angle 0.2 is r10's place: r10 (file-4) first, and a path suffix matches
    assert.deepEqual(r('file').items[0], { kind: 'source', label: 'file-4.md', rank: 1, found: true });
    assert.equal(r('file').metrics?.relevantHits, 1);
    // the server decides the where: r01 is the first with topic 1
    assert.deepEqual(r('where').items, [{ kind: 'where', label: 'a record where topic = 1', rank: 2, found: true }]);
    assert.equal(r('where').metrics?.relevantHits, 2, 'r01 and r04 in the top 5');
    assert.deepEqual(run.metrics.counts, { cases: 6, passed: 3, failed: 3, errors: 0, expected: 7, found: 4, hits: 4 });
  });

  it('a record query: its own record ranks first unless excludeSelf; a where of the target and of the case both apply', async () => {
    const set = setOf({
      target: { ...target(), where: { even: true } },
      cases: [
        { name: 'self', query: { record: 'r10' }, expect: { ids: ['r10'] }, k: 1 },
        { name: 'others', query: { record: 'r10', excludeSelf: true }, expect: { ids: ['r08', 'r12'] }, k: 2 },
        { name: 'both filters', query: 'angle 0', expect: { ids: ['r06'] }, where: { topic: 0 }, k: 1 },
      ],
    });
    const run = await runTarget(set.target, set.cases, 1, { client, embedderFor: () => Promise.resolve(angleEmbed) });
    assert.equal(byName(run.results, 'self').outcome, 'passed');
    assert.equal(byName(run.results, 'self').hits[0].distance, 0);
    const others = byName(run.results, 'others');
    assert.equal(others.outcome, 'passed', others.message);
    assert.ok(!others.hits.some((h) => h.id === 'r10'));
    assert.equal(others.hits.length, 31, 'the 32 even records (30 and the two duplicates), r10 left out');
    // even and topic 0: r00, r06, r12, …; the case's k 1 makes r06 rank 2
    const both = byName(run.results, 'both filters');
    assert.deepEqual(both.hits.slice(0, 3).map((h) => h.id), ['r00', 'r06', 'r12']);
    assert.equal(both.message, 'expected r06 (rank 2, outside the top 1); first came r00');
  });

  it('a tie with a wrong record is not a win: dupA and dupB, tied, each rank 2nd when expected, whatever order the server lists them', async () => {
    const dup = [0, 0, 1, 0];
    const set = setOf({
      target: target(),
      cases: [
        { name: 'A at k1', query: { vector: dup }, expect: { ids: ['dupA'] }, k: 1 },
        { name: 'B at k1', query: { vector: dup }, expect: { ids: ['dupB'] }, k: 1 },
        { name: 'A at k2', query: { vector: dup }, expect: { ids: ['dupA'] }, k: 2 },
      ],
    });
    const run = await runTarget(set.target, set.cases, 1, { client, embedderFor: () => Promise.resolve(angleEmbed) });
    // in the server's order one of them came first: "the order as returned" would pass that one
    assert.equal(byName(run.results, 'A at k1').message, 'expected dupA (rank 2, outside the top 1); first came dupB');
    assert.equal(byName(run.results, 'B at k1').message, 'expected dupB (rank 2, outside the top 1); first came dupA');
    assert.equal(byName(run.results, 'A at k2').outcome, 'passed');
    assert.equal(byName(run.results, 'A at k2').items[0].rank, 2);
  });

  it('cases that cannot run are errors with the reason; the others still run', async () => {
    const set = setOf({
      target: target(),
      cases: [
        { name: 'wrong dimension', query: { vector: [1, 0] }, expect: { ids: ['r00'] } },
        { name: 'no record', query: { record: 'gone' }, expect: { ids: ['r00'] } },
        { name: 'text', query: 'angle 0', expect: { ids: ['r00'] } },
        { name: 'fine', query: { vector: at(0) }, expect: { ids: ['r00'] } },
      ],
    });
    const none = await runTarget(set.target, set.cases, 1, { client, embedderFor: () => Promise.resolve(undefined) });
    const r = (n: string) => byName(none.results, n);
    assert.equal(r('wrong dimension').outcome, 'error');
    assert.equal(r('wrong dimension').message, 'The query vector is not usable: the vector has 2 dimensions, but the collection holds 4-dimensional embeddings.');
    assert.match(r('no record').message ?? '', /^Record "gone" is not in ".*" \(or has no embedding\)/);
    assert.match(r('text').message ?? '', /has no embedding function chosen, so text cannot be searched: choose one with "Chroma: Choose Embedding Function…"/);
    assert.equal(r('fine').outcome, 'passed');
    assert.deepEqual(none.metrics.counts, { cases: 4, passed: 1, failed: 0, errors: 3, expected: 1, found: 1, hits: 1 });
    const broken = await runTarget(set.target, set.cases, 1, { client, embedderFor: () => Promise.resolve(() => Promise.reject(new Error('the model is missing'))) });
    assert.equal(byName(broken.results, 'text').message, 'The query text could not be embedded: the model is missing');
    const missing = await runTarget({ ...set.target, collection: 'not-there' }, set.cases, 1, { client, embedderFor: () => Promise.resolve(angleEmbed) });
    assert.ok(missing.results.every((x) => x.outcome === 'error' && /^"not-there" could not be opened on "local": /.test(x.message ?? '')), missing.results[0].message);
    assert.equal(missing.metrics.values, null);
  });

  it('batches: one query request per batch of cases sharing a filter and n_results, within the batch size; results reported per case', async () => {
    const cases = Array.from({ length: 5 }, (_, i) => ({ name: `c${i}`, query: `angle ${i * 0.02}`, expect: { ids: [id(i)] }, ...(i === 4 ? { k: 60 } : {}) }));
    const set = setOf({ target: target(), cases });
    const started: string[][] = [];
    const progress: Array<[string, number, number]> = [];
    const embedded: number[] = [];
    requests.length = 0;
    const run = await runTarget(set.target, set.cases, 1, {
      client,
      embedderFor: () => Promise.resolve((texts) => (embedded.push(texts.length), angleEmbed(texts))),
      batchSize: 3,
      onStart: (ids) => started.push(ids),
      onResult: (r, done, total) => progress.push([r.name ?? '', done, total]),
    });
    assert.ok(run.results.every((x) => x.outcome === 'passed'));
    assert.deepEqual(started, [['c0', 'c1', 'c2'], ['c3'], ['c4']], 'k 60 asks for more hits: a request of its own');
    assert.deepEqual(embedded, [3, 1, 1], 'texts embedded once per batch');
    assert.equal(requests.filter((r) => r.endsWith('query')).length, 3);
    assert.deepEqual(progress.map(([, done]) => done), [1, 2, 3, 4, 5]);
    assert.ok(progress.every(([, , total]) => total === 5));
    assert.equal(byName(run.results, 'c4').hits.length, 60, 'depth is k when k > 50');
    assert.deepEqual(run.results.map((x) => x.name), ['c0', 'c1', 'c2', 'c3', 'c4'], 'results in the set\'s order');
  });

  it('the next batch is embedded while the batch before it is at the server', async () => {
    const events: string[] = [];
    const logging = clientFor(ctx.server.url, {
      onRequest: (r) => (r.path.endsWith('/query') ? events.push('query sent') : undefined),
      onResponse: (r) => (r.path.endsWith('/query') ? events.push('query answered') : undefined),
    });
    const cases = Array.from({ length: 6 }, (_, i) => ({ query: `angle ${i * 0.02}`, expect: { ids: [id(i)] } }));
    const set = setOf({ target: target(), cases });
    const run = await runTarget(set.target, set.cases, 1, {
      client: logging,
      embedderFor: () => Promise.resolve((texts) => (events.push(`embed ${texts.length}`), angleEmbed(texts))),
      batchSize: 2,
    });
    assert.equal(run.metrics.counts.passed, 6);
    /** Where the n-th (1-based) `what` is in the events. */
    const nth = (what: string, n: number) => events.map((e, i) => (e === what ? i : -1)).filter((i) => i >= 0)[n - 1];
    assert.equal(events.filter((e) => e === 'embed 2').length, 3);
    assert.equal(events.filter((e) => e === 'query answered').length, 3);
    // batch 2's texts are embedded before batch 1's answer comes, batch 3's before batch 2's
    assert.ok(nth('embed 2', 2) < nth('query answered', 1), events.join(', '));
    assert.ok(nth('embed 2', 3) < nth('query answered', 2), events.join(', '));
    // one batch ahead, not more: batch 3's texts wait for batch 1's answer
    assert.ok(nth('query answered', 1) < nth('embed 2', 3), events.join(', '));
  });

  it('cancelling stops before the next batch and rejects', async () => {
    const cases = Array.from({ length: 6 }, (_, i) => ({ query: { vector: at(i * 0.02) }, expect: { ids: [id(i)] } }));
    const set = setOf({ target: target(), cases });
    const abort = new AbortController();
    requests.length = 0;
    await assert.rejects(
      runTarget(set.target, set.cases, 1, { client, embedderFor: () => Promise.resolve(angleEmbed), batchSize: 2, signal: abort.signal, onResult: () => abort.abort() }),
      (e: Error) => abort.signal.aborted && e.name === 'AbortError',
    );
    assert.equal(requests.filter((r) => r.endsWith('query')).length, 1);
  });

  it('runSet with compare: both targets on the same cases, deltas B − A, and the cases each wins', async () => {
    const reversed = uniqueName('eval-rev');
    await fill(client, reversed, true);
    const set = setOf({
      target: { name: 'forward', connection: 'local', collection: name, k: 5 },
      compare: { name: 'reversed', collection: reversed },
      cases: [
        { name: 'near start', query: { vector: at(0) }, expect: { ids: ['r00'] } },
        { name: 'near end', query: { vector: at(0) }, expect: { ids: ['r59'] } },
        { name: 'same', query: { vector: [0, 0, 1, 0] }, expect: { ids: ['dupA'] }, k: 2 },
      ],
    });
    const seen: string[] = [];
    const run = await runSet(set, { connect, onResult: (t, r) => seen.push(`${t.name}:${r.name}`), caseIds: new Set(['near start', 'near end', 'same']) });
    assert.deepEqual(run.runs.map((r) => r.target.name), ['forward', 'reversed']);
    assert.deepEqual(seen, ['forward:near start', 'forward:near end', 'forward:same', 'reversed:near start', 'reversed:near end', 'reversed:same']);
    const c = run.comparison;
    assert.ok(c);
    assert.deepEqual(c.wins, { a: 1, b: 1, ties: 1, unjudged: 0 });
    assert.deepEqual(c.cases.map((x) => x.winner), ['a', 'b', 'tie']);
    assert.deepEqual(c.cases[0].deltas, { recall: -1, precision: -0.2, reciprocalRank: -1, ndcg: -1, hit: -1 });
    assert.ok(c.deltas && Math.abs(c.deltas.recall) < 1e-12, 'one case each way: equal recall');
    const only = await runSet(set, { connect, caseIds: new Set(['same']) });
    assert.deepEqual(only.runs.map((r) => r.results.map((x) => x.name)), [['same'], ['same']]);
  });
});

describe('evaluation runner: planning (pure)', () => {
  const set = parseEvalSet(
    '{"target": {"connection": "l", "collection": "docs", "where": {"a": 1}, "k": 5}, "cases": [' +
      '{"name": "1", "query": "x", "expect": {"ids": ["a"]}}, {"name": "2", "query": {"record": "r", "excludeSelf": true}, "expect": {"ids": ["a"]}},' +
      '{"name": "3", "query": "y", "expect": {"ids": ["a"]}, "where": {"b": 2}}, {"name": "4", "query": "z", "expect": {"ids": ["a"]}, "k": 400}]}',
    'json',
  ).set as EvalSet;

  it('depth max(k, 50) (+1 to leave the query record out), the filters combined, k over the server\'s read limit refused', () => {
    const { planned, refused } = planCases(set.cases, set.target, 300);
    assert.deepEqual(planned.map((p) => [p.evalCase.id, p.k, p.depth, p.nResults, JSON.stringify(p.where)]), [
      ['1', 5, 50, 50, '{"a":1}'],
      ['2', 5, 50, 51, '{"a":1}'],
      ['3', 5, 50, 50, '{"$and":[{"a":1},{"b":2}]}'],
    ]);
    assert.equal(refused[0].message, 'k is 400, but this server returns at most 300 records per query: lower "k".');
    assert.deepEqual(batchCases(planned, 10).map((b) => b.map((p) => p.evalCase.id)), [['1'], ['2'], ['3']]);
    assert.deepEqual(planCases(set.cases, set.target).planned.map((p) => p.depth), [50, 50, 50, 400]);
  });
});
