/**
 * The cases whose result changed between two runs of a set, from their JSON reports (the previous one kept by the
 * VS Code layer or read from the report folder): newly failing or passing, a better or worse recall or nDCG, new
 * cases and cases gone. Matched by target name and case id. No `vscode` here.
 */
import type { JsonReport, ReportCase } from './reportJson';

export type ChangeKind = 'newly failing' | 'newly passing' | 'better' | 'worse' | 'new' | 'gone';

export interface CaseChange {
  target: string;
  caseId: string;
  label: string;
  kind: ChangeKind;
  before?: ReportCase;
  after?: ReportCase;
}

const EPSILON = 1e-9;

function kindOf(before: ReportCase, after: ReportCase): ChangeKind | undefined {
  const wasOk = before.outcome === 'passed';
  const isOk = after.outcome === 'passed';
  if (wasOk !== isOk) {
    return isOk ? 'newly passing' : 'newly failing';
  }
  if (before.outcome === 'error' || after.outcome === 'error') {
    // an error both times, or an error turned into a failure (or back): only the outcome says something
    return before.outcome === after.outcome ? undefined : after.outcome === 'error' ? 'worse' : 'better';
  }
  for (const key of ['recall', 'ndcg'] as const) {
    const d = (after[key] ?? 0) - (before[key] ?? 0);
    if (Math.abs(d) > EPSILON) {
      return d > 0 ? 'better' : 'worse';
    }
  }
  return undefined;
}

/**
 * What changed from `previous` to `current`, worst first (newly failing, worse, gone, new, better, newly passing).
 * `subset`: the current run ran only some cases (a Test Explorer run of a few items), so none is reported gone.
 */
export function changedCases(previous: JsonReport, current: JsonReport, opts: { subset?: boolean } = {}): CaseChange[] {
  const out: CaseChange[] = [];
  for (const target of current.targets) {
    const before = previous.targets.find((t) => t.name === target.name);
    if (!before) {
      continue;
    }
    const old = new Map(before.cases.map((c) => [c.id, c]));
    for (const c of target.cases) {
      const b = old.get(c.id);
      old.delete(c.id);
      const kind = b ? kindOf(b, c) : 'new';
      if (kind) {
        out.push({ target: target.name, caseId: c.id, label: c.label, kind, ...(b ? { before: b } : {}), after: c });
      }
    }
    for (const b of opts.subset ? [] : old.values()) {
      out.push({ target: target.name, caseId: b.id, label: b.label, kind: 'gone', before: b });
    }
  }
  const order: ChangeKind[] = ['newly failing', 'worse', 'gone', 'new', 'better', 'newly passing'];
  return out.sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind));
}
