/**
 * The Evaluation Report as Markdown (shown in a Markdown preview): the metrics table (both targets and the deltas
 * when the set compares two), the cases each target wins, the cases that changed since the last run, a sparkline
 * of each metric over past runs, and the cases that failed, each with a link that opens its hits. Every text from
 * the file or a server is escaped. No `vscode` here.
 */
import { displayLine, escapeMarkdown } from '../../util/text';
import type { CaseChange } from './changes';
import type { SetRun } from './evaluate';
import { series, sparkline } from './history';
import type { HistoryEntry } from './history';
import type { CaseResult, EvalTarget, MetricValues, TargetRun } from './types';
import { METRIC_NAMES } from './types';

export interface MarkdownInput {
  /** The set's name, else its file name. */
  title: string;
  /** The set's workspace-relative path. */
  file?: string;
  run: SetRun;
  /** Since the previous run (changes.ts). */
  changes?: readonly CaseChange[];
  /** Past runs, oldest first, this one included (history.ts). */
  history?: readonly HistoryEntry[];
  /** A link (a `command:` URI) that opens a case's hits in the Chroma Results view. */
  hitsLink?: (target: EvalTarget, result: CaseResult) => string | undefined;
  /** Format of the run's time; ISO by default (the VS Code layer passes the user's locale). */
  formatTime?: (epochMs: number) => string;
}

const MAX_LISTED = 50;
const MAX_WINS = 10;
const md = (text: string, max = 120) => escapeMarkdown(displayLine(text, max));
const num = (x: number) => x.toFixed(3);
const signed = (x: number) => (Math.abs(x) < 0.0005 ? '±0.000' : `${x > 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`);

function metricLabel(m: keyof MetricValues, k: string): string {
  return { recall: `recall@${k}`, precision: `precision@${k}`, mrr: `MRR@${k}`, ndcg: `nDCG@${k}`, hitRate: `hit rate@${k}` }[m];
}

/** The k in metric names: the targets' k when they share one, else "k". */
function kLabel(runs: readonly TargetRun[]): string {
  const ks = new Set(runs.map((r) => r.target.k));
  return ks.size === 1 ? String(runs[0].target.k) : 'k';
}

