import * as assert from 'node:assert/strict';
import { changedCases } from '../../../../src/eval/core/changes';
import { compareRuns } from '../../../../src/eval/core/compare';
import type { SetRun } from '../../../../src/eval/core/evaluate';
import { appendHistory, historyEntry, readHistory, sparkline } from '../../../../src/eval/core/history';
import { judgeCase } from '../../../../src/eval/core/judge';
import { aggregate } from '../../../../src/eval/core/metrics';
import { formatJsonReport, parseJsonReport, reportFileNames, toJsonReport } from '../../../../src/eval/core/reportJson';
import type { JsonReport } from '../../../../src/eval/core/reportJson';
import { junitReport, xmlEscape } from '../../../../src/eval/core/reportJunit';
import { markdownReport } from '../../../../src/eval/core/reportMarkdown';
import { summaryLines } from '../../../../src/eval/core/summary';
import type { EvalCase, EvalTarget, TargetRun } from '../../../../src/eval/core/types';
import { activeTags, renderMarkdown, visibleText } from '../../util/markdown';

// sax (a strict, streaming XML parser) has no types of its own: the little the test uses.
interface SaxParser {
  onerror: (e: Error) => void;
  onopentag: (tag: { name: string; attributes: Record<string, string> }) => void;
  ontext: (text: string) => void;
  onclosetag: () => void;
  write(xml: string): SaxParser;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sax = require('sax') as { parser(strict: boolean): SaxParser };

/** Parses XML strictly: the elements with their attributes, and the text inside each. */
function parseXml(xml: string): Array<{ name: string; attributes: Record<string, string>; text: string }> {
  const out: Array<{ name: string; attributes: Record<string, string>; text: string }> = [];
  const open: Array<{ text: string }> = [];
  const p = sax.parser(true);
  p.onerror = (e) => {
    throw e;
  };
  p.onopentag = (tag) => {
    const element = { name: tag.name, attributes: tag.attributes, text: '' };
    out.push(element);
    open.push(element);
  };
  p.onclosetag = () => open.pop();
  p.ontext = (t) => {
    if (open.length) {
      open[open.length - 1].text += t;
    }
  };
  p.write(xml).close();
  return out;
}

const HOSTILE = 'a <b> & "c" \'d\' ]]> [link](http://x) | pipe *em* \u0001 \ud800 end';

function evalCase(id: string, ids: string[], name?: string): EvalCase {
  return { id, ...(name !== undefined ? { name } : {}), query: { kind: 'text', text: `query ${id}` }, expect: { ids, sources: [] }, tags: [], span: { start: 0, end: 1 }, idSpans: [] };
}

const target = (name: string, collection = 'docs'): EvalTarget => ({ name, connection: 'local', collection, k: 3, spans: {} });

/** A run of three cases where the expected ids rank as given (undefined: not among the hits). */
function run(t: EvalTarget, ranks: Array<number | undefined>, names: Array<string | undefined> = []): TargetRun {
  const results = ranks.map((rank, i) => {
    const hits = Array.from({ length: 5 }, (_, j) => ({ id: j + 1 === rank ? `want${i}` : `x${j}`, distance: j / 10, metadata: null }));
    return judgeCase({ evalCase: evalCase(`case${i}`, [`want${i}`], names[i]), k: t.k, depth: 50, minRecall: 1, hits });
  });
  return { target: t, minRecall: 1, results, metrics: aggregate(results), startedAt: 0, durationMs: 12 };
}

function setRun(runs: TargetRun[], startedAt = Date.UTC(2026, 0, 2, 3, 4, 5), durationMs = 1234): SetRun {
  const out: SetRun = { name: 'docs', runs, startedAt, durationMs };
  if (runs.length === 2) {
    out.comparison = compareRuns(runs[0], runs[1]);
  }
  return out;
}

describe('evaluation reports: JSON (pure)', () => {
  it('keys sorted at every level, numbers rounded, and nothing in a case that changes between identical runs', () => {
    const a = formatJsonReport(toJsonReport(setRun([run(target('A'), [1, 2, undefined])]), { set: 'docs', file: 'evals/docs.chroma-eval.json' }));
    const b = formatJsonReport(toJsonReport(setRun([run(target('A'), [1, 2, undefined])], Date.UTC(2027, 5, 6), 999), { set: 'docs', file: 'evals/docs.chroma-eval.json' }));
    const differing = a.split('\n').filter((line, i) => line !== b.split('\n')[i]);
    assert.deepEqual(differing, ['    "durationMs": 1234,', '    "ranAt": "2026-01-02T03:04:05.000Z",']);
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach(walk);
      } else if (v && typeof v === 'object') {
        const keys = Object.keys(v);
        assert.deepEqual(keys, [...keys].sort());
        Object.values(v).forEach(walk);
      }
    };
    walk(JSON.parse(a));
    assert.ok(a.endsWith('}\n'));
    const report = JSON.parse(a) as JsonReport;
    assert.deepEqual(report.targets[0].metrics, { hitRate: 0.6667, mrr: 0.5, ndcg: 0.5436, precision: 0.2222, recall: 0.6667 });
    assert.deepEqual(report.targets[0].cases[1], {
      expected: 1,
      found: 1,
      hit: true,
      id: 'case1',
      items: [{ found: true, label: 'want1', rank: 2 }],
      k: 3,
      label: 'query case1',
      ndcg: 0.6309,
      outcome: 'passed',
      precision: 0.3333,
      recall: 1,
      reciprocalRank: 0.5,
      top: ['x0', 'want1', 'x2'],
    });
    assert.equal(report.targets[0].cases[2].message, 'expected want2 (not in top 50); first came x0, x1, x2');
    assert.deepEqual(report.targets[0].cases[2].items, [{ found: false, label: 'want2', rank: null }]);
  });

