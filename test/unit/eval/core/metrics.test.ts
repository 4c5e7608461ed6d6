import * as assert from 'node:assert/strict';
import { judgeCase } from '../../../../src/eval/core/judge';
import type { RawHit } from '../../../../src/eval/core/judge';
import { aggregate, caseMetrics, passes, rankCase } from '../../../../src/eval/core/metrics';
import { tieOrder } from '../../../../src/eval/core/ranking';
import type { CaseResult, EvalCase } from '../../../../src/eval/core/types';

/** Hits in server order: each `[distance, items it satisfies]`. */
const hits = (...h: Array<[number | null, number[]]>) => h.map(([distance, satisfies], i) => ({ id: `h${i}`, distance, satisfies }));
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);
const log2 = Math.log2;

describe('evaluation metrics (pure): hand-computed values on crafted rankings', () => {
  it('one expected item at rank 3 of k = 5: recall 1, precision 1/5, RR 1/3, nDCG 1/log2(4) = 0.5', () => {
    const r = rankCase(hits([0.1, []], [0.2, []], [0.3, [0]], [0.4, []], [0.5, []]), 1);
    assert.deepEqual(r.itemRanks, [3]);
    const m = caseMetrics(r, 5);
    assert.deepEqual(m, { recall: 1, precision: 0.2, reciprocalRank: 1 / 3, ndcg: 0.5, hit: true, expected: 1, found: 1, relevantHits: 1 });
  });

  it('three expected items, two found at ranks 1 and 4 of k = 4, the third at rank 6 (outside k)', () => {
    const r = rankCase(hits([0.1, [0]], [0.2, []], [0.3, []], [0.4, [1]], [0.5, []], [0.6, [2]]), 3);
    assert.deepEqual(r.itemRanks, [1, 4, 6]);
    const m = caseMetrics(r, 4);
    close(m.recall, 2 / 3, 'recall');
    close(m.precision, 2 / 4, 'precision');
    close(m.reciprocalRank, 1, 'RR');
    // DCG = 1/log2(2) + 1/log2(5); IDCG = 1/log2(2) + 1/log2(3) + 1/log2(4)
    close(m.ndcg, (1 + 1 / log2(5)) / (1 + 1 / log2(3) + 1 / log2(4)), 'nDCG');
    assert.equal(m.found, 2);
    assert.equal(passes(m, 1), false);
    assert.equal(passes(m, 2 / 3), true, '2/3 ≥ 2/3');
    assert.equal(passes(m, 0.67), false);
  });

  it('nothing relevant: every metric 0, no hit', () => {
    const m = caseMetrics(rankCase(hits([0.1, []], [0.2, []]), 2), 2);
    assert.deepEqual(m, { recall: 0, precision: 0, reciprocalRank: 0, ndcg: 0, hit: false, expected: 2, found: 0, relevantHits: 0 });
  });

  it('k larger than the hits returned: missing places count as not relevant (precision over k); IDCG over min(E, k)', () => {
    // a collection of 3 records queried at k = 10, both expected items returned at ranks 1 and 2
    const r = rankCase(hits([0.1, [0]], [0.2, [1]], [0.3, []]), 2);
    const m = caseMetrics(r, 10);
    assert.equal(m.recall, 1);
    close(m.precision, 2 / 10, 'precision');
    close(m.ndcg, 1, 'nDCG: both at the best places');
    // k larger than the expected items: IDCG has E terms, not k
    const one = caseMetrics(rankCase(hits([0.1, []], [0.2, [0]]), 1), 10);
    close(one.ndcg, 1 / log2(3), 'nDCG of one item at rank 2');
  });

  it('k smaller than the expected items: IDCG over k, so all of the top k right is nDCG 1 at recall 2/5', () => {
    const r = rankCase(hits([0.1, [0]], [0.2, [1]], [0.3, [2]]), 5);
    const m = caseMetrics(r, 2);
    close(m.recall, 2 / 5, 'recall');
    close(m.ndcg, 1, 'nDCG');
    close(m.precision, 1, 'precision');
  });

  it('a hit that satisfies two items gains once in DCG; two chunks of one expected file count twice for precision, once for recall', () => {
    // item 0 and item 1 both satisfied by the rank-1 hit: DCG 1, IDCG 1 + 1/log2(3)
    const both = caseMetrics(rankCase(hits([0.1, [0, 1]], [0.2, []]), 2), 2);
    assert.equal(both.recall, 1);
    close(both.ndcg, 1 / (1 + 1 / log2(3)), 'nDCG ≤ 1');
    assert.equal(both.relevantHits, 1);
    // one expected source, two chunks of it at ranks 1 and 2
    const file = caseMetrics(rankCase(hits([0.1, [0]], [0.2, [0]], [0.3, []]), 1), 3);
    assert.equal(file.recall, 1);
    close(file.precision, 2 / 3, 'precision');
    close(file.ndcg, 1, 'nDCG: the item is credited at its best rank only');
  });
});

