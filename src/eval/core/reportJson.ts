/**
 * The JSON report of a set's run, made to be committed and diffed in review: keys sorted, two-space indent, numbers
 * rounded to 4 places, the run's time and duration only in the header (nothing in a case changes unless its result
 * does). Also reads a report back (a previous run's, to list the cases that changed) and names the report files of
 * a set. No `vscode` here.
 */
import type { Comparison } from './compare';
import type { SetRun } from './evaluate';
import type { CaseResult, MetricValues, Outcome, SetCounts, TargetRun } from './types';
import { METRIC_NAMES } from './types';

export const REPORT_FORMAT = 'chroma-eval-report';
export const REPORT_VERSION = 1;

export interface ReportCase {
  id: string;
  label: string;
  outcome: Outcome;
  message?: string;
  k: number;
  recall?: number;
  precision?: number;
  reciprocalRank?: number;
  ndcg?: number;
  hit?: boolean;
  expected: number;
  found?: number;
  /** Each expected item with its rank among the hits fetched (null: not among them). */
  items: Array<{ label: string; rank: number | null; found: boolean }>;
  /** The ids of the top k hits, in rank order. */
  top: string[];
}

export interface ReportTarget {
  name: string;
  connection: string;
  tenant?: string;
  database?: string;
  collection: string;
  k: number;
  where?: unknown;
  metrics: MetricValues | null;
  counts: SetCounts;
  cases: ReportCase[];
}

export interface JsonReport {
  format: typeof REPORT_FORMAT;
  version: number;
  header: { set: string; file?: string; ranAt: string; durationMs: number };
  minRecall: number;
  targets: ReportTarget[];
  comparison?: {
    a: string;
    b: string;
    deltas: MetricValues | null;
    wins: Comparison['wins'];
    cases: Array<{ id: string; winner: string }>;
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function roundValues(v: MetricValues | null): MetricValues | null {
  return v && (Object.fromEntries(METRIC_NAMES.map((m) => [m, round(v[m])])) as unknown as MetricValues);
}

function reportCase(r: CaseResult): ReportCase {
  const out: ReportCase = {
    id: r.caseId,
    label: r.label,
    outcome: r.outcome,
    k: r.k,
    expected: r.items.length,
    items: r.items.map((i) => ({ label: i.label, rank: i.rank ?? null, found: i.found })),
    top: r.hits.filter((h) => h.rank <= r.k).map((h) => h.id),
  };
  if (r.message !== undefined) {
    out.message = r.message;
  }
  const m = r.metrics;
  if (m) {
    Object.assign(out, { recall: round(m.recall), precision: round(m.precision), reciprocalRank: round(m.reciprocalRank), ndcg: round(m.ndcg), hit: m.hit, found: m.found });
  }
  return out;
}

function reportTarget(run: TargetRun): ReportTarget {
  const t = run.target;
  const out: ReportTarget = {
    name: t.name,
    connection: t.connection,
    collection: t.collection,
    k: t.k,
    metrics: roundValues(run.metrics.values),
    counts: run.metrics.counts,
    cases: run.results.map(reportCase),
  };
  if (t.tenant) {
    out.tenant = t.tenant;
  }
  if (t.database) {
    out.database = t.database;
  }
  if (t.where) {
    out.where = t.where;
  }
  return out;
}

/** The report of a run; `set` names it (the set's name, else its file name), `file` is the set's workspace path. */
export function toJsonReport(run: SetRun, meta: { set: string; file?: string }): JsonReport {
  const report: JsonReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    header: { set: meta.set, ranAt: new Date(run.startedAt).toISOString(), durationMs: Math.round(run.durationMs) },
    minRecall: run.runs[0]?.minRecall ?? 1,
    targets: run.runs.map(reportTarget),
  };
  if (meta.file !== undefined) {
    report.header.file = meta.file;
  }
  const c = run.comparison;
  if (c) {
    report.comparison = { a: c.a, b: c.b, deltas: roundValues(c.deltas), wins: c.wins, cases: c.cases.map((x) => ({ id: x.caseId, winner: x.winner })) };
  }
  return report;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with every object's keys sorted, two-space indent and a final newline. */
export function stableJson(value: unknown): string {
  const sorted = (_key: string, v: unknown) => (isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v);
  return `${JSON.stringify(value, sorted, 2)}\n`;
}

/** The report's text, as written to the report folder. */
export function formatJsonReport(report: JsonReport): string {
  return stableJson(report);
}

/**
 * A report read back (a file in the repository may be old, hand-edited or broken): the report, or one line saying
 * why it cannot be used. Only what changedCases reads is checked.
 */
export function parseJsonReport(text: string): { report: JsonReport } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'The previous report is not valid JSON.' };
  }
  if (!isObject(value) || value.format !== REPORT_FORMAT) {
    return { error: `The previous report is not a ${REPORT_FORMAT} file.` };
  }
  if (value.version !== REPORT_VERSION) {
    return { error: `The previous report has version ${JSON.stringify(value.version)}; this version reads ${REPORT_VERSION}.` };
  }
  const targets = value.targets;
  const caseOk = (c: unknown) => isObject(c) && typeof c.id === 'string' && typeof c.label === 'string' && ['passed', 'failed', 'error'].includes(c.outcome as string);
  if (!Array.isArray(targets) || !targets.every((t) => isObject(t) && typeof t.name === 'string' && Array.isArray(t.cases) && t.cases.every(caseOk))) {
    return { error: 'The previous report\'s targets are not in the expected shape.' };
  }
  return { report: value as unknown as JsonReport };
}

/**
 * Where a set's reports go, relative to the report folder: the set's workspace-relative folders kept (two sets of
 * one name in different folders do not overwrite each other), `.chroma-eval.json(l)` replaced:
 * `evals/docs.chroma-eval.json` → `evals/docs.eval.json` and `evals/docs.junit.xml`.
 */
export function reportFileNames(setPath: string): { json: string; junit: string } {
  const parts = setPath.split(/[/\\]+/).filter((p) => p && p !== '.' && p !== '..');
  const file = parts.pop() ?? 'set';
  const base = file.replace(/\.chroma-eval\.jsonl?$/i, '').replace(/\.jsonl?$/i, '') || 'set';
  const dir = parts.length > 0 ? `${parts.join('/')}/` : '';
  return { json: `${dir}${base}.eval.json`, junit: `${dir}${base}.junit.xml` };
}
