/**
 * From a case's hits as the server returned them to its result: which items each hit satisfies, the ranks after the
 * tie rule, the metrics at k, pass or fail against minRecall, and the failure message. Pure: the runner fetches,
 * this judges. No `vscode` here.
 */
import type { Metadata } from '../../chroma/types';
import { caseLabel } from './caseId';
import { failureMessage } from './failure';
import { hitSource, itemLabel, itemsOf, satisfied } from './match';
import type { Item } from './match';
import { caseMetrics, passes, rankCase } from './metrics';
import type { CaseResult, EvalCase, Hit, ItemResult } from './types';

/** One hit as the server returned it. */
export interface RawHit {
  id: string;
  distance: number | null;
  metadata: Metadata | null;
}

export interface JudgeInput {
  evalCase: EvalCase;
  k: number;
  depth: number;
  minRecall: number;
  /** In the server's order, the query record already left out when the case asks so. */
  hits: readonly RawHit[];
  /** The hits the server found matching the case's expected `where` (when it has one). */
  whereMatched?: ReadonlySet<string>;
}

function itemResults(items: readonly Item[], ranks: ReadonlyArray<number | undefined>, k: number): ItemResult[] {
  return items.map((item, i) => {
    const rank = ranks[i];
    const out: ItemResult = { kind: item.kind, label: itemLabel(item), found: rank !== undefined && rank <= k };
    if (rank !== undefined) {
      out.rank = rank;
    }
    return out;
  });
}

/** The result of a case that ran. */
export function judgeCase(input: JudgeInput): CaseResult {
  const { evalCase, k, depth, minRecall } = input;
  const items = itemsOf(evalCase.expect);
  const sources = input.hits.map((h) => hitSource(h.metadata));
  const judged = input.hits.map((h, i) => ({ distance: h.distance, satisfies: satisfied(items, { id: h.id, source: sources[i] }, input.whereMatched?.has(h.id) ?? false) }));
  const ranked = rankCase(judged, items.length);
  const metrics = caseMetrics(ranked, k);
  const hits = ranked.order.map((index, i): Hit => {
    const raw = input.hits[index];
    const hit: Hit = { id: raw.id, distance: raw.distance, rank: i + 1, relevant: judged[index].satisfies.length > 0 };
    const s = sources[index];
    if (s.source !== undefined) {
      hit.source = s.source;
      if (s.startLine !== undefined) {
        hit.startLine = s.startLine;
        hit.endLine = s.endLine;
      }
    }
    return hit;
  });
  const itemRes = itemResults(items, ranked.itemRanks, k);
  const ok = passes(metrics, minRecall);
  const result: CaseResult = { caseId: evalCase.id, label: caseLabel(evalCase), k, depth, outcome: ok ? 'passed' : 'failed', metrics, items: itemRes, hits };
  if (evalCase.name !== undefined) {
    result.name = evalCase.name;
  }
  if (!ok) {
    result.message = failureMessage(itemRes, hits, k, depth, minRecall);
  }
  return result;
}

/** The result of a case that could not run, with why. */
export function caseError(evalCase: EvalCase, k: number, depth: number, message: string): CaseResult {
  const items = itemsOf(evalCase.expect).map((item): ItemResult => ({ kind: item.kind, label: itemLabel(item), found: false }));
  const result: CaseResult = { caseId: evalCase.id, label: caseLabel(evalCase), k, depth, outcome: 'error', message, items, hits: [] };
  if (evalCase.name !== undefined) {
    result.name = evalCase.name;
  }
  return result;
}