  it('reads a report back, and says why one cannot be used', () => {
    const text = formatJsonReport(toJsonReport(setRun([run(target('A'), [1])]), { set: 'docs' }));
    assert.ok('report' in parseJsonReport(text));
    assert.deepEqual(parseJsonReport('{'), { error: 'The previous report is not valid JSON.' });
    assert.deepEqual(parseJsonReport('{"format": "other"}'), { error: 'The previous report is not a chroma-eval-report file.' });
    assert.deepEqual(parseJsonReport('{"format": "chroma-eval-report", "version": 2}'), { error: 'The previous report has version 2; this version reads 1.' });
    assert.deepEqual(parseJsonReport('{"format": "chroma-eval-report", "version": 1, "targets": [{"name": "A", "cases": [{"id": 1}]}]}'), {
      error: "The previous report's targets are not in the expected shape.",
    });
  });

  it('names the report files after the set, keeping its folders', () => {
    assert.deepEqual(reportFileNames('evals/docs.chroma-eval.json'), { json: 'evals/docs.eval.json', junit: 'evals/docs.junit.xml' });
    assert.deepEqual(reportFileNames('big.chroma-eval.jsonl'), { json: 'big.eval.json', junit: 'big.junit.xml' });
    assert.deepEqual(reportFileNames('../x/./odd.json'), { json: 'x/odd.eval.json', junit: 'x/odd.junit.xml' });
  });
});

describe('evaluation reports: changes since the last run (pure)', () => {
  const report = (ranks: Array<number | undefined>, ids = ['case0', 'case1', 'case2', 'case3']): JsonReport => {
    const r = run(target('A'), ranks);
    r.results.forEach((x, i) => (x.caseId = ids[i]));
    return toJsonReport(setRun([r]), { set: 'docs' });
  };

  it('newly failing and passing, worse and better, new and gone; worst first; unchanged cases left out', () => {
    const before = report([1, 3, undefined, 1], ['same', 'down', 'up', 'gone']);
    const after = report([1, 4, 2, 1], ['same', 'down', 'up', 'new']);
    const changes = changedCases(before, after);
    assert.deepEqual(changes.map((c) => [c.kind, c.caseId]), [['newly failing', 'down'], ['gone', 'gone'], ['new', 'new'], ['newly passing', 'up']]);
    const ranks = changedCases(report([2]), report([1]));
    assert.deepEqual(ranks.map((c) => [c.kind, c.before?.ndcg, c.after?.ndcg]), [['better', 0.6309, 1]]);
    assert.deepEqual(changedCases(report([1]), report([3])).map((c) => c.kind), ['worse']);
    assert.deepEqual(changedCases(before, report([1], ['same']), { subset: true }), [], 'a run of some cases reports none gone');
  });
});