function metricsTable(run: SetRun): string[] {
  const runs = run.runs;
  const k = kLabel(runs);
  const compare = run.comparison;
  const head = ['metric', ...runs.map((r) => `${md(r.target.name, 40)} (${md(r.target.collection, 60)})`), ...(compare ? ['Δ (B − A)'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const m of METRIC_NAMES) {
    const cells = runs.map((r) => (r.metrics.values ? num(r.metrics.values[m]) : '—'));
    const delta = compare ? [compare.deltas ? signed(compare.deltas[m]) : '—'] : [];
    lines.push(`| ${metricLabel(m, k)} | ${[...cells, ...delta].join(' | ')} |`);
  }
  const counts = (label: string, pick: (r: TargetRun) => string) => lines.push(`| ${label} | ${[...runs.map(pick), ...(compare ? [''] : [])].join(' | ')} |`);
  counts('cases passed', (r) => `${r.metrics.counts.passed} of ${r.metrics.counts.cases}`);
  counts('items found', (r) => `${r.metrics.counts.found} of ${r.metrics.counts.expected}`);
  counts('errors', (r) => String(r.metrics.counts.errors));
  return lines;
}

function winsSection(run: SetRun): string[] {
  const c = run.comparison;
  if (!c) {
    return [];
  }
  const [a, b] = run.runs;
  const lines = ['', '## Wins', '', `${md(c.a, 40)}: ${c.wins.a} · ${md(c.b, 40)}: ${c.wins.b} · ties: ${c.wins.ties}${c.wins.unjudged ? ` · not judged (an error): ${c.wins.unjudged}` : ''}`];
  const labels = new Map(a.results.map((r) => [r.caseId, r.label]));
  for (const [side, name, other] of [['a', c.a, b], ['b', c.b, a]] as const) {
    const won = c.cases.filter((x) => x.winner === side);
    if (won.length === 0) {
      continue;
    }
    lines.push('', `${md(name, 40)} wins:`, '');
    for (const x of won.slice(0, MAX_WINS)) {
      const d = x.deltas;
      const byRecall = d && Math.abs(d.recall) > 1e-9;
      lines.push(`- ${md(labels.get(x.caseId) ?? x.caseId)} (${byRecall ? `recall ${signed(side === 'b' ? d.recall : -d.recall)}` : `nDCG ${signed(side === 'b' ? (d?.ndcg ?? 0) : -(d?.ndcg ?? 0))}`} over ${md(other.target.name, 40)})`);
    }
    if (won.length > MAX_WINS) {
      lines.push(`- and ${won.length - MAX_WINS} more`);
    }
  }
  return lines;
}

function changesSection(changes: readonly CaseChange[] | undefined, targets: number): string[] {
  if (!changes) {
    return [];
  }
  const lines = ['', '## Changed since the last run', ''];
  if (changes.length === 0) {
    return [...lines, 'No case changed.'];
  }
  const value = (c?: { recall?: number; outcome: string }) => (c ? (c.recall !== undefined ? num(c.recall) : c.outcome) : '—');
  for (const c of changes.slice(0, MAX_LISTED)) {
    const where = targets > 1 ? ` (${md(c.target, 40)})` : '';
    lines.push(`- ${c.kind}: ${md(c.label)}${where}, recall ${value(c.before)} → ${value(c.after)}`);
  }
  if (changes.length > MAX_LISTED) {
    lines.push(`- and ${changes.length - MAX_LISTED} more`);
  }
  return lines;
}

function historySection(history: readonly HistoryEntry[] | undefined, runs: readonly TargetRun[]): string[] {
  if (!history || history.length < 2) {
    return [];
  }
  const k = kLabel(runs);
  const head = ['metric', ...runs.map((r) => md(r.target.name, 40))];
  const lines = ['', `## Over the last ${history.length} runs`, '', `| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const m of METRIC_NAMES) {
    const cells = runs.map((r) => {
      const values = series(history, r.target.name, m);
      const last = values[values.length - 1];
      return `\`${sparkline(values)}\` ${last === null ? '—' : num(last)}`;
    });
    lines.push(`| ${metricLabel(m, k)} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function safeLink(uri: string): string {
  return uri.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function failuresSection(input: MarkdownInput): string[] {
  const lines: string[] = [];
  for (const r of input.run.runs) {
    const bad = r.results.filter((x) => x.outcome !== 'passed');
    if (bad.length === 0) {
      continue;
    }
    const title = input.run.runs.length > 1 ? ` (${md(r.target.name, 40)})` : '';
    lines.push('', `## Failed cases${title}`, '');
    for (const x of bad.slice(0, MAX_LISTED)) {
      const link = x.outcome === 'failed' ? input.hitsLink?.(r.target, x) : undefined;
      const what = x.outcome === 'error' ? 'could not run: ' : '';
      lines.push(`- **${md(x.label)}**: ${what}${md(x.message ?? '', 400)}${link ? ` [Open the hits](${safeLink(link)})` : ''}`);
    }
    if (bad.length > MAX_LISTED) {
      lines.push(`- and ${bad.length - MAX_LISTED} more`);
    }
  }
  return lines;
}

/** The report's Markdown text. */
export function markdownReport(input: MarkdownInput): string {
  const { run } = input;
  const when = (input.formatTime ?? ((t: number) => new Date(t).toISOString()))(run.startedAt);
  const about = [input.file ? md(input.file, 200) : undefined, `ran ${md(when, 60)}`, `${(run.durationMs / 1000).toFixed(1)} s`, `passes at recall ≥ ${run.runs[0]?.minRecall ?? 1}`];
  return [
    `# Evaluation: ${md(input.title, 200)}`,
    '',
    about.filter(Boolean).join(' · '),
    '',
    ...metricsTable(run),
    ...winsSection(run),
    ...changesSection(input.changes, run.runs.length),
    ...historySection(input.history, run.runs),
    ...failuresSection(input),
    '',
  ].join('\n');
}
