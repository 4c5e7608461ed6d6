/**
 * Retrieval evaluation: the shapes of an evaluation set (`*.chroma-eval.json` / `.jsonl`, read by parse.ts) and of
 * a run's results (made by runner.ts, compared by compare.ts, written by the report modules). No `vscode` here.
 */
import type { Where } from '../../chroma/types';
import type { Span } from '../../util/jsonTree';

export type { Span };

/** What a case searches with. */
export type CaseQuery =
  /** Text, embedded with the collection's own embedding function. */
  | { kind: 'text'; text: string }
  /** A record's stored embedding. The record itself stays among the hits unless `excludeSelf`. */
  | { kind: 'record'; recordId: string; excludeSelf: boolean }
  /** A vector given as is; its dimension is checked against the collection's. */
  | { kind: 'vector'; vector: number[] };

/** A file (workspace-relative path, as ingest writes `source`), or lines of it (1-based, inclusive). */
export interface SourceExpectation {
  source: string;
  startLine?: number;
  endLine?: number;
}

/**
 * What counts as found. Each expected id, each expected source and the `where` (when given) is one expected item;
 * recall counts the items found in the top k.
 */
export interface Expectation {
  ids: string[];
  sources: SourceExpectation[];
  /** A filter a found record must match, evaluated by the server (a get of the hits with this `where`). */
  where?: Where;
}

export interface EvalCase {
  /** Stable within the set: the case's name, else `#` and a hash of its query (see caseId.ts). */
  id: string;
  name?: string;
  query: CaseQuery;
  expect: Expectation;
  /** Overrides the target's k. */
  k?: number;
  /** A filter for this case's query, combined (`$and`) with the target's. */
  where?: Where;
  tags: string[];
  /** Where the case is in the file. */
  span: Span;
  /** Where each expected id is, in the order of `expect.ids`. */
  idSpans: Span[];
  /** Where the record id of a record query is. */
  recordSpan?: Span;
}

export type TargetField = 'connection' | 'tenant' | 'database' | 'collection';

export interface EvalTarget {
  /** "A" and "B" unless the file names them. */
  name: string;
  /** A connection's name, as in `chroma.connections`. */
  connection: string;
  /** By default the connection's (the client's own scope). */
  tenant?: string;
  database?: string;
  collection: string;
  /** Applied to every query of the set. */
  where?: Where;
  /** How many hits count ("recall@k"); default 10. */
  k: number;
  /** Where each name is in the file, for diagnostics. */
  spans: Partial<Record<TargetField, Span>>;
}

export interface EvalSet {
  name?: string;
  description?: string;
  target: EvalTarget;
  /** A second target run on the same cases: its fields left out are the first target's. */
  compare?: EvalTarget;
  /** A case passes when recall@k ≥ minRecall; default 1 (every expected item in the top k). */
  minRecall: number;
  cases: EvalCase[];
  format: 'json' | 'jsonl';
}

// -------------------------------------------------------------------------------------------------------------
// Results

/** One hit of a case's query, after the tie rule (see ranking.ts). */
export interface Hit {
  id: string;
  distance: number | null;
  /** 1-based. */
  rank: number;
  /** It satisfies at least one expected item. */
  relevant: boolean;
  /** From the hit's metadata, as ingest writes it. */
  source?: string;
  startLine?: number;
  endLine?: number;
}

/** How one expected item fared. */
export interface ItemResult {
  kind: 'id' | 'source' | 'where';
  /** `fact-0003`, `docs/a.md:12–20`, `a record where topic = "x"`. */
  label: string;
  /** The best rank of a hit that satisfies it, among the hits fetched; undefined when none does. */
  rank?: number;
  /** rank ≤ k. */
  found: boolean;
}

/** Per case, at k (see metrics.ts for the formulas). */
export interface CaseMetrics {
  recall: number;
  precision: number;
  reciprocalRank: number;
  ndcg: number;
  /** At least one expected item in the top k. */
  hit: boolean;
  /** Expected items, and how many are in the top k. */
  expected: number;
  found: number;
  /** Hits in the top k that satisfy an expected item. */
  relevantHits: number;
}

export type Outcome = 'passed' | 'failed' | 'error';

export interface CaseResult {
  caseId: string;
  name?: string;
  /** The case's name, else its query, on one line (caseId.ts's caseLabel). */
  label: string;
  k: number;
  /** How many hits were fetched: max(k, 50), so that a miss can say where the item ranked. */
  depth: number;
  outcome: Outcome;
  /** One line: why it failed, or what kept it from running. */
  message?: string;
  /** Undefined when the case could not run. */
  metrics?: CaseMetrics;
  items: ItemResult[];
  /** Up to `depth` hits in rank order. */
  hits: Hit[];
}

/** The five numbers, averaged over the cases that ran. */
export interface MetricValues {
  recall: number;
  precision: number;
  mrr: number;
  ndcg: number;
  hitRate: number;
}

export const METRIC_NAMES: readonly (keyof MetricValues)[] = ['recall', 'precision', 'mrr', 'ndcg', 'hitRate'];

export interface SetCounts {
  cases: number;
  passed: number;
  failed: number;
  /** Cases that could not run (left out of the averages). */
  errors: number;
  /** Expected items of the cases that ran, and how many were found in their top k. */
  expected: number;
  found: number;
  /** Cases that ran with at least one expected item in the top k. */
  hits: number;
}

export interface SetMetrics {
  /** null when no case ran. */
  values: MetricValues | null;
  counts: SetCounts;
}

/** One target's run of the set's cases. */
export interface TargetRun {
  target: EvalTarget;
  minRecall: number;
  /** In the order of the set's cases. */
  results: CaseResult[];
  metrics: SetMetrics;
  /** When it started (epoch ms) and how long it took. */
  startedAt: number;
  durationMs: number;
}