describe('evaluation reports: JUnit XML (pure)', () => {
  it('escapes what XML needs escaped and drops what it cannot carry', () => {
    assert.equal(xmlEscape('<a href="x">&\'\n'), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;');
    assert.equal(xmlEscape('a\u0000b\u001fc\ud800d\ud83d\ude00'), 'abcd\ud83d\ude00');
  });

  it('a strict parser reads it: a suite per target, a testcase per case, failures and errors with their messages', () => {
    const a = run(target(HOSTILE), [1, 5, undefined], [HOSTILE, undefined, undefined]);
    a.results[2] = { ...a.results[2], outcome: 'error', message: `Chroma said ${HOSTILE}`, metrics: undefined };
    a.metrics = aggregate(a.results);
    const xml = junitReport(setRun([a, run(target('B', 'docs-2'), [1, 1, 1])]), 'docs & more');
    const elements = parseXml(xml);
    const clean = HOSTILE.replace(/[\u0001\ud800]/g, '');
    const root = elements[0];
    assert.deepEqual([root.name, root.attributes.name, root.attributes.tests, root.attributes.failures, root.attributes.errors, root.attributes.time], ['testsuites', 'docs & more', '6', '1', '1', '1.234']);
    const suites = elements.filter((e) => e.name === 'testsuite');
    assert.deepEqual(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.errors]), [
      [`docs & more (${clean})`, '3', '1', '1'],
      ['docs & more (B)', '3', '0', '0'],
    ]);
    assert.equal(suites[0].attributes.timestamp, '2026-01-02T03:04:05');
    const cases = elements.filter((e) => e.name === 'testcase');
    // a case's label is a display line: controls gone, a lone surrogate shown as U+FFFD
    const label = 'a <b> & "c" \'d\' ]]> [link](http://x) | pipe *em* \ufffd end';
    assert.deepEqual(cases.map((c) => c.attributes.name), [label, 'query case1', 'query case2', 'query case0', 'query case1', 'query case2']);
    const failure = elements.find((e) => e.name === 'failure');
    assert.equal(failure?.attributes.message, 'expected want1 (rank 5, outside the top 3); first came x0, x1, x2');
    assert.equal(failure?.text, 'recall@3 0/1: expected want1 (rank 5, outside the top 3); first came x0, x1, x2');
    assert.equal(elements.find((e) => e.name === 'error')?.attributes.message, `Chroma said ${clean}`);
    const props = Object.fromEntries(elements.filter((e) => e.name === 'property').slice(0, 8).map((e) => [e.attributes.name, e.attributes.value]));
    assert.deepEqual(props, { collection: 'docs', k: '3', minRecall: '1', recall: '0.5000', precision: '0.1667', mrr: '0.5000', ndcg: '0.5000', hitRate: '0.5000' });
  });
});

describe('evaluation reports: history and sparklines (pure)', () => {
  it('a sparkline on a fixed 0–1 scale, a space for a run without a value', () => {
    assert.equal(sparkline([0, 0.125, 0.5, 0.99, 1, null, 2, -1]), '▁▂▅██ █▁');
  });

  it('entries kept oldest first and capped; a stored history of the wrong shape is cleaned, not trusted', () => {
    const entry = (ranAt: number) => historyEntry({ runs: [run(target('A'), [1])], startedAt: ranAt, durationMs: 1 });
    let h = [entry(3), entry(1)];
    h = appendHistory(h, entry(2), 2);
    assert.deepEqual(h.map((e) => e.ranAt), [2, 3]);
    assert.deepEqual(h[0].targets.A, { recall: 1, precision: 1 / 3, mrr: 1, ndcg: 1, hitRate: 1 });
    const stored = [h[0], { ranAt: 'x' }, null, { ranAt: 5, targets: { A: { recall: '1' }, B: null, C: { ...h[0].targets.A, extra: 1 } } }];
    assert.deepEqual(readHistory(stored), [h[0], { ranAt: 5, targets: { B: null, C: h[0].targets.A } }]);
    assert.deepEqual(readHistory({ not: 'a list' }), []);
  });
});