describe('evaluation metrics (pure): ties', () => {
  it('within a group of equal distances, hits that satisfy nothing come first; other groups keep the server order', () => {
    const order = tieOrder(hits([0.1, []], [0.3, [0]], [0.3, []], [0.3, [1]], [0.3, []], [0.5, []]));
    assert.deepEqual(order, [0, 2, 4, 1, 3, 5]);
  });

  it('the ranks do not depend on the order in which the server lists a tie', () => {
    const listed = hits([0.2, [0]], [0.2, []], [0.4, []]);
    const swapped = [listed[1], listed[0], listed[2]];
    const a = rankCase(listed, 1);
    const b = rankCase(swapped, 1);
    assert.deepEqual(a.itemRanks, [2]);
    assert.deepEqual(b.itemRanks, [2]);
    assert.deepEqual(a.order.map((i) => listed[i].id), b.order.map((i) => swapped[i].id));
    assert.deepEqual(caseMetrics(a, 1), caseMetrics(b, 1));
  });

  it('a tie across the k boundary is not a win: the expected item tied with a wrong one at ranks 1–2 misses k = 1', () => {
    const m = caseMetrics(rankCase(hits([0.2, [0]], [0.2, []]), 1), 1);
    assert.equal(m.recall, 0);
    assert.equal(m.reciprocalRank, 0);
    assert.equal(caseMetrics(rankCase(hits([0.2, [0]], [0.2, []]), 1), 2).reciprocalRank, 0.5);
  });

  it('a degenerate ranking (every distance equal) scores as badly as the tie rule allows, not perfectly', () => {
    const m = caseMetrics(rankCase(hits([1, [0]], [1, []], [1, []], [1, []]), 1), 3);
    assert.equal(m.recall, 0, 'the expected record ranks 4th');
  });

  it('hits without a distance are groups of their own, in server order', () => {
    assert.deepEqual(tieOrder(hits([null, [0]], [null, []])), [0, 1]);
  });
});

describe('evaluation metrics (pure): a case judged, and set averages', () => {
  const evalCase = (over: Partial<EvalCase> = {}): EvalCase => ({
    id: 'c1',
    query: { kind: 'text', text: 'q' },
    expect: { ids: ['a', 'b'], sources: [] },
    tags: [],
    span: { start: 0, end: 1 },
    idSpans: [],
    ...over,
  });
  const raw = (...ids: string[]): RawHit[] => ids.map((id, i) => ({ id, distance: i / 10, metadata: null }));

  it('judgeCase: items with ranks, hits with relevance, the outcome and the failure message', () => {
    const others = Array.from({ length: 8 }, (_, i) => `x${i}`);
    const r = judgeCase({ evalCase: evalCase(), k: 5, depth: 50, minRecall: 1, hits: raw('x0', 'a', 'x1', ...others.slice(2), 'b') });
    assert.equal(r.outcome, 'failed');
    assert.deepEqual(r.items, [
      { kind: 'id', label: 'a', rank: 2, found: true },
      { kind: 'id', label: 'b', rank: 10, found: false },
    ]);
    assert.deepEqual(r.hits.slice(0, 3).map((h) => [h.id, h.rank, h.relevant]), [['x0', 1, false], ['a', 2, true], ['x1', 3, false]]);
    assert.equal(r.message, 'expected b (rank 10, outside the top 5); found 1 of 2, needs 2 (a at rank 2); first came x0, x1, x2, …');
    const missing = judgeCase({ evalCase: evalCase({ expect: { ids: ['zz'], sources: [] } }), k: 3, depth: 50, minRecall: 1, hits: raw('x0', 'x1') });
    assert.equal(missing.message, 'expected zz (not in top 50); first came x0, x1');
    const ok = judgeCase({ evalCase: evalCase(), k: 5, depth: 50, minRecall: 0.5, hits: raw('x0', 'a', 'x1', 'x2', 'x3', 'b') });
    assert.equal(ok.outcome, 'passed');
    assert.equal(ok.message, undefined);
  });

  it('aggregate: means over the cases that ran, errors counted apart, null when none ran', () => {
    const result = (outcome: CaseResult['outcome'], recall: number, rr: number, hit: boolean): CaseResult => ({
      caseId: `${outcome}${recall}`,
      label: 'x',
      k: 10,
      depth: 50,
      outcome,
      items: [],
      hits: [],
      ...(outcome === 'error' ? {} : { metrics: { recall, precision: recall / 10, reciprocalRank: rr, ndcg: recall, hit, expected: 2, found: Math.round(recall * 2), relevantHits: 1 } }),
    });
    const m = aggregate([result('passed', 1, 1, true), result('failed', 0.5, 0.25, true), result('failed', 0, 0, false), result('error', 0, 0, false)]);
    assert.deepEqual(m.counts, { cases: 4, passed: 1, failed: 2, errors: 1, expected: 6, found: 3, hits: 2 });
    assert.ok(m.values);
    close(m.values.recall, 0.5, 'recall');
    close(m.values.precision, 0.05, 'precision');
    close(m.values.mrr, 1.25 / 3, 'MRR');
    close(m.values.hitRate, 2 / 3, 'hit rate');
    assert.equal(aggregate([result('error', 0, 0, false)]).values, null);
  });
});
