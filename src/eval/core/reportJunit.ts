/**
 * The JUnit XML report of a set's run, for CI dashboards: one <testsuite> per target (named "set (target)"), a
 * <testcase> per case, <failure> or <error> with the case's one-line message, and the set's metrics as
 * <properties>. Every text is escaped for XML, and characters XML 1.0 cannot carry are dropped. No `vscode` here.
 */
import type { SetRun } from './evaluate';
import type { TargetRun } from './types';
import { METRIC_NAMES } from './types';

// Characters XML 1.0 does not allow, even escaped: C0 controls but tab, LF and CR; U+FFFE/U+FFFF; lone surrogates.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for an attribute value or element content: `& < > " '` escaped, line breaks kept as character references. */
export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

function suite(setName: string, run: TargetRun, timestamp: string): string {
  const c = run.metrics.counts;
  const name = `${setName} (${run.target.name})`;
  const lines = [
    `  <testsuite name="${xmlEscape(name)}" tests="${c.cases}" failures="${c.failed}" errors="${c.errors}" skipped="0" time="${seconds(run.durationMs)}" timestamp="${timestamp}">`,
    '    <properties>',
    `      <property name="collection" value="${xmlEscape(run.target.collection)}"/>`,
    `      <property name="k" value="${run.target.k}"/>`,
    `      <property name="minRecall" value="${run.minRecall}"/>`,
  ];
  const v = run.metrics.values;
  for (const m of METRIC_NAMES) {
    lines.push(`      <property name="${m}" value="${v ? v[m].toFixed(4) : ''}"/>`);
  }
  lines.push('    </properties>');
  const classname = xmlEscape(`${setName}.${run.target.name}`);
  for (const r of run.results) {
    const open = `    <testcase name="${xmlEscape(r.label)}" classname="${classname}"`;
    if (r.outcome === 'passed') {
      lines.push(`${open}/>`);
      continue;
    }
    const tag = r.outcome === 'error' ? 'error' : 'failure';
    const message = xmlEscape(r.message ?? '');
    const detail = r.metrics ? `recall@${r.k} ${r.metrics.found}/${r.metrics.expected}: ${r.message ?? ''}` : (r.message ?? '');
    lines.push(`${open}>`, `      <${tag} message="${message}" type="${tag === 'error' ? 'error' : 'recall'}">${xmlEscape(detail)}</${tag}>`, '    </testcase>');
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** The report's text; `setName` names the suites (the set's name, else its file name). */
export function junitReport(run: SetRun, setName: string): string {
  const timestamp = new Date(run.startedAt).toISOString().replace(/\.\d{3}Z$/, '');
  const total = (k: 'cases' | 'failed' | 'errors') => run.runs.reduce((n, r) => n + r.metrics.counts[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(setName)}" tests="${total('cases')}" failures="${total('failed')}" errors="${total('errors')}" time="${seconds(run.durationMs)}">`,
    ...run.runs.map((r) => suite(setName, r, timestamp)),
    '</testsuites>',
    '',
  ].join('\n');
}
