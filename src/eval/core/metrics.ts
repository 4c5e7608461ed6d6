/**
 * Retrieval metrics with binary relevance, per case at its k and averaged per set. No `vscode` here.
 *
 * A case expects E items (each expected id, each expected source, and its `where` if any: types.ts). A hit is
 * relevant when it satisfies at least one item; an item's rank is the best rank of a hit that satisfies it (after
 * the tie rule, ranking.ts). Hits beyond those returned count as not relevant, so a collection with fewer records
 * than k is not rewarded for it. With F = the items whose rank ≤ k:
 *
 * - recall@k    = |F| / E
 * - precision@k = (relevant hits ranked ≤ k) / k   (a second chunk of an expected file counts: it is a right hit)
 * - RR          = 1 / (rank of the first relevant hit) if that is ≤ k, else 0; MRR is its mean over cases
 * - nDCG@k      = DCG@k / IDCG@k, with DCG@k = Σ over ranks r ≤ k whose hit is the best-ranked hit of some item of
 *                 1 / log2(r + 1), and IDCG@k = Σ_{i=1..min(E, k)} 1 / log2(i + 1). Each hit gains at most 1 and each
 *                 item is credited once (at its best rank), so nDCG stays within [0, 1] even when one hit covers two
 *                 items or two chunks cover one file; with expected ids only it is the usual binary nDCG.
 * - hit@k       = 1 if |F| ≥ 1; the hit rate is its mean over cases
 *
 * Set values are macro-averages over the cases that ran; cases that could not run are counted apart (errors).
 */
import { tieOrder } from './ranking';
import type { Judged } from './ranking';
import type { CaseMetrics, CaseResult, MetricValues, SetCounts, SetMetrics } from './types';

const gain = (rank: number) => 1 / Math.log2(rank + 1);

export interface Ranked {
  /** The hits' indices (in the server's order) in judging order: the hit at rank r is `hits[order[r - 1]]`. */
  order: number[];
  /** Each expected item's best rank among the hits, or undefined when no hit satisfies it. */
  itemRanks: Array<number | undefined>;
  /** The ranks of the relevant hits, ascending. */
  relevantRanks: number[];
}

/** Applies the tie rule and finds each of `expected` items' best rank. */
export function rankCase(hits: readonly Judged[], expected: number): Ranked {
  const order = tieOrder(hits);
  const itemRanks = new Array<number | undefined>(expected).fill(undefined);
  const relevantRanks: number[] = [];
  order.forEach((index, i) => {
    const satisfies = hits[index].satisfies;
    if (satisfies.length > 0) {
      relevantRanks.push(i + 1);
    }
    for (const item of satisfies) {
      if (item >= 0 && item < expected && itemRanks[item] === undefined) {
        itemRanks[item] = i + 1;
      }
    }
  });
  return { order, itemRanks, relevantRanks };
}

/** The metrics of one case at `k` (see the module comment), from its ranked hits and its items' ranks. */
export function caseMetrics(ranked: Ranked, k: number): CaseMetrics {
  const expected = ranked.itemRanks.length;
  const found = ranked.itemRanks.filter((r) => r !== undefined && r <= k).length;
  const relevant = ranked.relevantRanks.filter((r) => r <= k);
  // each rank that is some item's best rank gains once
  const credited = new Set(ranked.itemRanks.filter((r): r is number => r !== undefined && r <= k));
  let dcg = 0;
  for (const r of credited) {
    dcg += gain(r);
  }
  let idcg = 0;
  for (let i = 1; i <= Math.min(expected, k); i++) {
    idcg += gain(i);
  }
  return {
    recall: expected > 0 ? found / expected : 0,
    precision: relevant.length / k,
    reciprocalRank: relevant.length === 0 ? 0 : 1 / relevant[0],
    ndcg: idcg > 0 ? dcg / idcg : 0,
    hit: found > 0,
    expected,
    found,
    relevantHits: relevant.length,
  };
}

/** Whether a case passes: recall@k ≥ minRecall (with a little room for floating point: 2/3 ≥ 0.6667 fails, 2/3 ≥ 2/3 passes). */
export function passes(metrics: CaseMetrics, minRecall: number): boolean {
  return metrics.recall >= minRecall - 1e-9;
}

/** The set's counts and averages over the cases that ran. */
export function aggregate(results: readonly CaseResult[]): SetMetrics {
  const counts: SetCounts = { cases: results.length, passed: 0, failed: 0, errors: 0, expected: 0, found: 0, hits: 0 };
  const sum: MetricValues = { recall: 0, precision: 0, mrr: 0, ndcg: 0, hitRate: 0 };
  let ran = 0;
  for (const r of results) {
    counts[r.outcome === 'passed' ? 'passed' : r.outcome === 'failed' ? 'failed' : 'errors']++;
    const m = r.metrics;
    if (r.outcome === 'error' || !m) {
      continue;
    }
    ran++;
    counts.expected += m.expected;
    counts.found += m.found;
    counts.hits += m.hit ? 1 : 0;
    sum.recall += m.recall;
    sum.precision += m.precision;
    sum.mrr += m.reciprocalRank;
    sum.ndcg += m.ndcg;
    sum.hitRate += m.hit ? 1 : 0;
  }
  const values =
    ran === 0
      ? null
      : { recall: sum.recall / ran, precision: sum.precision / ran, mrr: sum.mrr / ran, ndcg: sum.ndcg / ran, hitRate: sum.hitRate / ran };
  return { values, counts };
}