describe('evaluation reports: Markdown (pure)', () => {
  it('the table of one target, the failed cases with a link to their hits, everything from the file escaped', () => {
    const a = run(target('A'), [1, 2, undefined], [undefined, undefined, HOSTILE]);
    const text = markdownReport({
      title: 'docs | set',
      file: 'evals/docs.chroma-eval.json',
      run: setRun([a]),
      hitsLink: (t, r) => `command:chroma.eval.openHits?${encodeURIComponent(JSON.stringify([t.name, r.caseId]))} (x)`,
    });
    const lines = text.split('\n');
    assert.equal(lines[0], '# Evaluation: docs \\| set');
    assert.equal(lines[2], 'evals\\/docs\\.chroma\\-eval\\.json · ran 2026\\-01\\-02T03\\:04\\:05\\.000Z · 1.2 s · passes at recall ≥ 1');
    assert.deepEqual(lines.slice(4, 14), [
      '| metric | A (docs) |',
      '| --- | ---: |',
      '| recall@3 | 0.667 |',
      '| precision@3 | 0.222 |',
      '| MRR@3 | 0.500 |',
      '| nDCG@3 | 0.544 |',
      '| hit rate@3 | 0.667 |',
      '| cases passed | 2 of 3 |',
      '| items found | 2 of 3 |',
      '| errors | 0 |',
    ]);
    const failed = lines.find((l) => l.startsWith('- **'));
    assert.ok(failed);
    assert.ok(!failed.includes('[link](http'), 'no link can form from a case name');
    assert.ok(failed.includes('\\[link\\]\\(http\\:\\/\\/x\\) \\| pipe \\*em\\*'), failed);
    assert.ok(failed.endsWith(`[Open the hits](command:chroma.eval.openHits?${encodeURIComponent(JSON.stringify(['A', 'case2']))}%20%28x%29)`), failed);
    // rendered as VS Code's preview does: one table, one link (the hits), the name shown as written
    const html = renderMarkdown(text);
    const tags = activeTags(html);
    assert.deepEqual(tags.filter((t) => t.startsWith('<a')), [`<a href="command:chroma.eval.openHits?${encodeURIComponent(JSON.stringify(['A', 'case2']))}%20%28x%29">`]);
    assert.equal(tags.filter((t) => t.startsWith('<table')).length, 1);
    assert.ok(!tags.some((t) => /^<(em|img|script)/.test(t)), tags.join(' '));
    assert.ok(visibleText(html).includes('a <b> & "c" \'d\' ]]> [link](http://x) | pipe *em* \ufffd end: expected want2 (not in top 50); first came x0, x1, x2'));
    assert.ok(!text.includes('## Over the last'), 'no chart of a single run');
    assert.ok(!text.includes('## Changed since'), 'no changes section without a previous run');
  });

  it('compare: both targets, the deltas, the cases each wins; changes and the chart over past runs', () => {
    const a = run(target('small', 'docs-500'), [1, 4, 2]);
    const b = run(target('large', 'docs-1000'), [2, 1, 1]);
    const current = setRun([a, b]);
    const previous = setRun([run(target('small', 'docs-500'), [1, 1, 2]), run(target('large', 'docs-1000'), [2, 1, 1])]);
    const changes = changedCases(toJsonReport(previous, { set: 'docs' }), toJsonReport(current, { set: 'docs' }));
    const history = [historyEntry({ ...previous, startedAt: 1 }), historyEntry(current)];
    const text = markdownReport({ title: 'docs', run: current, changes, history });
    assert.ok(text.includes('| metric | small (docs\\-500) | large (docs\\-1000) | Δ (B − A) |'), text);
    assert.ok(text.includes('| recall@3 | 0.667 | 1.000 | +0.333 |'), text);
    assert.ok(text.includes('| cases passed | 2 of 3 | 3 of 3 |  |'));
    assert.ok(text.includes('small: 1 · large: 2 · ties: 0'));
    assert.ok(text.includes('large wins:\n\n- query case1 (recall +1.000 over small)\n- query case2 (nDCG +0.369 over small)'), text);
    assert.ok(text.includes('## Changed since the last run\n\n- newly failing: query case1 (small), recall 1.000 → 0.000'), text);
    assert.ok(text.includes('## Over the last 2 runs'));
    assert.ok(text.includes('| recall@3 | `█▆` 0.667 | `██` 1.000 |'), text);
    assert.ok(text.includes('## Failed cases (small)'));
    assert.ok(!text.includes('## Failed cases (large)'));
    const none = markdownReport({ title: 'docs', run: current, changes: [] });
    assert.ok(none.includes('## Changed since the last run\n\nNo case changed.'));
  });
});

describe('evaluation reports: the summary lines of a test run (pure)', () => {
  it('each target\'s metrics and counts; with compare, the deltas and the wins', () => {
    const a = run(target('small', 'docs-500'), [1, 4, 2]);
    const b = run(target('large', 'docs-1000'), [2, 1, 1]);
    assert.deepEqual(summaryLines(setRun([a]), 'docs'), [
      'docs (small: docs-500): recall@3 0.667 · precision@3 0.222 · MRR 0.500 · nDCG@3 0.544 · hit rate 0.667; 2 of 3 passed, 2 of 3 items found',
    ]);
    const lines = summaryLines(setRun([a, b]), 'docs');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], 'large − small: recall +0.333 · precision +0.111 · MRR +0.333 · nDCG +0.333 · hit rate +0.333; small wins 1, large wins 2, 0 ties');
    const failed = run(target('A'), [1]);
    failed.results[0] = { ...failed.results[0], outcome: 'error', metrics: undefined, message: 'x' };
    failed.metrics = aggregate(failed.results);
    assert.deepEqual(summaryLines(setRun([failed]), 'docs'), ['docs (A: docs): no case ran; 0 of 1 passed, 0 of 0 items found, 1 could not run']);
  });
});
