/**
 * Compare: the same cases run against two targets (two collections, databases or connections), side by side: the
 * deltas of every metric (B − A) and which target wins each case. No `vscode` here.
 *
 * A case is won by the target with the higher recall@k, and at equal recall by the higher nDCG@k (better ranks);
 * equal in both is a tie. A case that could not run on either target is not judged.
 */
import type { CaseMetrics, MetricValues, TargetRun } from './types';
import { METRIC_NAMES } from './types';

export type Winner = 'a' | 'b' | 'tie' | 'unjudged';

export interface CaseComparison {
  caseId: string;
  winner: Winner;
  /** B − A of the case's metrics (hit as 0/1); undefined when unjudged. */
  deltas?: { recall: number; precision: number; reciprocalRank: number; ndcg: number; hit: number };
}

export interface Comparison {
  /** The targets' names. */
  a: string;
  b: string;
  /** B − A of the set's averages; null unless both ran at least one case. */
  deltas: MetricValues | null;
  /** In the order of the set's cases. */
  cases: CaseComparison[];
  wins: { a: number; b: number; ties: number; unjudged: number };
}

const EPSILON = 1e-9;

function winner(a: CaseMetrics, b: CaseMetrics): Winner {
  for (const key of ['recall', 'ndcg'] as const) {
    const d = b[key] - a[key];
    if (Math.abs(d) > EPSILON) {
      return d > 0 ? 'b' : 'a';
    }
  }
  return 'tie';
}

/** Compares two runs of the same cases (matched by case id). */
export function compareRuns(a: TargetRun, b: TargetRun): Comparison {
  const inB = new Map(b.results.map((r) => [r.caseId, r]));
  const wins = { a: 0, b: 0, ties: 0, unjudged: 0 };
  const cases = a.results.map((ra): CaseComparison => {
    const ma = ra.outcome === 'error' ? undefined : ra.metrics;
    const rb = inB.get(ra.caseId);
    const mb = rb && rb.outcome !== 'error' ? rb.metrics : undefined;
    if (!ma || !mb) {
      wins.unjudged++;
      return { caseId: ra.caseId, winner: 'unjudged' };
    }
    const w = winner(ma, mb);
    wins[w === 'tie' ? 'ties' : w]++;
    return {
      caseId: ra.caseId,
      winner: w,
      deltas: {
        recall: mb.recall - ma.recall,
        precision: mb.precision - ma.precision,
        reciprocalRank: mb.reciprocalRank - ma.reciprocalRank,
        ndcg: mb.ndcg - ma.ndcg,
        hit: (mb.hit ? 1 : 0) - (ma.hit ? 1 : 0),
      },
    };
  });
  const va = a.metrics.values;
  const vb = b.metrics.values;
  const deltas = va && vb ? (Object.fromEntries(METRIC_NAMES.map((m) => [m, vb[m] - va[m]])) as unknown as MetricValues) : null;
  return { a: a.target.name, b: b.target.name, deltas, cases, wins };
}
